"""Embedder benchmark (`make bench-embed`): not a test, numbers for docs/measurements.md.

In one run:
1. the model: PyTorch fp32 vs ONNX fp32 vs ONNX int8 throughput on the same real catalogue texts,
   single-text latency, int8 drift (bench/embed_model.py);
2. the whole catalogue encoded (all axes) through the served pipeline, on a stack of its own;
3. HNSW recall@10 against exact search on those real vectors, and query latency, for several
   ef_search values, on every axis.
Writes reports/embed-bench.json.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

from bench.common import own_stack_ports
from devstack.stack import CATALOG, Stack
from kit import db
from kit.config import REPO_ROOT

PORTS, METRICS_BASE = own_stack_ports(31100)
AXES = ("story", "people", "style", "combined")
EF_SEARCH = (40, 100, 200)
QUERIES = 200


async def hnsw_recall(database_url: str) -> dict:
    """Recall@10 of the HNSW index against exact search, per axis and ef_search, queried the way the
    services query: the query vector as a parameter, ORDER BY distance, LIMIT."""
    pool = await db.create_pool(database_url, 1, 2)
    out: dict = {}
    try:
        ids = [r["movie_id"] for r in await pool.fetch(
            "SELECT movie_id FROM embedder.movie_vectors ORDER BY hashtext(movie_id::text) LIMIT $1", QUERIES)]
        for axis in AXES:
            queries = {r["movie_id"]: r[axis] for r in await pool.fetch(
                f"SELECT movie_id, {axis} FROM embedder.movie_vectors WHERE movie_id = ANY($1::bigint[])", ids)}
            sql = f"SELECT movie_id FROM embedder.movie_vectors ORDER BY {axis} <=> $1 LIMIT 11"
            async with pool.acquire() as conn:
                plan = "\n".join(r[0] for r in await conn.fetch(f"EXPLAIN {sql}", queries[ids[0]]))
                assert f"movie_vectors_{axis}_hnsw" in plan, plan  # measure the index, not a scan
                exact, exact_ms = {}, []
                # Its own statement text: asyncpg caches prepared statements, and a cached plan made
                # with index scans off would otherwise be reused for the HNSW runs below.
                exact_sql = sql + " -- exact"
                async with conn.transaction():
                    await conn.execute("SET LOCAL enable_indexscan = off")
                    for i in ids:
                        t = time.perf_counter()
                        exact[i] = [r[0] for r in await conn.fetch(exact_sql, queries[i]) if r[0] != i][:10]
                        exact_ms.append((time.perf_counter() - t) * 1000)
                axis_out: dict = {"exact_ms_p50": round(statistics.median(exact_ms), 2)}
                for ef in EF_SEARCH:
                    hits, ms = [], []
                    async with conn.transaction():
                        await conn.execute(f"SET LOCAL hnsw.ef_search = {ef}")
                        for i in ids:
                            t = time.perf_counter()
                            got = [r[0] for r in await conn.fetch(sql, queries[i]) if r[0] != i][:10]
                            ms.append((time.perf_counter() - t) * 1000)
                            hits.append(len(set(got) & set(exact[i])) / 10)
                    axis_out[f"ef{ef}"] = {"recall_at_10": round(statistics.fmean(hits), 4),
                                           "ms_p50": round(statistics.median(ms), 2)}
                out[axis] = axis_out
    finally:
        await pool.close()
    return out


def main() -> int:
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    reports = REPO_ROOT / "reports"
    reports.mkdir(exist_ok=True)
    subprocess.run([sys.executable, "-m", "bench.embed_model"], check=True, cwd=REPO_ROOT, env=env)
    result = json.loads((reports / "embed-model-bench.json").read_text())

    base = REPO_ROOT / ".local" / "bench-embed"
    stack = Stack(base, ports=dict(PORTS), metrics_base=METRICS_BASE, use_env_urls=False)
    stack.down()
    shutil.rmtree(base, ignore_errors=True)
    try:
        stack.up(load=True, services=(CATALOG,))  # infrastructure, catalogue; the embedder is not started
        stack.export_model()
        t = time.perf_counter()
        stack.run_module("-m", "services.embedder", "backfill")
        result["full_catalogue_s"] = round(time.perf_counter() - t, 1)
        result["hnsw"] = asyncio.run(hnsw_recall(stack.database_url))
    finally:
        stack.down()
    served = result["hnsw"]["combined"]
    result["hnsw_recall_at_10"] = min(result["hnsw"][a]["ef100"]["recall_at_10"] for a in AXES)
    result["hnsw_query_ms_p50"] = served["ef100"]["ms_p50"]
    result["exact_query_ms_p50"] = served["exact_ms_p50"]
    (reports / "embed-bench.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
