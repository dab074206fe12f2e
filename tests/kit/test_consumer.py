"""kit.consumer.DurableConsumer against a real nats-server: acks, back-off, dead letters, outages,
batches, re-binding, shutdown and re-drive. Small ack waits and back-offs keep it to seconds."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid

import pytest
from nats.aio.msg import Msg
from nats.js.api import ConsumerConfig, DeliverPolicy
from prometheus_client import REGISTRY

from kit import bus
from kit.consumer import (
    H_DELIVERIES,
    H_DURABLE,
    H_ERROR,
    H_MSG_ID,
    H_SEQUENCE,
    H_STREAM,
    H_SUBJECT,
    ConsumerSpec,
    DurableConsumer,
    PermanentError,
    _main,
    dead_letters,
)
from tests.nats_server import TEST_STREAM

ACK_WAIT_S = 1.0
FAST = {"ack_wait_s": ACK_WAIT_S, "backoff_s": 0.1, "backoff_max_s": 0.4, "fetch_wait_s": 0.2,
        "outage_pause_s": 0.05}


def _spec(durable: str, **kw) -> ConsumerSpec:
    return ConsumerSpec(TEST_STREAM.name, durable, f"kittest.{durable}", **{**FAST, **kw})


def _durable() -> str:
    return f"t-{uuid.uuid4().hex[:10]}"


async def _publish(nc, durable: str, data: bytes, msg_id: str | None = None) -> int:
    headers = {"Nats-Msg-Id": msg_id or str(uuid.uuid4()), "Content-Type": "application/protobuf; proto=test.T"}
    ack = await nc.jetstream().publish(f"kittest.{durable}", data, headers=headers)
    return ack.seq


@contextlib.asynccontextmanager
async def _running(consumer: DurableConsumer):
    task = asyncio.create_task(consumer.run())
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _until(check, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


def _metric(durable: str, outcome: str) -> float:
    return REGISTRY.get_sample_value("jetstream_consumer_messages_total",
                                     {"durable": durable, "outcome": outcome}) or 0.0


class Recorder:
    """A handler that fails on the deliveries it is told to, and records every call."""

    def __init__(self, fail=lambda m: None) -> None:
        self.fail = fail
        self.calls: list[tuple[bytes, int, float]] = []
        self.applied: list[bytes] = []

    async def __call__(self, m: Msg) -> None:
        self.calls.append((m.data, m.metadata.num_delivered, time.monotonic()))
        exc = self.fail(m)
        if exc is not None:
            raise exc
        self.applied.append(m.data)


async def test_a_handled_message_is_acked_once(nc):
    d = _durable()
    h = Recorder()
    c = DurableConsumer(nc.jetstream(), _spec(d), h)
    seqs = [await _publish(nc, d, f"m{i}".encode()) for i in range(3)]
    async with _running(c):
        await _until(lambda: len(h.applied) == 3)
        await asyncio.sleep(ACK_WAIT_S + 0.5)  # an unacked message would be back by now
    assert h.applied == [b"m0", b"m1", b"m2"] and [n for _, n, _ in h.calls] == [1, 1, 1]
    info = await nc.jetstream().consumer_info(TEST_STREAM.name, d)
    assert info.num_ack_pending == 0 and info.num_redelivered == 0 and info.ack_floor.stream_seq == seqs[-1]
    assert (c.handled, c.retried, c.dead_lettered) == (3, 0, 0)
    assert _metric(d, "handled") == 3


async def test_a_handler_failing_twice_is_applied_once_after_back_off(nc):
    d = _durable()
    h = Recorder(lambda m: RuntimeError("flaky") if m.metadata.num_delivered <= 2 else None)
    c = DurableConsumer(nc.jetstream(), _spec(d), h)
    await _publish(nc, d, b"once")
    async with _running(c):
        await _until(lambda: h.applied)
        await asyncio.sleep(ACK_WAIT_S + 0.5)
    assert h.applied == [b"once"]
    assert [n for _, n, _ in h.calls] == [1, 2, 3]
    t = [at for _, _, at in h.calls]
    assert t[1] - t[0] >= 0.09 and t[2] - t[1] >= 0.19  # naked with 0.1 s, then 0.2 s
    assert (c.handled, c.retried, c.dead_lettered) == (1, 2, 0)
    assert _metric(d, "retried") == 2
    assert await dead_letters(nc.jetstream(), d) == []


async def test_a_handler_always_failing_ends_in_the_dead_letter_stream(nc):
    d = _durable()
    h = Recorder(lambda m: ValueError("boom\nsecond line"))
    c = DurableConsumer(nc.jetstream(), _spec(d, max_deliveries=3), h)
    seq = await _publish(nc, d, b"\x00never", msg_id="event-42")
    async with _running(c):
        await _until(lambda: c.dead_lettered == 1)
        await asyncio.sleep(ACK_WAIT_S + FAST["backoff_max_s"] + 0.5)  # not redelivered afterwards
    assert [n for _, n, _ in h.calls] == [1, 2, 3] and h.applied == []
    assert (c.handled, c.retried, c.dead_lettered) == (0, 2, 1)
    assert _metric(d, "dead_lettered") == 1
    info = await nc.jetstream().consumer_info(TEST_STREAM.name, d)
    assert info.num_ack_pending == 0 and info.num_pending == 0

    raw = await nc.jetstream().get_msg(bus.DEADLETTER_STREAM, seq=1, subject=f"deadletter.{d}", next=True)
    assert raw.subject == f"deadletter.{d}" and raw.data == b"\x00never"
    hd = raw.headers
    assert hd[H_DURABLE] == d and hd[H_STREAM] == TEST_STREAM.name and hd[H_SUBJECT] == f"kittest.{d}"
    assert hd[H_SEQUENCE] == str(seq) and hd[H_DELIVERIES] == "3" and hd[H_MSG_ID] == "event-42"
    assert hd[H_ERROR] == "ValueError: boom second line"
    assert hd["Content-Type"] == "application/protobuf; proto=test.T"
    [dl] = await dead_letters(nc.jetstream(), d)
    assert (dl.subject, dl.sequence, dl.deliveries, dl.msg_id, dl.payload) == (
        f"kittest.{d}", seq, 3, "event-42", b"\x00never")


def _poison(m: Msg) -> bytes:
    if m.data.startswith(b"\xff"):
        raise PermanentError("not a Thing")
    return m.data


@pytest.mark.parametrize("where", ["decode", "handler"])
async def test_a_poison_payload_dead_letters_on_its_first_delivery(nc, where):
    d = _durable()
    applied: list[bytes] = []

    async def handle(item) -> None:
        data = item if where == "decode" else _poison(item)
        applied.append(data)

    c = DurableConsumer(nc.jetstream(), _spec(d), handle, decode=_poison if where == "decode" else None)
    await _publish(nc, d, b"\xff\x00 garbage")
    await _publish(nc, d, b"fine")
    async with _running(c):
        await _until(lambda: c.dead_lettered == 1 and applied)
        await asyncio.sleep(ACK_WAIT_S + 0.5)
    assert applied == [b"fine"] and (c.handled, c.retried, c.dead_lettered) == (1, 0, 1)
    [dl] = await dead_letters(nc.jetstream(), d)
    assert dl.deliveries == 1 and dl.payload == b"\xff\x00 garbage" and dl.error == "PermanentError: not a Thing"


async def test_a_store_outage_delays_a_message_and_never_dead_letters_it(nc):
    d = _durable()
    h = Recorder(lambda m: ConnectionRefusedError(111, "Connect call failed")
                 if m.metadata.num_delivered <= 4 else None)
    c = DurableConsumer(nc.jetstream(), _spec(d, max_deliveries=2), h)
    await _publish(nc, d, b"patient")
    await _publish(nc, d, b"behind it")
    async with _running(c):
        await _until(lambda: len(h.applied) == 2)
    # While the store is down the rest of the batch is not tried: 'behind it' waits with 'patient'.
    assert h.applied == [b"patient", b"behind it"] and c.dead_lettered == 0
    assert [n for data, n, _ in h.calls if data == b"patient"] == [1, 2, 3, 4, 5]
    assert await dead_letters(nc.jetstream(), d) == []


async def test_a_failed_batch_is_handled_one_by_one(nc):
    d = _durable()
    batches: list[list[bytes]] = []
    applied: list[bytes] = []

    async def handle_batch(items: list[bytes]) -> None:
        batches.append(items)
        if b"bad" in items:
            raise RuntimeError("one bad film")
        applied.extend(items)

    async def handle(item: bytes) -> None:
        await handle_batch([item])

    c = DurableConsumer(nc.jetstream(), _spec(d, max_deliveries=2), handle, decode=lambda m: m.data,
                        handle_batch=handle_batch)
    for data in (b"a", b"bad", b"b"):
        await _publish(nc, d, data)
    async with _running(c):
        await _until(lambda: c.dead_lettered == 1)
    assert batches[0] == [b"a", b"bad", b"b"]
    assert sorted(applied) == [b"a", b"b"] and (c.handled, c.dead_lettered) == (2, 1)
    [dl] = await dead_letters(nc.jetstream(), d)
    assert dl.payload == b"bad" and dl.deliveries == 2


async def test_bind_updates_an_existing_consumer(nc):
    d = _durable()
    js = nc.jetstream()
    await js.add_consumer(TEST_STREAM.name, ConsumerConfig(durable_name=d, filter_subject=f"kittest.{d}",
                                                           ack_wait=30, max_ack_pending=10))
    sub = await DurableConsumer(js, _spec(d, ack_wait_s=7.0, max_ack_pending=20), Recorder()).bind()
    await sub.unsubscribe()
    cfg = (await js.consumer_info(TEST_STREAM.name, d)).config
    assert (cfg.ack_wait, cfg.max_ack_pending) == (7.0, 20)
    # Another deliver policy is not editable: the consumer is kept, and bound.
    sub = await DurableConsumer(js, _spec(d, deliver_policy=DeliverPolicy.NEW), Recorder()).bind()
    await sub.unsubscribe()
    assert (await js.consumer_info(TEST_STREAM.name, d)).config.deliver_policy == DeliverPolicy.ALL


async def test_cancelling_the_loop_leaves_messages_for_the_next_run(nc):
    d = _durable()
    first = Recorder()
    c = DurableConsumer(nc.jetstream(), _spec(d), first)
    async with _running(c) as task:
        await _publish(nc, d, b"one")
        await _until(lambda: first.applied)
    assert task.cancelled()
    await _publish(nc, d, b"two")  # published while nothing runs
    await asyncio.sleep(0.5)
    assert first.applied == [b"one"]
    second = Recorder()
    async with _running(DurableConsumer(nc.jetstream(), _spec(d), second)):
        await _until(lambda: second.applied)
    assert second.applied == [b"two"]


async def test_redrive_publishes_a_dead_letter_again_and_deletes_it(nc, nats_server, monkeypatch, capsys):
    d = _durable()
    fixed = False
    h = Recorder(lambda m: None if fixed else RuntimeError("bug"))
    c = DurableConsumer(nc.jetstream(), _spec(d, max_deliveries=1), h)
    async with _running(c):
        await _publish(nc, d, b"again", msg_id="event-7")
        await _until(lambda: c.dead_lettered == 1)
        monkeypatch.setenv("NATS_URL", nats_server.url)
        assert await _main(["list", "--durable", d]) == 0
        line = capsys.readouterr().out.strip()
        assert f"{d}\t{TEST_STREAM.name}#" in line and "deliveries=1" in line and "RuntimeError: bug" in line
        # Inside KITTEST's duplicate window the copy is dropped: the dead letter is kept.
        assert await _main(["redrive", "--durable", d]) == 1
        assert "kept" in capsys.readouterr().out
        assert len(await dead_letters(nc.jetstream(), d)) == 1
        await asyncio.sleep(TEST_STREAM.duplicate_window_s + 0.2)
        fixed = True
        assert await _main(["redrive", "--durable", d]) == 0
        assert "re-driven" in capsys.readouterr().out
        await _until(lambda: h.applied)
    assert h.applied == [b"again"]
    assert await dead_letters(nc.jetstream(), d) == []
