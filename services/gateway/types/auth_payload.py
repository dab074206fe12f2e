from __future__ import annotations

from datetime import datetime

import strawberry
from movierec.users.v1 import users_pb2

from services.gateway.timestamps import to_datetime
from services.gateway.types.user import User


@strawberry.type(description="A session: send `Authorization: Bearer <accessToken>`; renew with `refreshToken`.")
class AuthPayload:
    access_token: str = strawberry.field(description="Short-lived JWT for the Authorization header.")
    refresh_token: str = strawberry.field(
        description="Single-use: `refreshToken` returns a new one with the new access token."
    )
    access_token_expires_at: datetime
    user: User

    @classmethod
    def from_proto(cls, resp: users_pb2.AuthResponse) -> AuthPayload:
        return cls(
            access_token=resp.access_token,
            refresh_token=resp.refresh_token,
            access_token_expires_at=to_datetime(resp.access_expires_at),
            user=User.from_proto(resp.user),
        )
