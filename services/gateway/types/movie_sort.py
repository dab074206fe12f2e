from __future__ import annotations

from enum import Enum

import strawberry
from movierec.catalog.v1 import catalog_pb2


@strawberry.enum(description="Order of search results. Default: RELEVANCE for a query, POPULARITY when browsing.")
class MovieSort(Enum):
    RELEVANCE = "RELEVANCE"
    POPULARITY = "POPULARITY"
    RATING = strawberry.enum_value("RATING", description="Vote-count-aware (Bayesian) average.")
    YEAR = strawberry.enum_value("YEAR", description="Newest first.")

    def to_proto(self) -> catalog_pb2.SortBy.ValueType:
        return _TO_PROTO[self]


_TO_PROTO = {
    MovieSort.RELEVANCE: catalog_pb2.SORT_BY_RELEVANCE,
    MovieSort.POPULARITY: catalog_pb2.SORT_BY_POPULARITY,
    MovieSort.RATING: catalog_pb2.SORT_BY_RATING,
    MovieSort.YEAR: catalog_pb2.SORT_BY_YEAR,
}
