from __future__ import annotations

import strawberry
from movierec.catalog.v1 import catalog_pb2
from strawberry.types import Info

from services.gateway.context import GatewayContext
from services.gateway.types.comment_connection import CommentConnection
from services.gateway.types.person import Person
from services.gateway.validation import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, parse_movie_id, validate_first


def _or_none(value: str) -> str | None:
    return value or None


@strawberry.type(description="A film of the catalogue.")
class Movie:
    id: strawberry.ID = strawberry.field(description="TMDb id.")
    title: str
    original_title: str
    year: int | None
    release_date: str | None = strawberry.field(description="ISO 8601 date (YYYY-MM-DD).")
    overview: str | None
    tagline: str | None
    genres: list[str]
    keywords: list[str]
    runtime: int | None = strawberry.field(description="Runtime in minutes.")
    original_language: str | None = strawberry.field(description="ISO 639-1 code.")
    vote_average: float = strawberry.field(description="0-10.")
    rating: float | None = strawberry.field(
        description="The catalogue's vote-count-aware rating, 0-10: the average pulled towards the catalogue mean"
        " when few people voted. What `searchMovies(sort: RATING)` orders by. Null when not known."
    )
    vote_count: int
    popularity: float = strawberry.field(description="TMDb popularity score.")
    popularity_percentile: float = strawberry.field(description="0-100 over the catalogue, 100 = most popular.")
    directors: list[Person]
    cast: list[Person] = strawberry.field(description="In billing order.")
    companies: list[str]
    countries: list[str] = strawberry.field(description="ISO 3166-1 codes.")
    imdb_id: str | None
    poster_path: str | None

    @strawberry.field(
        description=(
            "Users' comments on the film, newest first; public. "
            f"`first`: page size, 1-{MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}). "
            "`after`: the `endCursor` of the previous page."
        )
    )
    async def comments(
        self,
        info: Info[GatewayContext, None],
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = strawberry.UNSET,
    ) -> CommentConnection:
        # The first page goes through the request's comments loader: the films of a whole search are one
        # BatchListComments. `after` is the users service's page token, passed through as is to
        # ListComments: the service validates it (INVALID_ARGUMENT -> BAD_USER_INPUT).
        page_size = validate_first(first)
        movie_id = parse_movie_id(self.id)
        if after is strawberry.UNSET or not after:
            first_page = await info.context.comments_loader.load((movie_id, page_size))
            return CommentConnection.from_proto(first_page, after_given=False)
        resp = await info.context.users.list_comments(movie_id, page_size, after)
        return CommentConnection.from_proto(resp, after_given=True)

    @classmethod
    async def load(cls, ctx: GatewayContext, movie_id: int) -> Movie | None:
        """The film through the request's DataLoader (one BatchGetMovies for the request's films); None
        when the catalogue has none."""
        pb = await ctx.movie_loader.load(movie_id)
        return cls.from_proto(pb) if pb is not None else None

    @classmethod
    def from_proto(cls, m: catalog_pb2.Movie) -> Movie:
        return cls(
            id=strawberry.ID(str(m.id)),
            title=m.title,
            original_title=m.original_title,
            year=m.year if m.HasField("year") else None,
            release_date=_or_none(m.release_date),
            overview=_or_none(m.overview),
            tagline=_or_none(m.tagline),
            genres=list(m.genres),
            keywords=list(m.keywords),
            runtime=m.runtime_minutes if m.HasField("runtime_minutes") else None,
            original_language=_or_none(m.original_language),
            vote_average=m.vote_average,
            rating=round(m.rating_score, 2) if m.HasField("rating_score") else None,
            vote_count=m.vote_count,
            popularity=m.popularity,
            popularity_percentile=m.popularity_percentile,
            directors=[Person.from_proto(p) for p in m.directors],
            cast=[Person.from_proto(p) for p in m.cast],
            companies=list(m.companies),
            countries=list(m.countries),
            imdb_id=_or_none(m.imdb_id),
            poster_path=m.poster_path if m.HasField("poster_path") and m.poster_path else None,
        )
