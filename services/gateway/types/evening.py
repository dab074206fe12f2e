from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

import strawberry
from movierec.users.v1 import users_pb2

from services.gateway.timestamps import to_datetime
from services.gateway.types.evening_member import EveningMember
from services.gateway.types.evening_pick import EveningPick

PICKS_DEFAULT = 12


@strawberry.type(description=(
    "Tonight: an evening for two or more, started by its host and joined by its share link. Its members"
    " say yes / no / seen to the picks; a no or a seen takes a film off the list for everyone, a yes lifts"
    " it, and a film everyone said yes to is the match. Ends (with its link and its guests) at `expiresAt`."))
class Evening:
    id: strawberry.ID
    mood: str = strawberry.field(description="The evening's mood text, which the picks match; empty: none.")
    expires_at: datetime
    version: int = strawberry.field(description="Goes up by one with every join and vote.")
    join_path: str = strawberry.field(description="The share link's path (`/join/<token>`), for members to pass on.")
    members: list[EveningMember] = strawberry.field(description="In joining order, the host first.")
    viewer_id: strawberry.Private[str]
    proto: strawberry.Private[users_pb2.Evening]
    # The list, from the resolver that made this (resolvers/evenings.py: one recommender call per page size).
    load_picks: strawberry.Private[Callable[[Evening, int | None], Awaitable[list[EveningPick]]]]

    @classmethod
    def from_proto(cls, e: users_pb2.Evening, viewer_id: str,
                   load_picks: Callable[[Evening, int | None], Awaitable[list[EveningPick]]]) -> Evening:
        return cls(id=strawberry.ID(e.id), mood=e.mood, expires_at=to_datetime(e.expires_at), version=e.version,
                   join_path=f"/join/{e.join_token}", members=[EveningMember.from_proto(m) for m in e.members],
                   viewer_id=viewer_id, proto=e, load_picks=load_picks)

    @strawberry.field(description="The signed-in member.")
    def me(self) -> EveningMember | None:
        return next((m for m in self.members if m.user.id == self.viewer_id), None)

    @strawberry.field(description=(
        "The evening's list: the Together picks for all its members (in its mood), their votes applied;"
        " the match first. `first`: 1-50 (default 12)."))
    async def picks(self, first: int | None = PICKS_DEFAULT) -> list[EveningPick]:
        return await self.load_picks(self, first)

    @strawberry.field(description="The picks every member said yes to (usually one, or none yet).")
    async def matches(self) -> list[EveningPick]:
        return [p for p in await self.load_picks(self, PICKS_DEFAULT) if p.match]
