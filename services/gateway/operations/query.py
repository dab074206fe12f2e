from __future__ import annotations

from typing import Annotated, TypeVar

import strawberry
from strawberry.types import Info

from services.gateway.context import GatewayContext
from services.gateway.resolvers import account, catalog, evenings
from services.gateway.resolvers import recommendations as recs
from services.gateway.types.axis_weights import AxisWeights
from services.gateway.types.credit_sort import CreditSort
from services.gateway.types.evening import Evening
from services.gateway.types.evening_invite import EveningInvite
from services.gateway.types.gem_ceiling_scale import GemCeilingScale
from services.gateway.types.genre import Genre
from services.gateway.types.me import Me
from services.gateway.types.movie import Movie
from services.gateway.types.movie_connection import MovieConnection
from services.gateway.types.movie_filter import MovieFilter
from services.gateway.types.movie_sort import MovieSort
from services.gateway.types.person_page import PersonPage
from services.gateway.types.recommendation import Recommendation
from services.gateway.types.suggestions import Suggestions
from services.gateway.types.vibe_answer import VibeAnswer
from services.gateway.validation import (
    DEFAULT_PAGE_SIZE,
    DEFAULT_SUGGEST_FIRST,
    MAX_PAGE_SIZE,
    MAX_SUGGEST_FIRST,
    MAX_SUGGEST_QUERY_LENGTH,
    MAX_VIBE_TEXT_LENGTH,
)

Ctx = Info[GatewayContext, None]

T = TypeVar("T")


def _given(value: T | None) -> T | None:
    """An omitted argument (UNSET) as None."""
    return None if value is strawberry.UNSET else value


def _wants(info: Ctx, *under: str) -> recs.Wants:
    """What to fetch with the recommended films (their reasons' films, the users named), from the selection."""
    return recs.Wants.of(info, *under)


_FIRST = f" `first`: 1-{MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE})."
_SEEN = " `includeSeen`: keep films the signed-in user has already seen (default false)."
_ANON = (
    " Works without a token (anonymous); when an Authorization header is sent, its token must be valid"
    " (UNAUTHENTICATED otherwise) and the results are for that user."
)
_AUTH = " Needs `Authorization: Bearer <accessToken>` (UNAUTHENTICATED otherwise)."


@strawberry.type
class Query:
    @strawberry.field(description="One film by id; null with a NOT_FOUND error when there is none.")
    async def movie(
        self, info: Ctx, movie_id: Annotated[strawberry.ID, strawberry.argument(name="id")]
    ) -> Movie | None:
        return await catalog.resolve_movie(info.context, movie_id)

    @strawberry.field(
        description=(
            "Full-text search with filters, sorting and cursor pagination. An empty query browses. "
            f"`first`: page size, 1-{MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}). `after`: the `endCursor` of the"
            " previous page."
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
        return await catalog.resolve_search(info.context, query, _given(filter), _given(sort), first, _given(after))

    @strawberry.field(
        description="One person (director or cast member) with their filmography, `sort`ed by YEAR (default) or"
        " KNOWN; null with a NOT_FOUND error when there is none. Works without a token."
    )
    async def person(
        self,
        info: Ctx,
        person_id: Annotated[strawberry.ID, strawberry.argument(name="id")],
        sort: CreditSort | None = strawberry.UNSET,
    ) -> PersonPage | None:
        return await catalog.resolve_person(info.context, person_id, _given(sort))

    @strawberry.field(
        description="Typeahead: films and people with a title / name word starting with each word of `query`"
        f" (accents and case folded), best known first. `query`: at most {MAX_SUGGEST_QUERY_LENGTH} characters"
        " (BAD_USER_INPUT over it); under 2 characters suggests nothing. `first`: per kind,"
        f" 1-{MAX_SUGGEST_FIRST} (default {DEFAULT_SUGGEST_FIRST}). Works without a token."
    )
    async def suggest(self, info: Ctx, query: str, first: int | None = DEFAULT_SUGGEST_FIRST) -> Suggestions:
        return await catalog.resolve_suggest(info.context, query, first)

    @strawberry.field(description="Every genre with its number of films.")
    async def genres(self, info: Ctx) -> list[Genre]:
        return await catalog.resolve_genres(info.context)

    @strawberry.field(
        description="The signed-in user, their film state and partners. Needs `Authorization: Bearer <accessToken>`:"
        " null with an UNAUTHENTICATED error otherwise."
    )
    async def me(self, info: Ctx) -> Me | None:
        return await account.resolve_me(info.context)

    # ------------------------------------------------------------ recommendation zones

    @strawberry.field(
        description=f"Films similar to one film, along weighted axes (story, people, style, genre).{_FIRST}{_SEEN}"
        f"{_ANON}"
    )
    async def similar(
        self,
        info: Ctx,
        movie_id: strawberry.ID,
        first: int | None = DEFAULT_PAGE_SIZE,
        weights: AxisWeights | None = strawberry.UNSET,
        include_seen: bool | None = False,
    ) -> list[Recommendation]:
        return await recs.resolve_similar(
            info.context, movie_id, first, _given(weights), include_seen, wants=_wants(info)
        )

    @strawberry.field(
        description="Hidden gems: films few people know (at most `maxPopularityPercentile` popular) that the people"
        " who saw them rated well, near `movieId`, or without it near the signed-in user's taste (a token is then"
        " required). `maxPopularityPercentile`: 0-100 (`Movie.popularityPercentile`); the recommender holds it"
        " inside the range where gems exist (`gemCeilingScale`); default: the user's learnt ceiling, else"
        " `gemCeilingScale.default`." + _FIRST + _SEEN + _ANON
    )
    async def hidden_gems(
        self,
        info: Ctx,
        movie_id: strawberry.ID | None = strawberry.UNSET,
        first: int | None = DEFAULT_PAGE_SIZE,
        max_popularity_percentile: float | None = strawberry.UNSET,
        include_seen: bool | None = False,
    ) -> list[Recommendation]:
        return await recs.resolve_hidden_gems(
            info.context,
            _given(movie_id),
            first,
            _given(max_popularity_percentile),
            include_seen,
            wants=_wants(info),
        )

    @strawberry.field(
        description="What `hiddenGems(maxPopularityPercentile:)` can be and means, in votes (a slider's labels),"
        " with the signed-in user's own learnt ceiling." + _ANON
    )
    async def gem_ceiling_scale(self, info: Ctx) -> GemCeilingScale:
        user_id = info.context.optional_user()
        return GemCeilingScale.from_proto(await info.context.recommender.gem_ceiling_scale(user_id))

    @strawberry.field(
        description="Personal recommendations from the signed-in user's ratings." + _FIRST + _SEEN + _AUTH
    )
    async def for_you(
        self, info: Ctx, first: int | None = DEFAULT_PAGE_SIZE, include_seen: bool | None = False
    ) -> list[Recommendation]:
        return await recs.resolve_for_you(info.context, first, include_seen, wants=_wants(info))

    @strawberry.field(
        description=f"Films matching a described mood (`text`: 1-{MAX_VIBE_TEXT_LENGTH} characters), and how the"
        " text was read: a text that matches nothing meaningfully gets no picks and `reading.confident: false`."
        f"{_FIRST}{_SEEN}{_ANON}"
    )
    async def vibe(
        self, info: Ctx, text: str, first: int | None = DEFAULT_PAGE_SIZE, include_seen: bool | None = False
    ) -> VibeAnswer:
        return await recs.resolve_vibe(info.context, text, first, include_seen,
                                       wants=_wants(info, "picks"))

    @strawberry.field(
        description="Films for the signed-in user and partners (`userIds`) to watch together; a user who is not"
        f" a partner is FORBIDDEN. `vibe`: a mood to watch in (at most {MAX_VIBE_TEXT_LENGTH} characters, read as"
        " `vibe`'s text is; null or blank: none): the group's picks among the films that match it, none when the"
        " mood cannot be read (`togetherWithMood` also says how it was read)." + _FIRST + _AUTH
    )
    async def together(
        self, info: Ctx, user_ids: list[strawberry.ID], first: int | None = DEFAULT_PAGE_SIZE,
        vibe: str | None = None,
    ) -> list[Recommendation]:
        return await recs.resolve_together(info.context, user_ids, first, _given(vibe),
                                           wants=_wants(info))

    @strawberry.field(
        description=f"`together` in a mood (`vibe`: 1-{MAX_VIBE_TEXT_LENGTH} characters), and how the mood was read,"
        " as `vibe` answers: a mood that matches nothing meaningfully gets no picks and `reading.confident: false`."
        + _FIRST + _AUTH
    )
    async def together_with_mood(
        self, info: Ctx, user_ids: list[strawberry.ID], vibe: str, first: int | None = DEFAULT_PAGE_SIZE
    ) -> VibeAnswer:
        return await recs.resolve_together_with_mood(info.context, user_ids, vibe, first, wants=_wants(info, "picks"))

    @strawberry.field(
        description="Films for the signed-in user to rate first, while they have too few ratings for `forYou`."
        f"{_FIRST}{_AUTH}"
    )
    async def onboarding(self, info: Ctx, first: int | None = DEFAULT_PAGE_SIZE) -> list[Recommendation]:
        return await recs.resolve_onboarding(info.context, first, wants=_wants(info))

    # ------------------------------------------------------------ Tonight

    @strawberry.field(description=(
        "An evening the signed-in user (or guest) is a member of; NOT_FOUND once it has ended, FORBIDDEN for"
        " others. `subscription { evening(id) }` pushes it on every join and vote." + _AUTH))
    async def evening(
        self, info: Ctx, evening_id: Annotated[strawberry.ID, strawberry.argument(name="id")]
    ) -> Evening:
        return await evenings.resolve_evening(info.context, evening_id)

    @strawberry.field(description=(
        "What an evening's share link leads to (its host, mood and size), for the join page; no token needed."
        " An ended evening or a bad token: NOT_FOUND."))
    async def evening_invite(self, info: Ctx, token: str) -> EveningInvite:
        return await evenings.resolve_evening_invite(info.context, token)
