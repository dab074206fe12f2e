from __future__ import annotations

from datetime import datetime

import strawberry
from movierec.users.v1 import users_pb2

from services.gateway.timestamps import to_datetime
from services.gateway.types.user import User


@strawberry.type(description="A user linked with the signed-in user (for recommendations to watch together).")
class Partner:
    user: User
    linked_at: datetime

    @classmethod
    def from_proto(cls, partner: users_pb2.Partner) -> Partner:
        return cls(user=User.from_proto(partner.user), linked_at=to_datetime(partner.linked_at))
