"""Service CPU per answer (`make bench-gateway-cpu`): how many milliseconds of the gateway's CPU (and the
recommender's, the catalogue's) one answer costs, for the web client's own documents, measured from the
processes' CPU time (/proc/<pid>/stat) around N requests sent one after another by one client.

Not a test and not a latency figure: CPU per answer is what decides how many answers a process serves per
second once the machine is busy (docs/performance.md). Every zone request is cold: each has its own
variables (another film, text or page size), and both answer caches (the gateway's `gw:ans:`, the
recommender's `rec:ans:`) are emptied every 20 requests, so nothing is answered from them. `Me` (one
GetState, no recommendations) is the control.

Runs against a stack that is already up: `make up`'s by default, or another with `--base`, `--gateway`,
`--redis`, `--database` (the kept test stack: `--base .local/test --gateway http://127.0.0.1:28000
--redis redis://127.0.0.1:26379 --database postgresql://movierec@127.0.0.1:25432/movierec`). To compare
two versions of the gateway, restart it between two runs. Writes reports/gateway-cpu.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import asyncpg
import httpx
from redis.asyncio import Redis

from bench.common import cpu_model
from bench.loadtest.documents import documents
from bench.loadtest.moods import MOODS
from devstack.stack import Stack
from kit.config import REPO_ROOT

SERVICES = ("gateway", "recommender", "catalog")
FLUSH_EVERY = 20


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


async def flush(redis: Redis) -> None:
    for pattern in ("gw:ans:*", "rec:ans:*"):
        keys = [k async for k in redis.scan_iter(pattern, count=1000)]
        if keys:
            await redis.delete(*keys)


async def measure(gateway: str, redis_url: str, database_url: str, pids: dict[str, int], n: int) -> dict:
    docs = documents()
    redis = Redis.from_url(redis_url)
    conn = await asyncpg.connect(database_url)
    films = [str(r[0]) for r in await conn.fetch(
        "SELECT movie_id FROM embedder.movie_vectors ORDER BY vote_count DESC LIMIT $1", n + 14)]
    encoded = await conn.fetchval("SELECT count(*) FROM embedder.movie_vectors")
    await conn.close()
    async with httpx.AsyncClient(base_url=gateway, timeout=60) as c:
        async def gql(op: str, variables: dict, token: str | None = None) -> dict:
            r = await c.post("/graphql", json={"query": docs[op], "variables": variables, "operationName": op},
                             headers={"Authorization": f"Bearer {token}"} if token else {})
            body = r.json()
            if r.status_code != 200 or body.get("errors"):
                raise RuntimeError(f"{op}: {r.status_code} {r.text[:300]}")
            return body["data"]

        # Two new accounts, seven ratings each, linked: For you, Together and Me have a taste to work on.
        tokens, ids = [], []
        for i in range(2):
            reg = (await gql("Register", {"username": f"cpu{i}x{int(time.time() * 1000)}",
                                          "password": "bench-cpu-pass-1"}))["register"]
            tokens.append(reg["accessToken"])
            ids.append(reg["user"]["id"])
        for token, rated in zip(tokens, (films[-14:-7], films[-7:]), strict=True):
            for f in rated:
                await gql("RateMovie", {"movieId": f, "value": 4.5}, token)
        code = (await gql("CreateInvite", {}, tokens[0]))["createInvite"]["code"]
        await gql("AcceptInvite", {"code": code}, tokens[1])
        await asyncio.sleep(1.0)  # the link and the ratings reach the recommender

        cases: dict[str, Callable[[int], tuple[str, dict, str | None]]] = {
            "ForYou": lambda i: ("ForYou", {"first": 10 + i % FLUSH_EVERY}, tokens[0]),
            "Similar": lambda i: ("Similar", {"movieId": films[i], "first": 20}, None),
            "HiddenGems": lambda i: ("HiddenGems", {"movieId": films[i], "first": 20}, None),
            # the load test's texts (most name a genre), each with page sizes 10-29: no answer asked twice
            "Vibe": lambda i: ("Vibe", {"text": MOODS[i % len(MOODS)], "first": 10 + i // len(MOODS) % 20}, None),
            "Together": lambda i: ("Together", {"userIds": ids, "first": 10 + i % FLUSH_EVERY}, tokens[0]),
            "Me": lambda i: ("Me", {}, tokens[0]),
        }
        out: dict[str, dict] = {}
        for name, request in cases.items():
            await flush(redis)
            await gql(*request(n))  # warm: the document parsed and validated, the connections open
            before = {s: cpu_s(p) for s, p in pids.items()}
            started = time.perf_counter()
            for i in range(n):
                if i % FLUSH_EVERY == 0:
                    await flush(redis)
                await gql(*request(i))
            wall = time.perf_counter() - started
            after = {s: cpu_s(p) for s, p in pids.items()}
            out[name] = {"wall_ms_per_answer": round(wall / n * 1000, 1),
                         **{f"{s}_cpu_ms_per_answer": round((after[s] - before[s]) / n * 1000, 1) for s in pids}}
            print(name, json.dumps(out[name]), flush=True)
    await redis.aclose()
    return {"films_with_vectors": encoded, "answers": out}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=Path, default=REPO_ROOT / ".local")
    parser.add_argument("--gateway", help="default: the stack's own gateway")
    parser.add_argument("--redis", help="default: the stack's own Redis")
    parser.add_argument("--database", help="default: the stack's own PostgreSQL")
    parser.add_argument("-n", type=int, default=150, help="requests per document (default 150)")
    args = parser.parse_args()
    stack = Stack(args.base.resolve(), use_env_urls=False)
    pids = {s: int(stack.pidfile(s).read_text()) for s in SERVICES}
    gateway = args.gateway or f"http://127.0.0.1:{stack.ports['gateway']}"
    result = asyncio.run(measure(gateway, args.redis or stack.redis_url, args.database or stack.database_url,
                                 pids, args.n))
    report = {"cpu": cpu_model(), "cores": os.cpu_count(), "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "requests_per_document": args.n, "one_client": True, "gateway": gateway, **result}
    (REPO_ROOT / "reports").mkdir(exist_ok=True)
    (REPO_ROOT / "reports" / "gateway-cpu.json").write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
