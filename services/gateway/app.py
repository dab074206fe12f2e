"""The gateway's FastAPI app: GraphQL at /graphql (GraphiQL on GET), /healthz, /livez, /metrics,
and the web client's built files at / when WEB_DIST_DIR names an existing folder.

    app = create_app(settings)                       # nothing is opened yet
    async with gateway_resources(app):               # secrets, gRPC channels, Redis, NATS (as the lifespan)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as c:
            ...
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from google.protobuf.message import DecodeError
from grpc_health.v1 import health_pb2, health_pb2_grpc
from movierec.catalog.v1 import events_pb2
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.staticfiles import StaticFiles
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from kit import auth, bus
from kit.config import Settings, load_settings
from kit.logging import get_logger
from services.gateway.cache import REDIS_ERRORS, Cache
from services.gateway.client_address import client_address as client_address_of
from services.gateway.client_address import client_key
from services.gateway.clients.base import CHANNEL_OPTIONS
from services.gateway.clients.catalog import CatalogClient
from services.gateway.clients.not_open import NotOpen
from services.gateway.clients.recommender import RecommenderClient
from services.gateway.clients.users import UsersClient
from services.gateway.config import GatewayConfig
from services.gateway.context import GatewayContext
from services.gateway.errors import INTERNAL_MESSAGE, ErrorCode
from services.gateway.metrics import GRAPHQL_ERRORS, HTTP_REQUESTS, HTTP_SECONDS
from services.gateway.rate_limit import RateLimits
from services.gateway.request_body import StrictRequestBody
from services.gateway.schema import build_schema

log = get_logger(__name__)

HEALTH_TIMEOUT_S = 1.0
KNOWN_ROUTES = {"/graphql", "/healthz", "/livez", "/metrics"}


# ---------------------------------------------------------------- resources


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
        )


async def open_resources(settings: Settings, config: GatewayConfig) -> GatewayResources:
    # Secrets first: without them the gateway cannot tell who calls, so it does not start
    # (RuntimeError naming the missing file).
    public_key = auth.load_public_key(settings.secrets_dir)
    internal_token = auth.load_internal_token(settings.secrets_dir)
    channel = grpc.aio.insecure_channel(settings.catalog_addr, options=CHANNEL_OPTIONS)
    catalog = CatalogClient(channel, timeout_s=config.grpc_timeout_s, max_in_flight=config.grpc_max_in_flight)
    users_channel = grpc.aio.insecure_channel(settings.users_addr, options=CHANNEL_OPTIONS)
    users = UsersClient(
        users_channel,
        internal_token,
        timeout_s=config.grpc_timeout_s,
        max_in_flight=config.grpc_users_read_max_in_flight,
        own_max_in_flight=config.grpc_users_own_max_in_flight,
        sign_in_max_in_flight=config.grpc_users_sign_in_max_in_flight,
    )
    recommender_channel = grpc.aio.insecure_channel(settings.recommender_addr, options=CHANNEL_OPTIONS)
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
    res.nats_task = asyncio.create_task(_subscribe_invalidations(res), name="gateway-nats")
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


async def _subscribe_invalidations(res: GatewayResources) -> None:
    """Connect to NATS (retrying until it answers) and drop cached data on catalogue changes."""
    async def after_reconnect() -> None:
        # Events published while we were away were missed: nothing cached can be trusted.
        await res.cache.invalidate_everything()

    nc = await bus.connect(res.settings.nats_url, name="gateway", on_reconnect=after_reconnect)
    res.nats = nc

    async def on_upserted(msg: Msg) -> None:
        try:
            event = events_pb2.MovieUpserted.FromString(msg.data)
            movie_id = event.movie.id
        except DecodeError:
            movie_id = 0
        if movie_id > 0:
            await res.cache.invalidate_movie(movie_id)
            log.debug("cache_invalidated", movie_id=movie_id, event_id=event.event_id)
        else:
            log.warning("bad_movie_upserted_event", subject=msg.subject, size=len(msg.data))
            await res.cache.invalidate_derived()

    # Core NATS subscription: JetStream publishes reach core subscribers too. What is published
    # while the gateway is disconnected is missed, so a reconnection drops the whole cache.
    await nc.subscribe(bus.CATALOG_MOVIE_UPSERTED, cb=on_upserted)
    await nc.flush()
    # Anything cached before this subscription existed (while NATS was unreachable at start, or by
    # an earlier gateway process) may predate changes it never saw: films included.
    await res.cache.invalidate_everything()
    res.invalidation_ready.set()
    log.info("cache_invalidation_subscribed", subject=bus.CATALOG_MOVIE_UPSERTED)


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
            resp = await health_pb2_grpc.HealthStub(channel).Check(
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


# ---------------------------------------------------------------- GraphQL over HTTP


class GatewayGraphQLRouter(StrictRequestBody, GraphQLRouter[GatewayContext, None]):
    """StrictRequestBody (request_body.py): strict JSON bodies, refusals as coded HTTP 400s."""

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        data = await super().process_result(request, result)
        for error in data.get("errors") or []:  # type: ignore[union-attr]
            extensions = error.setdefault("extensions", {})
            if extensions.get("code") not in ErrorCode.__members__:
                # Only reachable if an error escaped the ErrorCodes extension: never show it as is.
                extensions["code"] = ErrorCode.INTERNAL.value
                error["message"] = INTERNAL_MESSAGE
            GRAPHQL_ERRORS.labels(extensions["code"]).inc()
        return data


async def get_context(request: Request) -> GatewayContext:
    authorization = request.headers.get("authorization")
    config: GatewayConfig = request.app.state.gateway_config
    peer = request.client.host if request.client is not None else None
    client_address = client_key(client_address_of(peer, request.headers.getlist("x-forwarded-for"),
                                                  config.trusted_proxies), config.client_ipv6_prefix)
    res: GatewayResources | None = getattr(request.app.state, "resources", None)
    if res is None:
        # No public key yet: a request without a token still gets UNAUTHENTICATED for private fields.
        return GatewayContext(
            NotOpen(),
            users=NotOpen(),
            recommender=NotOpen(),
            authorization=authorization,
            client_address=client_address,
        )
    return res.context(authorization, client_address)


# ---------------------------------------------------------------- the app


# The client renders no HTML from the API and loads no third-party script (web/README.md, "Sessions"):
# this makes the browser hold it to that (inline styles: React style props and the shell's skeleton).
WEB_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
           "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")


class WebClientFiles(StaticFiles):
    """The web client's built files with a single-page-app fallback and cache headers.

    Vite names every file under /assets/ by its content hash, so those are cached for a year
    (`immutable`); everything else (index.html, icons) is revalidated on each load so a new
    build shows at once. A GET for a path that is no file, has no extension and is not under
    /assets/ (a client-side route such as /film/238) answers index.html; any other missing file
    stays 404, so a stale asset URL fails loudly instead of caching the app shell.
    """

    async def get_response(self, path: str, scope: Any) -> Response:
        fallback = False
        try:
            response = await super().get_response(path, scope)
        except StarletteHTTPException as exc:
            if exc.status_code != 404 or path.startswith("assets/") or "." in path.rsplit("/", 1)[-1]:
                raise
            response = await super().get_response("index.html", scope)
            fallback = True
        if response.status_code in (200, 304):
            immutable = path.startswith("assets/") and not fallback
            response.headers["cache-control"] = "public, max-age=31536000, immutable" if immutable else "no-cache"
        response.headers["content-security-policy"] = WEB_CSP
        response.headers["x-content-type-options"] = "nosniff"
        return response


def mount_web_client(app: FastAPI, dist_dir: Path | None) -> bool:
    """Serve the web client's built files at / if `dist_dir` exists (gzip for responses over 1 KiB).
    Mount last: `/` matches every path the API routes did not. Returns whether it mounted."""
    if dist_dir is None or not Path(dist_dir).is_dir():
        return False
    files = GZipMiddleware(WebClientFiles(directory=Path(dist_dir), html=True), minimum_size=1024)
    app.mount("/", files, name="web")
    log.info("web_client_mounted", dir=str(dist_dir))
    return True


def create_app(settings: Settings | None = None, config: GatewayConfig | None = None) -> FastAPI:
    """The gateway app. Nothing is opened until its lifespan (or `gateway_resources(app)`) runs."""
    settings = settings if settings is not None else load_settings()
    config = config if config is not None else GatewayConfig()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with gateway_resources(app):
            yield

    app = FastAPI(
        title="movierec gateway",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        max_body_size=config.max_body_bytes,  # larger bodies get 413 before any GraphQL work
    )
    app.state.settings = settings
    app.state.gateway_config = config
    app.state.resources = None

    schema = build_schema(max_depth=config.max_depth, max_tokens=config.max_tokens, max_aliases=config.max_aliases,
                          max_fields=config.max_fields, max_cost=config.max_cost,
                          introspection=config.introspection)
    graphql = GatewayGraphQLRouter(
        schema, context_getter=get_context, graphql_ide="graphiql" if config.graphiql else None
    )
    graphql.max_json_depth = config.max_json_depth
    app.include_router(graphql, prefix="/graphql")

    @app.get("/healthz")
    async def healthz(request: Request) -> JSONResponse:
        res: GatewayResources | None = request.app.state.resources
        if res is None:
            return JSONResponse({"status": "starting"}, status_code=503)
        healthy, checks = await check_health(res)
        return JSONResponse(
            {"status": "ok" if healthy else "unhealthy", "checks": checks}, status_code=200 if healthy else 503
        )

    @app.get("/livez")
    async def livez() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/metrics")
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    @app.middleware("http")
    async def http_metrics(request: Request, call_next: Callable[[Request], Awaitable[Any]]) -> Any:
        route = request.url.path if request.url.path in KNOWN_ROUTES else "other"
        start = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            return response
        finally:
            HTTP_SECONDS.labels(route).observe(time.perf_counter() - start)
            HTTP_REQUESTS.labels(route, str(status)).inc()

    mount_web_client(app, config.web_dist_dir)
    return app
