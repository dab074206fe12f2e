"""Resolvers of the comment mutations (addComment, editComment, deleteComment). Reading a film's
comments is `Movie.comments` (types/movie.py). The users service checks bodies and ownership
(INVALID_ARGUMENT -> BAD_USER_INPUT, PERMISSION_DENIED -> FORBIDDEN)."""

from __future__ import annotations

from services.gateway.context import GatewayContext
from services.gateway.resolvers import rate_limits
from services.gateway.types.comment import Comment
from services.gateway.validation import parse_movie_id


async def resolve_add_comment(ctx: GatewayContext, movie_id: str, body: str,
                              idempotency_key: str | None = None) -> Comment:
    user_id = ctx.require_user()
    mid = parse_movie_id(movie_id)
    await rate_limits.comment(ctx, user_id)
    added = await ctx.users.add_comment(user_id, mid, body, idempotency_key or "")
    ctx.comments_loader.clear_all()  # a later Movie.comments in this request reads the change
    return Comment.from_proto(added)


async def resolve_edit_comment(ctx: GatewayContext, comment_id: str, body: str) -> Comment:
    user_id = ctx.require_user()
    await rate_limits.comment(ctx, user_id)
    edited = await ctx.users.edit_comment(user_id, str(comment_id), body)
    ctx.comments_loader.clear_all()
    return Comment.from_proto(edited)


async def resolve_delete_comment(ctx: GatewayContext, comment_id: str) -> bool:
    user_id = ctx.require_user()
    await rate_limits.write(ctx, user_id)
    await ctx.users.delete_comment(user_id, str(comment_id))
    ctx.comments_loader.clear_all()
    return True
