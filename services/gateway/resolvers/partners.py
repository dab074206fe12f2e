"""Resolvers of partner links for Together (createInvite, acceptInvite, unlinkPartner). The users
service owns the rules (codes, limits: RESOURCE_EXHAUSTED -> RATE_LIMITED; unknown codes: NOT_FOUND)."""

from __future__ import annotations

from services.gateway.context import GatewayContext
from services.gateway.resolvers import rate_limits
from services.gateway.types.invite import Invite
from services.gateway.types.partner import Partner


async def resolve_create_invite(ctx: GatewayContext, idempotency_key: str | None = None) -> Invite:
    user_id = ctx.require_user()
    await rate_limits.write(ctx, user_id)
    return Invite.from_proto(await ctx.users.create_invite(user_id, idempotency_key or ""))


async def resolve_accept_invite(ctx: GatewayContext, code: str) -> Partner:
    user_id = ctx.require_user()
    await rate_limits.write(ctx, user_id)
    partner = await ctx.users.accept_invite(user_id, code)
    ctx.forget_state()
    return Partner.from_proto(partner)


async def resolve_unlink_partner(ctx: GatewayContext, partner_id: str) -> bool:
    user_id = ctx.require_user()
    await rate_limits.write(ctx, user_id)
    await ctx.users.unlink_partner(user_id, str(partner_id))
    ctx.forget_state()
    return True
