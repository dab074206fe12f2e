"""Resolvers of the catalogue's fields (movie, searchMovies, genres, person, suggest): check arguments, read through the
Redis cache, call the catalogue, shape the result."""

from __future__ import annotations

from movierec.catalog.v1 import catalog_pb2

from services.gateway.cache import normalize_query
from services.gateway.context import GatewayContext
from services.gateway.errors import NotFound
from services.gateway.types.credit_sort import CreditSort
from services.gateway.types.genre import Genre
from services.gateway.types.movie import Movie
from services.gateway.types.movie_connection import MovieConnection
from services.gateway.types.movie_filter import MovieFilter
from services.gateway.types.movie_sort import MovieSort
from services.gateway.types.person_page import PersonPage
from services.gateway.types.suggestions import Suggestions
from services.gateway.validation import (
    decode_cursor,
    parse_movie_id,
    parse_person_id,
    validate_first,
    validate_query,
    validate_suggest_first,
    validate_suggest_query,
)


async def resolve_movie(ctx: GatewayContext, movie_id: str) -> Movie:
    pb = await ctx.movie_loader.load(parse_movie_id(movie_id))
    if pb is None:
        raise NotFound(f"No movie with id {movie_id}.")
    return Movie.from_proto(pb)


def build_search_request(
    query: str,
    filter: MovieFilter | None,
    sort: MovieSort | None,
    first: int | None,
    after: str | None,
) -> catalog_pb2.SearchMoviesRequest:
    """The catalogue request for searchMovies' arguments, checked and normalized."""
    request = catalog_pb2.SearchMoviesRequest(
        query=normalize_query(validate_query(query)),
        sort=sort.to_proto() if sort is not None else catalog_pb2.SORT_BY_UNSPECIFIED,
        page_size=validate_first(first),
        page_token=decode_cursor(after),
    )
    if filter is not None:
        request.filter.CopyFrom(filter.to_proto())
    return request


async def resolve_search(
    ctx: GatewayContext,
    query: str,
    filter: MovieFilter | None,
    sort: MovieSort | None,
    first: int | None,
    after: str | None,
) -> MovieConnection:
    request = build_search_request(query, filter, sort, first, after)
    key, resp = await ctx.cache.get_search(request)
    if resp is None:
        resp = await ctx.catalog.search_movies(request)
        await ctx.cache.put_search(key, resp)
    for hit in resp.hits:  # later look-ups of these films in this request need no round trip
        ctx.movie_loader.prime(hit.movie.id, hit.movie)
    return MovieConnection.from_proto(resp, after_given=bool(request.page_token))


async def resolve_genres(ctx: GatewayContext) -> list[Genre]:
    key, resp = await ctx.cache.get_genres()
    if resp is None:
        resp = await ctx.catalog.list_genres()
        await ctx.cache.put_genres(key, resp)
    return [Genre.from_proto(g) for g in resp.genres]


async def resolve_person(ctx: GatewayContext, person_id: str, sort: CreditSort | None) -> PersonPage:
    request = catalog_pb2.GetPersonRequest(
        id=parse_person_id(person_id), sort=(sort or CreditSort.YEAR).to_proto()
    )
    detail = await ctx.catalog.get_person(request)  # NOT_FOUND from the catalogue becomes a NOT_FOUND error
    for credit in [*detail.directed, *detail.acted]:
        ctx.movie_loader.prime(credit.movie.id, credit.movie)
    return PersonPage.from_proto(detail)


async def resolve_suggest(ctx: GatewayContext, query: str, first: int | None) -> Suggestions:
    request = catalog_pb2.SuggestRequest(
        query=normalize_query(validate_suggest_query(query)), limit=validate_suggest_first(first)
    )
    key, resp = await ctx.cache.get_suggest(request)
    if resp is None:
        resp = await ctx.catalog.suggest(request)
        await ctx.cache.put_suggest(key, resp)
    for m in [*resp.movies, *(p.known_for.movie for p in resp.people)]:
        ctx.movie_loader.prime(m.id, m)
    return Suggestions.from_proto(resp)
