from __future__ import annotations

from enum import Enum

import strawberry
from movierec.catalog.v1 import catalog_pb2


@strawberry.enum(description="Order of a person's filmography. Default: YEAR.")
class CreditSort(Enum):
    YEAR = strawberry.enum_value("YEAR", description="Newest first; films without a year last.")
    KNOWN = strawberry.enum_value("KNOWN", description="How known the film is: most TMDb votes first.")

    def to_proto(self) -> catalog_pb2.CreditSort.ValueType:
        return catalog_pb2.CREDIT_SORT_KNOWN if self is CreditSort.KNOWN else catalog_pb2.CREDIT_SORT_YEAR
