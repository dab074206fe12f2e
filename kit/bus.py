"""NATS JetStream: connection, the streams the system uses, and protobuf publishing.

Every event payload is a protobuf message from proto/; the subject says which one. Publishers set
`Nats-Msg-Id` so JetStream drops duplicates inside the stream's duplicate window (the outbox relay
relies on this when it re-publishes after a crash).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import nats
from google.protobuf.message import Message
from movierec.common.v1 import common_pb2
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import BadRequestError

from kit.logging import get_logger

log = get_logger(__name__)

DAY_S = 24 * 3600.0


@dataclass(frozen=True)
class StreamSpec:
    name: str
    subjects: tuple[str, ...]
    max_age_s: float = 7 * DAY_S
    duplicate_window_s: float = 120.0


# One stream per publishing service, plus the dead letters of every consumer. Consumers are durable
# pull consumers on these (kit/consumer.py).
STREAMS: tuple[StreamSpec, ...] = (
    StreamSpec("CATALOG", ("catalog.>",)),
    StreamSpec("USERS", ("users.>",)),
    StreamSpec("FEEDBACK", ("feedback.>",)),
    StreamSpec("EMBEDDER", ("embedder.>",)),
    # deadletter.<durable>: the messages a consumer gave up on, kept a month to be read and re-driven.
    StreamSpec("DEADLETTER", ("deadletter.>",), max_age_s=30 * DAY_S),
)

# Subjects
CATALOG_MOVIE_UPSERTED = "catalog.movie.upserted"
USERS_PARTNER_LINKED = "users.partner.linked"
USERS_PARTNER_UNLINKED = "users.partner.unlinked"
USERS_ACCOUNT_DELETED = "users.account.deleted"
USERS_EVENING_CHANGED = "users.evening.changed"
FEEDBACK_ALL = "feedback.>"
USERS_ALL = "users.>"
DEADLETTER_STREAM = "DEADLETTER"
DEADLETTER_PREFIX = "deadletter."


def zone_token(zone: common_pb2.Zone.ValueType) -> str:
    """common.v1.Zone as a subject token: ZONE_HIDDEN_GEMS -> "hidden_gems" (UNSPECIFIED -> "browse")."""
    if zone == common_pb2.ZONE_UNSPECIFIED:
        zone = common_pb2.ZONE_BROWSE
    return common_pb2.Zone.Name(zone).removeprefix("ZONE_").lower()


def kind_token(kind: common_pb2.InteractionKind.ValueType) -> str:
    """common.v1.InteractionKind as a subject token: INTERACTION_KIND_RATED -> "rated"."""
    return common_pb2.InteractionKind.Name(kind).removeprefix("INTERACTION_KIND_").lower()


def feedback_subject(zone: common_pb2.Zone.ValueType, kind: common_pb2.InteractionKind.ValueType) -> str:
    """The subject of an interaction: feedback.<zone>.<kind>, e.g. feedback.hidden_gems.dismissed."""
    return f"feedback.{zone_token(zone)}.{kind_token(kind)}"


async def connect(
    url: str, name: str, on_reconnect: Callable[[], Awaitable[None]] | None = None,
) -> NATS:
    """Connect, retrying for ever (the first connection included). `on_reconnect` runs after every
    reconnection: a core-NATS subscriber uses it to make up for what it missed while away."""
    async def _on_error(e: Exception) -> None:
        log.warning("nats_error", error=str(e))

    async def _on_disconnect() -> None:
        log.warning("nats_disconnected")

    async def _on_reconnect() -> None:
        log.info("nats_reconnected")
        if on_reconnect is not None:
            await on_reconnect()

    return await nats.connect(
        servers=[url],
        name=name,
        max_reconnect_attempts=-1,
        allow_reconnect=True,
        reconnect_time_wait=0.5,
        error_cb=_on_error,
        disconnected_cb=_on_disconnect,
        reconnected_cb=_on_reconnect,
    )


async def ensure_streams(js: JetStreamContext, specs: tuple[StreamSpec, ...] = STREAMS) -> None:
    """Create or update every stream; safe to call from every service at start."""
    for spec in specs:
        cfg = StreamConfig(
            name=spec.name,
            subjects=list(spec.subjects),
            retention=RetentionPolicy.LIMITS,
            storage=StorageType.FILE,
            discard=DiscardPolicy.OLD,
            max_age=spec.max_age_s,
            duplicate_window=spec.duplicate_window_s,
        )
        try:
            await js.add_stream(cfg)
        except BadRequestError:
            await js.update_stream(cfg)


def proto_headers(type_name: str, msg_id: str) -> dict[str, str]:
    """Headers of every event: its de-duplication id and the protobuf type of the payload."""
    return {"Nats-Msg-Id": msg_id, "Content-Type": f"application/protobuf; proto={type_name}"}


async def publish(js: JetStreamContext, subject: str, message: Message, msg_id: str, wait_s: float = 5.0):
    """Publish one event and wait for JetStream's ack."""
    headers = proto_headers(message.DESCRIPTOR.full_name, msg_id)
    return await js.publish(subject, message.SerializeToString(), timeout=wait_s, headers=headers)


async def close(nc: NATS, drain_timeout_s: float = 3.0) -> None:
    """Drain (deliver what is buffered) for a bounded time, then close. nats-py's own drain
    timeout is 30 s, which would stall a SIGTERM shutdown while a publish awaits its ack."""
    try:
        await asyncio.wait_for(nc.drain(), drain_timeout_s)
    except Exception as e:  # noqa: BLE001 - timeout or a connection already gone
        log.info("nats_drain_incomplete", error=type(e).__name__)
    if not nc.is_closed:
        await nc.close()


class BackgroundBus:
    """A NATS connection made in the background, so a service serves its gRPC API before NATS
    answers (an outage at start delays events, like an outage later does, and blocks nothing).

        bus = BackgroundBus(url, "catalog")
        host.add_background(lambda: bus.run(lambda js: OutboxRelay(pool, js, "catalog").run()))
        host.add_cleanup(bus.close)
    """

    def __init__(self, url: str, name: str) -> None:
        self.url, self.name = url, name
        self.nc: NATS | None = None
        self.ready = asyncio.Event()

    async def run(self, *workers: Callable[[JetStreamContext], Awaitable[None]]) -> None:
        if self.nc is None:  # a restart after a worker crashed keeps the connection
            self.nc = await connect(self.url, self.name)
        js = self.nc.jetstream()
        await ensure_streams(js)
        self.ready.set()
        await asyncio.gather(*(w(js) for w in workers))

    async def close(self) -> None:
        if self.nc is not None:
            await close(self.nc)
