"""Feedback from every zone, as it happens.

Two durable pull consumers (shared by all replicas: each event is handled once):
- `recommender-feedback` on `feedback.>` (stream FEEDBACK): bumps the user's generation, so every
  zone of that user is recomputed on the next request with the new state (a dismissed or watched
  film is gone, a rating moves the profile and For you), and Together answers that include the user
  too; events from the hidden-gems zone also move the user's adaptive popularity ceiling.
- `recommender-users` on `users.>` (stream USERS): partner links bump both users; a deleted account
  drops its ceiling.

A message is acked after its effects are stored; a failure (Redis or PostgreSQL down) leaves it
unacked and it is redelivered. Handling is idempotent: generation bumps are harmless twice, and the
ceiling update records the event's idempotency key in the same transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import asyncpg
from google.protobuf.message import DecodeError
from movierec.common.v1 import common_pb2
from movierec.users.v1 import events_pb2
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import APIError

from kit import bus
from kit.logging import get_logger
from services.recommender import gem_ceiling
from services.recommender.films import Films
from services.recommender.generations import Generations

log = get_logger(__name__)


class FeedbackConsumer:
    def __init__(self, js: JetStreamContext, pool: asyncpg.Pool, films: Films, generations: Generations,
                 ack_wait_s: float = 30.0) -> None:
        self.js, self.pool, self.films, self.generations = js, pool, films, generations
        self.ack_wait_s = ack_wait_s
        self.handled = 0

    async def _bind(self, stream: str, durable: str, subject: str) -> JetStreamContext.PullSubscription:
        config = ConsumerConfig(durable_name=durable, filter_subject=subject, ack_policy=AckPolicy.EXPLICIT,
                                deliver_policy=DeliverPolicy.NEW, ack_wait=self.ack_wait_s, max_ack_pending=2000)
        try:
            await self.js.add_consumer(stream, config)
        except APIError as e:
            log.warning("consumer_config_not_applied", durable=durable, error=str(e))
        return await self.js.pull_subscribe_bind(durable=durable, stream=stream)

    async def interaction(self, msg: Msg) -> None:
        try:
            ev = events_pb2.Interaction.FromString(msg.data)
        except DecodeError:
            log.warning("bad_feedback_event", subject=msg.subject)
            return
        if not ev.user_id:
            return
        if ev.zone == common_pb2.ZONE_HIDDEN_GEMS:
            what = gem_ceiling.signal(ev.kind, ev.value if ev.HasField("value") else None)
            film = self.films.get(ev.movie_id)
            if what is not None and film is not None:
                new = await gem_ceiling.learn(self.pool, ev.idempotency_key, ev.user_id,
                                              film.popularity_percentile, what)
                if new is not None:
                    log.info("gem_ceiling_learnt", user_id=ev.user_id, ceiling=round(new, 1), signal=what)
        # Last: an answer computed after the bump must already see every stored effect of the event.
        await self.generations.bump(ev.user_id)

    async def users_event(self, msg: Msg) -> None:
        try:
            if msg.subject in (bus.USERS_PARTNER_LINKED, bus.USERS_PARTNER_UNLINKED):
                ev = events_pb2.PartnerLinkChanged.FromString(msg.data)
                await self.generations.bump(ev.user_id, ev.partner_id)
            elif msg.subject == bus.USERS_ACCOUNT_DELETED:
                ev = events_pb2.AccountDeleted.FromString(msg.data)
                await gem_ceiling.forget_user(self.pool, ev.user_id)
                await self.generations.bump(ev.user_id)
        except DecodeError:
            log.warning("bad_users_event", subject=msg.subject)

    async def _loop(self, stream: str, durable: str, subject: str, handle: Callable[[Msg], Awaitable[None]]) -> None:
        sub = await self._bind(stream, durable, subject)
        log.info("consumer_started", durable=durable, subject=subject)
        try:
            while True:
                try:
                    msgs = await sub.fetch(200, timeout=1.0)
                except (TimeoutError, NatsTimeout):
                    continue
                for m in msgs:
                    try:
                        await handle(m)
                    except Exception as e:  # Redis/DB down: leave unacked, redelivered after ack_wait
                        log.warning("feedback_not_applied", subject=m.subject, error=f"{type(e).__name__}: {e}")
                        with contextlib.suppress(Exception):
                            await m.nak(delay=1.0)
                        continue
                    await m.ack()
                    self.handled += 1
        finally:
            with contextlib.suppress(Exception):
                await sub.unsubscribe()

    async def run(self) -> None:
        await asyncio.gather(
            self._loop("FEEDBACK", "recommender-feedback", bus.FEEDBACK_ALL, self.interaction),
            self._loop("USERS", "recommender-users", "users.>", self.users_event),
        )
