"""The users whose taste a request uses: their ratings, what to leave out (rated, dismissed,
watched) and their partners, read from the users service (GetState, acting for that user with the
internal token) and kept in process, tagged with the user's generation (generations.py) read before
the fetch: a feedback event bumps the generation, so the next request reads the state that includes
it, in every replica; a fetch that raced the event is stored under the old generation and not used."""

from __future__ import annotations

import time
from dataclasses import dataclass

import grpc
from movierec.users.v1 import users_pb2, users_pb2_grpc

from kit import auth
from kit.errors import NotFound, PermissionDenied, Unauthenticated, Unavailable


@dataclass(frozen=True, slots=True)
class Taste:
    user_id: str
    username: str
    ratings: dict[int, float]
    seen: frozenset[int]           # rated, dismissed or watched: never recommended back
    dismissed: frozenset[int]
    partners: frozenset[str]
    watchlist: frozenset[int] = frozenset()   # films the user means to watch (Together lifts them)


class Tastes:
    def __init__(self, channel: grpc.aio.Channel, internal_token: str, ttl_s: float = 60.0,
                 timeout_s: float = 3.0) -> None:
        self.stub = users_pb2_grpc.UsersServiceStub(channel)
        self.token, self.ttl_s, self.timeout_s = internal_token, ttl_s, timeout_s
        self._cache: dict[str, tuple[float, int, Taste]] = {}

    async def get(self, user_id: str, generation: int | None) -> Taste:
        """`generation`: the user's current generation; None (Redis down) reads afresh."""
        hit = self._cache.get(user_id)
        if generation is not None and hit is not None and hit[1] == generation \
                and time.monotonic() - hit[0] < self.ttl_s:  # fresh
            return hit[2]
        try:
            s = await self.stub.GetState(users_pb2.GetStateRequest(), timeout=self.timeout_s,
                                         metadata=auth.call_metadata(self.token, user_id))
        except grpc.aio.AioRpcError as e:
            if e.code() == grpc.StatusCode.UNAUTHENTICATED:  # the users service knows no such account
                raise Unauthenticated("This account no longer exists.") from None
            raise Unavailable(f"the users service is unavailable ({e.code().name}); try again") from None
        ratings = {r.movie_id: r.value for r in s.ratings}
        taste = Taste(
            user_id=user_id, username=s.user.username, ratings=ratings,
            seen=frozenset(ratings) | frozenset(s.dismissed_ids) | frozenset(s.watched_ids),
            dismissed=frozenset(s.dismissed_ids), partners=frozenset(p.user.id for p in s.partners),
            watchlist=frozenset(e.movie_id for e in s.watchlist),
        )
        if len(self._cache) > 50_000:
            self._cache.clear()
        if generation is not None:
            self._cache[user_id] = (time.monotonic(), generation, taste)
        return taste

    async def evening(self, user_id: str, evening_id: str) -> users_pb2.Evening:
        """The evening as its member `user_id` may see it (users service GetEvening, never cached: its
        version keys the answer); NOT_FOUND / PERMISSION_DENIED as the users service says."""
        try:
            return await self.stub.GetEvening(users_pb2.GetEveningRequest(evening_id=evening_id),
                                              timeout=self.timeout_s, metadata=auth.call_metadata(self.token, user_id))
        except grpc.aio.AioRpcError as e:
            code = e.code()
            if code == grpc.StatusCode.NOT_FOUND:
                raise NotFound(e.details() or "This evening has ended.") from None
            if code in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.INVALID_ARGUMENT):
                raise PermissionDenied(e.details() or "Only the evening's members can see it.") from None
            if code == grpc.StatusCode.UNAUTHENTICATED:
                raise Unauthenticated("This account no longer exists.") from None
            raise Unavailable(f"the users service is unavailable ({code.name}); try again") from None
