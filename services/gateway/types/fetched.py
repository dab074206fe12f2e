"""What a recommendation list points at, fetched with the list: the films and users its reasons and fits name.

Not a GraphQL type. The zone resolvers fill it in one batch per kind (resolvers/recommendations.py), so a
reason's `movies` and `users` and a fit's `user` are plain fields. As resolvers of their own they ran as one
coroutine each, which graphql-core gathers as one asyncio task per item. That made up most of the scheduling
cost in the gateway's profile under load (docs/performance.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from services.gateway.types.movie import Movie
from services.gateway.types.user import User


@dataclass(frozen=True)
class Fetched:
    movies: Mapping[int, Movie] = field(default_factory=dict)
    users: Mapping[str, User] = field(default_factory=dict)
