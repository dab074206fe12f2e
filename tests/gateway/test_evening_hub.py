"""The evening hub's wakes after a guest's rating (services/gateway/evening_hub.py), on a real Redis: at once,
then at every bump of the rater's generation (what the recommender writes once it has taken the rating in),
whenever that bump comes, and for several quick ratings each."""

from __future__ import annotations

import asyncio
import types

import pytest
from movierec.users.v1 import events_pb2

from kit.answer_keys import user_generation_key
from services.gateway import evening_hub
from services.gateway.cache import Cache
from services.gateway.evening_hub import EveningHub

EVENING, RATER = "0b9a3f4e-4c1e-4a57-9a39-5d3b2f1e6c01", "4f1d2c3b-1a2b-4c3d-8e9f-0a1b2c3d4e5f"


async def _woken(signal: asyncio.Event, within: float) -> bool:
    try:
        await asyncio.wait_for(signal.wait(), within)
    except TimeoutError:
        return False
    signal.clear()
    return True


def _changed(what: str) -> types.SimpleNamespace:
    return types.SimpleNamespace(data=events_pb2.EveningChanged(evening_id=EVENING, user_id=RATER,
                                                                what=what).SerializeToString())


async def test_a_rating_wakes_at_once_and_again_at_each_bump_of_the_raters_generation(redis):
    hub = EveningHub(Cache(redis))
    with hub.watch(EVENING) as signal:
        await hub._on_changed(_changed("rated"))
        assert await _woken(signal, 0.5)                 # at once: the rating counted on every screen
        assert not await _woken(signal, 0.3)             # the recommender has not taken it in yet
        await redis.incr(user_generation_key(RATER))     # ... now it has, however late
        assert await _woken(signal, 1.0)
        # A second quick rating while the first is followed: its own bump wakes again.
        await hub._on_changed(_changed("rated"))
        assert await _woken(signal, 0.5)
        await asyncio.sleep(0.3)
        await redis.incr(user_generation_key(RATER))
        assert await _woken(signal, 1.0)


async def test_the_rater_is_followed_only_for_a_while_after_their_latest_rating(redis, monkeypatch):
    monkeypatch.setattr(evening_hub, "RATED_WAIT_S", 0.3)
    hub = EveningHub(Cache(redis))
    with hub.watch(EVENING) as signal:
        await hub.rated(EVENING, RATER)
        assert await _woken(signal, 0.5)
        await asyncio.sleep(0.5)
        await redis.incr(user_generation_key(RATER))
        assert not await _woken(signal, 0.3)
        assert not hub._rated_until and not hub._rated_tasks


async def test_without_redis_a_rating_wakes_at_once_and_once_more_later(monkeypatch):
    monkeypatch.setattr(evening_hub, "RATED_DELAY_S", 0.2)
    hub = EveningHub(Cache(None))
    with hub.watch(EVENING) as signal:
        await hub.rated(EVENING, RATER)
        assert await _woken(signal, 0.1)
        assert await _woken(signal, 1.0)
        assert not await _woken(signal, 0.4)


@pytest.mark.parametrize("what", ["joined", "voted"])
async def test_joins_and_votes_wake_once_at_once(redis, what):
    hub = EveningHub(Cache(redis))
    with hub.watch(EVENING) as signal:
        await hub._on_changed(_changed(what))
        assert await _woken(signal, 0.1)
        await redis.incr(user_generation_key(RATER))
        assert not await _woken(signal, 0.3)
        assert not hub._rated_until


async def test_the_followers_one_key_read_agrees_with_the_answer_caches_versions(redis):
    cache = Cache(redis)
    assert await cache.user_generation(RATER) == "0"        # before the user's first change
    await redis.incr(user_generation_key(RATER))
    await redis.incr(user_generation_key(RATER))
    versions = await cache.answer_versions([RATER])
    assert versions is not None
    assert await cache.user_generation(RATER) == versions[-1] == "2"
    assert await Cache(None).user_generation(RATER) is None  # no Redis: the hub falls back to a timed wake
