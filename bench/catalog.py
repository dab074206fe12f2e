"""Catalogue and gateway benchmark (`make bench`): not a test, numbers for docs/measurements.md.

Starts its own stack (like the test run, other ports), then measures, in one run:
- ingest: a full load into an empty catalogue, and an unchanged re-run (idempotent path);
- search through gRPC, and through GraphQL uncached (every request a distinct cache key: the
  same queries with different `first`) and cached (the same request again);
- batched film look-ups through gRPC.
Writes reports/catalog-bench.json.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from pathlib import Path

import grpc
import httpx
from movierec.catalog.v1 import catalog_pb2 as pb
from movierec.catalog.v1 import catalog_pb2_grpc

from bench.common import data_dir, own_stack_ports, pct, run_on_own_stack, timed
from devstack.stack import CATALOG, GATEWAY, Stack
from kit import db
from services.catalog.ingest.loader import ingest

PORTS, METRICS_BASE = own_stack_ports(31000)
QUERIES = ["godfather", "the godfather", "jurasic park", "harry potter", "star wars", "amelie", "love",
           "space", "interstelar", "the dark knight", "toy story", "alien", "a", "matrix", "zombie", ""]
ROUNDS = 10


async def measure(stack: Stack, data_dir: Path) -> dict:
    out: dict = {"machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                             "cpu": platform.processor() or platform.machine()}}
    pool = await db.create_pool(stack.database_url, 1, 4)
    await pool.execute("TRUNCATE catalog.movies, catalog.outbox, catalog.movielens_links CASCADE")
    t = time.perf_counter()
    first = await ingest(pool, data_dir)
    out["ingest_full_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    again = await ingest(pool, data_dir)
    out["ingest_unchanged_s"] = round(time.perf_counter() - t, 2)
    out["films"] = first.films_in_sources
    assert again.created == again.updated == 0

    async with grpc.aio.insecure_channel(stack.addr("catalog")) as ch:
        stub = catalog_pb2_grpc.CatalogServiceStub(ch)
        for q in QUERIES:  # warm up
            await stub.SearchMovies(pb.SearchMoviesRequest(query=q, page_size=20))
        lat = [await timed(lambda q=q: stub.SearchMovies(pb.SearchMoviesRequest(query=q, page_size=20)))
               for _ in range(ROUNDS) for q in QUERIES]
        out["grpc_search_ms"] = {"p50": pct(lat, 0.5), "p95": pct(lat, 0.95), "n": len(lat)}
        ids = [r["id"] for r in await pool.fetch("SELECT id FROM catalog.movies ORDER BY random() LIMIT 2000")]
        lat = [await timed(lambda i=i: stub.BatchGetMovies(pb.BatchGetMoviesRequest(ids=ids[i:i + 20])))
               for i in range(0, 2000, 20)]
        out["grpc_batch_get_20_ms"] = {"p50": pct(lat, 0.5), "p95": pct(lat, 0.95), "n": len(lat)}

    doc = ("query($q: String!, $n: Int) { searchMovies(query: $q, first: $n) {"
           " totalCount edges { node { id title year genres directors { name } } } } }")
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{stack.ports['gateway']}") as c:
        async def gql(q: str, n: int) -> None:
            r = await c.post("/graphql", json={"query": doc, "variables": {"q": q, "n": n}})
            assert r.status_code == 200 and "errors" not in r.json(), r.text

        uncached = [await timed(lambda q=q, n=n: gql(q, n)) for n in range(1, ROUNDS + 1) for q in QUERIES]
        cached = [await timed(lambda q=q: gql(q, 1)) for _ in range(ROUNDS) for q in QUERIES]
        for name, xs in (("uncached", uncached), ("cached", cached)):
            out[f"graphql_search_{name}_ms"] = {"p50": pct(xs, 0.5), "p95": pct(xs, 0.95), "n": len(xs)}
        out["cached_speedup_p50"] = round(statistics.median(uncached) / statistics.median(cached), 1)
    await pool.close()
    return out


def main() -> int:
    # no embedder: it would encode during the run
    return run_on_own_stack("catalog-bench", PORTS, METRICS_BASE, lambda stack: measure(stack, data_dir()),
                            up={"load": False, "services": (CATALOG, GATEWAY)})


if __name__ == "__main__":
    raise SystemExit(main())
