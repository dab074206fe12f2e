"""The gateway's client of the catalogue service: every call through a `CallLimiter` (base.py: a
timeout on every call and a bounded number of calls in flight on the channel). Errors are left as
`grpc.aio.AioRpcError` (errors.py maps them)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import grpc
from movierec.catalog.v1 import catalog_pb2, catalog_pb2_grpc

from kit.limits import CATALOG_BATCH_GET_MAX_IDS as BATCH_GET_MAX_IDS
from services.gateway.clients.base import CallLimiter


class CatalogApi(Protocol):
    """What the resolvers need from the catalogue (CatalogClient; tests may pass anything like it)."""

    async def batch_get_movies(self, ids: Sequence[int]) -> list[catalog_pb2.Movie]: ...

    async def search_movies(self, request: catalog_pb2.SearchMoviesRequest) -> catalog_pb2.SearchMoviesResponse: ...

    async def list_genres(self) -> catalog_pb2.ListGenresResponse: ...

    async def get_person(self, request: catalog_pb2.GetPersonRequest) -> catalog_pb2.PersonDetail: ...

    async def suggest(self, request: catalog_pb2.SuggestRequest) -> catalog_pb2.SuggestResponse: ...


class CatalogClient:
    def __init__(self, channel: grpc.aio.Channel, *, timeout_s: float = 5.0, max_in_flight: int = 200) -> None:
        self.stub = catalog_pb2_grpc.CatalogServiceStub(channel)
        self.limiter = CallLimiter(timeout_s, max_in_flight)

    async def batch_get_movies(self, ids: Sequence[int]) -> list[catalog_pb2.Movie]:
        """Films for ids (unknown ids skipped), in chunks of at most BATCH_GET_MAX_IDS ids."""
        movies: list[catalog_pb2.Movie] = []
        for i in range(0, len(ids), BATCH_GET_MAX_IDS):
            resp = await self._batch_get_chunk(list(ids[i : i + BATCH_GET_MAX_IDS]))
            movies.extend(resp.movies)
        return movies

    async def _batch_get_chunk(self, chunk: list[int]) -> catalog_pb2.BatchGetMoviesResponse:
        return await self.limiter.call(
            "BatchGetMovies",
            lambda t: self.stub.BatchGetMovies(catalog_pb2.BatchGetMoviesRequest(ids=chunk), timeout=t),
        )

    async def search_movies(self, request: catalog_pb2.SearchMoviesRequest) -> catalog_pb2.SearchMoviesResponse:
        return await self.limiter.call("SearchMovies", lambda t: self.stub.SearchMovies(request, timeout=t))

    async def list_genres(self) -> catalog_pb2.ListGenresResponse:
        return await self.limiter.call(
            "ListGenres", lambda t: self.stub.ListGenres(catalog_pb2.ListGenresRequest(), timeout=t)
        )

    async def get_person(self, request: catalog_pb2.GetPersonRequest) -> catalog_pb2.PersonDetail:
        return await self.limiter.call("GetPerson", lambda t: self.stub.GetPerson(request, timeout=t))

    async def suggest(self, request: catalog_pb2.SuggestRequest) -> catalog_pb2.SuggestResponse:
        return await self.limiter.call("Suggest", lambda t: self.stub.Suggest(request, timeout=t))
