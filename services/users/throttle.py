"""Login throttling in Redis: failed logins are counted per account and per client address in a
fixed window; at the limit, logins for that account or from that address are refused until the
window ends. A success clears the account's counter.

When Redis is unreachable the throttle lets logins through (and logs it): a cache outage must not
lock every user out. Password hashing stays the main cost for a guesser either way.
"""

from __future__ import annotations

import hashlib

from redis.asyncio import Redis
from redis.exceptions import RedisError

from kit.errors import ResourceExhausted
from kit.logging import get_logger

log = get_logger(__name__)


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]  # no raw names or addresses in Redis keys
    return f"users:login-fail:{kind}:{digest}"


class LoginThrottle:
    def __init__(self, redis: Redis | None, window_s: int, max_per_account: int, max_per_address: int) -> None:
        self.redis, self.window_s = redis, window_s
        self.max_per_account, self.max_per_address = max_per_account, max_per_address

    def _keys(self, username: str, address: str) -> list[tuple[str, int]]:
        keys = [(_key("account", username.lower()), self.max_per_account)]
        if address:
            keys.append((_key("address", address), self.max_per_address))
        return keys

    async def check(self, username: str, address: str) -> None:
        """ResourceExhausted when the account or the address has used up its failures."""
        if self.redis is None:
            return
        keys = self._keys(username, address)
        try:
            async with self.redis.pipeline(transaction=False) as p:
                for k, _ in keys:
                    p.get(k)
                    p.ttl(k)
                values = await p.execute()
        except RedisError as e:
            log.warning("login_throttle_unavailable", error=f"{type(e).__name__}: {e}")
            return
        for i, (_, limit) in enumerate(keys):
            count, ttl = values[2 * i], values[2 * i + 1]
            if count is not None and int(count) >= limit:
                minutes = max(1, -(-int(ttl) // 60)) if ttl and ttl > 0 else 1
                raise ResourceExhausted(f"Too many failed logins; try again in {minutes} minute(s).")

    async def failed(self, username: str, address: str) -> None:
        if self.redis is None:
            return
        try:
            async with self.redis.pipeline(transaction=True) as p:
                for k, _ in self._keys(username, address):
                    p.set(k, 0, ex=self.window_s, nx=True)  # the window starts at the first failure
                    p.incr(k)                                # INCR keeps the key's TTL
                await p.execute()
        except RedisError as e:
            log.warning("login_throttle_unavailable", error=f"{type(e).__name__}: {e}")

    async def succeeded(self, username: str) -> None:
        if self.redis is None:
            return
        try:
            await self.redis.delete(_key("account", username.lower()))
        except RedisError as e:
            log.warning("login_throttle_unavailable", error=f"{type(e).__name__}: {e}")
