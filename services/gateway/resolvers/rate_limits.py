"""The rate limits (rate_limit.py) a resolver spends before it calls a backend: a token of the client's
or the user's bucket, or RATE_LIMITED with `retryAfter`. A context without limits (a test that builds
one by hand) spends nothing."""

from __future__ import annotations

from services.gateway.context import GatewayContext


async def registration(ctx: GatewayContext) -> None:
    if ctx.limits is not None:
        await ctx.limits.registration(ctx.client_address)


async def sign_in(ctx: GatewayContext) -> None:
    """A login, and the calls that check the current password (changePassword, deleteAccount): with a
    stolen access token those would be a way to guess it, so they draw on the client's sign-in bucket."""
    if ctx.limits is not None:
        await ctx.limits.sign_in_attempt(ctx.client_address)


async def write(ctx: GatewayContext, user_id: str) -> None:
    if ctx.limits is not None:
        await ctx.limits.write(user_id)


async def comment(ctx: GatewayContext, user_id: str) -> None:
    if ctx.limits is not None:
        await ctx.limits.comment(user_id)


async def history_import(ctx: GatewayContext, user_id: str) -> None:
    if ctx.limits is not None:
        await ctx.limits.history_import(user_id)
