from __future__ import annotations

from enum import Enum

import strawberry
from movierec.users.v1 import users_pb2


@strawberry.enum(description="What confirming the import would do with a matched row.")
class ImportChange(Enum):
    NEW = strawberry.enum_value("NEW", description="A rating, watched mark or watchlist entry you do not have yet.")
    CHANGED = strawberry.enum_value(
        "CHANGED", description="Another rating than yours (`currentRating`), or watched and leaving your watchlist.")
    UNCHANGED = strawberry.enum_value("UNCHANGED", description="You have it already: nothing changes.")
    DUPLICATE = strawberry.enum_value("DUPLICATE", description="The same film and action earlier in the file counts.")
    SKIPPED = strawberry.enum_value("SKIPPED", description="On the watchlist but watched in the same export.")

    @classmethod
    def from_proto(cls, value: users_pb2.ImportChange.ValueType) -> ImportChange | None:
        return _FROM_PROTO.get(value)


_FROM_PROTO = {
    users_pb2.IMPORT_CHANGE_NEW: ImportChange.NEW,
    users_pb2.IMPORT_CHANGE_CHANGED: ImportChange.CHANGED,
    users_pb2.IMPORT_CHANGE_UNCHANGED: ImportChange.UNCHANGED,
    users_pb2.IMPORT_CHANGE_DUPLICATE: ImportChange.DUPLICATE,
    users_pb2.IMPORT_CHANGE_SKIPPED: ImportChange.SKIPPED,
}
