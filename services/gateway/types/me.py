from __future__ import annotations

import strawberry
from movierec.users.v1 import users_pb2

from services.gateway.types.partner import Partner
from services.gateway.types.user_state import UserState


@strawberry.type(description="The signed-in user, with their film state and partners (one backend call).")
class Me:
    id: strawberry.ID
    username: str
    state: UserState
    partners: list[Partner]

    @classmethod
    def from_proto(cls, state: users_pb2.UserState) -> Me:
        return cls(
            id=strawberry.ID(state.user.id),
            username=state.user.username,
            state=UserState.from_proto(state),
            partners=[Partner.from_proto(p) for p in state.partners],
        )
