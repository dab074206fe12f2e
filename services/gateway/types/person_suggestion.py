from __future__ import annotations

import strawberry
from movierec.catalog.v1 import catalog_pb2

from services.gateway.types.credit import Credit
from services.gateway.types.person import Person


@strawberry.type(description="A person suggested while typing, with what they are best known for.")
class PersonSuggestion:
    person: Person
    known_for: Credit = strawberry.field(
        description="Their best-known credit: the film with the most TMDb votes, weighed by how central they are"
        " to it (a director fully, cast by billing)."
    )
    film_count: int = strawberry.field(description="Films they are credited on, as director or cast.")

    @classmethod
    def from_proto(cls, s: catalog_pb2.PersonSuggestion) -> PersonSuggestion:
        return cls(person=Person.from_proto(s.person), known_for=Credit.from_proto(s.known_for),
                   film_count=s.film_count)
