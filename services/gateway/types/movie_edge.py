from __future__ import annotations

import strawberry

from services.gateway.types.movie import Movie


@strawberry.type(description="A film in a search result, with the cursor to resume after it.")
class MovieEdge:
    node: Movie
    cursor: str
