from __future__ import annotations

from datetime import datetime

import strawberry
from movierec.users.v1 import users_pb2

from services.gateway.timestamps import to_datetime
from services.gateway.types.evening import Evening
from services.gateway.types.user import User


@strawberry.type(description=(
    "A guest's session for one evening: send `Authorization: Bearer <accessToken>`. It ends with the"
    " evening (no refresh token) and is FORBIDDEN outside it, except rating films and public reads."))
class GuestPayload:
    access_token: str
    access_token_expires_at: datetime
    user: User
    evening: Evening

    @classmethod
    def from_proto(cls, s: users_pb2.GuestSession, evening: Evening) -> GuestPayload:
        return cls(access_token=s.access_token, access_token_expires_at=to_datetime(s.access_expires_at),
                   user=User.from_proto(s.user), evening=evening)
