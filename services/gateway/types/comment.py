from __future__ import annotations

from datetime import datetime

import strawberry
from movierec.users.v1 import users_pb2

from services.gateway.timestamps import to_datetime, to_optional_datetime
from services.gateway.types.user import User


@strawberry.type(description="A user's comment on a film.")
class Comment:
    id: strawberry.ID
    body: str
    author: User
    created_at: datetime
    edited_at: datetime | None = strawberry.field(description="Null until the comment is edited.")
    movie_id: strawberry.ID

    @classmethod
    def from_proto(cls, comment: users_pb2.Comment) -> Comment:
        return cls(
            id=strawberry.ID(comment.id),
            body=comment.body,
            author=User.from_proto(comment.author),
            created_at=to_datetime(comment.created_at),
            edited_at=to_optional_datetime(comment, "edited_at"),
            movie_id=strawberry.ID(str(comment.movie_id)),
        )
