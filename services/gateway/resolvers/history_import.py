"""Resolvers of the history import: previewImport (a file upload) and confirmImport.

The file travels as a GraphQL multipart request (the `Upload` scalar) to `/graphql/upload`, the one
route whose body may exceed the 64 KiB of `/graphql` (app.py). Here it is read up to the limit
(kit.limits.IMPORT_FILE_MAX_BYTES; BAD_USER_INPUT with `extensions.limit` beyond it), one token of the
user's import bucket is spent, and the bytes go to the users service, which reads, matches and
stores the preview. Both calls are the signed-in user's own (a Tonight guest: FORBIDDEN)."""

from __future__ import annotations

from typing import Any

from services.gateway.context import GatewayContext
from services.gateway.resolvers import rate_limits
from services.gateway.types.import_preview import ImportPreview
from services.gateway.types.import_summary import ImportSummary
from services.gateway.validation import parse_preview_id, read_import_upload


async def resolve_preview_import(ctx: GatewayContext, file: Any) -> ImportPreview:
    user_id = ctx.require_user()
    data, file_name = await read_import_upload(file)
    await rate_limits.history_import(ctx, user_id)
    return ImportPreview.from_proto(await ctx.users.preview_import(user_id, data, file_name))


async def resolve_confirm_import(ctx: GatewayContext, preview_id: str) -> ImportSummary:
    user_id = ctx.require_user()
    pid = parse_preview_id(preview_id)
    await rate_limits.history_import(ctx, user_id)
    summary = await ctx.users.confirm_import(user_id, pid)
    ctx.forget_state()
    return ImportSummary.from_proto(summary)
