from __future__ import annotations

import strawberry
from movierec.catalog.v1 import catalog_pb2

from services.gateway.types.person import Person


@strawberry.type(description="The credit through which a film matched a search: who, and how they are credited.")
class PersonMatch:
    person: Person
    role: str = strawberry.field(description='How the person is credited: "director" or "cast".')
    billing: int | None = strawberry.field(
        description="Cast order, 1 = top billed; null for a director."
    )

    @classmethod
    def from_proto(cls, match: catalog_pb2.PersonMatch) -> PersonMatch:
        return cls(
            person=Person.from_proto(match.person),
            role=match.role,
            billing=match.billing if match.role == "cast" and match.billing > 0 else None,
        )
