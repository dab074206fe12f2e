from __future__ import annotations

from datetime import datetime

import strawberry
from movierec.users.v1 import users_pb2

from services.gateway.timestamps import to_datetime


@strawberry.type(description="A single-use code another user accepts (`acceptInvite`) to become a partner.")
class Invite:
    code: str
    expires_at: datetime

    @classmethod
    def from_proto(cls, invite: users_pb2.Invite) -> Invite:
        return cls(code=invite.code, expires_at=to_datetime(invite.expires_at))
