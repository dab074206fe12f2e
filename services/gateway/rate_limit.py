"""Rate limits at the edge: token buckets per client address (sign-in, registration) and per user
(writes, comments), shared by every gateway replica through Redis.

Each bucket holds `burst` tokens and gains one every `interval_s` seconds; a request takes one or,
when none is left, is refused with RATE_LIMITED and `extensions.retryAfter` (whole seconds until a
token is back). Implemented as GCRA (one number per key, the "theoretical arrival time"), in one
Lua script so that concurrent requests on any replica cannot overdraw it; the clock is Redis's, so
replicas' clocks do not matter. Keys hold a digest of the client or user, never the raw value, and
expire when the bucket would be full again.

When Redis fails, each replica falls back to an in-process bucket of the same shape for
`retry_after_s` (then tries Redis again): limits stay in force, per replica instead of shared, and a
Redis outage neither refuses every sign-in nor lifts every limit. A bucket with `burst` 0 is off.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import grpc
from redis.asyncio import Redis

from kit.errors import RETRY_AFTER_KEY
from kit.logging import get_logger
from services.gateway.cache import REDIS_ERRORS
from services.gateway.config import GatewayConfig
from services.gateway.errors import RateLimited

log = get_logger(__name__)

MEMORY_MAX_KEYS = 100_000  # per replica, for the Redis-down fallback (oldest dropped first)

# KEYS[1]: the bucket's key. ARGV: interval (ms per token), burst. Returns 0 (taken) or the ms to wait.
_GCRA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local new_tat = tat + interval
local allowed_at = new_tat - burst * interval
if now < allowed_at then
  return allowed_at - now
end
redis.call('SET', KEYS[1], new_tat, 'PX', math.max(1, new_tat - now))
return 0
"""


@dataclass(frozen=True)
class Bucket:
    name: str
    burst: int          # tokens when full (requests allowed at once); 0: no limit
    interval_s: float   # seconds per token regained

    @property
    def enabled(self) -> bool:
        return self.burst > 0 and self.interval_s > 0


class TooManyRequests(RateLimited):
    """RATE_LIMITED with `extensions.retryAfter` (seconds; graphql-core copies an exception's
    `extensions` into its error, and errors.py keeps them beside the code)."""

    def __init__(self, message: str, retry_after_s: float | None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s
        self.extensions = {"retryAfter": max(1, math.ceil(retry_after_s))} if retry_after_s else {}


class MemoryBuckets:
    """The same GCRA in process (one replica's view), bounded to MEMORY_MAX_KEYS keys."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, max_keys: int = MEMORY_MAX_KEYS) -> None:
        self.clock, self.max_keys = clock, max_keys
        self._tat: OrderedDict[str, float] = OrderedDict()

    def take(self, key: str, bucket: Bucket) -> float:
        now = self.clock()
        tat = max(self._tat.get(key, now), now)
        new_tat = tat + bucket.interval_s
        allowed_at = new_tat - bucket.burst * bucket.interval_s
        if now < allowed_at:
            return allowed_at - now
        self._tat[key] = new_tat
        self._tat.move_to_end(key)
        while len(self._tat) > self.max_keys:
            self._tat.popitem(last=False)
        return 0.0


class RateLimiter:
    def __init__(self, redis: Redis | None, prefix: str = "rl", retry_after_s: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.redis, self.prefix, self.retry_after_s, self.clock = redis, prefix, retry_after_s, clock
        self.memory = MemoryBuckets(clock)
        self._script = redis.register_script(_GCRA) if redis is not None else None
        self._skip_redis_until = 0.0

    def _key(self, bucket: Bucket, key: str) -> str:
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]  # no raw addresses or user ids in Redis
        return f"{self.prefix}:{bucket.name}:{digest}"

    async def wait_s(self, bucket: Bucket, key: str) -> float:
        """Take a token from `bucket` for `key`: 0 when taken, else the seconds until one is back."""
        if not bucket.enabled:
            return 0.0
        rkey = self._key(bucket, key)
        if self._script is not None and self.clock() >= self._skip_redis_until:
            try:
                interval_ms = max(1, round(bucket.interval_s * 1000))
                wait_ms = await self._script(keys=[rkey], args=[interval_ms, bucket.burst])
                return int(wait_ms) / 1000
            except REDIS_ERRORS as e:
                self._skip_redis_until = self.clock() + self.retry_after_s
                log.warning("rate_limit_redis_unavailable", bucket=bucket.name, error=f"{type(e).__name__}: {e}",
                            note="per-replica buckets until Redis answers")
        return self.memory.take(rkey, bucket)

    async def take(self, bucket: Bucket, key: str, what: str) -> None:
        """TooManyRequests (RATE_LIMITED, retryAfter) when `key` has no token left in `bucket`;
        the message is `what` and when to try again."""
        wait = await self.wait_s(bucket, key)
        if wait > 0:
            log.info("rate_limited", bucket=bucket.name, retry_after_s=round(wait, 3))
            raise TooManyRequests(f"{what}; try again in {_seconds(wait)}.", wait)


def _seconds(wait_s: float) -> str:
    n = max(1, math.ceil(wait_s))
    return f"{n} second" if n == 1 else f"{n} seconds"


SIGN_IN_MESSAGE = "Too many sign-in attempts from your address"
REGISTER_MESSAGE = "Too many new accounts from your address"
WRITES_MESSAGE = "Too many changes in a short time"
COMMENTS_MESSAGE = "Too many comments in a short time"
IMPORTS_MESSAGE = "Too many imports in a short time"


class RateLimits:
    """The gateway's limits (GatewayConfig.rate_*), each a bucket; the resolvers call these."""

    def __init__(self, limiter: RateLimiter, config: GatewayConfig) -> None:
        self.limiter = limiter
        self.sign_in = Bucket("sign_in", config.rate_sign_in_burst, config.rate_sign_in_interval_s)
        self.register = Bucket("register", config.rate_register_burst, config.rate_register_interval_s)
        self.writes = Bucket("writes", config.rate_writes_burst, config.rate_writes_interval_s)
        self.comments = Bucket("comments", config.rate_comments_burst, config.rate_comments_interval_s)
        self.imports = Bucket("imports", config.rate_imports_burst, config.rate_imports_interval_s)

    @classmethod
    def from_config(cls, redis: Redis | None, config: GatewayConfig) -> RateLimits:
        return cls(RateLimiter(redis, config.rate_limit_prefix, config.redis_retry_after_s), config)

    async def sign_in_attempt(self, client: str) -> None:
        await self.limiter.take(self.sign_in, client, SIGN_IN_MESSAGE)

    async def registration(self, client: str) -> None:
        await self.limiter.take(self.register, client, REGISTER_MESSAGE)

    async def write(self, user_id: str) -> None:
        await self.limiter.take(self.writes, user_id, WRITES_MESSAGE)

    async def comment(self, user_id: str) -> None:
        await self.limiter.take(self.comments, user_id, COMMENTS_MESSAGE)

    async def history_import(self, user_id: str) -> None:
        await self.limiter.take(self.imports, user_id, IMPORTS_MESSAGE)


@contextlib.contextmanager
def backend_retry_after() -> Iterator[None]:
    """A backend's RESOURCE_EXHAUSTED (the users service's sign-in back-off or hash slots) as
    TooManyRequests with its message and the retry-after it sent (trailing metadata `retry-after`)."""
    try:
        yield
    except grpc.aio.AioRpcError as e:
        if e.code() != grpc.StatusCode.RESOURCE_EXHAUSTED:
            raise
        retry_after: float | None = None
        for key, value in e.trailing_metadata() or ():
            if key == RETRY_AFTER_KEY:
                with contextlib.suppress(TypeError, ValueError):
                    retry_after = float(value)
        raise TooManyRequests(e.details() or "Too many requests; slow down.", retry_after) from None
