"""The five zones and onboarding, one module each; what they share is in `common`, what a good,
trusted or hidden film is in services/recommender/quality.py, every reason sentence in
services/recommender/reasons.py. The gRPC edge (servicer.py) checks arguments and identity and calls
`Zones`.

Every zone leaves out what the asking user has rated, dismissed or marked watched unless asked to
include it (Together: what any member has), and every result carries at least one reason.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

import asyncpg
from movierec.recommender.v1 import recommender_pb2 as pb

from services.recommender import gem_ceiling
from services.recommender.films import Films
from services.recommender.tastes import Taste
from services.recommender.zones import for_you, hidden_gems, similar, together, vibe
from services.recommender.zones.common import ZoneContext
from services.recommender.zones.similar import DEFAULT_WEIGHTS, normalise_weights
from services.recommender.zones.together import MAX_GROUP

__all__ = ["DEFAULT_WEIGHTS", "MAX_GROUP", "Zones", "normalise_weights"]


class Zones:
    def __init__(self, pool: asyncpg.Pool, films: Films, state: Callable, encode_text: Callable[[str], asyncio.Future],
                 ) -> None:
        self.ctx = ZoneContext(pool, films, state, encode_text)

    async def similar(self, movie_id: int, k: int, weights: dict[str, float], taste: Taste | None,
                      include_seen: bool) -> list[pb.Recommendation]:
        return await similar.similar(self.ctx, movie_id, k, weights, taste, include_seen)

    async def hidden_gems(self, movie_id: int | None, k: int, ceiling: float | None, taste: Taste | None,
                          include_seen: bool) -> list[pb.Recommendation]:
        return await hidden_gems.hidden_gems(self.ctx, movie_id, k, ceiling, taste, include_seen)

    async def for_you(self, taste: Taste, k: int, include_seen: bool) -> list[pb.Recommendation]:
        return await for_you.for_you(self.ctx, taste, k, include_seen)

    async def onboarding(self, k: int, taste: Taste | None) -> list[pb.Recommendation]:
        return await for_you.onboarding(self.ctx, k, taste)

    async def vibe(self, text: str, k: int, taste: Taste | None, include_seen: bool) -> pb.RecommendationList:
        return await vibe.vibe(self.ctx, text, k, taste, include_seen)

    async def gem_ceiling_scale(self, user_id: str | None) -> pb.GemCeilingScaleResponse:
        learnt = await gem_ceiling.ceiling_of(self.ctx.pool, user_id) if user_id is not None else None
        return hidden_gems.ceiling_scale(self.ctx, learnt)

    async def together(self, caller: Taste, members: Sequence[Taste], k: int, vibe: str | None = None, *,
                       evening_members: frozenset[str] = frozenset(),
                       ) -> list[pb.Recommendation] | pb.RecommendationList:
        return await together.together(self.ctx, caller, members, k, vibe, evening_members=evening_members)
