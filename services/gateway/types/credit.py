from __future__ import annotations

import strawberry
from movierec.catalog.v1 import catalog_pb2

from services.gateway.types.movie import Movie


@strawberry.type(description="One film a person is credited on.")
class Credit:
    movie: Movie
    role: str = strawberry.field(description='"director" or "cast".')
    billing: int = strawberry.field(description="Cast order, 1 = top billed; 0 for a director.")

    @classmethod
    def from_proto(cls, credit: catalog_pb2.Credit) -> Credit:
        return cls(movie=Movie.from_proto(credit.movie), role=credit.role, billing=credit.billing)
