"""Resolvers of accounts, auth and the signed-in user's film state: check the caller and the cheap
arguments, call the users service, shape the result.

The users service is the authority on every rule (lengths, ranges, who may do what): its
INVALID_ARGUMENT / ALREADY_EXISTS / FAILED_PRECONDITION come back as BAD_USER_INPUT with its message
(errors.py). Nothing here is cached: all of it is private to a user or changes with every write.
"""

from __future__ import annotations

import math

from services.gateway.clients.users import MOVIE_ACTIONS
from services.gateway.context import GatewayContext
from services.gateway.errors import BadUserInput
from services.gateway.rate_limit import backend_retry_after
from services.gateway.types.auth_payload import AuthPayload
from services.gateway.types.comment import Comment
from services.gateway.types.invite import Invite
from services.gateway.types.me import Me
from services.gateway.types.partner import Partner
from services.gateway.types.user_rating import UserRating
from services.gateway.types.zone import Zone, zone_to_proto
from services.gateway.validation import parse_movie_id

# ---------------------------------------------------------------- identity (no token needed)


async def resolve_register(ctx: GatewayContext, username: str, password: str) -> AuthPayload:
    if ctx.limits is not None:
        await ctx.limits.registration(ctx.client_address)
    with backend_retry_after():
        return AuthPayload.from_proto(await ctx.users.register(username, password, ctx.client_address))


async def resolve_login(ctx: GatewayContext, username: str, password: str) -> AuthPayload:
    """Every attempt takes a token of the client's sign-in bucket; the users service then throttles the
    (account, address) pair: both answer RATE_LIMITED with extensions.retryAfter."""
    if ctx.limits is not None:
        await ctx.limits.sign_in_attempt(ctx.client_address)
    with backend_retry_after():
        return AuthPayload.from_proto(await ctx.users.login(username, password, ctx.client_address))


async def resolve_refresh_token(ctx: GatewayContext, refresh_token: str) -> AuthPayload:
    return AuthPayload.from_proto(await ctx.users.refresh_token(refresh_token))


async def resolve_logout(ctx: GatewayContext, refresh_token: str) -> bool:
    await ctx.users.logout(refresh_token)
    return True


# ---------------------------------------------------------------- the signed-in user


async def resolve_me(ctx: GatewayContext) -> Me:
    return Me.from_proto(await ctx.user_state())


async def _write(ctx: GatewayContext, user_id: str) -> None:
    if ctx.limits is not None:
        await ctx.limits.write(user_id)


async def _password_check(ctx: GatewayContext) -> None:
    """changePassword and deleteAccount check the current password: with a stolen access token they
    would be a way to guess it, so they draw on the client's sign-in bucket like a login."""
    if ctx.limits is not None:
        await ctx.limits.sign_in_attempt(ctx.client_address)


async def resolve_change_password(ctx: GatewayContext, current_password: str, new_password: str) -> bool:
    user_id = ctx.require_user()
    await _password_check(ctx)
    with backend_retry_after():
        await ctx.users.change_password(user_id, current_password, new_password)
    return True


async def resolve_delete_account(ctx: GatewayContext, password: str) -> bool:
    user_id = ctx.require_user()
    await _password_check(ctx)
    with backend_retry_after():
        await ctx.users.delete_account(user_id, password)
    ctx.forget_state()
    return True


async def resolve_rate_movie(ctx: GatewayContext, movie_id: str, value: float, zone: Zone | None) -> UserRating:
    user_id = ctx.require_user()
    mid = parse_movie_id(movie_id)
    if not math.isfinite(value):
        raise BadUserInput("`value` must be a finite number.")
    await _write(ctx, user_id)
    rating = await ctx.users.rate_movie(user_id, mid, value, zone_to_proto(zone))
    ctx.forget_state()
    return UserRating.from_proto(rating)


async def resolve_movie_action(ctx: GatewayContext, action: str, movie_id: str, zone: Zone | None) -> bool:
    """One of clients.users.MOVIE_ACTIONS (clearRating, addFavorite, ...): whether it changed anything."""
    assert action in MOVIE_ACTIONS, action
    user_id = ctx.require_user()
    mid = parse_movie_id(movie_id)
    await _write(ctx, user_id)
    changed = await ctx.users.movie_action(action, user_id, mid, zone_to_proto(zone))
    ctx.forget_state()
    return changed


# ---------------------------------------------------------------- comments


async def resolve_add_comment(ctx: GatewayContext, movie_id: str, body: str) -> Comment:
    user_id = ctx.require_user()
    mid = parse_movie_id(movie_id)
    if ctx.limits is not None:
        await ctx.limits.comment(user_id)
    added = await ctx.users.add_comment(user_id, mid, body)
    ctx.comments_loader.clear_all()  # a later Movie.comments in this request reads the change
    return Comment.from_proto(added)


async def resolve_edit_comment(ctx: GatewayContext, comment_id: str, body: str) -> Comment:
    user_id = ctx.require_user()
    if ctx.limits is not None:
        await ctx.limits.comment(user_id)
    edited = await ctx.users.edit_comment(user_id, str(comment_id), body)
    ctx.comments_loader.clear_all()
    return Comment.from_proto(edited)


async def resolve_delete_comment(ctx: GatewayContext, comment_id: str) -> bool:
    user_id = ctx.require_user()
    await _write(ctx, user_id)
    await ctx.users.delete_comment(user_id, str(comment_id))
    ctx.comments_loader.clear_all()
    return True


# ---------------------------------------------------------------- partners


async def resolve_create_invite(ctx: GatewayContext) -> Invite:
    user_id = ctx.require_user()
    await _write(ctx, user_id)
    return Invite.from_proto(await ctx.users.create_invite(user_id))


async def resolve_accept_invite(ctx: GatewayContext, code: str) -> Partner:
    user_id = ctx.require_user()
    await _write(ctx, user_id)
    partner = await ctx.users.accept_invite(user_id, code)
    ctx.forget_state()
    return Partner.from_proto(partner)


async def resolve_unlink_partner(ctx: GatewayContext, partner_id: str) -> bool:
    user_id = ctx.require_user()
    await _write(ctx, user_id)
    await ctx.users.unlink_partner(user_id, str(partner_id))
    ctx.forget_state()
    return True
