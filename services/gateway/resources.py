"""What the gateway holds open while it runs: the secrets, the gRPC channels and clients, Redis (cache
and rate limits) and the NATS subscription that keeps the cache true (invalidation.py); how they open and
close, and how healthy they are (`/healthz`).

    app = create_app(settings)                       # nothing is opened yet
    async with gateway_resources(app):               # what the lifespan does
        ...
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import grpc
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import FastAPI
from grpc_health.v1 import health_pb2, health_pb2_grpc
from nats.aio.client import Client as NATS
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from kit import auth, bus
from kit.config import Settings
from kit.logging import get_logger
from services.gateway.cache import REDIS_ERRORS, Cache
from services.gateway.clients.base import CATALOG_SERVICE, RECOMMENDER_SERVICE, USERS_SERVICE, channel_options
from services.gateway.clients.catalog import CatalogClient
from services.gateway.clients.recommender import RecommenderClient
from services.gateway.clients.users import UsersClient
from services.gateway.config import GatewayConfig
from services.gateway.context import GatewayContext
from services.gateway.evening_hub import EveningHub
from services.gateway.invalidation import follow_catalogue
from services.gateway.rate_limit import RateLimits

log = get_logger(__name__)

HEALTH_TIMEOUT_S = 1.0


@dataclass
class GatewayResources:
    """What the gateway holds open while it runs."""

    settings: Settings
    config: GatewayConfig
    channel: grpc.aio.Channel
    catalog: CatalogClient
    users_channel: grpc.aio.Channel
    users: UsersClient
    recommender_channel: grpc.aio.Channel
    recommender: RecommenderClient
    public_key: Ed25519PublicKey  # verifies access tokens (kit.auth)
    redis: Redis | None
    cache: Cache
    limits: RateLimits | None = None  # rate_limit.py (Redis-backed, per-replica while Redis is down)
    nats: NATS | None = None
    nats_task: asyncio.Task[None] | None = None
    # Set once the catalog.movie.upserted subscription is live (tests can wait on it).
    invalidation_ready: asyncio.Event = field(default_factory=asyncio.Event)
    evenings: EveningHub = field(default_factory=EveningHub)  # Tonight's live updates (evening_hub.py)

    def context(self, authorization: str | None = None, client_address: str = "") -> GatewayContext:
        """A fresh per-request GraphQL context (new DataLoaders, the caller's Authorization header)."""
        return GatewayContext(
            self.catalog,
            self.cache,
            users=self.users,
            recommender=self.recommender,
            public_key=self.public_key,
            authorization=authorization,
            client_address=client_address,
            limits=self.limits,
            evenings=self.evenings,
        )


async def open_resources(settings: Settings, config: GatewayConfig) -> GatewayResources:
    # Secrets first: without them the gateway cannot tell who calls, so it does not start
    # (RuntimeError naming the missing file).
    public_key = auth.load_public_key(settings.secrets_dir)
    internal_token = auth.load_internal_token(settings.secrets_dir)
    channel = grpc.aio.insecure_channel(settings.catalog_addr, options=channel_options(CATALOG_SERVICE))
    catalog = CatalogClient(channel, timeout_s=config.grpc_timeout_s, max_in_flight=config.grpc_max_in_flight)
    users_channel = grpc.aio.insecure_channel(settings.users_addr, options=channel_options(USERS_SERVICE))
    users = UsersClient(
        users_channel,
        internal_token,
        timeout_s=config.grpc_timeout_s,
        max_in_flight=config.grpc_users_read_max_in_flight,
        own_max_in_flight=config.grpc_users_own_max_in_flight,
        sign_in_max_in_flight=config.grpc_users_sign_in_max_in_flight,
        import_timeout_s=config.import_timeout_s,
        import_max_in_flight=config.import_max_in_flight,
    )
    recommender_channel = grpc.aio.insecure_channel(settings.recommender_addr,
                                                    options=channel_options(RECOMMENDER_SERVICE))
    recommender = RecommenderClient(
        recommender_channel, internal_token, timeout_s=config.grpc_timeout_s, max_in_flight=config.grpc_max_in_flight
    )
    redis: Redis | None = None
    if config.cache_enabled:
        redis = Redis.from_url(
            settings.redis_url,
            socket_timeout=config.redis_timeout_s,
            socket_connect_timeout=config.redis_timeout_s,
            retry=Retry(NoBackoff(), 1),  # one immediate retry (a pooled connection gone stale); no backoff
            health_check_interval=30,
        )
    cache = Cache(
        redis,
        prefix=config.cache_prefix,
        movie_ttl_s=config.cache_movie_ttl_s,
        search_ttl_s=config.cache_search_ttl_s,
        genres_ttl_s=config.cache_genres_ttl_s,
        answer_ttl_s=config.cache_answer_ttl_s,
        retry_after_s=config.redis_retry_after_s,
    )
    res = GatewayResources(
        settings=settings,
        config=config,
        channel=channel,
        catalog=catalog,
        users_channel=users_channel,
        users=users,
        recommender_channel=recommender_channel,
        recommender=recommender,
        public_key=public_key,
        redis=redis,
        cache=cache,
    )
    res.limits = RateLimits.from_config(redis, config)
    res.nats_task = asyncio.create_task(_follow_catalogue(res), name="gateway-nats")
    res.nats_task.add_done_callback(_log_task_failure)
    done, _ = await asyncio.wait({res.nats_task}, timeout=config.nats_startup_wait_s)
    if not done:
        log.warning(
            "nats_unreachable_at_startup",
            url=settings.nats_url,
            note="serving without cache invalidation until NATS is reachable",
        )
    log.info(
        "gateway_resources_opened",
        catalog=settings.catalog_addr,
        users=settings.users_addr,
        recommender=settings.recommender_addr,
        cache=redis is not None,
    )
    return res


async def close_resources(res: GatewayResources) -> None:
    if res.nats_task is not None and not res.nats_task.done():
        res.nats_task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await res.nats_task
    if res.nats is not None:
        with contextlib.suppress(Exception):
            await bus.close(res.nats)
    if res.redis is not None:
        with contextlib.suppress(Exception):
            await res.redis.aclose()
    with contextlib.suppress(Exception):
        await res.channel.close(grace=1.0)
    with contextlib.suppress(Exception):
        await res.users_channel.close(grace=1.0)
    with contextlib.suppress(Exception):
        await res.recommender_channel.close(grace=1.0)
    log.info("gateway_resources_closed")


async def _follow_catalogue(res: GatewayResources) -> None:
    def connected(nc: NATS) -> None:
        res.nats = nc  # at once: close_resources closes it even while the subscription is being made

    await follow_catalogue(res.settings.nats_url, res.cache, connected=connected,
                           reconnected=res.evenings.wake_all)
    res.invalidation_ready.set()
    assert res.nats is not None
    await res.evenings.attach(res.nats, res.cache)


def _log_task_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("nats_subscription_failed", exc_info=task.exception())


@contextlib.asynccontextmanager
async def gateway_resources(app: FastAPI) -> AsyncIterator[GatewayResources]:
    """Open the app's resources (the lifespan does this); nested use yields the ones already open."""
    existing: GatewayResources | None = getattr(app.state, "resources", None)
    if existing is not None:
        yield existing
        return
    res = await open_resources(app.state.settings, app.state.gateway_config)
    app.state.resources = res
    try:
        yield res
    finally:
        app.state.resources = None
        await close_resources(res)


# ---------------------------------------------------------------- health


async def check_health(res: GatewayResources) -> tuple[bool, dict[str, str]]:
    """(healthy, per-dependency state). The catalogue decides; the users service, the recommender,
    Redis and NATS are informational: reads fall back to gRPC without Redis, and the public
    catalogue is served without the users service or the recommender, so a readiness probe must
    not take every gateway out of service when only one of them is down."""

    async def grpc_health(channel: grpc.aio.Channel) -> str:
        try:
            # types-grpcio-health-checking declares HealthStub without its methods (Check, Watch).
            resp = await health_pb2_grpc.HealthStub(channel).Check(  # type: ignore[attr-defined]
                health_pb2.HealthCheckRequest(service=""), timeout=HEALTH_TIMEOUT_S
            )
        except grpc.RpcError as e:
            return f"error: {e.code().name if hasattr(e, 'code') else 'UNKNOWN'}"
        return "ok" if resp.status == health_pb2.HealthCheckResponse.SERVING else "not serving"

    async def redis() -> str:
        if res.redis is None:
            return "disabled"
        try:
            await asyncio.wait_for(res.redis.ping(), timeout=HEALTH_TIMEOUT_S)
        except (TimeoutError, *REDIS_ERRORS) as e:
            return f"error: {type(e).__name__}"
        return "ok"

    catalog_state, users_state, recommender_state, redis_state = await asyncio.gather(
        grpc_health(res.channel), grpc_health(res.users_channel), grpc_health(res.recommender_channel), redis()
    )
    nats_state = "connected" if res.nats is not None and res.nats.is_connected else "disconnected"
    checks = {
        "catalog": catalog_state,
        "users": users_state,
        "recommender": recommender_state,
        "redis": redis_state,
        "nats": nats_state,
    }
    healthy = catalog_state == "ok"
    return healthy, checks
