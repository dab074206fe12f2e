"""The JetStream side: a durable pull consumer on `catalog.movie.upserted`.

Batches of up to `fetch_batch` events (waiting at most `fetch_wait_s`) go through the pipeline in
one transaction and are acked only after it commits, so a crash mid-batch redelivers the batch
(upserts are idempotent, so nothing is duplicated). Several replicas share the same durable
consumer and so split the work. When a batch fails, its messages are retried one by one so that
one bad film cannot hold back the others; a message that fails `max_deliveries` times, or that is
not a `MovieUpserted` at all, is published with its error to `embedder.dead_letter.<subject>` and
terminated, and the service keeps going. When the database itself does not answer, the batch is
redelivered later without counting towards that limit: an outage delays events, never drops them.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt

from google.protobuf.message import DecodeError
from google.protobuf.timestamp_pb2 import Timestamp
from movierec.catalog.v1 import events_pb2 as catalog_events
from movierec.embedder.v1 import events_pb2
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import APIError
from prometheus_client import Counter

from kit.bus import CATALOG_MOVIE_UPSERTED, publish
from kit.logging import get_logger
from services.embedder.config import EmbedderConfig
from services.embedder.pipeline import Job, Pipeline

log = get_logger(__name__)

EVENTS = Counter("embedder_events_total", "Catalogue events handled", ["outcome"])
DEAD_LETTER_PREFIX = "embedder.dead_letter."


class PoisonMessage(Exception):
    """A message that can never be processed (it is not the payload its subject promises)."""


def decode(msg: Msg) -> Job:
    try:
        ev = catalog_events.MovieUpserted.FromString(msg.data)
    except DecodeError as e:
        raise PoisonMessage(f"not a MovieUpserted: {e}") from e
    if ev.movie.id <= 0 or not ev.movie.title:
        raise PoisonMessage("MovieUpserted without a film id or title")
    return Job(movie=ev.movie, occurred_at=ev.occurred_at.ToDatetime(tzinfo=dt.UTC))


class CatalogConsumer:
    def __init__(self, js: JetStreamContext, pipeline: Pipeline, cfg: EmbedderConfig) -> None:
        self.js, self.pipeline, self.cfg = js, pipeline, cfg

    async def subscribe(self) -> JetStreamContext.PullSubscription:
        """Create the durable consumer, or update an existing one to the configured ack wait and
        limits (nats-py's pull_subscribe would leave an existing consumer as it was)."""
        policy = DeliverPolicy.ALL if self.cfg.deliver_policy == "all" else DeliverPolicy.NEW
        config = ConsumerConfig(
            durable_name=self.cfg.durable, filter_subject=CATALOG_MOVIE_UPSERTED, ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=policy, ack_wait=self.cfg.ack_wait_s, max_ack_pending=1000,
        )
        try:
            await self.js.add_consumer("CATALOG", config)
        except APIError as e:  # e.g. a different deliver policy: not editable, keep the consumer
            log.warning("consumer_config_not_applied", durable=self.cfg.durable, error=str(e))
        return await self.js.pull_subscribe_bind(durable=self.cfg.durable, stream="CATALOG")

    async def dead_letter(self, msg: Msg, error: str) -> None:
        ts = Timestamp()
        ts.GetCurrentTime()
        dl = events_pb2.DeadLetter(original_subject=msg.subject, payload=msg.data, error=error[:2000],
                                   deliveries=msg.metadata.num_delivered, occurred_at=ts)
        # The stream sequence as message id: a redelivery after a failed term() is not dead-lettered twice.
        await publish(self.js, DEAD_LETTER_PREFIX + msg.subject, dl,
                      f"dead-letter:{msg.metadata.stream}:{msg.metadata.sequence.stream}")
        await msg.term()
        EVENTS.labels("dead_letter").inc()
        log.error("event_dead_lettered", subject=msg.subject, seq=msg.metadata.sequence.stream, error=error)

    async def fail(self, msg: Msg, error: str) -> None:
        if msg.metadata.num_delivered >= self.cfg.max_deliveries:
            await self.dead_letter(msg, error)
        else:
            EVENTS.labels("retry").inc()
            await msg.nak(delay=min(2 ** msg.metadata.num_delivered * 0.5, 30))

    async def infrastructure_down(self) -> bool:
        """True when the database does not answer: then a failure is nobody's fault but the outage's."""
        try:
            async with self.pipeline.pool.acquire(timeout=2) as conn:
                await conn.fetchval("SELECT 1", timeout=2)
            return False
        except Exception:
            return True

    async def handle(self, msgs: list[Msg]) -> None:
        jobs: list[tuple[Msg, Job]] = []
        for m in msgs:
            try:
                jobs.append((m, decode(m)))
            except PoisonMessage as e:
                await self.dead_letter(m, str(e))
        if not jobs:
            return
        try:
            await self.pipeline.process([j for _, j in jobs])
        except Exception as batch_error:
            if await self.infrastructure_down():
                # An outage delays events, it never dead-letters them: redeliver later, count nothing.
                log.warning("batch_failed_infrastructure_down", size=len(jobs), error=str(batch_error))
                for m, _ in jobs:
                    await m.nak(delay=5)
                EVENTS.labels("retry").inc(len(jobs))
                await asyncio.sleep(2)
                return
            log.warning("batch_failed_retrying_singly", size=len(jobs), error=str(batch_error))
            for m, j in jobs:  # isolate the culprit: one by one
                try:
                    await self.pipeline.process([j])
                except Exception as e:
                    await self.fail(m, f"{type(e).__name__}: {e}")
                    continue
                await m.ack()
                EVENTS.labels("ok").inc()
            return
        for m, _ in jobs:
            await m.ack()
        EVENTS.labels("ok").inc(len(jobs))

    async def run(self) -> None:
        sub = await self.subscribe()
        log.info("consumer_started", durable=self.cfg.durable, subject=CATALOG_MOVIE_UPSERTED)
        try:
            while True:
                try:
                    msgs = await sub.fetch(self.cfg.fetch_batch, timeout=self.cfg.fetch_wait_s)
                except (TimeoutError, NatsTimeout):
                    continue
                await self.handle(msgs)
        finally:
            with contextlib.suppress(Exception):
                await sub.unsubscribe()
