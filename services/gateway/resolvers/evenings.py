"""Resolvers of Tonight (startEvening, joinEvening, joinEveningAsGuest, voteOnPick, evening, eveningInvite,
and the `evening` subscription's snapshots). The users service owns the evening, its members, its link and
its votes; the recommender owns the list (TogetherRequest.evening_id: the members' Together picks with the
votes applied). A guest's token acts only in its own evening (FORBIDDEN elsewhere: context.py)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from movierec.users.v1 import users_pb2

from services.gateway.context import GUEST_MESSAGE, GatewayContext
from services.gateway.errors import BadUserInput, Forbidden, Unauthenticated
from services.gateway.metrics import EVENING_SUBSCRIPTIONS
from services.gateway.resolvers import rate_limits
from services.gateway.resolvers.recommendations import Wants, to_recommendations
from services.gateway.types.evening import PICKS_DEFAULT, Evening
from services.gateway.types.evening_invite import EveningInvite
from services.gateway.types.evening_pick import EveningPick, EveningPickVote
from services.gateway.types.evening_vote import EveningVote, vote_from_proto, vote_to_proto
from services.gateway.types.guest_payload import GuestPayload
from services.gateway.types.zone import Zone
from services.gateway.validation import parse_evening_id, parse_join_token, parse_movie_id, validate_optional_vibe

PICKS_MAX = 50


def _member_of(ctx: GatewayContext, evening_id: str) -> str:
    """The caller, who may act in `evening_id`: an account (the users service checks membership) or the
    guest of this very evening."""
    user_id = ctx.require_user(guest_ok=True)
    guest_of = ctx.guest_evening()
    if guest_of and guest_of != evening_id:
        raise Forbidden(GUEST_MESSAGE)
    return user_id


async def resolve_start_evening(ctx: GatewayContext, mood: str | None) -> Evening:
    user_id = ctx.require_user()  # a guest cannot start one
    await rate_limits.write(ctx, user_id)
    return _evening(ctx, await ctx.users.start_evening(user_id, validate_optional_vibe(mood) or ""), user_id)


async def resolve_evening(ctx: GatewayContext, evening_id: str) -> Evening:
    eid = parse_evening_id(evening_id)
    user_id = _member_of(ctx, eid)
    return _evening(ctx, await ctx.users.get_evening(user_id, eid), user_id)


async def resolve_evening_invite(ctx: GatewayContext, token: str) -> EveningInvite:
    return EveningInvite.from_proto(await ctx.users.peek_evening(parse_join_token(token)))


async def resolve_join_evening(ctx: GatewayContext, token: str) -> Evening:
    user_id = ctx.require_user(guest_ok=True)  # a guest re-opening their own link; another evening: refused
    await rate_limits.write(ctx, user_id)
    return _evening(ctx, await ctx.users.join_evening(user_id, parse_join_token(token)), user_id)


async def resolve_join_evening_as_guest(ctx: GatewayContext, token: str, name: str) -> GuestPayload:
    """A new guest account: it draws on the client's registration bucket, as signing up does."""
    await rate_limits.registration(ctx)
    session = await ctx.users.join_evening_as_guest(parse_join_token(token), name, ctx.client_address)
    return GuestPayload.from_proto(session, _evening(ctx, session.evening, session.user.id))


async def resolve_vote(ctx: GatewayContext, evening_id: str, movie_id: str, vote: EveningVote | None) -> Evening:
    eid = parse_evening_id(evening_id)
    user_id = _member_of(ctx, eid)
    mid = parse_movie_id(movie_id)
    await rate_limits.write(ctx, user_id)
    return _evening(ctx, await ctx.users.vote_evening(user_id, eid, mid, vote_to_proto(vote)), user_id)


def _evening(ctx: GatewayContext, proto: users_pb2.Evening, viewer_id: str) -> Evening:
    """The Evening type, its list loaded on demand (`picks` and `matches` of one page size share one
    recommender call)."""
    pages: dict[int, asyncio.Future[list[EveningPick]]] = {}

    async def load(evening: Evening, first: int | None) -> list[EveningPick]:
        k = PICKS_DEFAULT if first is None else first
        if not 1 <= k <= PICKS_MAX:
            raise BadUserInput(f"`first` must be between 1 and {PICKS_MAX} (got {k}).")
        if k not in pages:
            pages[k] = asyncio.ensure_future(_picks(ctx, evening, k))
        return await asyncio.shield(pages[k])

    return Evening.from_proto(proto, viewer_id, load)


async def _picks(ctx: GatewayContext, evening: Evening, k: int) -> list[EveningPick]:
    """The evening's list for its viewer, each pick with every member's vote."""
    resp = await ctx.recommender.evening(evening.viewer_id, str(evening.id), k)
    recs = await to_recommendations(ctx, resp, default_zone=Zone.TOGETHER, wants=Wants())
    votes: dict[int, dict[str, EveningVote]] = {}
    for v in evening.proto.votes:
        if (one := vote_from_proto(v.vote)) is not None:
            votes.setdefault(v.movie_id, {})[v.user_id] = one
    picks = []
    for rec in recs:
        mid = int(rec.movie.id)
        said = votes.get(mid, {})
        entries = [EveningPickVote(member=m, vote=said[str(m.user.id)]) for m in evening.members
                   if str(m.user.id) in said]
        match = bool(evening.members) and all(said.get(str(m.user.id)) is EveningVote.YES for m in evening.members)
        picks.append(EveningPick(recommendation=rec, votes=entries, match=match and len(evening.members) > 1,
                                 my_vote=said.get(evening.viewer_id)))
    return picks


async def follow(ctx: GatewayContext, evening_id: str) -> AsyncIterator[Evening]:
    """The evening now, then after each change this process hears of (evening_hub.py). A snapshot is keyed
    by the evening's version (joins and votes) and what its list is computed from: the members'
    generations, the catalogue's and what the recommender serves (one Redis read, answer_versions); a key
    already sent is not sent again, so a guest's rating taken in by the recommender after the evening was
    read pushes once more. Until the caller's access token expires: the subscription then ends with
    UNAUTHENTICATED and the client reconnects with a fresh token."""
    eid = parse_evening_id(evening_id)
    user_id = _member_of(ctx, eid)
    last: tuple[int, list[str] | None] | None = None
    with ctx.evenings.watch(eid) as changed:
        EVENING_SUBSCRIPTIONS.inc()
        try:
            while True:
                changed.clear()
                proto = await ctx.users.get_evening(user_id, eid)
                # Read before the list is (the picks resolve after the yield): the list is at least as new.
                key = (proto.version, await ctx.cache.answer_versions([m.user.id for m in proto.members]))
                if key != last:
                    last = key
                    yield _evening(ctx, proto, user_id)
                left = ctx.token_seconds_left()
                if left <= 0:
                    raise Unauthenticated("Access token expired; reconnect with a fresh one.")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(changed.wait(), timeout=left)
        finally:
            EVENING_SUBSCRIPTIONS.dec()
