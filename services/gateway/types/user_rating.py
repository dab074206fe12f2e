from __future__ import annotations

from datetime import datetime

import strawberry
from movierec.users.v1 import users_pb2
from strawberry.types import Info

from services.gateway.context import GatewayContext
from services.gateway.timestamps import to_datetime
from services.gateway.types.movie import Movie


@strawberry.type(description="The signed-in user's rating of a film.")
class UserRating:
    movie_id: strawberry.ID
    value: float = strawberry.field(description="0.5-5 in half steps.")
    rated_at: datetime

    @strawberry.field(description="The film (null if the catalogue does not have it).")
    async def movie(self, info: Info[GatewayContext, None]) -> Movie | None:
        return await Movie.load(info.context, int(self.movie_id))

    @classmethod
    def from_proto(cls, rating: users_pb2.Rating) -> UserRating:
        return cls(
            movie_id=strawberry.ID(str(rating.movie_id)), value=rating.value, rated_at=to_datetime(rating.rated_at)
        )
