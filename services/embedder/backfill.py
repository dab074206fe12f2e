"""Encode the whole catalogue (or a part of it): `python -m services.embedder backfill`.

Pages through the catalogue over gRPC (the catalogue's data is the catalogue service's), and runs
the same pipeline as the event consumer, so films already encoded with the same texts and model are
skipped. `make up` runs it when films lack vectors.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import AsyncIterator

import grpc
from movierec.catalog.v1 import catalog_pb2 as pb
from movierec.catalog.v1 import catalog_pb2_grpc
from tqdm import tqdm

from services.embedder.pipeline import Job, Pipeline

PAGE = 100


def _filter(min_votes: int | None) -> pb.MovieFilter:
    return pb.MovieFilter(min_votes=min_votes) if min_votes is not None else pb.MovieFilter()


async def catalogue_pages(
    catalog_addr: str, min_votes: int | None = None,
) -> AsyncIterator[tuple[int, list[pb.Movie], dt.datetime]]:
    """(total, films, read_at) per page; read_at is taken before the page is read, so a catalogue
    event committed after it (and so newer than this state) always wins over the backfill's write."""
    async with grpc.aio.insecure_channel(catalog_addr) as ch:
        stub = catalog_pb2_grpc.CatalogServiceStub(ch)
        flt = _filter(min_votes)
        token = ""
        while True:
            read_at = dt.datetime.now(dt.UTC)
            r = await stub.SearchMovies(pb.SearchMoviesRequest(filter=flt, sort=pb.SORT_BY_POPULARITY,
                                                               page_size=PAGE, page_token=token), timeout=30)
            yield r.total_count, [h.movie for h in r.hits], read_at
            if not r.has_next_page:
                return
            token = r.next_page_token


async def catalogue_size(catalog_addr: str, min_votes: int | None = None) -> int:
    async with grpc.aio.insecure_channel(catalog_addr) as ch:
        flt = _filter(min_votes)
        r = await catalog_pb2_grpc.CatalogServiceStub(ch).SearchMovies(
            pb.SearchMoviesRequest(filter=flt, page_size=1), timeout=30)
        return r.total_count


async def low_vote_sample(catalog_addr: str, min_votes: int, every: int, also: list[int]) -> list[pb.Movie]:
    """A fixed sample of the films under `min_votes` votes: every film whose id is a multiple of `every`,
    plus the films `also` names (a test stack's junk candidates: little-known films that sit close to
    well-known ones)."""
    out: dict[int, pb.Movie] = {}
    async for _, movies, _ in catalogue_pages(catalog_addr):
        out |= {m.id: m for m in movies if m.vote_count < min_votes and every > 0 and m.id % every == 0}
    if also:
        async with grpc.aio.insecure_channel(catalog_addr) as ch:
            r = await catalog_pb2_grpc.CatalogServiceStub(ch).BatchGetMovies(pb.BatchGetMoviesRequest(ids=also),
                                                                             timeout=30)
            out |= {m.id: m for m in r.movies if m.vote_count < min_votes}
    return [out[i] for i in sorted(out)]


async def backfill(pipeline: Pipeline, catalog_addr: str, chunk: int = 256, min_votes: int | None = None,
                   progress: bool = True, sample_every: int = 0, sample_also: list[int] | None = None) -> dict:
    t0 = time.perf_counter()
    films = texts = unchanged = 0
    pending: list[Job] = []
    bar = None

    async def flush() -> None:
        nonlocal films, texts, unchanged
        if not pending:
            return
        res = await pipeline.process(pending)
        films, texts, unchanged = films + res.films, texts + res.texts_encoded, unchanged + res.unchanged_films
        if bar is not None:
            bar.update(len(pending))
            bar.set_postfix(texts=texts, skipped=unchanged)
        pending.clear()

    async for total, movies, read_at in catalogue_pages(catalog_addr, min_votes):
        if bar is None:
            bar = tqdm(total=total, unit="film", desc="encoding", disable=not progress, smoothing=0.1)
        pending.extend(Job(movie=m, occurred_at=read_at) for m in movies)
        if len(pending) >= chunk:
            await flush()
    await flush()
    sampled = 0
    if min_votes is not None and (sample_every or sample_also):
        read_at = dt.datetime.now(dt.UTC)
        movies = await low_vote_sample(catalog_addr, min_votes, sample_every, sample_also or [])
        sampled = len(movies)
        for i in range(0, len(movies), chunk):
            pending.extend(Job(movie=m, occurred_at=read_at) for m in movies[i:i + chunk])
            await flush()
    if bar is not None:
        bar.close()
    seconds = time.perf_counter() - t0
    return {"films": films, "low_vote_sample": sampled, "texts_encoded": texts, "unchanged_films": unchanged,
            "seconds": round(seconds, 1),
            "films_per_s": round(films / seconds, 1) if seconds else None}
