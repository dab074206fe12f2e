"""The recommender's feedback consumers on kit.consumer, with a real nats-server and a real Redis
(the generations): events bump generations, undecodable payloads are dead-lettered at once instead
of being acked unread, and Redis down delays events without dead-lettering them."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid

from movierec.common.v1 import common_pb2
from movierec.users.v1 import events_pb2
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from devstack.procs import free_port
from kit import bus
from kit.consumer import dead_letters
from services.recommender.feedback import FEEDBACK_DURABLE, USERS_DURABLE, FeedbackConsumer
from services.recommender.films import Films
from services.recommender.generations import Generations


def _consumer(nc, generations: Generations) -> FeedbackConsumer:
    # pool: only a hidden-gems event of a known film or a deleted account reach PostgreSQL; none here.
    return FeedbackConsumer(nc.jetstream(), None, Films(), generations,  # type: ignore[arg-type]
                            ack_wait_s=1.0, max_deliveries=2, backoff_s=0.1, backoff_max_s=0.2, outage_pause_s=0.05)


@contextlib.asynccontextmanager
async def _running(fc: FeedbackConsumer, nc):
    task = asyncio.create_task(fc.run())
    js = nc.jetstream()
    try:
        for stream, durable in (("FEEDBACK", FEEDBACK_DURABLE), ("USERS", USERS_DURABLE)):
            for _ in range(200):  # DeliverPolicy.NEW: publish only once the consumers exist
                with contextlib.suppress(Exception):
                    await js.consumer_info(stream, durable)
                    break
                await asyncio.sleep(0.02)
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _until(check, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        await asyncio.sleep(0.02)
    raise AssertionError("condition not met in time")


def _interaction(user_id: str) -> bytes:
    return events_pb2.Interaction(idempotency_key=str(uuid.uuid4()), user_id=user_id, movie_id=238,
                                  zone=common_pb2.ZONE_FOR_YOU,
                                  kind=common_pb2.INTERACTION_KIND_DISMISSED).SerializeToString()


async def _pub(nc, subject: str, data: bytes) -> None:
    await nc.jetstream().publish(subject, data, headers={"Nats-Msg-Id": str(uuid.uuid4())})


async def _gen(redis: Redis, user_id: str) -> int:
    return int(await redis.get(f"rec:gen:{user_id}") or 0)


async def test_events_bump_generations_and_poison_is_dead_lettered_at_once(nc, redis):
    fc = _consumer(nc, Generations(redis))
    subject = bus.feedback_subject(common_pb2.ZONE_FOR_YOU, common_pb2.INTERACTION_KIND_DISMISSED)
    async with _running(fc, nc):
        await _pub(nc, subject, b"\xff\x00 not an Interaction")
        await _pub(nc, subject, _interaction("u1"))
        await _pub(nc, bus.USERS_ACCOUNT_DELETED, b"\xff garbage")
        await _pub(nc, bus.USERS_PARTNER_LINKED, events_pb2.PartnerLinkChanged(
            event_id="e1", user_id="u2", partner_id="u3", linked=True).SerializeToString())
        assert await _until(lambda: _gen(redis, "u1")) == 1
        await _until(lambda: _gen(redis, "u3"))
        await _until(lambda: sum(c.dead_lettered for c in fc.consumers) == 2)
    assert [await _gen(redis, u) for u in ("u1", "u2", "u3")] == [1, 1, 1]
    [fb] = await dead_letters(nc.jetstream(), FEEDBACK_DURABLE)
    assert fb.subject == subject and fb.deliveries == 1 and "not a movierec.users.v1.Interaction" in fb.error
    [us] = await dead_letters(nc.jetstream(), USERS_DURABLE)
    assert us.subject == bus.USERS_ACCOUNT_DELETED and us.payload == b"\xff garbage"
    assert fc.handled == 2



async def test_redis_down_delays_feedback_and_never_dead_letters_it(nc, redis):
    down = Redis(host="127.0.0.1", port=free_port(), socket_connect_timeout=0.5, retry=Retry(NoBackoff(), 0))
    fc = _consumer(nc, Generations(down))
    feedback = fc.consumers[0]
    subject = bus.feedback_subject(common_pb2.ZONE_FOR_YOU, common_pb2.INTERACTION_KIND_DISMISSED)
    async with _running(fc, nc):
        await _pub(nc, subject, _interaction("patient"))
        await _until(lambda: feedback.retried >= 3)  # more than max_deliveries (2)
        fc.generations = Generations(redis)  # Redis is back
        assert await _until(lambda: _gen(redis, "patient")) == 1
    await down.aclose()
    assert feedback.dead_lettered == 0 and await dead_letters(nc.jetstream(), FEEDBACK_DURABLE) == []
