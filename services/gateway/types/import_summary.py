from __future__ import annotations

from datetime import datetime

import strawberry
from movierec.users.v1 import users_pb2

from services.gateway.timestamps import to_datetime


@strawberry.type(description="What confirmImport wrote.")
class ImportSummary:
    preview_id: strawberry.ID
    ratings_written: int = strawberry.field(description="New or changed ratings.")
    watched_written: int
    watchlist_written: int
    unchanged: int = strawberry.field(description="Actions of the preview that found nothing left to change.")
    already_confirmed: bool = strawberry.field(
        description="The preview had been confirmed before: this call wrote nothing and answers that summary.")
    confirmed_at: datetime

    @classmethod
    def from_proto(cls, s: users_pb2.ImportSummary) -> ImportSummary:
        return cls(preview_id=strawberry.ID(s.preview_id), ratings_written=s.ratings_written,
                   watched_written=s.watched_written, watchlist_written=s.watchlist_written, unchanged=s.unchanged,
                   already_confirmed=s.already_confirmed, confirmed_at=to_datetime(s.confirmed_at))
