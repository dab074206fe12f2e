"""Users-service benchmark (`make bench`): not a test, numbers for docs/measurements.md.

Starts its own stack (catalogue, users, gateway; other ports), then measures in one run:
- the MovieLens history import into an empty users schema, and an unchanged re-run;
- register and login through GraphQL (argon2id bound);
- rateMovie through GraphQL, sequential latency and concurrent throughput (16 in flight);
- `me { state }` for a user with 200 ratings;
- event lag: from sending rateMovie (and from its response) to the event's arrival on
  `feedback.for_you.rated` (what the recommender sees), through the outbox relay and JetStream.
Writes reports/users-bench.json.
"""

from __future__ import annotations

import asyncio
import os
import platform
import time
import uuid
from pathlib import Path

import httpx
import nats
from movierec.users.v1 import events_pb2

from bench.common import data_dir, own_stack_ports, pct, run_on_own_stack, timed
from devstack.stack import CATALOG, GATEWAY, USERS, Stack
from kit import db
from services.users.__main__ import catalogue_links
from services.users.movielens import import_movielens

PORTS, METRICS_BASE = own_stack_ports(31400)


def summary(xs: list[float]) -> dict:
    return {"p50": pct(xs, 0.5), "p95": pct(xs, 0.95), "n": len(xs)}


async def measure(stack: Stack, data_dir: Path) -> dict:
    out: dict = {"machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                             "cpu": platform.processor() or platform.machine()}}
    pool = await db.create_pool(stack.database_url, 1, 4)
    links = await catalogue_links(stack.addr("catalog"))
    await pool.execute("DELETE FROM users.accounts WHERE id LIKE 'ml:%'")
    t = time.perf_counter()
    first = await import_movielens(pool, data_dir, links)
    out["movielens_import_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    again = await import_movielens(pool, data_dir, links)
    out["movielens_reimport_unchanged_s"] = round(time.perf_counter() - t, 2)
    out["movielens"] = {"users": first.users, "ratings": first.ratings_kept, "rewritten": again.ratings_written}
    films = [r["id"] for r in await pool.fetch("SELECT id FROM catalog.movies ORDER BY vote_count DESC LIMIT 400")]

    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{stack.ports['gateway']}", timeout=30) as c:
        async def gql(doc: str, variables: dict | None = None, token: str | None = None) -> dict:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            r = await c.post("/graphql", json={"query": doc, "variables": variables or {}}, headers=headers)
            body = r.json()
            assert r.status_code == 200 and "errors" not in body, r.text
            return body["data"]

        reg_doc = "mutation($u: String!, $p: String!) { register(username: $u, password: $p) { accessToken } }"
        login_doc = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }"
        names = [f"bench{uuid.uuid4().hex[:10]}" for _ in range(20)]
        out["graphql_register_ms"] = summary(
            [await timed(lambda n=n: gql(reg_doc, {"u": n, "p": "bench-password"})) for n in names])
        out["graphql_login_ms"] = summary(
            [await timed(lambda n=n: gql(login_doc, {"u": n, "p": "bench-password"})) for n in names])
        token = (await gql(login_doc, {"u": names[0], "p": "bench-password"}))["login"]["accessToken"]

        rate = "mutation($m: ID!, $v: Float!) { rateMovie(movieId: $m, value: $v, zone: FOR_YOU) { value } }"
        for f in films[:20]:  # warm the film-id check
            await gql(rate, {"m": str(f), "v": 3.0}, token)
        out["graphql_rate_movie_ms"] = summary(
            [await timed(lambda f=f: gql(rate, {"m": str(f), "v": 4.0}, token)) for f in films[:200]])

        others = [(await gql(reg_doc, {"u": f"bench{uuid.uuid4().hex[:10]}", "p": "bench-password"}))
                  ["register"]["accessToken"] for _ in range(4)]
        gate = asyncio.Semaphore(16)

        async def one(tok: str, f: int) -> None:
            async with gate:
                await gql(rate, {"m": str(f), "v": 2.5}, tok)

        jobs = [(tok, f) for tok in others for f in films[:100]]
        t = time.perf_counter()
        await asyncio.gather(*(one(tok, f) for tok, f in jobs))
        out["graphql_rate_movie_concurrent"] = {"writes": len(jobs), "in_flight": 16,
                                                "per_s": round(len(jobs) / (time.perf_counter() - t), 1)}

        state_doc = ("{ me { id state { ratings { movieId value } favoriteIds watchlistIds watchedIds"
                     " dismissedIds } partners { user { id } } } }")
        out["graphql_me_state_200_ratings_ms"] = summary([await timed(lambda: gql(state_doc, token=token))
                                                          for _ in range(100)])

        nc = await nats.connect(stack.nats_url)
        arrived: dict[tuple[int, float], float] = {}
        waiting: dict[tuple[int, float], asyncio.Event] = {}

        async def on_event(msg) -> None:
            ev = events_pb2.Interaction.FromString(msg.data)
            arrived[(ev.movie_id, ev.value)] = time.perf_counter()
            if (flag := waiting.get((ev.movie_id, ev.value))) is not None:
                flag.set()

        await nc.subscribe("feedback.for_you.rated", cb=on_event)
        await nc.flush()
        lags, from_start = [], []
        for i, f in enumerate(films[200:300]):
            value = 1.0 + (i % 8) * 0.5
            waiting[(f, value)] = asyncio.Event()
            start = time.perf_counter()
            await gql(rate, {"m": str(f), "v": value}, token)
            done = time.perf_counter()
            await asyncio.wait_for(waiting[(f, value)].wait(), 10)
            lags.append((arrived[(f, value)] - done) * 1000)
            from_start.append((arrived[(f, value)] - start) * 1000)
        # negative: the event reached the subscriber before the HTTP response reached the client
        out["event_after_response_ms"] = summary(lags)
        out["event_after_request_sent_ms"] = summary(from_start)
        await nc.close()
    await pool.close()
    return out


def main() -> int:
    return run_on_own_stack("users-bench", PORTS, METRICS_BASE, lambda stack: measure(stack, data_dir()),
                            up={"services": (CATALOG, USERS, GATEWAY)})


if __name__ == "__main__":
    raise SystemExit(main())
