"""Content side of the taste models: every film's `combined` embedding (embedder.movie_vectors, the
embedder's published read model) in memory, laid out with the facts the rankings need, taken from
the film store (films.py, the catalogue's API): popularity percentile, votes, average, the
vote-count-aware rating (quality.py), year, title, genres."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np
from scipy.stats import rankdata

from services.recommender import quality

LOAD_SQL = "SELECT movie_id, combined FROM embedder.movie_vectors ORDER BY movie_id"

NEUTRAL_RATING = 3.0   # the centre used when a user's ratings do not vary (all 5s: all liked)


def rank01(x: np.ndarray) -> np.ndarray:
    """Ranks scaled to [0, 1] (ties share the average rank); 1 = highest."""
    n = len(x)
    if n <= 1:
        return np.ones(n, dtype=np.float32)
    return ((rankdata(x, method="average") - 1.0) / (n - 1)).astype(np.float32)


@dataclass(init=False)
class ContentIndex:
    movie_ids: np.ndarray                 # int64, n
    vectors: np.ndarray                   # float32, n x d, L2-normalised
    popularity_percentile: np.ndarray     # float32, 0-100 (100 = most popular)
    vote_count: np.ndarray                # int64
    rating_score: np.ndarray              # float32, Bayesian vote-count-aware rating 0-10
    years: np.ndarray                     # int64 (0 = unknown)
    titles: Sequence[str]
    genres: Sequence[Sequence[str]]
    vote_average: np.ndarray              # float32, TMDb average 0-10
    _index: dict[int, int] = field(default_factory=dict, repr=False)

    # An explicit __init__ (not the dataclass's): what is optional to pass is always set afterwards, so the
    # attributes are typed without None.
    def __init__(self, movie_ids: np.ndarray, vectors: np.ndarray, popularity_percentile: np.ndarray,
                 vote_count: np.ndarray, rating_score: np.ndarray, years: np.ndarray | None = None,
                 titles: Sequence[str] | None = None, genres: Sequence[Sequence[str]] | None = None,
                 vote_average: np.ndarray | None = None) -> None:
        """`years` default 0 (unknown), `titles` the ids, `genres` none, `vote_average` the rating score."""
        self.movie_ids = np.asarray(movie_ids, dtype=np.int64)
        v = np.asarray(vectors, dtype=np.float32)
        norms = np.linalg.norm(v, axis=1, keepdims=True)
        self.vectors = v / np.where(norms > 0, norms, 1.0)
        self.popularity_percentile = np.asarray(popularity_percentile, dtype=np.float32)
        self.vote_count = np.asarray(vote_count, dtype=np.int64)
        self.rating_score = np.asarray(rating_score, dtype=np.float32)
        n = len(self.movie_ids)
        self.years = np.zeros(n, dtype=np.int64) if years is None else years
        self.titles = [str(m) for m in self.movie_ids] if titles is None else titles
        self.genres = [[] for _ in range(n)] if genres is None else genres
        self.vote_average = np.asarray(self.rating_score if vote_average is None else vote_average, dtype=np.float32)
        self._index = {int(m): i for i, m in enumerate(self.movie_ids)}
        # vote-count-aware quality in [0, 1]: rank of the Bayesian rating score
        self.quality = rank01(self.rating_score)
        # film x genre membership, for genre masks without a Python loop over the catalogue
        self.genre_names = sorted({g for gs in self.genres for g in gs})
        col = {g: j for j, g in enumerate(self.genre_names)}
        self.genre_matrix = np.zeros((n, len(self.genre_names)), dtype=bool)
        for i, gs in enumerate(self.genres):
            for g in gs:
                self.genre_matrix[i, col[g]] = True
        self._pos_cache: dict[int, np.ndarray] = {}

    @classmethod
    async def load(cls, pool, films) -> ContentIndex:
        """Vectors from PostgreSQL (a `kit.db.create_pool` pool: the pgvector codec decodes `combined`),
        facts from the film store (`films.Films`); a vector whose film the store lacks is left out."""
        async with pool.acquire() as conn:
            rows = await conn.fetch(LOAD_SQL)
        rows = [r for r in rows if r["movie_id"] in films]
        if not rows:
            raise RuntimeError("embedder.movie_vectors is empty: run the embedder backfill first")
        fs = [films[r["movie_id"]] for r in rows]
        avg = np.array([f.vote_average for f in fs], dtype=np.float32)
        votes = np.array([f.vote_count for f in fs], dtype=np.int64)
        return cls(
            movie_ids=np.array([f.id for f in fs], dtype=np.int64),
            vectors=np.stack([np.asarray(r["combined"].to_numpy() if hasattr(r["combined"], "to_numpy")
                                         else r["combined"], dtype=np.float32) for r in rows]),
            popularity_percentile=np.array([f.popularity_percentile for f in fs], dtype=np.float32),
            vote_count=votes,
            rating_score=quality.bayes_ratings(avg, votes, films.mean_rating),
            years=np.array([f.year or 0 for f in fs], dtype=np.int64),
            titles=[f.title for f in fs],
            genres=[list(f.genres_ordered) for f in fs],
            vote_average=avg,
        )

    def with_any_genre(self, genres: set[str]) -> np.ndarray:
        """Mask of the films that have at least one of `genres`."""
        cols = [j for j, g in enumerate(self.genre_names) if g in genres]
        if not cols:
            return np.zeros(len(self), dtype=bool)
        # numpy's stubs type ndarray.any(axis=...) as bool | ndarray: over an axis of a 2-D array it is an array
        return cast(np.ndarray, self.genre_matrix[:, cols].any(axis=1))

    def gem_mask(self, ceiling: float | None = None) -> np.ndarray:
        """The films that are gems under `ceiling` (quality.is_gem), as a mask over this index."""
        return quality.gem_mask(self.vote_average, self.vote_count, self.popularity_percentile, ceiling)

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
