"""searchMovies says why a film matched (MovieEdge.matchedPerson), straight from the catalogue's
SearchHit.matched_person, and a cached answer says it too (a fake catalogue and an in-memory Redis)."""

from __future__ import annotations

from movierec.catalog.v1 import catalog_pb2 as pb

from services.gateway.cache import Cache
from services.gateway.context import GatewayContext
from services.gateway.schema import build_schema

SCHEMA = build_schema()
QUERY = """{ searchMovies(query: "tom hanks", first: 3) {
  edges { node { id title } matchedPerson { person { id name } role billing } } } }"""


class MemoryRedis:
    """The few redis.asyncio calls the cache makes for search, in memory."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}

    async def get(self, key: str) -> bytes | None:
        return self.data.get(key)

    async def set(self, key: str, value: bytes, ex: int | None = None) -> None:
        self.data[key] = value

    def register_script(self, script: str):
        async def run(keys=(), args=()):
            return 0

        return run


class OneSearch:
    """A catalogue that answers every search with the same three hits and counts the calls."""

    def __init__(self) -> None:
        self.calls = 0

    async def search_movies(self, request: pb.SearchMoviesRequest) -> pb.SearchMoviesResponse:
        self.calls += 1
        hanks = pb.Person(id=31, name="Tom Hanks")
        return pb.SearchMoviesResponse(total_count=3, hits=[
            pb.SearchHit(movie=pb.Movie(id=13, title="Forrest Gump"), cursor="a", score=3.9,
                         matched_person=pb.PersonMatch(person=hanks, role="cast", billing=1)),
            pb.SearchHit(movie=pb.Movie(id=11688, title="Larry Crowne"), cursor="b", score=3.1,
                         matched_person=pb.PersonMatch(person=hanks, role="director", billing=0)),
            pb.SearchHit(movie=pb.Movie(id=5917, title="Tom Horn"), cursor="c", score=2.0),
        ])


async def _edges(catalog: OneSearch, cache: Cache) -> list[dict]:
    result = await SCHEMA.execute(QUERY, context_value=GatewayContext(catalog, cache))
    assert result.errors is None, result.errors
    return result.data["searchMovies"]["edges"]


async def test_matched_person_is_on_the_edge_and_survives_the_cache():
    catalog, cache = OneSearch(), Cache(MemoryRedis())  # type: ignore[arg-type]
    first = await _edges(catalog, cache)
    assert [e["matchedPerson"] for e in first] == [
        {"person": {"id": "31", "name": "Tom Hanks"}, "role": "cast", "billing": 1},
        {"person": {"id": "31", "name": "Tom Hanks"}, "role": "director", "billing": None},  # no billing
        None,  # matched by its title: no person
    ]
    again = await _edges(catalog, cache)
    assert catalog.calls == 1, "the second answer should come from the cache"
    assert again == first
