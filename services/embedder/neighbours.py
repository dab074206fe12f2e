"""Each film's nearest films on each axis (story, people, style), precomputed: `embedder.movie_neighbours`,
one row per film and axis with the LIST_LENGTH most similar films, most similar first, and their cosine
similarities. More like this reads the anchor's rows instead of running an HNSW query per axis
(services/recommender/vectors.py: `neighbour_lists`).

The lists are exact, not approximate, and stay exact as vectors change, computed in numpy from the whole
axis matrix (one read of the axis's vectors, then matrix products in blocks of BLOCK films):
- `rebuild`: every list, after a backfill.
- `update`: in the transaction that writes changed vectors, so the lists never lag them. It computes again
  the lists of the changed films and of every film whose list could differ now: one that lists a changed
  film, or one to which a changed film is now at least as similar as its list's last film
  (`affected`). Every other list is still exact: its films and their similarities did not change, and no
  changed film climbed into it.
On the people axis only films with a cast or crew text (has_people) take part, as in the HNSW queries.
A transaction advisory lock lets one writer change the lists at a time. The arithmetic runs in a thread, off
the event loop that also answers EncodeText.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Sequence

import numpy as np

from kit.db import Conn
from kit.logging import get_logger

log = get_logger(__name__)

AXES = ("story", "people", "style")
LIST_LENGTH = 200      # films kept per list: More like this needs max(80, 3k) after the user's exclusions
BLOCK = 1024           # films per matrix product (1,024 x 15,834 floats: 65 MB)
LOCK = "embedder.movie_neighbours"


def top_similar(query: np.ndarray, query_ids: np.ndarray, matrix: np.ndarray, ids: np.ndarray,
                k: int = LIST_LENGTH) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each row of `query` (unit vectors), the k rows of `matrix` (unit vectors) with the highest cosine
    similarity, never the query's own film: (ids, similarities), most similar first."""
    k = min(k, len(ids) - 1)
    if k <= 0:
        return [(ids[:0], np.zeros(0, np.float32)) for _ in range(len(query))]
    out = []
    for start in range(0, len(query), BLOCK):
        sims = query[start:start + BLOCK] @ matrix.T
        sims[query_ids[start:start + BLOCK, None] == ids[None, :]] = -np.inf
        best = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        for row, cols in zip(sims, best, strict=True):
            cols = cols[np.argsort(-row[cols], kind="stable")]
            cols = cols[np.isfinite(row[cols])]
            out.append((ids[cols], row[cols].astype(np.float32)))
    return out


def unit(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return (m / np.where(norms == 0, 1.0, norms)).astype(np.float32)


def affected(changed_rows: np.ndarray, matrix: np.ndarray, ids: np.ndarray,
             lists: Sequence[tuple[int, bool, float | None]]) -> set[int]:
    """The films whose list may differ once the films at `changed_rows` of `matrix` changed: (film, its list
    names a changed film, its list's last similarity or None for an empty list) for each stored list."""
    best = np.full(len(ids), -np.inf, dtype=np.float32)
    for start in range(0, len(changed_rows), BLOCK):
        best = np.maximum(best, (matrix[changed_rows[start:start + BLOCK]] @ matrix.T).max(axis=0))
    where = {mid: i for i, mid in enumerate(ids.tolist())}
    out = {int(ids[i]) for i in changed_rows}
    for mid, names_changed, floor in lists:
        i = where.get(mid)
        if i is not None and (names_changed or floor is None or best[i] >= floor):
            out.add(mid)
    return out


async def _lock(conn: Conn) -> None:
    await conn.execute("SELECT pg_advisory_xact_lock(hashtext($1))", LOCK)


async def _axis_matrix(conn: Conn, axis: str) -> tuple[np.ndarray, np.ndarray]:
    """(film ids, unit vectors) of every film on the axis, by id."""
    people_only = " WHERE has_people" if axis == "people" else ""
    rows = await conn.fetch(f"SELECT movie_id, {axis} FROM embedder.movie_vectors{people_only} ORDER BY movie_id")
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    if not rows:
        return ids, np.zeros((0, 0), np.float32)
    return ids, await asyncio.to_thread(lambda: unit(np.stack([r[1].to_numpy() for r in rows])))


async def _write(conn: Conn, axis: str, films: np.ndarray, lists: list[tuple[np.ndarray, np.ndarray]]) -> None:
    await conn.copy_records_to_table(
        "movie_neighbours", schema_name="embedder", columns=["movie_id", "axis", "ids", "sims"],
        records=[(mid, axis, nids.tolist(), sims.tolist())
                 for mid, (nids, sims) in zip(films.tolist(), lists, strict=True)])


async def rebuild(conn: Conn) -> int:
    """Every list from the vectors, in the caller's transaction (the old lists stay readable until it
    commits). Returns the lists written."""
    t0 = time.perf_counter()
    await _lock(conn)
    await conn.execute("DELETE FROM embedder.movie_neighbours")
    written = 0
    for axis in AXES:
        ids, m = await _axis_matrix(conn, axis)
        await _write(conn, axis, ids, await asyncio.to_thread(top_similar, m, ids, m, ids))
        written += len(ids)
    log.info("neighbours_rebuilt", lists=written, seconds=round(time.perf_counter() - t0, 2))
    return written


async def missing(conn: Conn) -> bool:
    """Whether a film with vectors has no story list (a table from before the lists, or a killed rebuild)."""
    return bool(await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM embedder.movie_vectors v WHERE NOT EXISTS"
        " (SELECT 1 FROM embedder.movie_neighbours n WHERE n.movie_id = v.movie_id AND n.axis = 'story'))"))


async def update(conn: Conn, changed: dict[str, Iterable[int]]) -> int:
    """Keep the lists exact after the films in `changed` (axis -> films whose vector on it changed, or that
    left it) were written in this transaction. Returns the lists computed again."""
    todo = {a: sorted(set(films)) for a, films in changed.items() if a in AXES and films}
    if not todo:
        return 0
    t0 = time.perf_counter()
    await _lock(conn)
    written = 0
    for axis, films in todo.items():
        ids, m = await _axis_matrix(conn, axis)
        rows = np.flatnonzero(np.isin(ids, films))
        lists = [tuple(r) for r in await conn.fetch(
            "SELECT movie_id, ids && $2::bigint[] AS names_changed, sims[cardinality(sims)] AS floor"
            " FROM embedder.movie_neighbours WHERE axis = $1", axis, films)]
        redo = np.array(sorted(await asyncio.to_thread(affected, rows, m, ids, lists)), dtype=np.int64)
        gone = sorted(set(films) - set(ids[rows].tolist()))  # no longer stored, or off this axis
        await conn.execute("DELETE FROM embedder.movie_neighbours WHERE axis = $1 AND movie_id = ANY($2::bigint[])",
                           axis, [*gone, *redo.tolist()])
        if len(redo):
            found = await asyncio.to_thread(top_similar, m[np.searchsorted(ids, redo)], redo, m, ids)
            await _write(conn, axis, redo, found)
        written += len(redo)
    log.info("neighbours_updated", films=sum(map(len, todo.values())), lists=written,
             seconds=round(time.perf_counter() - t0, 2))
    return written
