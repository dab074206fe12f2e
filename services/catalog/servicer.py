"""gRPC edge of the catalogue: validates requests, calls the domain modules, nothing else."""

from __future__ import annotations

import asyncpg
from movierec.catalog.v1 import catalog_pb2 as pb
from movierec.catalog.v1 import catalog_pb2_grpc

from kit.errors import InvalidArgument, NotFound
from services.catalog import matching, repo, search, suggest


class CatalogServicer(catalog_pb2_grpc.CatalogServiceServicer):
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def GetMovie(self, request: pb.GetMovieRequest, context) -> pb.Movie:
        if request.id <= 0:
            raise InvalidArgument("id must be a positive TMDb id")
        movies = await repo.get_movies(self.pool, [request.id])
        if request.id not in movies:
            raise NotFound(f"no film with id {request.id}")
        return movies[request.id]

    async def BatchGetMovies(self, request: pb.BatchGetMoviesRequest, context) -> pb.BatchGetMoviesResponse:
        if len(request.ids) > repo.MAX_BATCH:
            raise InvalidArgument(f"at most {repo.MAX_BATCH} ids per call")
        if any(i <= 0 for i in request.ids):
            raise InvalidArgument("ids must be positive TMDb ids")
        movies = await repo.get_movies(self.pool, list(dict.fromkeys(request.ids)))
        return pb.BatchGetMoviesResponse(
            movies=[movies[i] for i in request.ids if i in movies],
            missing_ids=[i for i in dict.fromkeys(request.ids) if i not in movies],
        )

    async def SearchMovies(self, request: pb.SearchMoviesRequest, context) -> pb.SearchMoviesResponse:
        return await search.search(self.pool, request)

    async def ListGenres(self, request: pb.ListGenresRequest, context) -> pb.ListGenresResponse:
        return pb.ListGenresResponse(genres=await repo.list_genres(self.pool))

    async def MapMovieLensIds(self, request: pb.MapMovieLensIdsRequest, context) -> pb.MapMovieLensIdsResponse:
        if len(request.movielens_ids) > 10_000:
            raise InvalidArgument("at most 10,000 ids per call (none: the whole table)")
        return pb.MapMovieLensIdsResponse(links=await repo.movielens_links(self.pool, list(request.movielens_ids)))

    async def GetPerson(self, request: pb.GetPersonRequest, context) -> pb.PersonDetail:
        if request.id <= 0:
            raise InvalidArgument("id must be a positive person id")
        if request.sort not in pb.CreditSort.values():
            raise InvalidArgument(f"unknown sort {request.sort}")
        detail = await repo.get_person(self.pool, request.id, request.sort)
        if detail is None:
            raise NotFound(f"no person with id {request.id}")
        return detail

    async def Suggest(self, request: pb.SuggestRequest, context) -> pb.SuggestResponse:
        return await suggest.suggest(self.pool, request)
    async def MatchFilms(self, request: pb.MatchFilmsRequest, context) -> pb.MatchFilmsResponse:
        if len(request.queries) > matching.MAX_QUERIES:
            raise InvalidArgument(f"at most {matching.MAX_QUERIES:,} queries per call")
        return pb.MatchFilmsResponse(matches=await matching.match_films(self.pool, list(request.queries)))
