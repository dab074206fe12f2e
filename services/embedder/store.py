"""Reading and writing film vectors (schema `embedder`)."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

import asyncpg
import numpy as np
from google.protobuf.timestamp_pb2 import Timestamp
from movierec.embedder.v1 import events_pb2

from kit import outbox
from kit.db import Conn

SCHEMA = "embedder"
EMBEDDED_SUBJECT = "embedder.movie.embedded"
# The HNSW indexes of migration 0001 (cosine, m 16, ef_construction 64): `bulk_load` drops and rebuilds them.
VECTOR_COLUMNS = ("story", "people", "style", "combined")
HNSW_M = 16
HNSW_EF_CONSTRUCTION = 64
INDEX_DDL_LOCK = "embedder.movie_vectors.hnsw"   # advisory lock name: one index drop/build at a time


@dataclass(frozen=True, slots=True)
class Stored:
    hashes: dict[str, str]
    vectors: dict[str, np.ndarray]
    source_at: dt.datetime


@dataclass(frozen=True, slots=True)
class VectorRow:
    movie_id: int
    vectors: dict[str, np.ndarray]        # story, people, style, combined
    hashes: dict[str, str]                # story, people, style
    has_story: bool
    has_people: bool
    model: str
    popularity_percentile: float
    vote_count: int
    year: int | None
    source_at: dt.datetime
    changed_axes: tuple[str, ...]         # axes re-encoded by this write (for the event)


async def load(conn: Conn, ids: Sequence[int]) -> dict[int, Stored]:
    rows = await conn.fetch(
        "SELECT movie_id, story, people, style, story_hash, people_hash, style_hash, source_at"
        " FROM embedder.movie_vectors WHERE movie_id = ANY($1::bigint[])", list(ids),
    )
    return {
        r["movie_id"]: Stored(
            hashes={a: r[f"{a}_hash"] for a in ("story", "people", "style")},
            vectors={a: r[a].to_numpy() for a in ("story", "people", "style")},
            source_at=r["source_at"],
        )
        for r in rows
    }


UPSERT_SQL = """
INSERT INTO embedder.movie_vectors (movie_id, story, people, style, combined, story_hash, people_hash, style_hash,
    has_story, has_people, model, popularity_percentile, vote_count, year, source_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, now())
ON CONFLICT (movie_id) DO UPDATE SET
    story = excluded.story, people = excluded.people, style = excluded.style, combined = excluded.combined,
    story_hash = excluded.story_hash, people_hash = excluded.people_hash, style_hash = excluded.style_hash,
    has_story = excluded.has_story, has_people = excluded.has_people, model = excluded.model,
    popularity_percentile = excluded.popularity_percentile, vote_count = excluded.vote_count,
    year = excluded.year, source_at = excluded.source_at, updated_at = now()
WHERE embedder.movie_vectors.source_at <= excluded.source_at
RETURNING movie_id
"""


async def write(conn: Conn, rows: Sequence[VectorRow]) -> list[VectorRow]:
    """Upsert rows and, for those written, their MovieEmbedded events, in the caller's transaction.
    An older event (redelivered after a newer one) never overwrites a newer state (`source_at`
    guard); returns the rows actually written."""
    if not rows:
        return []
    written = []
    for r in rows:  # one statement per film: RETURNING says which upserts the guard let through
        mid = await conn.fetchval(
            UPSERT_SQL, r.movie_id, r.vectors["story"], r.vectors["people"], r.vectors["style"],
            r.vectors["combined"], r.hashes["story"], r.hashes["people"], r.hashes["style"], r.has_story,
            r.has_people, r.model, r.popularity_percentile, r.vote_count, r.year, r.source_at)
        if mid is not None:
            written.append(r)
    now = Timestamp()
    now.GetCurrentTime()
    events = []
    for r in written:
        if r.changed_axes:
            ev = events_pb2.MovieEmbedded(movie_id=r.movie_id, axes=list(r.changed_axes), model=r.model,
                                          occurred_at=now)
            events.append((str(uuid.uuid4()), EMBEDDED_SUBJECT, ev))
    await outbox.enqueue_many(conn, SCHEMA, events)
    return written


async def count(pool: asyncpg.Pool, model: str | None = None) -> int:
    return await pool.fetchval(
        "SELECT count(*) FROM embedder.movie_vectors WHERE $1::text IS NULL OR model = $1", model)


def hnsw_index_name(column: str) -> str:
    return f"movie_vectors_{column}_hnsw"


async def missing_vector_indexes(conn: Conn) -> list[str]:
    """The vector columns whose HNSW index does not exist."""
    have = {r["indexname"] for r in await conn.fetch(
        "SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = 'movie_vectors'", SCHEMA)}
    return [c for c in VECTOR_COLUMNS if hnsw_index_name(c) not in have]


async def create_vector_indexes(conn: Conn) -> list[str]:
    """Build the HNSW indexes that are missing, as migration 0001 defines them; returns their columns."""
    if not await missing_vector_indexes(conn):
        return []
    async with _index_ddl_lock(conn):
        missing = await missing_vector_indexes(conn)
        async with conn.transaction():
            # Room to build the graph in memory (past maintenance_work_mem pgvector builds on disk, slowly).
            await conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for c in missing:
                await conn.execute(
                    f"CREATE INDEX {hnsw_index_name(c)} ON {SCHEMA}.movie_vectors USING hnsw"
                    f" ({c} vector_cosine_ops) WITH (m = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION})")
    return missing


@contextlib.asynccontextmanager
async def _index_ddl_lock(conn: Conn) -> AsyncIterator[None]:
    await conn.execute("SELECT pg_advisory_lock(hashtext($1))", INDEX_DDL_LOCK)
    try:
        yield
    finally:
        await conn.execute("SELECT pg_advisory_unlock(hashtext($1))", INDEX_DDL_LOCK)


@contextlib.asynccontextmanager
async def bulk_load(pool: asyncpg.Pool) -> AsyncIterator[bool]:
    """Around a backfill: into an empty table, write without the HNSW indexes and build them once at
    the end (pgvector's advice for an initial load: for the test stack's 10,717 films, inserting film by
    film into the four HNSW graphs cost about 90 s in PostgreSQL, building them afterwards about 8 s).
    Into a table that has rows nothing changes, except that indexes a killed backfill left missing are
    built first. Yields whether the indexes were dropped; until they are back, queries scan exactly."""
    async with pool.acquire() as conn, _index_ddl_lock(conn):
        empty = not await conn.fetchval(f"SELECT EXISTS (SELECT 1 FROM {SCHEMA}.movie_vectors)")
        if empty:
            for c in VECTOR_COLUMNS:
                await conn.execute(f"DROP INDEX IF EXISTS {SCHEMA}.{hnsw_index_name(c)}")
        else:
            await create_vector_indexes(conn)   # the lock is re-entrant within a session
    try:
        yield empty
    finally:
        async with pool.acquire() as conn:
            await create_vector_indexes(conn)
