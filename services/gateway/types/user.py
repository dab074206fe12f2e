from __future__ import annotations

import strawberry
from movierec.users.v1 import users_pb2


@strawberry.type(description="A user, as others see them.")
class User:
    id: strawberry.ID
    username: str

    @classmethod
    def from_proto(cls, user: users_pb2.User) -> User:
        return cls(id=strawberry.ID(user.id), username=user.username)
