from __future__ import annotations

import strawberry
from movierec.recommender.v1 import recommender_pb2

from services.gateway.types.fetched import Fetched
from services.gateway.types.movie import Movie
from services.gateway.types.reason_kind import ReasonKind, reason_kind_from_proto
from services.gateway.types.user import User


@strawberry.type(description="One reason a film is recommended, with what it points at.")
class Reason:
    kind: ReasonKind
    text: str = strawberry.field(description="One short human sentence.")
    movies: list[Movie] = strawberry.field(description="Films the reason points at (those the catalogue has).")
    people: list[str] = strawberry.field(description="People the reason names.")
    genres: list[str] = strawberry.field(description="Genres the reason names.")
    users: list[User] = strawberry.field(
        description="Together: the users the film suits (accounts that still exist)."
    )
    weight: float = strawberry.field(description="How much the reason counts, relative to the film's other reasons.")

    @classmethod
    def from_proto(cls, reason: recommender_pb2.Reason, fetched: Fetched) -> Reason | None:
        """None for a kind this gateway does not know (UNSPECIFIED, or added to the contract later). Its films
        and users are those of `fetched`, in the reason's order, each once; what `fetched` lacks (not asked
        for, not in the catalogue, an account that is gone) is left out."""
        kind = reason_kind_from_proto(reason.kind)
        if kind is None:
            return None
        return cls(
            kind=kind,
            text=reason.text,
            people=list(reason.people),
            genres=list(reason.genres),
            weight=reason.weight,
            movies=[m for i in dict.fromkeys(reason.movie_ids) if (m := fetched.movies.get(i)) is not None],
            users=[u for i in dict.fromkeys(reason.user_ids) if (u := fetched.users.get(i)) is not None],
        )
