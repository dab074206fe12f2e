from __future__ import annotations

import strawberry
from movierec.recommender.v1 import recommender_pb2

from services.gateway.types.fetched import Fetched
from services.gateway.types.user import User


@strawberry.type(
    description="Together: how well a pick fits one member, on one scale for every member and film."
)
class MemberFit:
    user: User | None = strawberry.field(description="The member (null: the account is gone).")
    score: float = strawberry.field(
        description="0-1: the share of the catalogue this member's taste scores below the film "
        "(0.93: a better fit for them than 93% of the catalogue)."
    )
    taste_known: bool = strawberry.field(
        description="False: the member has no usable rating yet, so `score` is only the catalogue's general"
        " order (well-rated, well-known films first) and says nothing about them."
    )

    @classmethod
    def from_proto(cls, fit: recommender_pb2.MemberFit, fetched: Fetched) -> MemberFit:
        return cls(user=fetched.users.get(fit.user_id), score=fit.score, taste_known=fit.taste_known)
