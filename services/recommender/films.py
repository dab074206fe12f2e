"""The recommender's one film store: what it knows about every film (the catalogue's metadata the
reasons, the quality rules and the rankings need), held in memory (15,834 films, a few MB), loaded
from the catalogue service's API at start and kept current by `catalog.movie.upserted` events. The
recommender never reads the catalogue's tables. Quality questions are answered by quality.py's rules."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import grpc
from movierec.catalog.v1 import catalog_pb2, catalog_pb2_grpc

from kit.logging import get_logger
from services.recommender import quality, vibe_confidence

log = get_logger(__name__)

BATCH = 500
SCALE_TTL_S = 60.0   # the percentile -> votes scale is rebuilt at most this often after a change


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
        self.mean_rating = quality.DEFAULT_MEAN
        self._scale: quality.VoteScale | None = None
        self._scale_at = 0.0
        self._changed = False
        # word -> how many films use it (title, tagline, overview, keywords): what Vibe counts as known
        # words (vibe_confidence). A film updated by an event adds its words again; the counts are a
        # floor test (>= 2 films), which a recount would change for no word that matters.
        self.vocabulary: Counter[str] = Counter()
        self._by_genre: dict[str, list[Film]] | None = None  # genre -> its films; None: build on next use

    def __contains__(self, movie_id: int) -> bool:
        return movie_id in self.by_id

    def __len__(self) -> int:
        return len(self.by_id)

    def get(self, movie_id: int) -> Film | None:
        return self.by_id.get(movie_id)

    def __getitem__(self, movie_id: int) -> Film:
        """The film of an id known to be here (`movie_id in films`; films are never removed); KeyError if not."""
        return self.by_id[movie_id]

    def put(self, film: Film) -> None:
        self.by_id[film.id] = film
        self._changed = True
        self._by_genre = None

    def with_genres(self, genres: Iterable[str]) -> Iterable[Film]:
        """The films that may have every genre in `genres`: those of the rarest of them (every film for no
        genre), a superset for the caller to test film by film. Vibe's exact scan (zones/mood.py) read every
        film of the catalogue for a text that names a genre; the index is built on first use after a change."""
        wanted = tuple(genres)
        if not wanted:
            return self.by_id.values()
        if self._by_genre is None:
            index: dict[str, list[Film]] = {}
            for f in self.by_id.values():
                for g in f.genres:
                    index.setdefault(g, []).append(f)
            self._by_genre = index
        return min((self._by_genre.get(g, []) for g in wanted), key=len)

    def put_movie(self, m: catalog_pb2.Movie) -> None:
        """A film from a catalogue event, with its words."""
        self.put(Film.from_proto(m))
        self.learn_words(m)

    def learn_words(self, m: catalog_pb2.Movie) -> None:
        self.vocabulary.update(set(vibe_confidence.words(" ".join((m.title, m.tagline, m.overview, *m.keywords)))))

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

    def vote_scale(self) -> quality.VoteScale:
        """Rebuilt at most every SCALE_TTL_S after a change (a catalogue ingest changes films one by one)."""
        now = time.monotonic()
        if self._scale is None or (self._changed and now - self._scale_at > SCALE_TTL_S):
            self._scale = quality.VoteScale.of((f.popularity_percentile, f.vote_count) for f in self.by_id.values())
            self._scale_at, self._changed = now, False
        return self._scale

    def _update_mean(self) -> None:
        films = list(self.by_id.values())
        if films:
            self.mean_rating = quality.catalogue_mean((f.vote_average for f in films), (f.vote_count for f in films))

    def put_all(self, films: Iterable[Film]) -> None:
        for f in films:
            self.by_id[f.id] = f
        self._scale = None
        self._by_genre = None
        self._update_mean()

    async def load(self, channel: grpc.aio.Channel, ids: Iterable[int]) -> None:
        """These films from the catalogue's API (BatchGetMovies, in batches)."""
        stub = catalog_pb2_grpc.CatalogServiceStub(channel)
        ids, got = list(ids), []
        for i in range(0, len(ids), BATCH):
            resp = await stub.BatchGetMovies(catalog_pb2.BatchGetMoviesRequest(ids=ids[i : i + BATCH]), timeout=30)
            for m in resp.movies:
                got.append(Film.from_proto(m))
                self.learn_words(m)
        self.put_all(got)
        log.info("films_loaded", films=len(self.by_id), added=len(got), mean_rating=round(self.mean_rating, 3))

    async def ensure(self, channel: grpc.aio.Channel, ids: Iterable[int]) -> None:
        """Load the films of `ids` the store lacks (an event missed while NATS was away, a film encoded
        after start); the content index is built only from films the store has."""
        missing = [i for i in ids if i not in self.by_id]
        if missing:
            await self.load(channel, missing)
