"""Redis read cache of the gateway: single films, search results and the genre list.

Keys (prefix `gw` by default):
  gw:movie:<id>                  serialized catalog.v1.Movie, TTL movie_ttl_s (1 h)
  gw:gen                         generation counter of the derived reads below (no TTL)
  gw:search:v<n>:<gen>:<sha256>  serialized SearchMoviesResponse of normalized args, TTL search_ttl_s (5 min);
                                 v<n> = SEARCH_FORMAT, bumped when a gateway needs fields older entries lack
  gw:genres:<gen>                serialized ListGenresResponse, TTL genres_ttl_s (1 h)
  gw:ans:<sha256>                a whole GraphQL answer (JSON bytes) of a zone query, TTL answer_ttl_s (60 s);
                                 its key covers the document, the variables, the caller, `gw:gen`, what the
                                 recommender serves and each user's generation (answer_cache.py)
  gw:suggest:<gen>:<sha256>      serialized SuggestResponse of the search key of the query and the limit,
                                 TTL search_ttl_s (5 min)

Invalidation (a `catalog.movie.upserted` event): delete the film's key and increment `gw:gen`, so
search, suggest and genre keys of older generations are never read again (they expire on their TTL).
Films read from gRPC are written back only if `gw:gen` has not moved since the cache was read
(a Lua compare-and-set), so a film fetched just before an update cannot overwrite the invalidation.

Redis failures never fail a read: they are logged (throttled), counted, and the cache is skipped
for `retry_after_s`; the caller falls back to gRPC. Invalidations that fail are remembered and
replayed before the next cache read.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from google.protobuf.message import DecodeError
from movierec.catalog.v1 import catalog_pb2
from redis.asyncio import Redis
from redis.exceptions import RedisError
from redis.typing import EncodableT

from kit.answer_keys import SERVING_KEY, user_generation_key
from kit.logging import get_logger
from kit.text import search_key
from services.gateway.metrics import CACHE_INVALIDATIONS, CACHE_REQUESTS

log = get_logger(__name__)

T = TypeVar("T")

REDIS_ERRORS = (RedisError, OSError, TimeoutError, asyncio.TimeoutError)
MAX_PENDING_INVALIDATIONS = 100_000
# Version of the cached search answers: a gateway never reads entries written before a field it shows
# existed. 2: SearchHit.matched_person (why a film matched).
SEARCH_FORMAT = 2

# KEYS[1] = generation key, KEYS[2..] = film keys; ARGV[1] = generation seen, ARGV[2] = TTL,
# ARGV[3..] = serialized films (same order as KEYS[2..]).
_PUT_IF_GENERATION = """
local cur = redis.call('GET', KEYS[1])
if not cur then cur = '0' end
if cur ~= ARGV[1] then return 0 end
for i = 2, #KEYS do
  redis.call('SET', KEYS[i], ARGV[i + 1], 'EX', tonumber(ARGV[2]))
end
return #KEYS - 1
"""


# ---------------------------------------------------------------- search key normalization


def normalize_query(query: str) -> str:
    """What the gateway sends to the catalogue: trimmed, runs of whitespace collapsed."""
    return " ".join(query.split())


def canonical_search_args(request: catalog_pb2.SearchMoviesRequest) -> dict[str, Any]:
    """The arguments that decide a search result, in a canonical form (the cache key is its hash).

    The query is keyed by `kit.text.search_key`, the catalogue's own normalisation; genres are a
    set (a film must have all of them), compared case-insensitively as the catalogue does.
    """
    f = request.filter

    def opt(name: Literal["year_from", "year_to", "runtime_min", "runtime_max", "min_votes"]) -> int | None:
        return getattr(f, name) if f.HasField(name) else None

    return {
        "q": search_key(request.query),
        "genres": sorted({g.strip().lower() for g in f.genres if g.strip()}),  # matched case-insensitively
        "year_from": opt("year_from"),
        "year_to": opt("year_to"),
        "language": f.language.strip().lower() or None,
        "runtime_min": opt("runtime_min"),
        "runtime_max": opt("runtime_max"),
        "min_votes": opt("min_votes"),
        "sort": int(request.sort),
        "page_size": request.page_size,
        "page_token": request.page_token,
    }


def search_digest(request: catalog_pb2.SearchMoviesRequest) -> str:
    blob = json.dumps(canonical_search_args(request), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


# ---------------------------------------------------------------- the cache


@dataclass
class MovieLookup:
    """Films found in the cache, and the generation seen when reading them (None: cache unusable)."""

    found: dict[int, catalog_pb2.Movie] = field(default_factory=dict)
    generation: str | None = None


class Cache:
    """The gateway's Redis cache. `Cache(None)` is a disabled cache (every read misses)."""

    def __init__(
        self,
        redis: Redis | None,
        *,
        prefix: str = "gw",
        movie_ttl_s: int = 3600,
        search_ttl_s: int = 300,
        genres_ttl_s: int = 3600,
        answer_ttl_s: int = 60,
        retry_after_s: float = 1.0,
    ) -> None:
        self.redis = redis
        self.prefix = prefix
        self.movie_ttl_s, self.search_ttl_s, self.genres_ttl_s = movie_ttl_s, search_ttl_s, genres_ttl_s
        self.answer_ttl_s = answer_ttl_s
        self.retry_after_s = retry_after_s
        self._down_until = 0.0
        self._last_warning = 0.0
        self._pending_ids: set[int] = set()
        self._pending_all = False
        self._put_script = redis.register_script(_PUT_IF_GENERATION) if redis is not None else None

    # keys
    @property
    def generation_key(self) -> str:
        return f"{self.prefix}:gen"

    def movie_key(self, movie_id: int) -> str:
        return f"{self.prefix}:movie:{movie_id}"

    def search_key(self, generation: str, request: catalog_pb2.SearchMoviesRequest) -> str:
        return f"{self.prefix}:search:v{SEARCH_FORMAT}:{generation}:{search_digest(request)}"

    def suggest_key(self, generation: str, request: catalog_pb2.SuggestRequest) -> str:
        blob = json.dumps([search_key(request.query), request.limit], ensure_ascii=False, separators=(",", ":"))
        return f"{self.prefix}:suggest:{generation}:{hashlib.sha256(blob.encode()).hexdigest()}"

    def genres_key(self, generation: str) -> str:
        return f"{self.prefix}:genres:{generation}"

    @property
    def enabled(self) -> bool:
        return self.redis is not None

    # failure handling
    def _usable(self) -> bool:
        return self.redis is not None and time.monotonic() >= self._down_until

    def _failed(self, op: str, exc: BaseException) -> None:
        now = time.monotonic()
        self._down_until = now + self.retry_after_s
        if now - self._last_warning >= 10.0:
            self._last_warning = now
            log.warning("cache_unavailable", op=op, error=f"{type(exc).__name__}: {exc}")

    async def _run(self, op: str, fn: Callable[[], Awaitable[T]], default: T) -> T:
        if not self._usable():
            return default
        try:
            if (self._pending_ids or self._pending_all) and not await self._replay_invalidations():
                return default
            return await fn()
        except REDIS_ERRORS as e:
            self._failed(op, e)
            return default

    # films
    async def get_movies(self, ids: Sequence[int]) -> MovieLookup:
        if not ids:
            return MovieLookup()
        if not self._usable():
            CACHE_REQUESTS.labels("movie", "skipped").inc(len(ids))
            return MovieLookup()

        async def read() -> MovieLookup:
            assert self.redis is not None
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.mget([self.movie_key(i) for i in ids])
                pipe.get(self.generation_key)
                values, gen = await pipe.execute()
            lookup = MovieLookup(generation=_text(gen) or "0")
            for movie_id, raw in zip(ids, values, strict=True):
                movie = _parse(catalog_pb2.Movie, raw)
                if movie is not None:
                    lookup.found[movie_id] = movie
            CACHE_REQUESTS.labels("movie", "hit").inc(len(lookup.found))
            CACHE_REQUESTS.labels("movie", "miss").inc(len(ids) - len(lookup.found))
            return lookup

        result = await self._run("get_movies", read, None)
        if result is None:
            CACHE_REQUESTS.labels("movie", "error").inc(len(ids))
            return MovieLookup()
        return result

    async def put_movies(self, movies: Iterable[catalog_pb2.Movie], generation: str | None) -> None:
        """Store films read from gRPC, unless the generation moved since `get_movies` (an update)."""
        movies = list(movies)
        if generation is None or not movies or self._put_script is None:
            return

        async def write() -> None:
            assert self._put_script is not None
            keys = [self.generation_key, *(self.movie_key(m.id) for m in movies)]
            args: list[EncodableT] = [generation, self.movie_ttl_s, *(m.SerializeToString() for m in movies)]
            await self._put_script(keys=keys, args=args)

        await self._run("put_movies", write, None)

    # derived reads (search, genres): keyed by generation
    async def generation(self) -> str | None:
        """The current generation, or None when the cache cannot be used."""

        async def read() -> str:
            assert self.redis is not None
            return _text(await self.redis.get(self.generation_key)) or "0"

        return await self._run("generation", read, None)

    async def get_search(
        self, request: catalog_pb2.SearchMoviesRequest
    ) -> tuple[str | None, catalog_pb2.SearchMoviesResponse | None]:
        """(key to store the result under, cached result). key None: do not store."""
        return await self._get_derived("search", request, catalog_pb2.SearchMoviesResponse)

    async def put_search(self, key: str | None, response: catalog_pb2.SearchMoviesResponse) -> None:
        await self._put(key, response, self.search_ttl_s)

    async def get_suggest(
        self, request: catalog_pb2.SuggestRequest
    ) -> tuple[str | None, catalog_pb2.SuggestResponse | None]:
        return await self._get_derived("suggest", request, catalog_pb2.SuggestResponse)

    async def put_suggest(self, key: str | None, response: catalog_pb2.SuggestResponse) -> None:
        await self._put(key, response, self.search_ttl_s)

    async def get_genres(self) -> tuple[str | None, catalog_pb2.ListGenresResponse | None]:
        return await self._get_derived("genres", None, catalog_pb2.ListGenresResponse)

    async def put_genres(self, key: str | None, response: catalog_pb2.ListGenresResponse) -> None:
        await self._put(key, response, self.genres_ttl_s)

    async def _get_derived(self, kind: str, request: Any, message_type: type[T]) -> tuple[str | None, T | None]:
        if not self._usable():
            CACHE_REQUESTS.labels(kind, "skipped").inc()
            return None, None

        async def read() -> tuple[str | None, T | None]:
            assert self.redis is not None
            gen = _text(await self.redis.get(self.generation_key)) or "0"
            key = (self.search_key(gen, request) if kind == "search"
                   else self.suggest_key(gen, request) if kind == "suggest" else self.genres_key(gen))
            value = _parse(message_type, await self.redis.get(key))
            CACHE_REQUESTS.labels(kind, "hit" if value is not None else "miss").inc()
            return key, value

        result = await self._run(f"get_{kind}", read, None)
        if result is None:
            CACHE_REQUESTS.labels(kind, "error").inc()
            return None, None
        return result

    async def _put(self, key: str | None, message: Any, ttl_s: int) -> None:
        if key is None:
            return

        async def write() -> None:
            assert self.redis is not None
            await self.redis.set(key, message.SerializeToString(), ex=ttl_s)

        await self._run("put", write, None)

    # whole GraphQL answers (answer_cache.py)
    async def answer_versions(self, user_ids: Sequence[str]) -> list[str] | None:
        """[catalogue generation, what the recommender serves, each user's generation], in one MGET; None
        when the cache cannot be used (then nothing is read from or written to the answer cache)."""

        async def read() -> list[str] | None:
            assert self.redis is not None
            keys = [self.generation_key, SERVING_KEY, *(user_generation_key(u) for u in user_ids)]
            return [_text(v) or "0" for v in await self.redis.mget(keys)]

        return await self._run("answer_versions", read, None)

    async def user_generation(self, user_id: str) -> str | None:
        """One user's generation alone (one GET; "0" before their first change), None when the cache cannot
        be used: what a Tonight follower polls (evening_hub.py)."""

        async def read() -> str | None:
            assert self.redis is not None
            return _text(await self.redis.get(user_generation_key(user_id))) or "0"

        return await self._run("user_generation", read, None)

    def answer_key(self, digest: str) -> str:
        return f"{self.prefix}:ans:{digest}"

    async def get_answer(self, key: str) -> bytes | None:
        async def read() -> bytes | None:
            assert self.redis is not None
            value = await self.redis.get(key)
            return value if isinstance(value, bytes) else None

        found = await self._run("get_answer", read, None)
        CACHE_REQUESTS.labels("answer", "hit" if found is not None else "miss").inc()
        return found

    async def put_answer(self, key: str, body: bytes) -> None:
        async def write() -> None:
            assert self.redis is not None
            await self.redis.set(key, body, ex=self.answer_ttl_s)

        await self._run("put_answer", write, None)

    # invalidation
    async def invalidate_movie(self, movie_id: int) -> bool:
        """Drop one film and every derived read. False when Redis failed (it is retried later)."""
        CACHE_INVALIDATIONS.inc()
        if self.redis is None:
            return True
        if not self._usable():  # Redis failed a moment ago: do not stall the event stream on it
            self._remember(movie_id)
            return False
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.delete(self.movie_key(movie_id))
                pipe.incr(self.generation_key)
                await pipe.execute()
            return True
        except REDIS_ERRORS as e:
            self._remember(movie_id)
            self._failed("invalidate_movie", e)
            return False

    async def invalidate_derived(self) -> bool:
        """Drop every search and genre result (films stay). False when Redis failed."""
        CACHE_INVALIDATIONS.inc()
        if self.redis is None:
            return True
        try:
            await self.redis.incr(self.generation_key)
            return True
        except REDIS_ERRORS as e:
            self._pending_all = True
            self._failed("invalidate_derived", e)
            return False

    async def invalidate_everything(self) -> bool:
        """Drop every cached film and derived read: after missing events (a NATS reconnect)."""
        if self.redis is None:
            return True
        try:
            batch: list[bytes] = []
            async for key in self.redis.scan_iter(match=f"{self.prefix}:movie:*", count=1000):
                batch.append(key)
                if len(batch) >= 1000:
                    await self.redis.unlink(*batch)
                    batch.clear()
            if batch:
                await self.redis.unlink(*batch)
            await self.redis.incr(self.generation_key)
            return True
        except REDIS_ERRORS as e:
            self._pending_all = True
            self._failed("invalidate_everything", e)
            return False

    def _remember(self, movie_id: int) -> None:
        self._pending_all = True
        if len(self._pending_ids) < MAX_PENDING_INVALIDATIONS:
            self._pending_ids.add(movie_id)
        else:
            log.error("cache_pending_invalidations_overflow", dropped_id=movie_id)

    async def _replay_invalidations(self) -> bool:
        assert self.redis is not None
        ids = list(self._pending_ids)
        async with self.redis.pipeline(transaction=True) as pipe:
            for movie_id in ids:
                pipe.delete(self.movie_key(movie_id))
            pipe.incr(self.generation_key)
            await pipe.execute()
        self._pending_ids.difference_update(ids)
        self._pending_all = False
        log.info("cache_invalidations_replayed", films=len(ids))
        return True


def _text(value: bytes | str | None) -> str | None:
    if value is None:
        return None
    return value.decode() if isinstance(value, bytes) else value


def _parse(message_type: Any, raw: bytes | str | None) -> Any:
    # redis-py types a reply as bytes | str (str only with decode_responses, which this client never
    # sets); anything but bytes is a miss, like bytes that do not decode.
    if not isinstance(raw, bytes):
        return None
    try:
        return message_type.FromString(raw)
    except DecodeError:
        return None
