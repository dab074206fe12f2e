"""Nearest films in the embedding spaces, straight from pgvector (`embedder.movie_vectors`, the
embedder's published read model; HNSW per axis, `hnsw.iterative_scan` on every connection, see
kit/db.py), or from the lists the embedder precomputes per film and axis (`embedder.movie_neighbours`).

Filters (popularity ceiling, films to leave out) are part of the vector query: with iterative scans
the index keeps scanning until LIMIT rows pass the filter, so a tight ceiling still yields the count
asked for, without fetching extra rows to filter afterwards.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from dataclasses import dataclass

import asyncpg
import numpy as np

from kit.errors import NotFound

AXES = ("story", "people", "style")


@dataclass(frozen=True, slots=True)
class Hit:
    movie_id: int
    similarity: float            # cosine similarity on the queried axis
    popularity_percentile: float


async def anchor_vectors(pool: asyncpg.Pool, movie_id: int) -> dict[str, np.ndarray]:
    row = await pool.fetchrow(
        "SELECT story, people, style, combined, has_people FROM embedder.movie_vectors WHERE movie_id = $1",
        movie_id)
    if row is None:
        raise NotFound(f"No film with id {movie_id} has been encoded yet.")
    out = {a: row[a].to_numpy() for a in (*AXES, "combined")}
    if not row["has_people"]:
        out.pop("people")
    return out


async def anchor(pool: asyncpg.Pool, movie_id: int) -> tuple[dict[str, np.ndarray], dict[str, list[int]]]:
    """An anchor film's vectors (anchor_vectors) and its precomputed nearest films (neighbour_lists), at once."""
    av, listed = await asyncio.gather(anchor_vectors(pool, movie_id), neighbour_lists(pool, movie_id))
    return av, listed


async def neighbour_lists(pool: asyncpg.Pool, movie_id: int) -> dict[str, list[int]]:
    """The film's nearest films per axis, most similar first, as the embedder keeps them
    (services/embedder/neighbours.py: exact, up to 200 each); an axis without a list yet is absent."""
    rows = await pool.fetch("SELECT axis, ids FROM embedder.movie_neighbours WHERE movie_id = $1", movie_id)
    return {r["axis"]: r["ids"] for r in rows}


async def nearest(pool: asyncpg.Pool, axis: str, query: np.ndarray, k: int, exclude: Collection[int] = (),
                  max_percentile: float | None = None) -> list[Hit]:
    """The k nearest films on one axis, never one of `exclude`, at most `max_percentile` popular."""
    assert axis in (*AXES, "combined")
    ceiling = 100.0 if max_percentile is None else max_percentile
    people_only = " AND has_people" if axis == "people" else ""
    rows = await pool.fetch(
        f"SELECT movie_id, 1 - ({axis} <=> $1) AS sim, popularity_percentile FROM embedder.movie_vectors"
        f" WHERE popularity_percentile <= $2 AND movie_id <> ALL($3::bigint[]){people_only}"
        f" ORDER BY {axis} <=> $1 LIMIT $4",
        query.astype(np.float32), ceiling, list(exclude), k,
    )
    return [Hit(r["movie_id"], float(r["sim"]), r["popularity_percentile"]) for r in rows]


async def similarities(pool: asyncpg.Pool, anchor: dict[str, np.ndarray], ids: Collection[int],
                       ) -> dict[int, dict[str, float]]:
    """Cosine similarity of each film in `ids` to the anchor on every axis the anchor has, computed in
    PostgreSQL (three floats per film come back instead of four 384-d vectors)."""
    axes = [a for a in AXES if a in anchor]
    cols = ", ".join(f"1 - ({a} <=> ${i + 2}) AS {a}" for i, a in enumerate(axes))
    rows = await pool.fetch(
        f"SELECT movie_id, has_people, {cols} FROM embedder.movie_vectors WHERE movie_id = ANY($1::bigint[])",
        list(ids), *(anchor[a].astype(np.float32) for a in axes))
    out = {}
    for r in rows:
        out[r["movie_id"]] = {a: float(r[a]) for a in axes if a != "people" or r["has_people"]}
    return out


async def nearest_among(pool: asyncpg.Pool, axis: str, query: np.ndarray, ids: Collection[int], k: int,
                        ) -> dict[int, float]:
    """The k encoded films of `ids` nearest to `query` on one axis, with their cosine similarity: an
    exact scan of those rows (no index), for candidate sets chosen by metadata, where an index scan
    with that filter would skip most of what it reads."""
    assert axis in (*AXES, "combined")
    people_only = " AND has_people" if axis == "people" else ""
    rows = await pool.fetch(
        f"SELECT movie_id, 1 - ({axis} <=> $1) AS sim FROM embedder.movie_vectors"
        f" WHERE movie_id = ANY($2::bigint[]){people_only} ORDER BY {axis} <=> $1 LIMIT $3",
        query.astype(np.float32), list(ids), k)
    return {r["movie_id"]: float(r["sim"]) for r in rows}


async def encoded_ids(pool: asyncpg.Pool) -> list[int]:
    return [r[0] for r in await pool.fetch("SELECT movie_id FROM embedder.movie_vectors")]
