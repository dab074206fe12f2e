from __future__ import annotations

from datetime import datetime

import strawberry
from movierec.users.v1 import users_pb2

from services.gateway.timestamps import to_datetime
from services.gateway.types.user import User


@strawberry.type(description="Someone in an evening: an account, or a guest who joined by its link.")
class EveningMember:
    user: User
    name: str = strawberry.field(description="What the others see: a guest's chosen name, else the username.")
    guest: bool
    host: bool = strawberry.field(description="Started the evening.")
    joined_at: datetime

    @classmethod
    def from_proto(cls, m: users_pb2.EveningMember) -> EveningMember:
        return cls(user=User.from_proto(m.user), name=m.name, guest=m.guest, host=m.host,
                   joined_at=to_datetime(m.joined_at))
