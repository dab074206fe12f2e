"""Transactional outbox.

A service writes its state change and the event describing it in one PostgreSQL transaction
(`enqueue`, called with the same connection). A relay (`OutboxRelay`, running inside the service)
publishes pending rows to JetStream in id order and marks them published; when a publish fails, what
went out before it is marked and committed, and the relay retries from the failed row. A crash after the
publish but before the mark re-publishes the row; JetStream drops that copy by its `Nats-Msg-Id`
(the row's event id) inside the stream's duplicate window. A NATS outage only delays events.

Each service owns the table `<schema>.outbox` (created by its migrations with `OUTBOX_DDL`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

import asyncpg
from asyncpg.pool import PoolConnectionProxy
from google.protobuf.message import Message
from nats.js import JetStreamContext

from kit.bus import proto_headers
from kit.db import Conn
from kit.logging import get_logger

log = get_logger(__name__)

OUTBOX_DDL = """
CREATE TABLE {schema}.outbox (
    id           bigserial PRIMARY KEY,
    event_id     text        NOT NULL UNIQUE,
    subject      text        NOT NULL,
    proto_type   text        NOT NULL,
    payload      bytea       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz
);
CREATE INDEX outbox_pending_idx ON {schema}.outbox (id) WHERE published_at IS NULL;
"""


def notify_channel(schema: str) -> str:
    return f"{schema}_outbox"


async def enqueue(conn: Conn, schema: str, subject: str, message: Message, event_id: str) -> None:
    """Add one event to the outbox inside the caller's transaction."""
    await conn.execute(
        f"INSERT INTO {schema}.outbox (event_id, subject, proto_type, payload) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (event_id) DO NOTHING",
        event_id, subject, message.DESCRIPTOR.full_name, message.SerializeToString(),
    )
    await conn.execute("SELECT pg_notify($1, '')", notify_channel(schema))


async def enqueue_many(
    conn: Conn, schema: str, rows: Sequence[tuple[str, str, Message]]
) -> None:
    """Add many (event_id, subject, message) rows inside the caller's transaction."""
    if not rows:
        return
    await conn.copy_records_to_table(
        "outbox", schema_name=schema, columns=["event_id", "subject", "proto_type", "payload"],
        records=[(eid, subj, m.DESCRIPTOR.full_name, m.SerializeToString()) for eid, subj, m in rows],
    )
    await conn.execute("SELECT pg_notify($1, '')", notify_channel(schema))


class PublishFailed(Exception):
    """A publish failed; the rows before it were marked published and committed."""


class OutboxRelay:
    """Publishes pending outbox rows in id order. Several replicas may run the relay: a transaction
    advisory lock lets one of them publish at a time, so the order holds across replicas too."""

    def __init__(
        self, pool: asyncpg.Pool, js: JetStreamContext, schema: str,
        batch_size: int = 500, poll_interval_s: float = 1.0, retention_s: float = 24 * 3600,
    ) -> None:
        self.pool, self.js, self.schema = pool, js, schema
        self.batch_size, self.poll_interval_s, self.retention_s = batch_size, poll_interval_s, retention_s
        self._wake = asyncio.Event()
        self.published_total = 0

    async def publish_pending(self) -> int:
        """One pass: publish up to batch_size rows; returns how many went out. When a publish fails,
        the rows published before it are still marked (the transaction commits), the rest stay
        pending, and PublishFailed is raised."""
        error: Exception | None = None
        done: list[int] = []
        async with self.pool.acquire() as conn, conn.transaction():
            if not await conn.fetchval("SELECT pg_try_advisory_xact_lock(hashtext($1))", f"{self.schema}.outbox"):
                return 0  # another replica is relaying
            rows = await conn.fetch(
                f"SELECT id, event_id, subject, proto_type, payload FROM {self.schema}.outbox"
                " WHERE published_at IS NULL ORDER BY id LIMIT $1",
                self.batch_size,
            )
            for r in rows:
                try:
                    await self.js.publish(
                        r["subject"], bytes(r["payload"]), timeout=5.0,
                        headers=proto_headers(r["proto_type"], r["event_id"]),
                    )
                except Exception as e:  # NATS down or slow: stop here, keep order
                    error = e
                    break
                done.append(r["id"])
            if done:
                await conn.execute(
                    f"UPDATE {self.schema}.outbox SET published_at = now() WHERE id = ANY($1::bigint[])", done
                )
        self.published_total += len(done)
        if error is not None:
            raise PublishFailed(f"published {len(done)}, then: {type(error).__name__}: {error}") from error
        return len(done)

    async def purge_published(self) -> None:
        async with self.pool.acquire() as conn:
            await conn.execute(
                f"DELETE FROM {self.schema}.outbox WHERE published_at < now() - make_interval(secs => $1)",
                self.retention_s,
            )

    async def run(self) -> None:
        """Relay until cancelled: woken by LISTEN/NOTIFY, polling as a fallback, backing off on errors."""
        channel = notify_channel(self.schema)

        def on_notify(*_: object) -> None:
            self._wake.set()

        listener: PoolConnectionProxy[asyncpg.Record] | None = None
        backoff = 0.2
        passes = 0
        try:
            listener = await self.pool.acquire()
            await listener.add_listener(channel, on_notify)
            while True:
                try:
                    n = await self.publish_pending()
                    backoff = 0.2
                    passes += 1
                    if passes % 600 == 0:
                        await self.purge_published()
                    if n == self.batch_size:
                        continue  # more pending: go again at once
                except Exception as e:  # NATS or DB down: rows stay pending, retry later
                    log.warning("outbox_publish_failed", schema=self.schema, error=str(e))
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, 5.0)
                    continue
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.poll_interval_s)
        finally:
            if listener is not None:
                with contextlib.suppress(Exception):
                    await listener.remove_listener(channel, on_notify)
                await self.pool.release(listener)
