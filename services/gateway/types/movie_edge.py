from __future__ import annotations

import strawberry
from movierec.catalog.v1 import catalog_pb2

from services.gateway.types.movie import Movie
from services.gateway.types.person_match import PersonMatch
from services.gateway.validation import encode_cursor


@strawberry.type(description="A film in a search result, with the cursor to resume after it.")
class MovieEdge:
    node: Movie
    cursor: str
    matched_person: PersonMatch | None = strawberry.field(
        default=None,
        description="Why the film matched the query, when a person did: the director or billed cast member"
        " whose name matched, set only when that person is what ranked the film (their score is at least the"
        " title's). Null when the title matched better, and when browsing without a query.",
    )

    @classmethod
    def from_proto(cls, hit: catalog_pb2.SearchHit) -> MovieEdge:
        return cls(
            node=Movie.from_proto(hit.movie),
            cursor=encode_cursor(hit.cursor),
            matched_person=PersonMatch.from_proto(hit.matched_person) if hit.HasField("matched_person") else None,
        )
