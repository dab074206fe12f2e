"""Recommendation zones benchmark (`make bench-recs`): not a test, numbers for docs/measurements.md.

Starts its own stack (every service; vectors for the 10,104 films with 100+ votes,
to keep the run short), then for each zone, through gRPC and through GraphQL:
- cold: 1,000 requests from 20 concurrent clients, every request a distinct answer-cache key (different
  films, texts, users or `first`), warm model; p50 / p95;
- cached: the same request again (20 clients); p50;
- one client: 100 cold requests one after another (the latency without queueing); p50 / p95.
And feedback-to-effect: a user dismisses the top For-you film (GraphQL, zone FOR_YOU); the time from
the mutation's response until For you no longer returns it (polled every 10 ms); p50 / p95. And
Together feedback to effect: one member of a linked pair dismisses (zone TOGETHER) the top pick of the
pair's Together list; the time from the mutation's response until the other member's Together list
(GraphQL) no longer returns it (polled every 10 ms), 30 trials over the 10 pairs (3 each, the acting
member alternating); p50 / p95.
Writes reports/recs-bench.json.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import platform
import time

import grpc
import httpx
from movierec.recommender.v1 import recommender_pb2 as pb
from movierec.recommender.v1 import recommender_pb2_grpc

from bench.common import own_stack_ports, pct, run_on_own_stack
from devstack.stack import Stack
from kit import auth, db

PORTS, METRICS_BASE = own_stack_ports(31100)
N, CLIENTS = 1000, 20
MOODS = ["slow-burn", "funny", "dark", "heartwarming", "tense", "dreamy", "violent", "gentle", "weird", "epic"]
KINDS = ["sci-fi", "romance", "heist", "western", "family drama", "horror", "war story", "mystery", "road movie",
         "coming-of-age story"]
TWISTS = ["with a twist", "set in space", "in a small town", "about revenge", "about friendship",
          "with a great soundtrack", "based on a true story", "in the 1970s", "for a rainy Sunday", "not too long"]


async def run_clients(calls: list, clients: int = CLIENTS) -> list[float]:
    queue = list(calls)
    lat: list[float] = []

    async def client():
        while queue:
            fn = queue.pop()
            t = time.perf_counter()
            await fn()
            lat.append((time.perf_counter() - t) * 1000)

    await asyncio.gather(*(client() for _ in range(clients)))
    return lat


def summary(xs: list[float]) -> dict:
    return {"p50": pct(xs, 0.5), "p95": pct(xs, 0.95), "n": len(xs)}


async def measure(stack: Stack) -> dict:
    out: dict = {"machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                             "cpu": platform.processor() or platform.machine()}, "zones": {}}
    pool = await db.create_pool(stack.database_url, 1, 4)
    films = [r[0] for r in await pool.fetch(
        "SELECT movie_id FROM embedder.movie_vectors ORDER BY vote_count DESC LIMIT $1", N)]
    ml_users = [f"ml:{i}" for i in range(1, 611)]
    internal = auth.load_internal_token(stack.base / "secrets")
    texts = [f"{m} {k} {t}" for m, k, t in itertools.product(MOODS, KINDS, TWISTS)][:N]

    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{stack.ports['gateway']}", timeout=60,
                                 limits=httpx.Limits(max_connections=CLIENTS)) as c:
        async def gql(doc: str, variables: dict | None = None, token: str | None = None) -> dict:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            r = await c.post("/graphql", json={"query": doc, "variables": variables or {}}, headers=headers)
            body = r.json()
            assert r.status_code == 200 and "errors" not in body, r.text
            return body["data"]

        # app users with a taste (ML users cannot log in): 20 users, each linked to the next
        tokens, ids = [], []
        for i in range(CLIENTS):
            reg = (await gql("mutation($u: String!) { register(username: $u, password: \"bench-pass-1\") {"
                             " accessToken user { id } } }", {"u": f"recs{i}x{int(time.time())}"}))["register"]
            tokens.append(reg["accessToken"])
            ids.append(reg["user"]["id"])
            for f in films[i * 7 : i * 7 + 7]:
                await gql(f'mutation {{ rateMovie(movieId: "{f}", value: 4.5) {{ value }} }}', token=reg["accessToken"])
        for i in range(0, CLIENTS, 2):
            code = (await gql("mutation { createInvite { code } }", token=tokens[i]))["createInvite"]["code"]
            await gql("mutation($c: String!) { acceptInvite(code: $c) { linkedAt } }", {"c": code},
                      token=tokens[i + 1])
        await asyncio.sleep(1.0)  # let the link events land

        rec = "{ movie { id title popularityPercentile } score reasons { kind text } }"
        gql_calls = {
            "similar": lambda i: gql(f'{{ similar(movieId: "{films[i]}", first: 20) {rec} }}'),
            "hidden_gems": lambda i: gql(f'{{ hiddenGems(movieId: "{films[i]}", first: 20,'
                                         f' maxPopularityPercentile: 60) {rec} }}'),
            "for_you": lambda i: gql(f"{{ forYou(first: {1 + i // CLIENTS}) {rec} }}", token=tokens[i % CLIENTS]),
            "vibe": lambda i: gql("query($t: String!) { vibe(text: $t, first: 20) { picks " + rec + " } }",
                                  {"t": texts[i]}),
            "together": lambda i: gql(
                "query($u: [ID!]!, $n: Int) { together(userIds: $u, first: $n) " + rec + " }",
                {"u": [ids[(i % CLIENTS) ^ 1]], "n": 1 + i // CLIENTS}, token=tokens[i % CLIENTS]),
        }
        async with grpc.aio.insecure_channel(stack.addr("recommender")) as ch:
            stub = recommender_pb2_grpc.RecommenderServiceStub(ch)

            def md(user=None):
                return auth.call_metadata(internal, user)

            grpc_calls = {
                "similar": lambda i: stub.Similar(pb.SimilarRequest(movie_id=films[i], first=20), metadata=md()),
                "hidden_gems": lambda i: stub.HiddenGems(pb.HiddenGemsRequest(
                    movie_id=films[i], first=20, max_popularity_percentile=60), metadata=md()),
                "for_you": lambda i: stub.ForYou(pb.ForYouRequest(first=20 + i // 610),
                                                 metadata=md(ml_users[i % 610])),
                "vibe": lambda i: stub.Vibe(pb.VibeRequest(text=texts[i], first=20), metadata=md()),
                "together": lambda i: stub.Together(pb.TogetherRequest(
                    user_ids=[ids[(i % CLIENTS) ^ 1]], first=1 + i // CLIENTS), metadata=md(ids[i % CLIENTS])),
            }
            for zone in gql_calls:
                res = {}
                for name, calls in (("grpc", grpc_calls[zone]), ("graphql", gql_calls[zone])):
                    await flush_answers(stack)  # every cold request computes
                    cold = await run_clients([lambda i=i, f=calls: f(i) for i in range(N)])
                    warm = await run_clients([lambda f=calls: f(0) for _ in range(200)])
                    await flush_answers(stack)
                    # one client at a time: the latency of one request with the machine otherwise idle
                    alone = await run_clients([lambda i=i, f=calls: f(i) for i in range(100)], clients=1)
                    res[name] = {"cold": summary(cold), "cached_p50": pct(warm, 0.5), "cold_one_client": summary(alone)}
                out["zones"][zone] = res
                print(zone, json.dumps(res))

        # feedback to effect
        doc = "{ forYou(first: 20) { movie { id } } }"
        effects = []
        for trial in range(30):
            t = tokens[trial % CLIENTS]
            top = (await gql(doc, token=t))["forYou"][0]["movie"]["id"]
            await gql(f'mutation {{ dismissMovie(movieId: "{top}", zone: FOR_YOU) }}', token=t)
            start = time.perf_counter()
            # polling on purpose: the effect is observed the way a client sees it
            while top in {r["movie"]["id"] for r in (await gql(doc, token=t))["forYou"]}:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
            effects.append((time.perf_counter() - start) * 1000)
        out["feedback_to_effect_ms"] = summary(effects)

        # together feedback to effect: one member of a pair dismisses (zone TOGETHER) the top pick of the
        # pair's Together list; the time until the OTHER member's Together list no longer returns it
        doc = "query($u: [ID!]!) { together(userIds: $u, first: 20) { movie { id } } }"

        async def together_seen_by(viewer: int, partner: int) -> list[str]:
            return [r["movie"]["id"] for r in (await gql(doc, {"u": [ids[partner]]}, token=tokens[viewer]))["together"]]

        effects = []
        for trial in range(30):
            actor = 2 * (trial % (CLIENTS // 2)) + (trial // (CLIENTS // 2)) % 2  # each pair 3 times, alternating
            other = actor ^ 1
            top = (await together_seen_by(other, actor))[0]
            await gql(f'mutation {{ dismissMovie(movieId: "{top}", zone: TOGETHER) }}', token=tokens[actor])
            start = time.perf_counter()
            while top in await together_seen_by(other, actor):  # noqa: ASYNC110 - polled as a client sees it
                await asyncio.sleep(0.01)
            effects.append((time.perf_counter() - start) * 1000)
        out["together_feedback_to_effect_ms"] = summary(effects)
    await pool.close()
    return out


async def flush_answers(stack: Stack) -> None:
    """Empty the answer caches between measurements (each cold run must compute): the recommender's
    (`rec:ans:`, its zone lists) and the gateway's (`gw:ans:`, whole GraphQL answers)."""
    from redis.asyncio import Redis

    r = Redis.from_url(stack.redis_url)
    for pattern in ("rec:ans:*", "gw:ans:*"):
        async for key in r.scan_iter(pattern, count=1000):
            await r.delete(key)
    await r.aclose()


def main() -> int:
    return run_on_own_stack("recs-bench", PORTS, METRICS_BASE, measure, backfill_min_votes=100,
                            service_env={"EMBEDDER_DELIVER_POLICY": "new"})


if __name__ == "__main__":
    raise SystemExit(main())
