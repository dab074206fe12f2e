"""Reading and writing film vectors (schema `embedder`)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg
import numpy as np
from google.protobuf.timestamp_pb2 import Timestamp
from movierec.embedder.v1 import events_pb2

from kit import outbox

SCHEMA = "embedder"
EMBEDDED_SUBJECT = "embedder.movie.embedded"


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


async def load(conn: asyncpg.Connection, ids: Sequence[int]) -> dict[int, Stored]:
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


async def write(conn: asyncpg.Connection, rows: Sequence[VectorRow]) -> list[VectorRow]:
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
