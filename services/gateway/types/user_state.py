from __future__ import annotations

from collections.abc import Iterable

import strawberry
from movierec.users.v1 import users_pb2

from services.gateway.types.user_rating import UserRating
from services.gateway.types.watchlist_entry import WatchlistEntry


def _ids(movie_ids: Iterable[int]) -> list[strawberry.ID]:
    return [strawberry.ID(str(i)) for i in movie_ids]


@strawberry.type(description="The signed-in user's films: ratings, favourites, watchlist, watched, dismissed.")
class UserState:
    ratings: list[UserRating]
    favorite_ids: list[strawberry.ID]
    watchlist_ids: list[strawberry.ID] = strawberry.field(description="The watchlist's film ids, in its order.")
    watchlist: list[WatchlistEntry]
    watched_ids: list[strawberry.ID]
    dismissed_ids: list[strawberry.ID] = strawberry.field(description="Films not to recommend again.")

    @classmethod
    def from_proto(cls, state: users_pb2.UserState) -> UserState:
        return cls(
            ratings=[UserRating.from_proto(r) for r in state.ratings],
            favorite_ids=_ids(state.favorite_ids),
            watchlist_ids=_ids(e.movie_id for e in state.watchlist),
            watchlist=[WatchlistEntry.from_proto(e) for e in state.watchlist],
            watched_ids=_ids(state.watched_ids),
            dismissed_ids=_ids(state.dismissed_ids),
        )
