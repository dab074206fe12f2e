"""Search cache keys: equal for requests that must share a result, different otherwise; and the
cache never fails a read when Redis is unreachable."""

from __future__ import annotations

import pytest
from movierec.catalog.v1 import catalog_pb2
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from services.gateway.cache import SEARCH_FORMAT, Cache, canonical_search_args, normalize_query, search_digest
from services.gateway.resolvers.catalog import build_search_request
from services.gateway.types.movie_filter import MovieFilter
from services.gateway.types.movie_sort import MovieSort
from services.gateway.validation import encode_cursor


def req(query="matrix", genres=(), sort=None, first=20, after=None, **filter_args):
    flt = MovieFilter(genres=list(genres), **filter_args) if (genres or filter_args) else None
    return build_search_request(query, flt, sort, first, after)


def test_query_whitespace_is_normalized_for_the_request():
    assert normalize_query("  the   matrix\t reloaded ") == "the matrix reloaded"
    assert req("  The   Matrix ").query == "The Matrix"


@pytest.mark.parametrize(
    "a,b",
    [
        (req("The Matrix"), req("  the   MATRIX ")),
        (req(genres=["Drama", "Action"]), req(genres=["Action", "Drama", "Action", " Drama "])),
        (req(language="EN"), req(language=" en ")),
        (req(year_from=1990, year_to=None), req(year_from=1990)),
        (req(first=None), req(first=20)),
        (req(genres=[]), req()),
    ],
)
def test_equivalent_searches_share_a_key(a, b):
    assert canonical_search_args(a) == canonical_search_args(b)
    assert search_digest(a) == search_digest(b)


@pytest.mark.parametrize(
    "a,b",
    [
        (req("matrix"), req("matrix reloaded")),
        (req(), req(genres=["Drama"])),
        (req(year_from=1990), req(year_to=1990)),
        (req(min_votes=0), req()),  # minVotes: 0 is a filter, not its absence
        (req(), req(sort=MovieSort.RATING)),
        (req(sort=MovieSort.RATING), req(sort=MovieSort.YEAR)),
        (req(first=20), req(first=21)),
        (req(), req(after=encode_cursor("page-2"))),
        (req(after=encode_cursor("page-2")), req(after=encode_cursor("page-3"))),
    ],
)
def test_different_searches_get_different_keys(a, b):
    assert search_digest(a) != search_digest(b)


def test_keys_carry_the_generation():
    cache = Cache(None, prefix="gw")
    r = req()
    assert cache.search_key("1", r) != cache.search_key("2", r)
    assert cache.search_key("7", r).startswith(f"gw:search:v{SEARCH_FORMAT}:7:")
    assert cache.genres_key("7") == "gw:genres:7"
    assert cache.movie_key(603) == "gw:movie:603"


async def test_disabled_cache_misses():
    cache = Cache(None)
    lookup = await cache.get_movies([1, 2])
    assert lookup.found == {} and lookup.generation is None
    assert await cache.get_search(catalog_pb2.SearchMoviesRequest(query="x")) == (None, None)
    assert await cache.get_genres() == (None, None)
    await cache.put_movies([catalog_pb2.Movie(id=1)], None)
    assert await cache.invalidate_movie(1)


async def test_unreachable_redis_falls_back_without_raising():
    # Port 1 refuses connections: a real client, a real failure, no server needed.
    redis = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5, retry=Retry(NoBackoff(), 0))
    cache = Cache(redis, retry_after_s=60)
    try:
        lookup = await cache.get_movies([1, 2])
        assert lookup.found == {} and lookup.generation is None
        await cache.put_movies([catalog_pb2.Movie(id=1)], "0")
        assert await cache.get_search(req()) == (None, None)
        assert await cache.get_genres() == (None, None)
        # A failed invalidation is remembered, to be replayed once Redis answers again.
        assert await cache.invalidate_movie(603) is False
        assert 603 in cache._pending_ids
    finally:
        await redis.aclose()


def test_suggest_keys_follow_the_catalogues_matching():
    cache = Cache(None)

    def key(query: str, limit: int = 5) -> str:
        return cache.suggest_key("0", catalog_pb2.SuggestRequest(query=normalize_query(query), limit=limit))

    assert key("  Chris   NOL ") == key("chris nol")  # the catalogue folds case and whitespace the same way
    assert key("chris nol") != key("chris nola")
    assert key("chris nol", 5) != key("chris nol", 6)
    assert key("chris nol").startswith("gw:suggest:0:")
    assert cache.suggest_key("1", catalog_pb2.SuggestRequest(query="chris nol", limit=5)) != key("chris nol")
