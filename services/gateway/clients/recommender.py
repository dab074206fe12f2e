"""The gateway's client of the recommender: the recommendation zones.

Every call goes through a `CallLimiter` (a deadline and a bound on calls in flight on the channel)
and carries the internal service token in metadata (`x-internal-token`). Each method takes the
acting user's id first (`user_id`, verified by the gateway from the access token) and sends it as
`x-user-id`; it is None for an anonymous caller, where a zone allows one (Similar, Vibe, HiddenGems
anchored on a film), and then no `x-user-id` is sent. Request bodies never name the acting user
(recommender.proto). Errors are left as `grpc.aio.AioRpcError` (errors.py maps them).

Results are not cached here: the recommender caches its zone results itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import grpc
from movierec.recommender.v1 import recommender_pb2, recommender_pb2_grpc

from services.gateway.clients.base import TrustedServiceClient

RecommendationList = recommender_pb2.RecommendationList


class RecommenderApi(Protocol):
    """What the resolvers need from the recommender (RecommenderClient; tests may pass anything like it)."""

    async def similar(
        self,
        user_id: str | None,
        movie_id: int,
        first: int,
        *,
        weights: recommender_pb2.AxisWeights | None = None,
        include_seen: bool = False,
    ) -> RecommendationList: ...

    async def hidden_gems(
        self,
        user_id: str | None,
        movie_id: int | None,
        first: int,
        *,
        max_popularity_percentile: float | None = None,
        include_seen: bool = False,
    ) -> RecommendationList: ...

    async def for_you(self, user_id: str, first: int, *, include_seen: bool = False) -> RecommendationList: ...

    async def vibe(
        self, user_id: str | None, text: str, first: int, *, include_seen: bool = False
    ) -> RecommendationList: ...

    async def together(
        self, user_id: str, user_ids: Sequence[str], first: int, *, vibe: str | None = None
    ) -> RecommendationList: ...

    async def evening(self, user_id: str, evening_id: str, first: int) -> RecommendationList: ...

    async def onboarding(self, user_id: str, first: int) -> RecommendationList: ...

    async def gem_ceiling_scale(self, user_id: str | None) -> recommender_pb2.GemCeilingScaleResponse: ...


class RecommenderClient(TrustedServiceClient):
    def __init__(
        self,
        channel: grpc.aio.Channel,
        internal_token: str,
        *,
        timeout_s: float = 5.0,
        max_in_flight: int = 200,
    ) -> None:
        super().__init__(recommender_pb2_grpc.RecommenderServiceStub(channel), internal_token, timeout_s=timeout_s,
                         max_in_flight=max_in_flight)

    async def similar(
        self,
        user_id: str | None,
        movie_id: int,
        first: int,
        *,
        weights: recommender_pb2.AxisWeights | None = None,
        include_seen: bool = False,
    ) -> RecommendationList:
        """Films like `movie_id`. `weights` None (unset): the recommender's default axis weights."""
        request = recommender_pb2.SimilarRequest(movie_id=movie_id, first=first, include_seen=include_seen)
        if weights is not None:
            request.weights.CopyFrom(weights)
        return await self._call("Similar", request, user_id)

    async def hidden_gems(
        self,
        user_id: str | None,
        movie_id: int | None,
        first: int,
        *,
        max_popularity_percentile: float | None = None,
        include_seen: bool = False,
    ) -> RecommendationList:
        """Lesser-known films near `movie_id`, or near the user's taste when `movie_id` is None (a user
        is then required). `max_popularity_percentile` None: the user's adaptive default."""
        request = recommender_pb2.HiddenGemsRequest(
            movie_id=movie_id,
            first=first,
            max_popularity_percentile=max_popularity_percentile,
            include_seen=include_seen,
        )
        return await self._call("HiddenGems", request, user_id)

    async def for_you(self, user_id: str, first: int, *, include_seen: bool = False) -> RecommendationList:
        request = recommender_pb2.ForYouRequest(first=first, include_seen=include_seen)
        return await self._call("ForYou", request, user_id)

    async def vibe(
        self, user_id: str | None, text: str, first: int, *, include_seen: bool = False
    ) -> RecommendationList:
        request = recommender_pb2.VibeRequest(text=text, first=first, include_seen=include_seen)
        return await self._call("Vibe", request, user_id)

    async def together(
        self, user_id: str, user_ids: Sequence[str], first: int, *, vibe: str | None = None
    ) -> RecommendationList:
        """Films for the acting user and `user_ids` (their partners: the recommender checks), in a mood
        when `vibe` is given."""
        request = recommender_pb2.TogetherRequest(user_ids=list(user_ids), first=first, vibe=vibe or "")
        return await self._call("Together", request, user_id)

    async def evening(self, user_id: str, evening_id: str, first: int) -> RecommendationList:
        """Tonight: the evening's Together list for its members, in its mood, its votes applied (the
        recommender asks the users service whether `user_id` is a member)."""
        request = recommender_pb2.TogetherRequest(evening_id=evening_id, first=first)
        return await self._call("Together", request, user_id)

    async def onboarding(self, user_id: str, first: int) -> RecommendationList:
        return await self._call("Onboarding", recommender_pb2.OnboardingRequest(first=first), user_id)

    async def gem_ceiling_scale(self, user_id: str | None) -> recommender_pb2.GemCeilingScaleResponse:
        return await self._call("GemCeilingScale", recommender_pb2.GemCeilingScaleRequest(), user_id)
