from __future__ import annotations

from datetime import datetime

import strawberry
from movierec.users.v1 import users_pb2

from services.gateway.timestamps import to_datetime
from services.gateway.types.import_counts import ImportCounts
from services.gateway.types.import_row import ImportRow


@strawberry.type(description="What importing a file would change; nothing is written until confirmImport(id).")
class ImportPreview:
    id: strawberry.ID = strawberry.field(description="Pass to confirmImport within the hour.")
    source: str = strawberry.field(description="`letterboxd` or `imdb`.")
    file_name: str
    counts: ImportCounts
    rows: list[ImportRow] = strawberry.field(description="Every row of the file, in file order.")
    expires_at: datetime

    @classmethod
    def from_proto(cls, p: users_pb2.ImportPreview) -> ImportPreview:
        return cls(id=strawberry.ID(p.id), source=p.source, file_name=p.file_name,
                   counts=ImportCounts.from_proto(p.counts), rows=[ImportRow.from_proto(r) for r in p.rows],
                   expires_at=to_datetime(p.expires_at))
