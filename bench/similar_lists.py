"""More like this and anchored Hidden gems with and without the precomputed nearest-film lists (`make
bench-similar`): paired, one run.

The recommender answers both from each anchor's lists (`embedder.movie_neighbours`) and falls back to an HNSW
query per axis where an anchor has none (or, for gems, too few of a list are under the ceiling). This
benchmark times both on the same stack, each zone in four turns (lists, index, lists, index); for the "index"
turns it moves every list aside (into `embedder.movie_neighbours_aside`) and puts them back after. Each turn:
cold gRPC `Similar` or `HiddenGems` (ceiling 60, as `make bench-recs` asks them) calls straight to the
recommender, the 200 films with the most votes as anchors, page sizes 20-24 so no request repeats (the
answer caches emptied first); from 20 concurrent clients and then from one client; their
p50 / p95 and the recommender's CPU milliseconds per answer (/proc/<pid>/stat). The one-client requests are the
same in every turn: how much of their top 10 the two sources share is reported too.

Runs against a stack that is up: `make up`'s by default, another with `--base`, or with `--test-stack` the one a
`TEST_STACK_KEEP=1` test run left up. Writes reports/similar-lists.json.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import itertools
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

import asyncpg
import grpc
from movierec.recommender.v1 import recommender_pb2 as pb
from movierec.recommender.v1 import recommender_pb2_grpc
from redis.asyncio import Redis

from bench.common import cpu_model, pct
from bench.gateway_cpu import cpu_s, flush
from bench.recs import run_clients
from devstack.stack import Stack
from kit import auth
from kit.config import REPO_ROOT

ANCHORS, PAGE_SIZES = 200, range(20, 25)
GEM_CEILING = 60.0   # Hidden gems anchored on a film, as `make bench-recs` asks them


async def lists_aside(conn: asyncpg.Connection, aside: bool) -> int:
    """Move every list into movie_neighbours_aside (aside) or back; returns the lists now served."""
    async with conn.transaction():
        if aside:
            await conn.execute("CREATE TABLE embedder.movie_neighbours_aside AS TABLE embedder.movie_neighbours")
            await conn.execute("DELETE FROM embedder.movie_neighbours")
        elif await conn.fetchval("SELECT to_regclass('embedder.movie_neighbours_aside') IS NOT NULL"):
            await conn.execute("INSERT INTO embedder.movie_neighbours SELECT * FROM embedder.movie_neighbours_aside"
                               " ON CONFLICT DO NOTHING")
            await conn.execute("DROP TABLE embedder.movie_neighbours_aside")
    return await conn.fetchval("SELECT count(*) FROM embedder.movie_neighbours")


async def measure_zone(stack: Stack, conn: asyncpg.Connection, redis: Redis, zone: str, call, films: list[int],
                       n: int, one: int) -> dict:
    """The four turns of one zone: `call(movie_id, first)` makes one cold request."""
    pid = int(stack.pidfile("recommender").read_text())
    requests = list(itertools.product(films, PAGE_SIZES))
    turns: list[dict[str, Any]] = []
    tops: dict[str, dict[tuple[int, int], list[int]]] = {}  # the one-client answers' top 10, by source
    await call(films[0], 19)  # warm
    for turn, source in enumerate(("lists", "index", "lists", "index")):
        served = await lists_aside(conn, source == "index")
        await flush(redis)
        batch = requests[(turn * n) % len(requests):][:n]
        cpu0 = cpu_s(pid)
        many = await run_clients([functools.partial(call, *r) for r in batch])
        cpu1 = cpu_s(pid)
        await flush(redis)
        alone = []
        for r in requests[::7][:one]:
            t = time.perf_counter()
            answer = await call(*r)
            alone.append((time.perf_counter() - t) * 1000)
            tops.setdefault(source, {})[r] = [x.movie_id for x in answer.items[:10]]
        row = {"turn": turn + 1, "source": source, "lists_served": served,
               "clients_20": {"p50_ms": round(pct(many, 0.5), 1), "p95_ms": round(pct(many, 0.95), 1)},
               "one_client": {"p50_ms": round(pct(alone, 0.5), 1), "p95_ms": round(pct(alone, 0.95), 1)},
               "recommender_cpu_ms_per_answer": round((cpu1 - cpu0) / len(many) * 1000, 2)}
        print(zone, json.dumps(row), flush=True)
        turns.append(row)
    await lists_aside(conn, False)

    def median_of(source: str, part: str, key: str) -> float:
        return statistics.median(t[part][key] for t in turns if t["source"] == source)

    ratios = {f"{part}_{key}": round(median_of("index", part, key) / median_of("lists", part, key), 2)
              for part in ("clients_20", "one_client") for key in ("p50_ms", "p95_ms")}
    cpu = [statistics.median(t["recommender_cpu_ms_per_answer"] for t in turns if t["source"] == s)
           for s in ("index", "lists")]
    ratios["recommender_cpu_per_answer"] = round(cpu[0] / cpu[1], 2)
    same = [len(set(tops["lists"][r]) & set(tops["index"][r])) / 10 for r in tops["lists"]]
    return {"top10_shared_lists_index": {"mean": round(statistics.mean(same), 3),
                                         "identical": sum(tops["lists"][r] == tops["index"][r] for r in tops["lists"]),
                                         "of": len(same)},
            "turns": turns, "index_over_lists": ratios}


async def measure(stack: Stack, n: int, one: int) -> dict:
    conn = await asyncpg.connect(stack.database_url)
    redis = Redis.from_url(stack.redis_url)
    films = [r[0] for r in await conn.fetch(
        "SELECT movie_id FROM embedder.movie_vectors ORDER BY vote_count DESC, movie_id LIMIT $1", ANCHORS)]
    encoded = await conn.fetchval("SELECT count(*) FROM embedder.movie_vectors")
    out: dict[str, Any] = {"films_with_vectors": encoded, "requests_per_turn": n, "one_client_requests": one,
                           "gem_ceiling": GEM_CEILING, "zones": {}}
    try:
        async with grpc.aio.insecure_channel(stack.addr("recommender")) as ch:
            stub = recommender_pb2_grpc.RecommenderServiceStub(ch)
            md = auth.call_metadata(auth.load_internal_token(stack.base / "secrets"), None)
            zones = {
                "similar": lambda m, f: stub.Similar(pb.SimilarRequest(movie_id=m, first=f), metadata=md, timeout=60),
                "hidden_gems": lambda m, f: stub.HiddenGems(pb.HiddenGemsRequest(
                    movie_id=m, first=f, max_popularity_percentile=GEM_CEILING), metadata=md, timeout=60),
            }
            for zone, call in zones.items():
                out["zones"][zone] = await measure_zone(stack, conn, redis, zone, call, films, n, one)
    finally:
        await lists_aside(conn, False)
        await conn.close()
        await redis.aclose()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=Path, default=REPO_ROOT / ".local")
    parser.add_argument("--test-stack", action="store_true", help="the test stack a TEST_STACK_KEEP=1 run left up")
    parser.add_argument("-n", type=int, default=400, help="requests per turn from 20 clients (default 400)")
    parser.add_argument("--one", type=int, default=60, help="requests per turn from one client (default 60)")
    args = parser.parse_args()
    if args.test_stack:
        from tests.conftest import TEST_BASE, TEST_PORTS

        stack = Stack(TEST_BASE, ports=dict(TEST_PORTS), use_env_urls=False)
    else:
        stack = Stack(args.base.resolve(), use_env_urls=False)
    result = asyncio.run(measure(stack, args.n, args.one))
    report = {"cpu": cpu_model(), "cores": os.cpu_count(), "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "stack": str(stack.base), **result}
    (REPO_ROOT / "reports").mkdir(exist_ok=True)
    (REPO_ROOT / "reports" / "similar-lists.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps({z: r["index_over_lists"] for z, r in result["zones"].items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
