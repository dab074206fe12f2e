from __future__ import annotations

import strawberry
from movierec.catalog.v1 import catalog_pb2


@strawberry.type(description="A genre and the number of films in it.")
class Genre:
    name: str
    movie_count: int

    @classmethod
    def from_proto(cls, genre: catalog_pb2.Genre) -> Genre:
        return cls(name=genre.name, movie_count=genre.movie_count)
