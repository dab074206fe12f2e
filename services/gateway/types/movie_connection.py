from __future__ import annotations

import strawberry
from movierec.catalog.v1 import catalog_pb2

from services.gateway.types.movie_edge import MovieEdge
from services.gateway.types.page_info import PageInfo
from services.gateway.validation import encode_cursor


@strawberry.type(description="A page of films (Relay connection).")
class MovieConnection:
    edges: list[MovieEdge]
    page_info: PageInfo
    total_count: int = strawberry.field(description="Films matching the search, over all pages.")

    @classmethod
    def from_proto(cls, resp: catalog_pb2.SearchMoviesResponse, *, after_given: bool) -> MovieConnection:
        edges = [MovieEdge.from_proto(hit) for hit in resp.hits]
        if resp.next_page_token:
            end_cursor: str | None = encode_cursor(resp.next_page_token)
        else:
            end_cursor = edges[-1].cursor if edges else None
        return cls(
            edges=edges,
            page_info=PageInfo(
                has_next_page=resp.has_next_page,
                has_previous_page=after_given,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=end_cursor,
            ),
            total_count=resp.total_count,
        )
