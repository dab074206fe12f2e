"""Per-user generations in Redis: every feedback event for a user bumps theirs, and every cached
answer and taste naming that user carries the generation it was computed at. Any replica sees the
bump on its next request (one Redis read), whichever replica consumed the event.

Zone answers are cached in Redis under keys that include the model version and the generations of
every user they depend on, so a new model or a new interaction makes old entries unreachable (they
expire by TTL). When Redis is down, answers are computed every time and generations read as 0, so
the in-process taste cache is skipped (`available` False) rather than trusted."""

from __future__ import annotations

import hashlib
import time

from redis.asyncio import Redis
from redis.exceptions import RedisError

from kit.answer_keys import SERVING_KEY, user_generation_key
from kit.logging import get_logger

log = get_logger(__name__)


# Bumped when the recommender's answers change meaning (a new field, new rules): a rolling deploy never
# serves an answer an older build computed under the same model version.
ANSWER_SCHEMA = 3


class Generations:
    def __init__(self, redis: Redis | None, answer_ttl_s: int = 120, retry_after_s: float = 2.0) -> None:
        self.redis, self.answer_ttl_s, self.retry_after_s = redis, answer_ttl_s, retry_after_s
        self._down_until = 0.0

    @property
    def available(self) -> bool:
        return self.redis is not None and time.monotonic() >= self._down_until

    def _usable(self) -> Redis | None:
        """The client while Redis is thought up; None without one or for a while after it failed."""
        return self.redis if self.available else None

    def _failed(self, e: Exception) -> None:
        self._down_until = time.monotonic() + self.retry_after_s
        log.warning("redis_unavailable", error=f"{type(e).__name__}: {e}")

    async def of(self, user_ids: list[str]) -> list[int] | None:
        """Current generation of each user; None when Redis cannot say."""
        if not user_ids:
            return []
        if (redis := self._usable()) is None:
            return None
        try:
            values = await redis.mget([user_generation_key(u) for u in user_ids])
        except RedisError as e:
            self._failed(e)
            return None
        return [int(v) if v is not None else 0 for v in values]

    async def bump(self, *user_ids: str) -> None:
        """Called for each event: raises an error when Redis is down (the event is retried)."""
        if self.redis is None:
            return
        async with self.redis.pipeline(transaction=False) as p:
            for u in user_ids:
                p.incr(user_generation_key(u))
                p.expire(user_generation_key(u), 30 * 24 * 3600)
            await p.execute()

    async def publish_serving(self, version: str) -> None:
        """The model version now served (the gateway's answer cache keys by it). Best effort: while Redis
        is down the gateway cannot read it either, and caches nothing."""
        if self.redis is None:
            return
        try:
            await self.redis.set(SERVING_KEY, version)
        except RedisError as e:
            self._failed(e)

    @staticmethod
    def answer_key(zone: str, model_version: str, users: list[str], gens: list[int], args: str) -> str:
        who = ",".join(f"{u}@{g}" for u, g in zip(users, gens, strict=True)) or "anon"
        digest = hashlib.sha256(f"{who}|{args}".encode()).hexdigest()[:32]
        return f"rec:ans:{ANSWER_SCHEMA}:{zone}:{model_version}:{digest}"

    async def get_answer(self, key: str) -> bytes | None:
        if (redis := self._usable()) is None:
            return None
        try:
            value = await redis.get(key)
        except RedisError as e:
            self._failed(e)
            return None
        # redis-py types a reply as bytes | str (str only with decode_responses, which this client never
        # sets); anything but bytes is a miss
        return value if isinstance(value, bytes) else None

    async def put_answer(self, key: str, payload: bytes) -> None:
        if (redis := self._usable()) is None:
            return
        try:
            await redis.set(key, payload, ex=self.answer_ttl_s)
        except RedisError as e:
            self._failed(e)
