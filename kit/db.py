"""asyncpg pool with the pgvector codec registered where the extension exists.

Every connection to a database with pgvector also gets the HNSW query settings the project measured
(docs/measurements.md): `hnsw.ef_search` for recall, and `hnsw.iterative_scan = relaxed_order` so a
filtered vector query (e.g. popularity percentile <= 20) keeps scanning the index until it has
enough rows instead of returning fewer than asked (pgvector >= 0.8).
"""

from __future__ import annotations

import asyncpg
from pgvector.asyncpg import register_vector

HNSW_EF_SEARCH = 100
HNSW_MAX_SCAN_TUPLES = 20_000


async def _init_connection(conn: asyncpg.Connection) -> None:
    has_vector = await conn.fetchval("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector')")
    if has_vector:
        await register_vector(conn)
        await conn.execute(
            f"SET hnsw.ef_search = {HNSW_EF_SEARCH}; SET hnsw.iterative_scan = relaxed_order;"
            f" SET hnsw.max_scan_tuples = {HNSW_MAX_SCAN_TUPLES}"
        )


async def create_pool(dsn: str, min_size: int = 1, max_size: int = 10, **kwargs) -> asyncpg.Pool:
    return await asyncpg.create_pool(
        dsn, min_size=min_size, max_size=max_size, init=_init_connection, command_timeout=60, **kwargs
    )
