"""What the recommender knows about every film: the catalogue's metadata the reasons and the
quality score need, held in memory (15,834 films, a few MB), loaded from the catalogue service at
start and kept current by `catalog.movie.upserted` events."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import grpc
from movierec.catalog.v1 import catalog_pb2, catalog_pb2_grpc

from kit.logging import get_logger

log = get_logger(__name__)

BATCH = 500
PRIOR_VOTES = 200  # Bayesian prior weight: a film needs this many votes to count half on its own


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

    @staticmethod
    def from_proto(m: catalog_pb2.Movie) -> Film:
        return Film(
            id=m.id, title=m.title, year=m.year if m.HasField("year") else None,
            genres=frozenset(m.genres), keywords=frozenset(m.keywords),
            directors=tuple(p.name for p in m.directors), cast=tuple(p.name for p in m.cast[:10]),
            companies=frozenset(m.companies), vote_average=m.vote_average, vote_count=m.vote_count,
            popularity_percentile=m.popularity_percentile,
            runtime=m.runtime_minutes if m.HasField("runtime_minutes") and m.runtime_minutes > 0 else None,
        )


class Films:
    """id -> Film, plus the catalogue mean rating for the quality score."""

    def __init__(self) -> None:
        self.by_id: dict[int, Film] = {}
        self.mean_rating = 6.5

    def __contains__(self, movie_id: int) -> bool:
        return movie_id in self.by_id

    def get(self, movie_id: int) -> Film | None:
        return self.by_id.get(movie_id)

    def put(self, film: Film) -> None:
        self.by_id[film.id] = film

    def quality(self, movie_id: int) -> float:
        """Vote-count-aware rating on 0-10 (a Bayesian average towards the catalogue mean)."""
        f = self.by_id.get(movie_id)
        if f is None:
            return self.mean_rating
        v = f.vote_count
        return (v * f.vote_average + PRIOR_VOTES * self.mean_rating) / (v + PRIOR_VOTES)

    def _update_mean(self) -> None:
        rated = [f for f in self.by_id.values() if f.vote_count > 0]
        total = sum(f.vote_count for f in rated)
        if total:
            self.mean_rating = sum(f.vote_average * f.vote_count for f in rated) / total

    async def load(self, channel: grpc.aio.Channel, ids: Iterable[int]) -> None:
        stub = catalog_pb2_grpc.CatalogServiceStub(channel)
        ids = list(ids)
        for i in range(0, len(ids), BATCH):
            resp = await stub.BatchGetMovies(catalog_pb2.BatchGetMoviesRequest(ids=ids[i : i + BATCH]), timeout=30)
            for m in resp.movies:
                self.put(Film.from_proto(m))
        self._update_mean()
        log.info("films_loaded", films=len(self.by_id), mean_rating=round(self.mean_rating, 3))
