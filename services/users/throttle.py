"""Sign-in throttling per (account, client address), with exponential back-off, in Redis.

Attempts are counted per pair of account name (lower-cased) and client address before the password
is checked (atomically, in one Lua script, so parallel guesses cannot all slip past the count). The
first `free_failures - 1` attempts of a pair go through at once; from the `free_failures`-th on,
each attempt makes the pair wait before its next one: `backoff_base_s`, then twice that, and so on
up to `backoff_max_s` (defaults: after 5 failures 1 s, 2 s, 4 s, ... 5 min). An attempt during the
wait is refused (RATE_LIMITED with a retry-after) without hashing and without counting. A success
forgets the pair. So guessing from one address is slow, and an address that has not failed for an
account (the owner's, elsewhere) is never refused for it: usernames are public, and a lock-out that
anyone can trigger would be a denial of service against any user.

Optional per-account ceiling (`account_ceiling` attempts per `account_window_s`, 0: off): when an
account draws that many failed attempts from all addresses together (a guesser with many
addresses), every pair of it starts waiting from its first failure instead of its fifth. It only
slows addresses that failed: a clean address still gets its attempt.

Unknown accounts are counted like known ones, so the throttle tells nobody which names exist. The
state lives in Redis (shared by every users replica; keys hold digests, never names or addresses,
and expire `pair_ttl_s` after the pair's last attempt). When Redis fails, the replica falls back to
an in-process copy of the same rules until Redis answers again, so an outage neither locks anybody
out nor lifts the throttle (it becomes per replica).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError

from kit.errors import ResourceExhausted
from kit.logging import get_logger

log = get_logger(__name__)

REDIS_ERRORS = (RedisError, OSError, TimeoutError)
MEMORY_MAX_PAIRS = 100_000  # per replica, for the Redis-down fallback (oldest dropped first)

# KEYS: the pair's hash, the account's counter. ARGV: free_failures, base_ms, max_ms, pair_ttl_s,
# account_ceiling, account_window_s. Returns {allowed (1/0), wait_ms}: the wait before the pair's
# next attempt when allowed, the wait left when refused.
_ATTEMPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local pair = redis.call('HMGET', KEYS[1], 'n', 'until')
local n = tonumber(pair[1] or '0')
local until_ms = tonumber(pair[2] or '0')
if now < until_ms then
  return {0, until_ms - now}
end
local free = tonumber(ARGV[1])
local ceiling = tonumber(ARGV[5])
if ceiling > 0 then
  local a = redis.call('INCR', KEYS[2])
  if a == 1 then redis.call('EXPIRE', KEYS[2], tonumber(ARGV[6])) end
  if a > ceiling then free = 1 end
end
n = n + 1
local wait = 0
if n >= free then
  wait = math.min(tonumber(ARGV[3]), tonumber(ARGV[2]) * math.pow(2, math.min(n - free, 40)))
end
redis.call('HSET', KEYS[1], 'n', n, 'until', now + wait)
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
return {1, wait}
"""

# KEYS: the pair's hash, the account's counter. A success forgets the pair and gives its attempt back.
_SUCCEEDED = """
redis.call('DEL', KEYS[1])
local a = tonumber(redis.call('GET', KEYS[2]) or '0')
if a > 1 then redis.call('DECR', KEYS[2]) elseif a == 1 then redis.call('DEL', KEYS[2]) end
return 0
"""

# KEYS: the pair's hash, the account's counter. An attempt that checked no password (the hash slots
# refused it) is taken back; the pair's wait, if that attempt started one, stays.
_GIVE_BACK = """
local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
if n > 0 then redis.call('HINCRBY', KEYS[1], 'n', -1) end
local a = tonumber(redis.call('GET', KEYS[2]) or '0')
if a > 1 then redis.call('DECR', KEYS[2]) elseif a == 1 then redis.call('DEL', KEYS[2]) end
return 0
"""


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class ThrottleRules:
    free_failures: int = 5          # attempts of a pair before it waits between attempts
    backoff_base_s: float = 1.0     # the first wait; doubles with each further attempt
    backoff_max_s: float = 300.0    # the longest wait
    pair_ttl_s: int = 24 * 3600     # a pair is forgotten this long after its last attempt
    account_ceiling: int = 100      # attempts on one account from all addresses per window; 0: off
    account_window_s: int = 3600

    def wait_after(self, n: int, free: int) -> float:
        """The wait after a pair's n-th attempt (1-based) when `free` attempts are free."""
        if n < free:
            return 0.0
        return min(self.backoff_max_s, self.backoff_base_s * 2.0 ** min(n - free, 40))


class MemoryThrottle:
    """The same rules in process (one replica's view), bounded to MEMORY_MAX_PAIRS pairs."""

    def __init__(self, rules: ThrottleRules, clock: Callable[[], float] = time.monotonic,
                 max_pairs: int = MEMORY_MAX_PAIRS) -> None:
        self.rules, self.clock, self.max_pairs = rules, clock, max_pairs
        self._pairs: OrderedDict[str, tuple[int, float, float]] = OrderedDict()  # n, until, expires
        self._accounts: dict[str, tuple[int, float]] = {}  # count, window end

    def attempt(self, pair: str, account: str) -> tuple[bool, float]:
        now, r = self.clock(), self.rules
        n, until, expires = self._pairs.get(pair, (0, 0.0, 0.0))
        if expires <= now:
            n, until = 0, 0.0
        if now < until:
            return False, until - now
        free = r.free_failures
        if r.account_ceiling > 0:
            count, end = self._accounts.get(account, (0, 0.0))
            count = count + 1 if end > now else 1
            end = end if end > now else now + r.account_window_s
            self._accounts[account] = (count, end)
            if len(self._accounts) > self.max_pairs:
                self._accounts = {k: v for k, v in self._accounts.items() if v[1] > now}
            if count > r.account_ceiling:
                free = 1
        n += 1
        wait = r.wait_after(n, free)
        self._pairs[pair] = (n, now + wait, now + r.pair_ttl_s)
        self._pairs.move_to_end(pair)
        while len(self._pairs) > self.max_pairs:
            self._pairs.popitem(last=False)
        return True, wait

    def succeeded(self, pair: str, account: str) -> None:
        self._pairs.pop(pair, None)
        self._give_back_account(account)

    def give_back(self, pair: str, account: str) -> None:
        if pair in self._pairs:
            n, until, expires = self._pairs[pair]
            self._pairs[pair] = (max(0, n - 1), until, expires)
        self._give_back_account(account)

    def _give_back_account(self, account: str) -> None:
        count, end = self._accounts.get(account, (0, 0.0))
        if count > 1:
            self._accounts[account] = (count - 1, end)
        else:
            self._accounts.pop(account, None)


class LoginThrottle:
    def __init__(self, redis: Redis | None, rules: ThrottleRules | None = None, retry_redis_after_s: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.redis, self.rules = redis, rules or ThrottleRules()
        self.retry_redis_after_s, self.clock = retry_redis_after_s, clock
        self.memory = MemoryThrottle(self.rules, clock)
        self._attempt = redis.register_script(_ATTEMPT) if redis is not None else None
        self._succeeded = redis.register_script(_SUCCEEDED) if redis is not None else None
        self._give_back = redis.register_script(_GIVE_BACK) if redis is not None else None
        self._skip_redis_until = 0.0

    def _keys(self, username: str, address: str) -> tuple[str, str]:
        name = username.lower()
        return f"users:login:pair:{_digest(name, address)}", f"users:login:account:{_digest(name)}"

    def _use_redis(self) -> bool:
        return self.redis is not None and self.clock() >= self._skip_redis_until

    def _redis_failed(self, e: Exception) -> None:
        self._skip_redis_until = self.clock() + self.retry_redis_after_s
        log.warning("login_throttle_unavailable", error=f"{type(e).__name__}: {e}",
                    note="per-replica throttle until Redis answers")

    async def attempt(self, username: str, address: str) -> None:
        """Count this attempt of (account, address) before the password is checked; ResourceExhausted
        (with retry_after_s) when the pair must still wait. A success forgets the pair (`succeeded`)."""
        pair, account = self._keys(username, address)
        allowed, wait_s = None, 0.0
        if self._use_redis():
            assert self._attempt is not None
            r = self.rules
            try:
                allowed_i, wait_ms = await self._attempt(keys=[pair, account], args=[
                    r.free_failures, round(r.backoff_base_s * 1000), round(r.backoff_max_s * 1000), r.pair_ttl_s,
                    r.account_ceiling, r.account_window_s])
                allowed, wait_s = bool(int(allowed_i)), int(wait_ms) / 1000
            except REDIS_ERRORS as e:
                self._redis_failed(e)
        if allowed is None:
            allowed, wait_s = self.memory.attempt(pair, account)
        if not allowed:
            seconds = max(1, math.ceil(wait_s))
            raise ResourceExhausted(
                f"Too many failed sign-ins for this account from your address; try again in {seconds} second"
                f"{'' if seconds == 1 else 's'}.", retry_after_s=wait_s)

    async def succeeded(self, username: str, address: str) -> None:
        """The right password: forget the pair (and give its attempt back to the account's count)."""
        pair, account = self._keys(username, address)
        self.memory.succeeded(pair, account)  # cheap, and right if Redis fails over to it later
        await self._run(self._succeeded, pair, account)

    async def give_back(self, username: str, address: str) -> None:
        """An attempt that checked no password (refused by the hash slots) does not count."""
        pair, account = self._keys(username, address)
        self.memory.give_back(pair, account)
        await self._run(self._give_back, pair, account)

    async def _run(self, script: AsyncScript | None, pair: str, account: str) -> None:
        if script is not None and self._use_redis():
            try:
                await script(keys=[pair, account])
            except REDIS_ERRORS as e:
                self._redis_failed(e)
