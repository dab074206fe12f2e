"""Resolvers of the signed-in user's film state: rateMovie and the list actions (clearRating,
addFavorite, addToWatchlist, markWatched, dismissMovie, openMovie, ...). Each spends a token of the
user's write bucket, calls the users service (the authority on ranges: INVALID_ARGUMENT comes back as
BAD_USER_INPUT) and makes a later `me` in the request read the state afresh."""

from __future__ import annotations

import math

from services.gateway.clients.users import MOVIE_ACTIONS
from services.gateway.context import GatewayContext
from services.gateway.errors import BadUserInput
from services.gateway.resolvers import rate_limits
from services.gateway.types.user_rating import UserRating
from services.gateway.types.zone import Zone, zone_to_proto
from services.gateway.validation import parse_movie_id


async def resolve_rate_movie(ctx: GatewayContext, movie_id: str, value: float, zone: Zone | None) -> UserRating:
    user_id = ctx.require_user(guest_ok=True)  # a Tonight guest rates a few films so the evening knows them
    mid = parse_movie_id(movie_id)
    if not math.isfinite(value):
        raise BadUserInput("`value` must be a finite number.")
    await rate_limits.write(ctx, user_id)
    rating = await ctx.users.rate_movie(user_id, mid, value, zone_to_proto(zone))
    ctx.forget_state()
    return UserRating.from_proto(rating)


async def resolve_movie_action(ctx: GatewayContext, action: str, movie_id: str, zone: Zone | None) -> bool:
    """One of clients.users.MOVIE_ACTIONS (clearRating, addFavorite, ...): whether it changed anything."""
    assert action in MOVIE_ACTIONS, action
    user_id = ctx.require_user()
    mid = parse_movie_id(movie_id)
    await rate_limits.write(ctx, user_id)
    changed = await ctx.users.movie_action(action, user_id, mid, zone_to_proto(zone))
    ctx.forget_state()
    return changed
