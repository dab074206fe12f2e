from __future__ import annotations

import strawberry
from movierec.recommender.v1 import recommender_pb2
from strawberry.types import Info

from services.gateway.context import GatewayContext
from services.gateway.types.user import User


async def _user(root: MemberFit, info: Info[GatewayContext, None]) -> User | None:
    # Every fit's user of a response in one GetUsers (the request's user DataLoader).
    found = await info.context.user_loader.load(root.user_id)
    return User.from_proto(found) if found is not None else None


@strawberry.type(
    description="Together: how well a pick fits one member, on one scale for every member and film."
)
class MemberFit:
    user: User | None = strawberry.field(resolver=_user, description="The member (null: the account is gone).")
    score: float = strawberry.field(
        description="0-1: the share of the catalogue this member's taste scores below the film "
        "(0.93: a better fit for them than 93% of the catalogue)."
    )
    taste_known: bool = strawberry.field(
        description="False: the member has no usable rating yet, so `score` is only the catalogue's general"
        " order (well-rated, well-known films first) and says nothing about them."
    )
    user_id: strawberry.Private[str]

    @classmethod
    def from_proto(cls, fit: recommender_pb2.MemberFit) -> MemberFit:
        return cls(score=fit.score, taste_known=fit.taste_known, user_id=fit.user_id)
