from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from services.gateway import resolvers, users_resolvers
from services.gateway.context import GatewayContext
from services.gateway.types.genre import Genre
from services.gateway.types.me import Me
from services.gateway.types.movie import Movie
from services.gateway.types.movie_connection import MovieConnection
from services.gateway.types.movie_filter import MovieFilter
from services.gateway.types.movie_sort import MovieSort
from services.gateway.validation import DEFAULT_PAGE_SIZE

Ctx = Info[GatewayContext, None]


def _given(value):  # type: ignore[no-untyped-def]
    """An omitted argument (UNSET) as None."""
    return None if value is strawberry.UNSET else value


@strawberry.type
class Query:
    @strawberry.field(description="One film by id; null with a NOT_FOUND error when there is none.")
    async def movie(
        self, info: Ctx, movie_id: Annotated[strawberry.ID, strawberry.argument(name="id")]
    ) -> Movie | None:
        return await resolvers.resolve_movie(info.context, movie_id)

    @strawberry.field(
        description=(
            "Full-text search with filters, sorting and cursor pagination. An empty query browses. "
            "`first`: page size, 1-100 (default 20). `after`: the `endCursor` of the previous page."
        )
    )
    async def search_movies(
        self,
        info: Ctx,
        query: str,
        filter: MovieFilter | None = strawberry.UNSET,
        sort: MovieSort | None = strawberry.UNSET,
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = strawberry.UNSET,
    ) -> MovieConnection:
        return await resolvers.resolve_search(info.context, query, _given(filter), _given(sort), first, _given(after))

    @strawberry.field(description="Every genre with its number of films.")
    async def genres(self, info: Ctx) -> list[Genre]:
        return await resolvers.resolve_genres(info.context)

    @strawberry.field(
        description="The signed-in user, their film state and partners. Needs `Authorization: Bearer <accessToken>`:"
        " null with an UNAUTHENTICATED error otherwise."
    )
    async def me(self, info: Ctx) -> Me | None:
        return await users_resolvers.resolve_me(info.context)
