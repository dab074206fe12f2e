from __future__ import annotations

import strawberry

from services.gateway.types.comment import Comment


@strawberry.type(description="A comment in a page of comments.")
class CommentEdge:
    node: Comment
    cursor: str | None = strawberry.field(
        description="Comments are paged by page, not by comment: only the last edge of a page with a next page"
        " has a cursor (the page's `endCursor`); the others have null."
    )
