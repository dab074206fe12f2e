from __future__ import annotations

import strawberry
from movierec.users.v1 import users_pb2

from services.gateway.types.comment import Comment
from services.gateway.types.comment_edge import CommentEdge
from services.gateway.types.page_info import PageInfo


@strawberry.type(description="A page of a film's comments, newest first (Relay-style connection).")
class CommentConnection:
    edges: list[CommentEdge]
    nodes: list[Comment] = strawberry.field(description="The edges' comments, for callers that need no cursors.")
    page_info: PageInfo
    total_count: int = strawberry.field(description="The film's comments, over all pages.")

    @classmethod
    def from_proto(cls, resp: users_pb2.ListCommentsResponse, *, after_given: bool) -> CommentConnection:
        nodes = [Comment.from_proto(c) for c in resp.comments]
        end_cursor = resp.next_page_token or None  # the users service's page token, passed through as is
        edges = [
            CommentEdge(node=node, cursor=end_cursor if i == len(nodes) - 1 else None) for i, node in enumerate(nodes)
        ]
        return cls(
            edges=edges,
            nodes=nodes,
            page_info=PageInfo(
                has_next_page=resp.has_next_page,
                has_previous_page=after_given,
                start_cursor=None,
                end_cursor=end_cursor,
            ),
            total_count=resp.total_count,
        )
