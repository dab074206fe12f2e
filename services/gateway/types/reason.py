from __future__ import annotations

import strawberry
from movierec.recommender.v1 import recommender_pb2
from strawberry.types import Info

from services.gateway.context import GatewayContext
from services.gateway.types.movie import Movie
from services.gateway.types.reason_kind import ReasonKind, reason_kind_from_proto
from services.gateway.types.user import User


async def _movies(root: Reason, info: Info[GatewayContext, None]) -> list[Movie]:
    # Usually prefetched with the recommended films (one BatchGetMovies per response): then no call.
    if not root.movie_ids:
        return []
    found = await info.context.movie_loader.load_many(root.movie_ids)
    return [Movie.from_proto(m) for m in found if m is not None]


async def _users(root: Reason, info: Info[GatewayContext, None]) -> list[User]:
    # Every reason's users of a response in one GetUsers (the request's user DataLoader).
    if not root.user_ids:
        return []
    found = await info.context.user_loader.load_many(root.user_ids)
    return [User.from_proto(u) for u in found if u is not None]


@strawberry.type(description="One reason a film is recommended, with what it points at.")
class Reason:
    kind: ReasonKind
    text: str = strawberry.field(description="One short human sentence.")
    movies: list[Movie] = strawberry.field(
        resolver=_movies, description="Films the reason points at (those the catalogue has)."
    )
    people: list[str] = strawberry.field(description="People the reason names.")
    genres: list[str] = strawberry.field(description="Genres the reason names.")
    users: list[User] = strawberry.field(
        resolver=_users, description="Together: the users the film suits (accounts that still exist)."
    )
    weight: float = strawberry.field(description="How much the reason counts, relative to the film's other reasons.")
    movie_ids: strawberry.Private[list[int]]
    user_ids: strawberry.Private[list[str]]

    @classmethod
    def from_proto(cls, reason: recommender_pb2.Reason) -> Reason | None:
        """None for a kind this gateway does not know (UNSPECIFIED, or added to the contract later)."""
        kind = reason_kind_from_proto(reason.kind)
        if kind is None:
            return None
        return cls(
            kind=kind,
            text=reason.text,
            people=list(reason.people),
            genres=list(reason.genres),
            weight=reason.weight,
            movie_ids=[i for i in dict.fromkeys(reason.movie_ids) if i > 0],
            user_ids=[u for u in dict.fromkeys(reason.user_ids) if u],
        )
