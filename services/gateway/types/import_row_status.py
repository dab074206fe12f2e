from __future__ import annotations

from enum import Enum

import strawberry
from movierec.users.v1 import users_pb2


@strawberry.enum(description="What became of one row of an imported file.")
class ImportRowStatus(Enum):
    MATCHED = strawberry.enum_value("MATCHED", description="Matched to a catalogue film (`movie`).")
    NOT_IN_CATALOGUE = strawberry.enum_value("NOT_IN_CATALOGUE", description="No catalogue film fits.")
    AMBIGUOUS = strawberry.enum_value("AMBIGUOUS", description="Several catalogue films fit (`candidates`).")
    NOT_A_FILM = strawberry.enum_value("NOT_A_FILM", description="An IMDb TV series, episode, game ...")
    BAD_ROW = strawberry.enum_value("BAD_ROW", description="The row cannot be read (`reason` says why).")

    @classmethod
    def from_proto(cls, value: users_pb2.ImportRowStatus.ValueType) -> ImportRowStatus:
        return _FROM_PROTO[value]


_FROM_PROTO = {
    users_pb2.IMPORT_ROW_STATUS_MATCHED: ImportRowStatus.MATCHED,
    users_pb2.IMPORT_ROW_STATUS_NOT_IN_CATALOGUE: ImportRowStatus.NOT_IN_CATALOGUE,
    users_pb2.IMPORT_ROW_STATUS_AMBIGUOUS: ImportRowStatus.AMBIGUOUS,
    users_pb2.IMPORT_ROW_STATUS_NOT_A_FILM: ImportRowStatus.NOT_A_FILM,
    users_pb2.IMPORT_ROW_STATUS_BAD_ROW: ImportRowStatus.BAD_ROW,
}
