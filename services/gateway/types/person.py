from __future__ import annotations

import strawberry
from movierec.catalog.v1 import catalog_pb2


@strawberry.type(description="A person credited on a film (director or cast member).")
class Person:
    id: strawberry.ID = strawberry.field(
        description="Catalogue id of the person. The source files credit people by name only, so this is"
        " our own id, and two people with the same name share it."
    )
    name: str

    @classmethod
    def from_proto(cls, person: catalog_pb2.Person) -> Person:
        return cls(id=strawberry.ID(str(person.id)), name=person.name)
