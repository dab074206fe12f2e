"""Content side of the taste models: every film's `combined` embedding (embedder.movie_vectors) in memory,
with the catalogue facts the rankings need (popularity percentile, vote count, rating score, year,
title, genres)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.stats import rankdata

LOAD_SQL = """
SELECT v.movie_id, v.combined, m.popularity_percentile, m.vote_count, m.rating_score, m.year, m.title,
       coalesce((SELECT array_agg(g.name ORDER BY mg.ord) FROM catalog.movie_genres mg
                 JOIN catalog.genres g ON g.id = mg.genre_id WHERE mg.movie_id = v.movie_id), '{}') AS genres
FROM embedder.movie_vectors v
JOIN catalog.movies m ON m.id = v.movie_id
ORDER BY v.movie_id
"""

NEUTRAL_RATING = 3.0   # the centre used when a user's ratings do not vary (all 5s: all liked)


def _rank01(x: np.ndarray) -> np.ndarray:
    """Ranks scaled to [0, 1] (ties share the average rank); 1 = highest."""
    n = len(x)
    if n <= 1:
        return np.ones(n, dtype=np.float32)
    return ((rankdata(x, method="average") - 1.0) / (n - 1)).astype(np.float32)


@dataclass
class ContentIndex:
    movie_ids: np.ndarray                 # int64, n
    vectors: np.ndarray                   # float32, n x d, L2-normalised
    popularity_percentile: np.ndarray     # float32, 0-100 (100 = most popular)
    vote_count: np.ndarray                # int64
    rating_score: np.ndarray              # float32, Bayesian vote-count-aware rating 0-10
    years: np.ndarray | None = None       # int64 (0 = unknown)
    titles: Sequence[str] | None = None
    genres: Sequence[Sequence[str]] | None = None
    _index: dict[int, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.movie_ids = np.asarray(self.movie_ids, dtype=np.int64)
        v = np.asarray(self.vectors, dtype=np.float32)
        norms = np.linalg.norm(v, axis=1, keepdims=True)
        self.vectors = v / np.where(norms > 0, norms, 1.0)
        self.popularity_percentile = np.asarray(self.popularity_percentile, dtype=np.float32)
        self.vote_count = np.asarray(self.vote_count, dtype=np.int64)
        self.rating_score = np.asarray(self.rating_score, dtype=np.float32)
        n = len(self.movie_ids)
        if self.years is None:
            self.years = np.zeros(n, dtype=np.int64)
        if self.titles is None:
            self.titles = [str(m) for m in self.movie_ids]
        if self.genres is None:
            self.genres = [[] for _ in range(n)]
        self._index = {int(m): i for i, m in enumerate(self.movie_ids)}
        # vote-count-aware quality in [0, 1]: rank of the Bayesian rating score
        self.quality = _rank01(self.rating_score)
        self._pos_cache: dict[int, np.ndarray] = {}

    @classmethod
    async def load(cls, pool) -> ContentIndex:
        """From PostgreSQL (a `kit.db.create_pool` pool: the pgvector codec decodes `combined`)."""
        async with pool.acquire() as conn:
            rows = await conn.fetch(LOAD_SQL)
        if not rows:
            raise RuntimeError("embedder.movie_vectors is empty: run the embedder backfill first")
        return cls(
            movie_ids=np.array([r["movie_id"] for r in rows], dtype=np.int64),
            vectors=np.stack([np.asarray(r["combined"].to_numpy() if hasattr(r["combined"], "to_numpy")
                                         else r["combined"], dtype=np.float32) for r in rows]),
            popularity_percentile=np.array([r["popularity_percentile"] for r in rows], dtype=np.float32),
            vote_count=np.array([r["vote_count"] for r in rows], dtype=np.int64),
            rating_score=np.array([r["rating_score"] for r in rows], dtype=np.float32),
            years=np.array([r["year"] or 0 for r in rows], dtype=np.int64),
            titles=[r["title"] for r in rows],
            genres=[list(r["genres"]) for r in rows],
        )

    def __len__(self) -> int:
        return len(self.movie_ids)

    def index_of(self, movie_id: int) -> int | None:
        return self._index.get(int(movie_id))

    def positions(self, movie_ids: np.ndarray) -> np.ndarray:
        """Positions of `movie_ids` in this index, -1 for films without vectors."""
        return np.array([self._index.get(int(m), -1) for m in movie_ids], dtype=np.int64)

    def positions_cached(self, key: int, movie_ids: np.ndarray) -> np.ndarray:
        pos = self._pos_cache.get(key)
        if pos is None or len(pos) != len(movie_ids):
            pos = self.positions(movie_ids)
            self._pos_cache[key] = pos
        return pos

    def weights(self, history: Mapping[int, float]) -> dict[int, float]:
        """Per rated film: rating minus the user's mean (liked films pull, disliked ones push). When the
        ratings do not vary, the centre is NEUTRAL_RATING, so a user of only 5s still has a taste."""
        known = {int(m): float(v) for m, v in history.items() if int(m) in self._index}
        if not known:
            return {}
        values = np.array(list(known.values()))
        centre = float(values.mean()) if len(values) >= 3 and values.std() > 1e-6 else NEUTRAL_RATING
        return {m: v - centre for m, v in known.items()}

    def profile(self, history: Mapping[int, float]) -> np.ndarray | None:
        """Normalised weighted mean of the rated films' vectors; None without a usable rated film."""
        w = self.weights(history)
        if not w:
            return None
        pos = np.array([self._index[m] for m in w], dtype=np.int64)
        wv = np.array(list(w.values()), dtype=np.float32)
        p = wv @ self.vectors[pos]
        norm = float(np.linalg.norm(p))
        if norm < 1e-9:
            return None
        return (p / norm).astype(np.float32)

    def scores(self, profile: np.ndarray) -> np.ndarray:
        """Cosine of every film to the profile."""
        return self.vectors @ profile

    def liked_neighbours(self, history: Mapping[int, float], movie_id: int, top: int = 3) -> list[int]:
        """The liked (above the user's centre) rated films closest to `movie_id`."""
        i = self._index.get(int(movie_id))
        if i is None:
            return []
        liked = [m for m, w in self.weights(history).items() if w > 0]
        if not liked:
            return []
        pos = np.array([self._index[m] for m in liked], dtype=np.int64)
        sims = self.vectors[pos] @ self.vectors[i]
        order = np.argsort(-sims, kind="stable")[:top]
        return [liked[j] for j in order]
