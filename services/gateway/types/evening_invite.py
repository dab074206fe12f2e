from __future__ import annotations

from datetime import datetime

import strawberry
from movierec.users.v1 import users_pb2

from services.gateway.timestamps import to_datetime


@strawberry.type(description="What an evening's share link leads to, shown before joining (nothing about its members).")
class EveningInvite:
    evening_id: strawberry.ID
    host_name: str
    mood: str = strawberry.field(description="The evening's mood text; empty: none.")
    member_count: int
    max_members: int
    expires_at: datetime

    @classmethod
    def from_proto(cls, p: users_pb2.EveningPreview) -> EveningInvite:
        return cls(evening_id=strawberry.ID(p.evening_id), host_name=p.host_name, mood=p.mood,
                   member_count=p.member_count, max_members=p.max_members, expires_at=to_datetime(p.expires_at))
