"""asyncpg pool with the pgvector codec registered where the extension exists.

Every connection also gets the HNSW query settings the project measured (docs/measurements.md):
`hnsw.ef_search` for recall, and `hnsw.iterative_scan = relaxed_order` so a filtered vector query
(e.g. popularity percentile <= 20) keeps scanning the index until it has enough rows instead of
returning fewer than asked (pgvector >= 0.8). They are connection start-up parameters, not SETs:
asyncpg runs RESET ALL when a connection goes back to the pool, which would drop a SET.
"""

from __future__ import annotations

from typing import TypeAlias

import asyncpg
from asyncpg.pool import PoolConnectionProxy
from pgvector.asyncpg import register_vector
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

# How long a caller should wait before retrying a call that failed because a store was down: a
# PostgreSQL restart takes 1-3 s here (make chaos), Redis and NATS reconnect every 0.5 s.
STORE_RETRY_AFTER_S = 2

# A connection as the code uses it: one from asyncpg.connect or one borrowed from a pool (a
# PoolConnectionProxy, which forwards every Connection method at run time but is a separate type in
# asyncpg's stubs). Functions that take "a connection" take this.
Conn: TypeAlias = "asyncpg.Connection[asyncpg.Record] | PoolConnectionProxy[asyncpg.Record]"

HNSW_SETTINGS = {
    "hnsw.ef_search": "100",
    "hnsw.iterative_scan": "relaxed_order",
    "hnsw.max_scan_tuples": "20000",
}


def one_row(row: asyncpg.Record | None) -> asyncpg.Record:
    """The row of a statement that always returns one (INSERT ... RETURNING, a row this transaction
    holds locked): asyncpg types every fetchrow as Optional. None here is a bug, raised as one."""
    if row is None:
        raise RuntimeError("the statement returned no row")
    return row


async def _init_connection(conn: asyncpg.Connection[asyncpg.Record]) -> None:
    has_vector = await conn.fetchval("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector')")
    if has_vector:
        await register_vector(conn)


async def create_pool(dsn: str, min_size: int = 1, max_size: int = 10, **kwargs) -> asyncpg.Pool:
    settings = {**HNSW_SETTINGS, **kwargs.pop("server_settings", {})}
    return await asyncpg.create_pool(
        dsn, min_size=min_size, max_size=max_size, init=_init_connection, command_timeout=60,
        server_settings=settings, **kwargs,
    )


# asyncpg's errors of a connection that is gone or cannot be made. Everything else from asyncpg
# (a constraint violation, a syntax error) is a bug or a domain case, not an outage.
_PG_CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,         # "the database system is starting up / shutting down" (make chaos)
    asyncpg.ConnectionDoesNotExistError,
    asyncpg.InterfaceError,                # "connection is closed", "pool is closing"
    asyncpg.AdminShutdownError,            # the server was told to stop (pg_ctl stop / restart)
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
)


def store_unavailable(exc: BaseException) -> bool:
    """True when `exc` says a store (PostgreSQL, Redis) is down or unreachable rather than that the
    request was wrong: the caller should get UNAVAILABLE with a retry hint, not INTERNAL. A refused
    or reset socket surfaces as OSError (ConnectionRefusedError while PostgreSQL restarts)."""
    return isinstance(exc, (*_PG_CONNECTION_ERRORS, RedisConnectionError, RedisTimeoutError, OSError))
