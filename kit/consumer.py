"""One durable JetStream consumer loop for every service that consumes events.

    spec = ConsumerSpec("FEEDBACK", "recommender-feedback", "feedback.>", deliver_policy=DeliverPolicy.NEW)
    await DurableConsumer(js, spec, handle).run()      # until cancelled

- `bind` creates the durable pull consumer, or updates an existing one to the spec (ack wait, max ack
  pending, ...; explicit acks, no server-side delivery limit). A change the server does not allow
  (another deliver policy) is logged and the consumer is kept as it is.
- `run` fetches batches and calls the handler once per message, in stream order, and acks the message
  when the handler returns. With `handle_batch` the whole batch goes to it first; when it fails (and
  no store is down) the batch is handled again one message at a time, so one bad message cannot hold
  back the others. Handlers must be idempotent: a crash before the ack redelivers.
- A handler that raises: the message is naked with an exponential back-off computed from its
  delivery count (`backoff_s` * 2^(deliveries - 1), capped at `backoff_max_s`: 1, 2, 4, 8 s ...). A
  message failing on its `max_deliveries`-th delivery goes to the dead-letter stream and is
  terminated. `PermanentError` (an undecodable payload) dead-letters it on the spot.
- A failure that says a store is down (`is_outage`; by default `kit.db.store_unavailable`) is not
  the message's fault: the message and the rest of its batch are naked with the back-off, never
  dead-lettered, and the loop pauses `outage_pause_s`. An outage delays events, it never drops them.
- Cancelling `run` unsubscribes; the durable consumer and its unacked messages stay on the server.

Dead letters go to `deadletter.<durable>` in stream DEADLETTER (kit/bus.py, kept 30 days): the payload
bytes unchanged, the original headers except `Nats-*` ones, and `Dead-Letter-Durable`, `-Stream`,
`-Subject`, `-Sequence` (in the original stream), `-Deliveries`, `-Error` and `-Msg-Id` (the original
`Nats-Msg-Id`). Read and re-drive them with

    python -m kit.consumer list [--durable D]
    python -m kit.consumer redrive --durable D [SEQ ...]

Counts (`handled`, `retried`, `dead_lettered`) are kept on the object and exported as the Prometheus
counter `jetstream_consumer_messages_total{durable, outcome}`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar, cast

import nats
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeout
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, RawStreamMsg
from nats.js.errors import APIError, NotFoundError
from prometheus_client import Counter

from kit import bus
from kit.db import STORE_RETRY_AFTER_S, store_unavailable
from kit.logging import get_logger

log = get_logger(__name__)

MESSAGES = Counter("jetstream_consumer_messages_total",
                   "Messages of a durable JetStream consumer: handled (acked), retried (naked), dead_lettered",
                   ["durable", "outcome"])

# Headers of a dead letter (beside the original message's own headers, `Nats-*` ones left out).
H_DURABLE = "Dead-Letter-Durable"
H_STREAM = "Dead-Letter-Stream"
H_SUBJECT = "Dead-Letter-Subject"
H_SEQUENCE = "Dead-Letter-Sequence"
H_DELIVERIES = "Dead-Letter-Deliveries"
H_ERROR = "Dead-Letter-Error"
H_MSG_ID = "Dead-Letter-Msg-Id"
MAX_ERROR_CHARS = 1000

T = TypeVar("T")


class PermanentError(Exception):
    """Raised by a decoder or handler: this message can never be handled (its payload is not what its
    subject promises). It is dead-lettered at once instead of being retried."""


@dataclass(frozen=True)
class ConsumerSpec:
    stream: str
    durable: str
    filter_subject: str
    deliver_policy: DeliverPolicy = DeliverPolicy.ALL  # where a new durable starts (not editable later)
    ack_wait_s: float = 30.0        # unacked this long (a crashed or hung replica): redelivered
    max_ack_pending: int = 1000
    fetch_batch: int = 100
    fetch_wait_s: float = 1.0       # longest wait to fill a batch
    max_deliveries: int = 5         # failing on this delivery: dead-lettered
    backoff_s: float = 1.0          # nak delay after a first failed delivery, doubled after each one
    backoff_max_s: float = 60.0
    outage_pause_s: float = STORE_RETRY_AFTER_S  # the loop's pause when a store is down

    def __post_init__(self) -> None:
        if self.max_deliveries < 1:
            raise ValueError("max_deliveries must be at least 1")

    def consumer_config(self) -> ConsumerConfig:
        return ConsumerConfig(
            durable_name=self.durable, filter_subject=self.filter_subject, ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=self.deliver_policy, ack_wait=self.ack_wait_s, max_ack_pending=self.max_ack_pending,
            max_deliver=-1,  # the loop dead-letters; the server must never drop a message silently
        )

    def backoff(self, deliveries: int) -> float:
        """The nak delay after the `deliveries`-th failed delivery: 1, 2, 4, 8 ... s, capped."""
        return min(self.backoff_max_s, self.backoff_s * 2.0 ** min(max(deliveries - 1, 0), 32))


async def _store_down(exc: BaseException) -> bool:
    return store_unavailable(exc)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _header_text(text: str) -> str:
    """A header value: one line, ASCII, bounded."""
    one_line = " ".join(text.split())
    return one_line.encode("ascii", "backslashreplace").decode()[:MAX_ERROR_CHARS]


def dead_letter_headers(msg: Msg, durable: str, error: str) -> dict[str, str]:
    meta = msg.metadata
    original = dict(msg.headers or {})
    headers = {k: v for k, v in original.items() if not k.lower().startswith("nats-")}
    headers.update({
        # A redelivery after a lost term() is dropped as a duplicate by the DEADLETTER stream.
        "Nats-Msg-Id": f"deadletter:{durable}:{meta.stream}:{meta.sequence.stream}",
        H_DURABLE: durable, H_STREAM: meta.stream, H_SUBJECT: msg.subject,
        H_SEQUENCE: str(meta.sequence.stream), H_DELIVERIES: str(meta.num_delivered), H_ERROR: _header_text(error),
    })
    if original.get("Nats-Msg-Id"):
        headers[H_MSG_ID] = original["Nats-Msg-Id"]
    return headers


class DurableConsumer(Generic[T]):
    """A durable pull consumer and its loop (see the module's docstring).

    `decode` turns a message into what the handlers take (default: the message itself); it raises
    `PermanentError` for a payload that can never be handled. `handle` takes one item; `handle_batch`,
    when given, takes every item of a fetched batch at once."""

    def __init__(self, js: JetStreamContext, spec: ConsumerSpec, handle: Callable[[T], Awaitable[None]], *,
                 decode: Callable[[Msg], T] | None = None,
                 handle_batch: Callable[[list[T]], Awaitable[object]] | None = None,
                 is_outage: Callable[[BaseException], Awaitable[bool]] = _store_down) -> None:
        self.js, self.spec, self.handle, self.handle_batch = js, spec, handle, handle_batch
        self.decode: Callable[[Msg], T] = decode or (lambda m: cast(T, m))
        self.is_outage = is_outage
        self.handled = 0
        self.retried = 0
        self.dead_lettered = 0
        self._metrics = {o: MESSAGES.labels(spec.durable, o) for o in ("handled", "retried", "dead_lettered")}

    async def bind(self) -> JetStreamContext.PullSubscription:
        """Create the durable consumer, or update an existing one to the spec (nats-py's pull_subscribe
        would leave an existing consumer as it was), and bind to it."""
        try:
            await self.js.add_consumer(self.spec.stream, self.spec.consumer_config())
        except APIError as e:  # e.g. another deliver policy: not editable, keep the consumer
            log.warning("consumer_config_not_applied", durable=self.spec.durable, error=str(e))
        return await self.js.pull_subscribe_bind(durable=self.spec.durable, stream=self.spec.stream)

    async def run(self) -> None:
        sub = await self.bind()
        log.info("consumer_started", durable=self.spec.durable, stream=self.spec.stream,
                 subject=self.spec.filter_subject)
        try:
            while True:
                try:
                    msgs = await sub.fetch(self.spec.fetch_batch, timeout=self.spec.fetch_wait_s)
                except (TimeoutError, NatsTimeout):
                    continue
                await self.process(msgs)
        finally:
            with contextlib.suppress(Exception):
                await sub.unsubscribe()
            log.info("consumer_stopped", durable=self.spec.durable)

    async def process(self, msgs: Sequence[Msg]) -> None:
        """Handle one fetched batch: every message ends acked, naked or dead-lettered."""
        items: list[tuple[Msg, T]] = []
        for m in msgs:
            try:
                items.append((m, self.decode(m)))
            except Exception as e:
                await self._fail(m, e)
        if not items:
            return
        if self.handle_batch is not None and len(items) > 1:
            try:
                await self.handle_batch([item for _, item in items])
            except Exception as e:
                if await self._outage(e):
                    await self._redeliver_later([m for m, _ in items], e)
                    return
                log.warning("batch_failed_handling_singly", durable=self.spec.durable, size=len(items),
                            error=_describe(e))
            else:
                for m, _ in items:
                    await self._ack(m)
                return
        for k, (m, item) in enumerate(items):
            try:
                await self.handle(item)
            except Exception as e:
                if not isinstance(e, PermanentError) and await self._outage(e):
                    await self._redeliver_later([m for m, _ in items[k:]], e)
                    return
                await self._fail(m, e)
                continue
            await self._ack(m)

    async def _outage(self, exc: BaseException) -> bool:
        try:
            return await self.is_outage(exc)
        except Exception:  # noqa: BLE001 - a probe that fails says nothing either way
            return False

    async def _redeliver_later(self, msgs: list[Msg], exc: BaseException) -> None:
        """A store is down: nobody's fault but the outage's. Back off, never dead-letter."""
        log.warning("consumer_store_down_redelivering_later", durable=self.spec.durable, messages=len(msgs),
                    error=_describe(exc))
        for m in msgs:
            await self._nak(m, self.spec.backoff(m.metadata.num_delivered))
        await asyncio.sleep(self.spec.outage_pause_s)

    async def _fail(self, msg: Msg, exc: BaseException) -> None:
        deliveries = msg.metadata.num_delivered
        if isinstance(exc, PermanentError) or deliveries >= self.spec.max_deliveries:
            await self._dead_letter(msg, _describe(exc))
            return
        delay = self.spec.backoff(deliveries)
        log.warning("event_retry_later", durable=self.spec.durable, subject=msg.subject,
                    seq=msg.metadata.sequence.stream, deliveries=deliveries, delay_s=delay, error=_describe(exc))
        await self._nak(msg, delay)

    async def _dead_letter(self, msg: Msg, error: str) -> None:
        meta = msg.metadata
        try:
            await self.js.publish(bus.DEADLETTER_PREFIX + self.spec.durable, msg.data,
                                  headers=dead_letter_headers(msg, self.spec.durable, error), timeout=5.0)
        except Exception as e:  # noqa: BLE001 - not stored: it comes back and is tried again then
            log.error("dead_letter_not_stored", durable=self.spec.durable, subject=msg.subject,
                      seq=meta.sequence.stream, error=_describe(e), message_error=error)
            await self._nak(msg, self.spec.backoff(meta.num_delivered))
            return
        with contextlib.suppress(Exception):  # lost: redelivered, and the copy dropped as a duplicate
            await msg.term()
        self.dead_lettered += 1
        self._metrics["dead_lettered"].inc()
        log.error("event_dead_lettered", durable=self.spec.durable, subject=msg.subject, seq=meta.sequence.stream,
                  deliveries=meta.num_delivered, error=error)

    async def _ack(self, msg: Msg) -> None:
        with contextlib.suppress(Exception):  # lost: redelivered after ack_wait, handled again (idempotent)
            await msg.ack()
        self.handled += 1
        self._metrics["handled"].inc()

    async def _nak(self, msg: Msg, delay: float) -> None:
        with contextlib.suppress(Exception):  # lost: redelivered after ack_wait instead
            await msg.nak(delay=delay)
        self.retried += 1
        self._metrics["retried"].inc()


# --- the dead-letter stream: read and re-drive ---------------------------------------------------------


@dataclass(frozen=True)
class DeadLetter:
    seq: int                  # in DEADLETTER
    time: dt.datetime | None
    durable: str
    stream: str               # where the message came from
    subject: str
    sequence: int             # its sequence there
    deliveries: int
    error: str
    msg_id: str               # its Nats-Msg-Id ("" when it had none)
    payload: bytes
    headers: dict[str, str]

    @classmethod
    def from_raw(cls, raw: RawStreamMsg) -> DeadLetter:
        h = dict(raw.headers or {})
        return cls(seq=raw.seq or 0, time=raw.time, durable=h.get(H_DURABLE, ""), stream=h.get(H_STREAM, ""),
                   subject=h.get(H_SUBJECT, ""), sequence=int(h.get(H_SEQUENCE) or 0),
                   deliveries=int(h.get(H_DELIVERIES) or 0), error=h.get(H_ERROR, ""), msg_id=h.get(H_MSG_ID, ""),
                   payload=raw.data or b"", headers=h)


async def dead_letters(js: JetStreamContext, durable: str | None = None, limit: int | None = None,
                       seqs: Sequence[int] = ()) -> list[DeadLetter]:
    """The dead letters of one durable consumer (all of them when None), oldest first, or those at `seqs`."""
    subject = bus.DEADLETTER_PREFIX + (durable or ">")
    out: list[DeadLetter] = []
    if seqs:
        for s in seqs:
            with contextlib.suppress(NotFoundError):
                dl = DeadLetter.from_raw(await js.get_msg(bus.DEADLETTER_STREAM, seq=s))
                if durable is None or dl.durable == durable:
                    out.append(dl)
        return out
    seq = 1
    while limit is None or len(out) < limit:
        try:
            raw = await js.get_msg(bus.DEADLETTER_STREAM, seq=seq, subject=subject, next=True)
        except NotFoundError:
            break
        out.append(DeadLetter.from_raw(raw))
        seq = (raw.seq or seq) + 1
    return out


async def redrive(js: JetStreamContext, dl: DeadLetter) -> bool:
    """Publish a dead letter again on its original subject, with its original headers and
    `Nats-Msg-Id`, then delete it from DEADLETTER. Every consumer of that subject sees it again
    (handlers are idempotent). False, and the dead letter kept, when the stream dropped the copy as a
    duplicate: the original id is still inside the stream's duplicate window (2 minutes)."""
    headers = {k: v for k, v in dl.headers.items()
               if not k.startswith("Dead-Letter-") and not k.lower().startswith("nats-")}
    headers["Nats-Msg-Id"] = dl.msg_id or f"redrive:{dl.seq}"
    ack = await js.publish(dl.subject, dl.payload, headers=headers, timeout=5.0)
    if ack.duplicate:
        return False
    await js.delete_msg(bus.DEADLETTER_STREAM, dl.seq)
    return True


async def _main(argv: list[str]) -> int:
    from kit.config import load_settings

    p = argparse.ArgumentParser(prog="python -m kit.consumer", description="Read and re-drive dead letters.")
    sub = p.add_subparsers(dest="command", required=True)
    ls = sub.add_parser("list", help="dead letters, oldest first")
    ls.add_argument("--durable", help="only this consumer's")
    ls.add_argument("--limit", type=int, default=100)
    rd = sub.add_parser("redrive", help="publish dead letters again on their subjects and delete them")
    rd.add_argument("--durable", required=True, help="the consumer whose dead letters to re-drive")
    rd.add_argument("seqs", nargs="*", type=int, help="DEADLETTER sequences (default: all of the consumer's)")
    args = p.parse_args(argv)

    # Not bus.connect, which retries for ever: a command says at once when NATS does not answer.
    nc = await nats.connect(servers=[load_settings().nats_url], name="kit-consumer-cli", connect_timeout=5,
                            allow_reconnect=False)
    try:
        js = nc.jetstream()
        if args.command == "list":
            for dl in await dead_letters(js, args.durable, args.limit):
                when = dl.time.isoformat(timespec="seconds") if dl.time else "?"
                print(f"{dl.seq}\t{when}\t{dl.durable}\t{dl.stream}#{dl.sequence} {dl.subject}\t"
                      f"deliveries={dl.deliveries}\tbytes={len(dl.payload)}\t{dl.error}")
            return 0
        failed = 0
        for dl in await dead_letters(js, args.durable, seqs=args.seqs):
            if await redrive(js, dl):
                print(f"{dl.seq}\tre-driven to {dl.subject}")
            else:
                failed += 1
                print(f"{dl.seq}\tkept: dropped as a duplicate of {dl.msg_id} (inside the duplicate window); "
                      "try again in 2 minutes")
        return 1 if failed else 0
    finally:
        await bus.close(nc)


if __name__ == "__main__":
    sys.exit(asyncio.run(_main(sys.argv[1:])))
