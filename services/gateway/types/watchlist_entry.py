from __future__ import annotations

from datetime import datetime

import strawberry
from movierec.users.v1 import users_pb2
from strawberry.types import Info

from services.gateway.context import GatewayContext
from services.gateway.timestamps import to_datetime
from services.gateway.types.movie import Movie


@strawberry.type(description="A film on the signed-in user's watchlist.")
class WatchlistEntry:
    movie_id: strawberry.ID
    added_at: datetime

    @strawberry.field(description="The film (null if the catalogue does not have it).")
    async def movie(self, info: Info[GatewayContext, None]) -> Movie | None:
        return await Movie.load(info.context, int(self.movie_id))

    @classmethod
    def from_proto(cls, entry: users_pb2.WatchlistEntry) -> WatchlistEntry:
        return cls(movie_id=strawberry.ID(str(entry.movie_id)), added_at=to_datetime(entry.added_at))
