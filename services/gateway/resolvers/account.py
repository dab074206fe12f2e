"""Resolvers of accounts and sessions (register, login, refreshToken, logout, changePassword,
deleteAccount) and of `me`: check the caller, call the users service, shape the result.

The users service is the authority on every rule (lengths, password policy, who may do what): its
INVALID_ARGUMENT / ALREADY_EXISTS / FAILED_PRECONDITION come back as BAD_USER_INPUT with its message
(errors.py). Nothing here is cached: all of it is private to a user or changes with every write.
"""

from __future__ import annotations

from services.gateway.context import GatewayContext
from services.gateway.rate_limit import backend_retry_after
from services.gateway.resolvers import rate_limits
from services.gateway.types.auth_payload import AuthPayload
from services.gateway.types.me import Me

# ---------------------------------------------------------------- identity (no token needed)


async def resolve_register(ctx: GatewayContext, username: str, password: str) -> AuthPayload:
    await rate_limits.registration(ctx)
    with backend_retry_after():
        return AuthPayload.from_proto(await ctx.users.register(username, password, ctx.client_address))


async def resolve_login(ctx: GatewayContext, username: str, password: str) -> AuthPayload:
    """Every attempt takes a token of the client's sign-in bucket; the users service then throttles the
    (account, address) pair: both answer RATE_LIMITED with extensions.retryAfter."""
    await rate_limits.sign_in(ctx)
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


async def resolve_change_password(ctx: GatewayContext, current_password: str, new_password: str) -> bool:
    user_id = ctx.require_user()
    await rate_limits.sign_in(ctx)
    with backend_retry_after():
        await ctx.users.change_password(user_id, current_password, new_password)
    return True


async def resolve_delete_account(ctx: GatewayContext, password: str) -> bool:
    user_id = ctx.require_user()
    await rate_limits.sign_in(ctx)
    with backend_retry_after():
        await ctx.users.delete_account(user_id, password)
    ctx.forget_state()
    return True
