"""Cache invalidation: the gateway follows the catalogue's `catalog.movie.upserted` events on NATS and
drops what it cached of a changed film (its key, and the generation of search pages and genres:
cache.py). What is published while the gateway is disconnected is missed, so a reconnection, and the
subscription itself, drop the whole cache."""

from __future__ import annotations

from collections.abc import Callable

from google.protobuf.message import DecodeError
from movierec.catalog.v1 import events_pb2
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg

from kit import bus
from kit.logging import get_logger
from services.gateway.cache import Cache

log = get_logger(__name__)


async def follow_catalogue(nats_url: str, cache: Cache, *, connected: Callable[[NATS], None],
                           reconnected: Callable[[], None] | None = None) -> None:
    """Connect to NATS (retrying until it answers; `connected` gets the connection at once) and subscribe;
    returns once the subscription is live, the connection staying open (bus.close ends it)."""

    async def after_reconnect() -> None:
        # Events published while we were away were missed: nothing cached can be trusted.
        await cache.invalidate_everything()
        if reconnected is not None:  # others that missed events too (evening_hub.py)
            reconnected()

    nc = await bus.connect(nats_url, name="gateway", on_reconnect=after_reconnect)
    connected(nc)

    async def on_upserted(msg: Msg) -> None:
        try:
            event = events_pb2.MovieUpserted.FromString(msg.data)
            movie_id = event.movie.id
        except DecodeError:
            movie_id = 0
        if movie_id > 0:
            await cache.invalidate_movie(movie_id)
            log.debug("cache_invalidated", movie_id=movie_id, event_id=event.event_id)
        else:
            log.warning("bad_movie_upserted_event", subject=msg.subject, size=len(msg.data))
            await cache.invalidate_derived()

    # Core NATS subscription: JetStream publishes reach core subscribers too. What is published
    # while the gateway is disconnected is missed, so a reconnection drops the whole cache.
    await nc.subscribe(bus.CATALOG_MOVIE_UPSERTED, cb=on_upserted)
    await nc.flush()
    # Anything cached before this subscription existed (while NATS was unreachable at start, or by
    # an earlier gateway process) may predate changes it never saw: films included.
    await cache.invalidate_everything()
    log.info("cache_invalidation_subscribed", subject=bus.CATALOG_MOVIE_UPSERTED)
