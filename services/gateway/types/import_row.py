from __future__ import annotations

import asyncio

import strawberry
from movierec.users.v1 import users_pb2
from strawberry.types import Info

from services.gateway.context import GatewayContext
from services.gateway.types.import_change import ImportChange
from services.gateway.types.import_row_status import ImportRowStatus
from services.gateway.types.movie import Movie


@strawberry.type(description="One row of an imported file, as the preview shows it.")
class ImportRow:
    file: str = strawberry.field(description="The file of the export it comes from: ratings.csv, watched.csv ...")
    line: int = strawberry.field(description="Its line in that file (the header is line 1).")
    action: str = strawberry.field(description="`rate`, `watched` or `watchlist`.")
    title: str = strawberry.field(description="The title as the file writes it.")
    year: int | None
    imdb_id: str | None
    rating: float | None = strawberry.field(description="The file's rating on our 0.5-5 scale.")
    status: ImportRowStatus
    reason: str = strawberry.field(description="How it matched, or why not.")
    change: ImportChange | None = strawberry.field(description="What a confirm does with it (matched rows).")
    current_rating: float | None = strawberry.field(description="Your rating of the film now, if any.")
    movie_id: strawberry.ID | None
    candidate_ids: list[strawberry.ID]

    @strawberry.field(description="The matched film.")
    async def movie(self, info: Info[GatewayContext, None]) -> Movie | None:
        return await Movie.load(info.context, int(self.movie_id)) if self.movie_id else None

    @strawberry.field(description="The films an ambiguous row could be, most voted first (at most 10).")
    async def candidates(self, info: Info[GatewayContext, None]) -> list[Movie]:
        films = await asyncio.gather(*(Movie.load(info.context, int(i)) for i in self.candidate_ids))
        return [f for f in films if f is not None]

    @classmethod
    def from_proto(cls, r: users_pb2.ImportRow) -> ImportRow:
        return cls(
            file=r.file, line=r.line, action=r.action, title=r.title,
            year=r.year if r.HasField("year") else None, imdb_id=r.imdb_id or None,
            rating=r.rating if r.HasField("rating") else None, status=ImportRowStatus.from_proto(r.status),
            reason=r.reason, change=ImportChange.from_proto(r.change),
            current_rating=r.current_rating if r.HasField("current_rating") else None,
            movie_id=strawberry.ID(str(r.movie_id)) if r.movie_id else None,
            candidate_ids=[strawberry.ID(str(i)) for i in r.candidate_ids],
        )
