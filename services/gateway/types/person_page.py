from __future__ import annotations

import strawberry
from movierec.catalog.v1 import catalog_pb2

from services.gateway.types.credit import Credit
from services.gateway.types.person import Person


@strawberry.type(description="A person and their filmography in the catalogue.")
class PersonPage:
    person: Person
    directed: list[Credit] = strawberry.field(description="Films they directed, in the requested order.")
    acted: list[Credit] = strawberry.field(description="Films they are in the cast of, in the requested order.")

    @classmethod
    def from_proto(cls, detail: catalog_pb2.PersonDetail) -> PersonPage:
        return cls(
            person=Person.from_proto(detail.person),
            directed=[Credit.from_proto(c) for c in detail.directed],
            acted=[Credit.from_proto(c) for c in detail.acted],
        )
