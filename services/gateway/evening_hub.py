"""Tonight's live updates: every gateway process follows `users.evening.changed` on NATS (core
subscription: JetStream publishes reach it too) and wakes the `evening` subscriptions it holds for that
evening, which then read the evening afresh and push it to their client. So a vote taken by any gateway
process reaches every member's screen, whichever process holds their WebSocket.

A subscription waits on a signal, not a queue of events: several changes while it reads the evening
fold into one more read, and a slow client never makes the hub hold more than one flag per
subscription. Events missed while NATS was away are not replayed: after a reconnection every
subscription is woken to read its evening again.

A guest's rating changes the list only once the recommender has taken it in: its feedback consumer bumps
the guest's generation in Redis (kit/answer_keys.py) as its last step, after the rating is stored. So a
"rated" event wakes the subscriptions at once (the members see the rating counted) and again at every
move of the rater's generation past the value read on the event, until RATED_WAIT_S after their latest
rating; a subscription's snapshot is keyed by the evening's version and the members' generations
(resolvers/evenings.py), so the second read pushes the list the recommender now serves. Had the bump come
before the event was read, the first read already saw it. Without Redis, one more wake RATED_DELAY_S later.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

from google.protobuf.message import DecodeError
from movierec.users.v1 import events_pb2
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg

from kit import bus
from kit.logging import get_logger
from services.gateway.cache import Cache
from services.gateway.metrics import EVENING_PUSHES

log = get_logger(__name__)

# After a guest's rating: how often the rater's generation is read, and for how long at most (the recommender
# bumps it within tens of milliseconds when idle, seconds when the machine is loaded).
RATED_POLL_S = 0.05
RATED_WAIT_S = 5.0
# Without Redis (no generation to read): one more wake this long after the event.
RATED_DELAY_S = 1.0


class EveningHub:
    def __init__(self, cache: Cache | None = None) -> None:
        self._watchers: dict[str, set[asyncio.Event]] = {}
        self._cache = cache  # the rater's generation after a "rated" event (None: RATED_DELAY_S instead)
        self._rated_until: dict[tuple[str, str], float] = {}  # (evening, rater) followed: until when
        self._rated_tasks: set[asyncio.Task[None]] = set()
        self.subscribed = asyncio.Event()

    async def attach(self, nc: NATS, cache: Cache | None = None) -> None:
        if cache is not None:
            self._cache = cache
        await nc.subscribe(bus.USERS_EVENING_CHANGED, cb=self._on_changed)
        await nc.flush()
        self.subscribed.set()
        log.info("evening_updates_subscribed", subject=bus.USERS_EVENING_CHANGED)

    async def _on_changed(self, msg: Msg) -> None:
        try:
            event = events_pb2.EveningChanged.FromString(msg.data)
        except DecodeError:
            log.warning("bad_evening_changed_event", size=len(msg.data))
            return
        if event.what == "rated" and self.watching(event.evening_id):
            await self.rated(event.evening_id, event.user_id)
        else:
            self.wake(event.evening_id)

    async def rated(self, evening_id: str, rater_id: str) -> None:
        """Wake now, and at every move of the rater's generation until RATED_WAIT_S after their latest
        rating (several quick ratings: each bump may come after the next event, so one follower per rater
        and evening wakes on each, not only on the first)."""
        loop = asyncio.get_running_loop()
        key = (evening_id, rater_id)
        following = key in self._rated_until
        self._rated_until[key] = loop.time() + RATED_WAIT_S
        seen = None if following else await self._generation(rater_id)
        self.wake(evening_id)
        if following:
            return
        if seen is None:
            del self._rated_until[key]
            loop.call_later(RATED_DELAY_S, self.wake, evening_id)
            return
        task = asyncio.create_task(self._follow_rater(key, seen), name="evening-rated")
        self._rated_tasks.add(task)
        task.add_done_callback(self._rated_tasks.discard)

    async def _generation(self, user_id: str) -> str | None:
        if self._cache is None or not user_id:
            return None
        return await self._cache.user_generation(user_id)

    async def _follow_rater(self, key: tuple[str, str], seen: str) -> None:
        evening_id, rater_id = key
        loop = asyncio.get_running_loop()
        try:
            while loop.time() < self._rated_until[key] and self.watching(evening_id):
                await asyncio.sleep(RATED_POLL_S)
                now = await self._generation(rater_id)
                if now is None:  # Redis went away: one read more, as without it
                    loop.call_later(RATED_DELAY_S, self.wake, evening_id)
                    return
                if now != seen:
                    seen = now
                    self.wake(evening_id)
        finally:
            del self._rated_until[key]

    def wake(self, evening_id: str) -> None:
        for signal in self._watchers.get(evening_id, ()):
            signal.set()
            EVENING_PUSHES.inc()

    def wake_all(self) -> None:
        for evening_id in list(self._watchers):
            self.wake(evening_id)

    def watching(self, evening_id: str) -> int:
        return len(self._watchers.get(evening_id, ()))

    @contextlib.contextmanager
    def watch(self, evening_id: str) -> Iterator[asyncio.Event]:
        """A signal set whenever `evening_id` changes, for as long as the `with` lasts."""
        signal = asyncio.Event()
        self._watchers.setdefault(evening_id, set()).add(signal)
        try:
            yield signal
        finally:
            watchers = self._watchers.get(evening_id)
            if watchers is not None:
                watchers.discard(signal)
                if not watchers:
                    del self._watchers[evening_id]
