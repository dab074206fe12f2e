"""asyncpg pool with the pgvector codec registered where the extension exists.

Every connection also gets the HNSW query settings the project measured (docs/measurements.md):
`hnsw.ef_search` for recall, and `hnsw.iterative_scan = relaxed_order` so a filtered vector query
(e.g. popularity percentile <= 20) keeps scanning the index until it has enough rows instead of
returning fewer than asked (pgvector >= 0.8). They are connection start-up parameters, not SETs:
asyncpg runs RESET ALL when a connection goes back to the pool, which would drop a SET.
"""

from __future__ import annotations

import asyncpg
from pgvector.asyncpg import register_vector

HNSW_SETTINGS = {
    "hnsw.ef_search": "100",
    "hnsw.iterative_scan": "relaxed_order",
    "hnsw.max_scan_tuples": "20000",
}


async def _init_connection(conn: asyncpg.Connection) -> None:
    has_vector = await conn.fetchval("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector')")
    if has_vector:
        await register_vector(conn)


async def create_pool(dsn: str, min_size: int = 1, max_size: int = 10, **kwargs) -> asyncpg.Pool:
    settings = {**HNSW_SETTINGS, **kwargs.pop("server_settings", {})}
    return await asyncpg.create_pool(
        dsn, min_size=min_size, max_size=max_size, init=_init_connection, command_timeout=60,
        server_settings=settings, **kwargs,
    )
