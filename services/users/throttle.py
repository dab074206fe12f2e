"""Login throttling in Redis: login attempts are counted per account and per client address in a
fixed window, before the password is checked; at the limit, logins for that account or from that
address are refused until the window ends. A success clears the account's count and gives the
address its attempt back, so in effect failures are what count.

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

    async def attempt(self, username: str, address: str) -> None:
        """Count this login attempt before the password is checked (atomically: INCR), so parallel
        guesses cannot all pass a read-then-count check; ResourceExhausted when the account or the
        address is over its limit. A success gives the attempt back (`succeeded`)."""
        if self.redis is None:
            return
        keys = self._keys(username, address)
        try:
            async with self.redis.pipeline(transaction=True) as p:
                for k, _ in keys:
                    p.set(k, 0, ex=self.window_s, nx=True)  # the window starts at the first attempt
                    p.incr(k)                                # INCR keeps the key's TTL
                    p.ttl(k)
                values = await p.execute()
        except RedisError as e:
            log.warning("login_throttle_unavailable", error=f"{type(e).__name__}: {e}")
            return
        for i, (_, limit) in enumerate(keys):
            count, ttl = values[3 * i + 1], values[3 * i + 2]
            if int(count) > limit:
                minutes = max(1, -(-int(ttl) // 60)) if ttl and ttl > 0 else 1
                raise ResourceExhausted(f"Too many failed logins; try again in {minutes} minute(s).")

    async def succeeded(self, username: str, address: str) -> None:
        """A successful login clears the account's count and gives the address its attempt back."""
        if self.redis is None:
            return
        try:
            await self.redis.delete(_key("account", username.lower()))
            if address:
                key = _key("address", address)
                if await self.redis.decr(key) <= 0:  # nothing left to give back (or the key had expired)
                    await self.redis.delete(key)
        except RedisError as e:
            log.warning("login_throttle_unavailable", error=f"{type(e).__name__}: {e}")
