"""The recommender's one film store: what it knows about every film (the catalogue's metadata the
reasons, the quality rules and the rankings need), held in memory (15,834 films, a few MB), loaded
from the catalogue service's API at start and kept current by `catalog.movie.upserted` events. The
recommender never reads the catalogue's tables. Quality questions are answered by quality.py's rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import grpc
from movierec.catalog.v1 import catalog_pb2, catalog_pb2_grpc

from kit.logging import get_logger
from services.recommender import quality

log = get_logger(__name__)

BATCH = 500


@dataclass(frozen=True, slots=True)
class Film:
    id: int
    title: str
    year: int | None
    genres: frozenset[str]
    keywords: frozenset[str]
    directors: tuple[str, ...]
    cast: tuple[str, ...]          # billing order, top 10
    companies: frozenset[str]
    vote_average: float
    vote_count: int
    popularity_percentile: float
    runtime: int | None = None     # minutes
    genres_ordered: tuple[str, ...] = ()   # the catalogue's order (the first is the primary genre)

    @staticmethod
    def from_proto(m: catalog_pb2.Movie) -> Film:
        return Film(
            id=m.id, title=m.title, year=m.year if m.HasField("year") else None,
            genres=frozenset(m.genres), keywords=frozenset(m.keywords),
            directors=tuple(p.name for p in m.directors), cast=tuple(p.name for p in m.cast[:10]),
            companies=frozenset(m.companies), vote_average=m.vote_average, vote_count=m.vote_count,
            popularity_percentile=m.popularity_percentile,
            runtime=m.runtime_minutes if m.HasField("runtime_minutes") and m.runtime_minutes > 0 else None,
            genres_ordered=tuple(m.genres),
        )


class Films:
    """id -> Film, the catalogue mean the Bayesian rating pulls towards, and the vote scale."""

    def __init__(self) -> None:
        self.by_id: dict[int, Film] = {}
        self.mean_rating = 6.3
        self._scale: quality.VoteScale | None = None
        self._gems: dict[float, list[int]] | None = None   # ceiling -> gem ids (dropped on any change)

    def __contains__(self, movie_id: int) -> bool:
        return movie_id in self.by_id

    def __len__(self) -> int:
        return len(self.by_id)

    def get(self, movie_id: int) -> Film | None:
        return self.by_id.get(movie_id)

    def put(self, film: Film) -> None:
        self.by_id[film.id] = film
        self._scale = self._gems = None

    def put_all(self, films: Iterable[Film]) -> None:
        for f in films:
            self.by_id[f.id] = f
        self._scale = self._gems = None
        self._update_mean()

    def rating(self, movie_id: int) -> float:
        """Vote-count-aware rating on 0-10 (quality.bayes_rating); the catalogue mean when unknown."""
        f = self.by_id.get(movie_id)
        if f is None:
            return self.mean_rating
        return quality.bayes_rating(f.vote_average, f.vote_count, self.mean_rating)

    def is_junk(self, film: Film) -> bool:
        return quality.is_junk(film.vote_average, film.vote_count)

    def is_gem(self, film: Film, ceiling: float | None = None) -> bool:
        return quality.is_gem(film.vote_average, film.vote_count, film.popularity_percentile, ceiling)

    def gems(self, ceiling: float | None = None) -> list[int]:
        """Every film of the store that is a gem under `ceiling` (quality.is_gem), cached per ceiling."""
        key = quality.clamp_ceiling(ceiling)
        if self._gems is None or key not in self._gems:
            self._gems = (self._gems or {}) | {key: [f.id for f in self.by_id.values() if self.is_gem(f, key)]}
        return self._gems[key]

    def vote_scale(self) -> quality.VoteScale:
        if self._scale is None:
            self._scale = quality.VoteScale.of((f.popularity_percentile, f.vote_count) for f in self.by_id.values())
        return self._scale

    def _update_mean(self) -> None:
        films = list(self.by_id.values())
        if films:
            self.mean_rating = quality.catalogue_mean((f.vote_average for f in films), (f.vote_count for f in films))

    async def load(self, channel: grpc.aio.Channel, ids: Iterable[int]) -> None:
        stub = catalog_pb2_grpc.CatalogServiceStub(channel)
        ids = list(ids)
        for i in range(0, len(ids), BATCH):
            resp = await stub.BatchGetMovies(catalog_pb2.BatchGetMoviesRequest(ids=ids[i : i + BATCH]), timeout=30)
            self.put_all(Film.from_proto(m) for m in resp.movies)
        log.info("films_loaded", films=len(self.by_id), mean_rating=round(self.mean_rating, 3))
