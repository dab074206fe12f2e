from __future__ import annotations

import strawberry
from movierec.catalog.v1 import catalog_pb2

from services.gateway.types.movie import Movie
from services.gateway.types.person_suggestion import PersonSuggestion


@strawberry.type(description="Typeahead: films and people for a query being typed, best known first.")
class Suggestions:
    movies: list[Movie] = strawberry.field(description="Films with a title word starting with each query word.")
    people: list[PersonSuggestion] = strawberry.field(
        description="People with a name word starting with each query word."
    )

    @classmethod
    def from_proto(cls, resp: catalog_pb2.SuggestResponse) -> Suggestions:
        return cls(movies=[Movie.from_proto(m) for m in resp.movies],
                   people=[PersonSuggestion.from_proto(p) for p in resp.people])
