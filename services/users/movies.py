"""Which film ids exist: the catalogue service is asked once per id, and known ids are remembered
(films are never deleted from the catalogue, so a positive answer stays true)."""

from __future__ import annotations

import grpc
from movierec.catalog.v1 import catalog_pb2, catalog_pb2_grpc

from kit.errors import InvalidArgument, NotFound, Unavailable

MAX_REMEMBERED = 1_000_000


class MovieChecker:
    def __init__(self, channel: grpc.aio.Channel, timeout_s: float) -> None:
        self.stub = catalog_pb2_grpc.CatalogServiceStub(channel)
        self.timeout_s = timeout_s
        self.known: set[int] = set()

    async def require(self, movie_id: int) -> None:
        """NotFound unless the catalogue has the film; InvalidArgument for ids that cannot be one."""
        if movie_id <= 0:
            raise InvalidArgument("movie id must be a positive TMDb id")
        if movie_id in self.known:
            return
        try:
            resp = await self.stub.BatchGetMovies(catalog_pb2.BatchGetMoviesRequest(ids=[movie_id]),
                                                  timeout=self.timeout_s)
        except grpc.aio.AioRpcError as e:
            raise Unavailable(f"the catalogue is unavailable ({e.code().name}); try again") from None
        if not resp.movies:
            raise NotFound(f"No film with id {movie_id}.")
        if len(self.known) < MAX_REMEMBERED:
            self.known.add(movie_id)
