"""The JetStream side: a durable pull consumer on `catalog.movie.upserted` (`kit.consumer`).

Batches of up to `fetch_batch` events (waiting at most `fetch_wait_s`) go through the pipeline in
one transaction and are acked only after it commits, so a crash mid-batch redelivers the batch
(upserts are idempotent, so nothing is duplicated). Several replicas share the same durable
consumer and so split the work. When a batch fails, its messages are retried one by one so that
one bad film cannot hold back the others; a message that fails on its `max_deliveries`-th delivery,
or that is not a `MovieUpserted` at all, goes to the dead-letter stream (`deadletter.embedder`) and
is terminated, and the service keeps going. When the database itself does not answer, the batch is
redelivered later with a back-off and never dead-lettered: an outage delays events, never drops them.
"""

from __future__ import annotations

import datetime as dt

from google.protobuf.message import DecodeError
from movierec.catalog.v1 import events_pb2 as catalog_events
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy

from kit.bus import CATALOG_MOVIE_UPSERTED
from kit.consumer import ConsumerSpec, DurableConsumer, PermanentError
from kit.db import store_unavailable
from services.embedder.config import EmbedderConfig
from services.embedder.pipeline import Job, Pipeline


def decode(msg: Msg) -> Job:
    try:
        ev = catalog_events.MovieUpserted.FromString(msg.data)
    except DecodeError as e:
        raise PermanentError(f"not a MovieUpserted: {e}") from e
    if ev.movie.id <= 0 or not ev.movie.title:
        raise PermanentError("MovieUpserted without a film id or title")
    return Job(movie=ev.movie, occurred_at=ev.occurred_at.ToDatetime(tzinfo=dt.UTC))


class CatalogConsumer:
    def __init__(self, js: JetStreamContext, pipeline: Pipeline, cfg: EmbedderConfig) -> None:
        self.js, self.pipeline, self.cfg = js, pipeline, cfg
        spec = ConsumerSpec(
            "CATALOG", cfg.durable, CATALOG_MOVIE_UPSERTED,
            deliver_policy=DeliverPolicy.ALL if cfg.deliver_policy == "all" else DeliverPolicy.NEW,
            ack_wait_s=cfg.ack_wait_s, max_ack_pending=1000, fetch_batch=cfg.fetch_batch,
            fetch_wait_s=cfg.fetch_wait_s, max_deliveries=cfg.max_deliveries, backoff_s=1.0, backoff_max_s=30.0,
        )
        self.consumer = DurableConsumer(js, spec, self.handle_one, decode=decode, handle_batch=pipeline.process,
                                        is_outage=self.infrastructure_down)

    async def handle_one(self, job: Job) -> None:
        await self.pipeline.process([job])

    async def infrastructure_down(self, exc: BaseException) -> bool:
        """True when the database does not answer: then a failure is nobody's fault but the outage's."""
        if store_unavailable(exc):
            return True
        try:
            async with self.pipeline.pool.acquire(timeout=2) as conn:
                await conn.fetchval("SELECT 1", timeout=2)
            return False
        except Exception:
            return True

    async def run(self) -> None:
        await self.consumer.run()
