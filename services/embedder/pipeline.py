"""From catalogue films to stored vectors: the one code path that the event consumer and the
backfill share.

For each film: build the axis texts, hash them with the model name, and encode only the axes whose
hash changed (a new film encodes all three; a changed overview only `story`; a vote-count change
none, it only refreshes the copied popularity). All texts of a batch are encoded in one call (the
encoder sorts them by length), off the event loop, then the batch is written in one transaction.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg
import numpy as np
from movierec.catalog.v1 import catalog_pb2 as pb

from services.embedder import axes, neighbours, store


@dataclass(frozen=True, slots=True)
class Job:
    movie: pb.Movie
    occurred_at: dt.datetime


@dataclass
class Result:
    films: int = 0
    texts_encoded: int = 0
    unchanged_films: int = 0


class Pipeline:
    def __init__(self, encoder, pool: asyncpg.Pool, batch_size: int = 32, lanes: int = 1,
                 keep_neighbours: bool = True) -> None:
        self.encoder = encoder
        self.pool = pool
        self.batch_size = batch_size
        # lanes > 1 (the backfill: one single-threaded encoder lane per core): the texts of one call are dealt
        # out to that many encodes running side by side. For throughput that beats one encode using every core.
        self.lanes = max(1, lanes)
        self._encode_lock = asyncio.Lock()  # one CPU-bound encode at a time; it uses every core already
        # The nearest-film lists follow each write (neighbours.update); a backfill turns this off and
        # rebuilds them all once at the end.
        self.keep_neighbours = keep_neighbours

    async def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.encoder.dimensions), dtype=np.float32)
        async with self._encode_lock:
            if self.lanes == 1 or len(texts) < 2 * self.batch_size:
                return await asyncio.to_thread(self.encoder.encode, texts, self.batch_size)
            # Dealt out by length, so every lane gets as many long texts (each lane sorts its own by tokens).
            order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
            shards = [order[k::self.lanes] for k in range(self.lanes)]
            parts = await asyncio.gather(*(asyncio.to_thread(self.encoder.encode, [texts[i] for i in shard],
                                                             self.batch_size) for shard in shards))
            out = np.empty((len(texts), self.encoder.dimensions), dtype=np.float32)
            for shard, vectors in zip(shards, parts, strict=True):
                out[shard] = vectors
            return out

    async def process(self, jobs: Sequence[Job]) -> Result:
        # The newest event per film wins within a batch.
        latest: dict[int, Job] = {}
        for j in jobs:
            if j.movie.id not in latest or j.occurred_at >= latest[j.movie.id].occurred_at:
                latest[j.movie.id] = j
        async with self.pool.acquire() as conn:
            existing = await store.load(conn, list(latest))
        # An event older than what is stored (a redelivery) changes nothing: do not even encode it.
        stale = [mid for mid, j in latest.items() if mid in existing and j.occurred_at < existing[mid].source_at]
        for mid in stale:
            del latest[mid]
        model = self.encoder.name
        todo: list[tuple[int, str, str]] = []           # (movie_id, axis, text)
        prepared: dict[int, tuple[axes.AxisTexts, dict[str, str]]] = {}
        for mid, job in latest.items():
            texts = axes.texts_for(job.movie)
            hashes = {a: axes.text_hash(model, texts.of(a)) for a in axes.AXES}
            prepared[mid] = (texts, hashes)
            old = existing.get(mid)
            for a in axes.AXES:
                if old is None or old.hashes[a] != hashes[a]:
                    todo.append((mid, a, texts.of(a)))
        vectors = await self.encode([t for _, _, t in todo])
        fresh: dict[int, dict[str, np.ndarray]] = {}
        for (mid, a, _), v in zip(todo, vectors, strict=True):
            fresh.setdefault(mid, {})[a] = v
        rows = []
        result = Result(films=len(latest) + len(stale), texts_encoded=len(todo), unchanged_films=len(stale))
        for mid, job in latest.items():
            texts, hashes = prepared[mid]
            changed = tuple(a for a in axes.AXES if a in fresh.get(mid, {}))
            if not changed:
                result.unchanged_films += 1
            encoded = fresh.get(mid, {})
            vecs = {a: encoded[a] if a in encoded else np.asarray(existing[mid].vectors[a], dtype=np.float32)
                    for a in axes.AXES}
            vecs["combined"] = axes.combine(vecs)
            m = job.movie
            rows.append(store.VectorRow(
                movie_id=mid, vectors=vecs, hashes=hashes, has_story=texts.has_story,
                has_people=texts.has_people, model=model, popularity_percentile=m.popularity_percentile,
                vote_count=m.vote_count, year=m.year if m.HasField("year") else None,
                source_at=job.occurred_at, changed_axes=changed,
            ))
        async with self.pool.acquire() as conn, conn.transaction():
            written = await store.write(conn, rows)
            if self.keep_neighbours:
                await neighbours.update(conn, {a: [r.movie_id for r in written if a in r.changed_axes]
                                               for a in neighbours.AXES})
        return result
