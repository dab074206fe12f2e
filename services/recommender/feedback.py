"""Feedback from every zone, as it happens.

Two durable pull consumers (shared by all replicas: each event is handled once):
- `recommender-feedback` on `feedback.>` (stream FEEDBACK): bumps the user's generation, so every
  zone of that user is recomputed on the next request with the new state (a dismissed or watched
  film is gone, a rating moves the profile and For you), and Together answers that include the user
  too; events from the hidden-gems zone also move the user's adaptive popularity ceiling.
- `recommender-users` on `users.>` (stream USERS): partner links bump both users; a deleted account
  drops its ceiling.

Both run `kit.consumer.DurableConsumer`: a message is acked after its effects are stored. Redis or
PostgreSQL down: redelivered with a back-off, however long the outage lasts. Any other failure:
redelivered with a back-off and dead-lettered (`deadletter.<durable>`) on its
`RECOMMENDER_FEEDBACK_MAX_DELIVERIES`-th delivery; an undecodable payload is dead-lettered at once.
Handling is idempotent: generation bumps are harmless twice, and the ceiling update records the
event's idempotency key in the same transaction.
"""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
from google.protobuf.message import DecodeError
from movierec.common.v1 import common_pb2
from movierec.users.v1 import events_pb2
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy

from kit import bus
from kit.consumer import ConsumerSpec, DurableConsumer, PermanentError
from kit.logging import get_logger
from services.recommender import gem_ceiling
from services.recommender.films import Films
from services.recommender.generations import Generations

log = get_logger(__name__)


FEEDBACK_DURABLE = "recommender-feedback"
USERS_DURABLE = "recommender-users"


def _decode(message_type, msg: Msg):
    try:
        return message_type.FromString(msg.data)
    except DecodeError as e:
        raise PermanentError(f"not a {message_type.DESCRIPTOR.full_name}: {e}") from e


class FeedbackConsumer:
    def __init__(self, js: JetStreamContext, pool: asyncpg.Pool, films: Films, generations: Generations,
                 ack_wait_s: float = 30.0, max_deliveries: int = 5, **spec: Any) -> None:
        """`spec`: other `kit.consumer.ConsumerSpec` fields (tests shorten the back-off)."""
        self.js, self.pool, self.films, self.generations = js, pool, films, generations
        common = {"deliver_policy": DeliverPolicy.NEW, "ack_wait_s": ack_wait_s, "max_ack_pending": 2000,
                  "fetch_batch": 200, "max_deliveries": max_deliveries, **spec}
        self.consumers = (
            DurableConsumer(js, ConsumerSpec("FEEDBACK", FEEDBACK_DURABLE, bus.FEEDBACK_ALL, **common),
                            self.interaction),
            DurableConsumer(js, ConsumerSpec("USERS", USERS_DURABLE, bus.USERS_ALL, **common), self.users_event),
        )

    @property
    def handled(self) -> int:
        return sum(c.handled for c in self.consumers)

    async def interaction(self, msg: Msg) -> None:
        ev = _decode(events_pb2.Interaction, msg)
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
        if msg.subject in (bus.USERS_PARTNER_LINKED, bus.USERS_PARTNER_UNLINKED):
            ev = _decode(events_pb2.PartnerLinkChanged, msg)
            await self.generations.bump(ev.user_id, ev.partner_id)
        elif msg.subject == bus.USERS_ACCOUNT_DELETED:
            deleted = _decode(events_pb2.AccountDeleted, msg)
            await gem_ceiling.forget_user(self.pool, deleted.user_id)
            await self.generations.bump(deleted.user_id)

    async def run(self) -> None:
        await asyncio.gather(*(c.run() for c in self.consumers))
