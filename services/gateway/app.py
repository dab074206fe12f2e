"""The gateway's FastAPI app: GraphQL at /graphql (GraphiQL on GET), /healthz, /livez, /metrics, and
the web client's built files at / when WEB_DIST_DIR names an existing folder (web_files.py). Its
lifespan opens what the gateway holds (resources.py).

    app = create_app(settings)                       # nothing is opened yet
    async with gateway_resources(app):               # secrets, gRPC channels, Redis, NATS (as the lifespan)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as c:
            ...
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Mapping
from typing import Any, cast

import orjson
from cross_web import HTTPException
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.requests import ClientDisconnect, HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http import GraphQLHTTPResponse
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET

from kit.config import Settings, load_settings
from kit.gc_freeze import freeze_startup_heap
from kit.logging import configure_logging, get_logger
from services.gateway import answer_cache
from services.gateway.client_address import client_address as client_address_of
from services.gateway.client_address import client_key
from services.gateway.clients.not_open import NotOpen
from services.gateway.config import GatewayConfig
from services.gateway.context import GatewayContext
from services.gateway.errors import INTERNAL_MESSAGE, ErrorCode
from services.gateway.metrics import GRAPHQL_ERRORS, HTTP_REQUESTS, HTTP_SECONDS
from services.gateway.metrics import exposition as metrics_text
from services.gateway.request_body import StrictRequestBody, decode_request_json, rejection
from services.gateway.resources import GatewayResources, check_health, gateway_resources
from services.gateway.schema import build_schema
from services.gateway.validation import IMPORT_FILE_MAX_BYTES
from services.gateway.web_files import mount_web_client

log = get_logger(__name__)

ANSWER_CACHE_HEADER = "x-answer-cache"  # hit | miss (stored now); absent: not a cacheable request
ANSWER_STATE = "graphql_answer"  # request.state: the answer process_result made, for answer_cache.storable
# nginx's "client closed request": a request whose client left before any answer (HttpMetrics).
CLIENT_CLOSED_REQUEST = 499
KNOWN_ROUTES = {"/graphql", "/graphql/upload", "/healthz", "/livez", "/metrics"}
UPLOAD_PATH = "/graphql/upload"


# ---------------------------------------------------------------- GraphQL over HTTP


class TextWebSocketAdapter(ASGIWebSocketAdapter):
    """Subscription messages as text frames. strawberry sends what `encode_json` returns as it is, and
    orjson gives bytes: a binary frame, which a browser's graphql-ws client cannot parse (it closes with
    4400 and Tonight never goes live). A Python client parses either, so tests/integration/test_tonight.py
    asserts the frame type."""

    async def send_json(self, message: Mapping[str, object]) -> None:
        try:
            await self.ws.send_text(orjson.dumps(message).decode())
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc


class GatewayGraphQLRouter(StrictRequestBody[GatewayContext, None]):
    """StrictRequestBody (request_body.py): strict JSON bodies, refusals as coded HTTP 400s; zone queries
    answered from the answer cache when they can be (answer_cache.py)."""

    planner = answer_cache.Planner()  # replaced per app by create_app
    websocket_adapter_class = TextWebSocketAdapter  # type: ignore[assignment]  # as strawberry's own router

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        try:
            return await self._run(request, context, root_value)
        except ClientDisconnect:
            # The client left before its body was whole: nobody to answer, nothing to log (HttpMetrics
            # counts it as 499).
            return Response(status_code=CLIENT_CLOSED_REQUEST)

    async def _run(self, request: Any, context: Any, root_value: Any) -> Any:
        found = await self._answer(request)
        if found is not None and found.hit is not None:
            return Response(found.hit, media_type="application/json", headers={ANSWER_CACHE_HEADER: "hit"})
        response = await super().run(request, context=context, root_value=root_value)
        if found is not None and isinstance(response, Response) and answer_cache.storable(
                response.status_code, getattr(request.state, ANSWER_STATE, None)):
            res: GatewayResources = request.app.state.resources
            await res.cache.put_answer(found.key, bytes(response.body))
            response.headers[ANSWER_CACHE_HEADER] = "miss"
        return response

    async def _answer(self, request: Any) -> answer_cache.Lookup | None:
        """The answer-cache look-up of a JSON POST that names a zone; None for anything else."""
        if not isinstance(request, Request) or request.method != "POST":
            return None
        if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
            return None
        res: GatewayResources | None = getattr(request.app.state, "resources", None)
        if res is None:
            return None
        raw = await request.body()  # Starlette keeps it: GraphQL reads the same bytes
        if not any(zone.encode() in raw for zone in answer_cache.ZONE_FIELDS):
            return None
        try:
            body = decode_request_json(raw, self.max_json_depth)
        except HTTPException:
            return None  # GraphQL refuses it the same way
        return await answer_cache.lookup(self.planner, res.cache, res.public_key, request.headers.get("authorization"),
                                         body)

    async def on_ws_connect(self, context: GatewayContext) -> None:
        """A WebSocket's identity: `authorization` ("Bearer <accessToken>") in the connection_init payload
        (browsers cannot set headers on a WebSocket), verified lazily as a header is."""
        params = context.connection_params
        if isinstance(params, dict):
            value = params.get("authorization", params.get("Authorization"))
            if isinstance(value, str):
                context.authorization = value
        return None

    def encode_json(self, data: object) -> bytes:
        """Answers as JSON through orjson: the same compact JSON as strawberry's json.dumps (UTF-8 instead
        of \\u escapes), about a tenth of its time on a 15 KB zone answer (docs/decisions.md)."""
        return orjson.dumps(data)

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        data = await super().process_result(request, result)
        setattr(request.state, ANSWER_STATE, data)  # whether it may be kept (_run), without parsing it again
        # strawberry types the errors as list[object]; each is a GraphQLError's `formatted`, a dict.
        errors = cast("list[dict[str, Any]]", data.get("errors") or [])
        for error in errors:
            extensions = error.setdefault("extensions", {})
            if extensions.get("code") not in ErrorCode.__members__:
                # Only reachable if an error escaped the ErrorCodes extension: never show it as is.
                extensions["code"] = ErrorCode.INTERNAL.value
                error["message"] = INTERNAL_MESSAGE
            GRAPHQL_ERRORS.labels(extensions["code"]).inc()
        return data


class UploadGraphQLRouter(GatewayGraphQLRouter):
    """/graphql/upload: the same schema, for GraphQL multipart requests only (previewImport's file).
    Its body may be as large as an import (GatewayConfig.import_body_overhead_bytes over the file limit);
    any other content type is refused with a coded 400, so large JSON bodies never reach GraphQL.
    No GraphiQL, no GET, no WebSocket. Multipart requests skip a CORS preflight, but every call here
    needs an `Authorization` header, which a cross-site form cannot send: no CSRF through it."""

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        if isinstance(request, Request):
            ctype = request.headers.get("content-type", "")
            if request.method != "POST" or not ctype.lower().startswith("multipart/form-data"):
                return rejection(request, HTTPException(
                    400, f"{UPLOAD_PATH} takes only GraphQL multipart requests (POST, multipart/form-data);"
                         " other requests go to /graphql."))
        return await super().run(request, context=context, root_value=root_value)


async def get_context(request: HTTPConnection) -> GatewayContext:
    """The context of an HTTP request, or of a WebSocket for its whole life (subscriptions; its
    Authorization comes in the connection_init payload: GatewayGraphQLRouter.on_ws_connect)."""
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


def create_app(settings: Settings | None = None, config: GatewayConfig | None = None) -> FastAPI:
    """The gateway app. Nothing is opened until its lifespan (or `gateway_resources(app)`) runs."""
    settings = settings if settings is not None else load_settings()
    config = config if config is not None else GatewayConfig()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with gateway_resources(app):
            # Everything built so far (schema, clients, settings) out of the collector's sight: full
            # collections walked it on every pass, 80-100 ms each under load (kit/gc_freeze.py).
            log.info("startup_heap_frozen", objects=freeze_startup_heap())
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
    # Subscriptions (Tonight) over graphql-transport-ws only: the legacy graphql-ws protocol is off (it
    # let a client skip connection_init before strawberry 0.312.3, GHSA-vpwc-v33q-mq89, and no client of
    # ours speaks it). Keep-alive pings keep idle sockets open through proxies.
    graphql = GatewayGraphQLRouter(
        schema, context_getter=get_context, graphql_ide="graphiql" if config.graphiql else None,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,), keep_alive=True, keep_alive_interval=15,
    )
    graphql.max_json_depth = config.max_json_depth
    graphql.planner = answer_cache.Planner()
    # before /graphql, so that /graphql/upload is not taken for a path under it
    upload = UploadGraphQLRouter(schema, context_getter=get_context, graphql_ide=None, allow_queries_via_get=False,
                                 subscription_protocols=(), multipart_uploads_enabled=True)
    upload.max_json_depth = config.max_json_depth
    app.include_router(upload, prefix=UPLOAD_PATH,
                       max_body_size=IMPORT_FILE_MAX_BYTES + config.import_body_overhead_bytes)
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
        return Response(metrics_text(), media_type=CONTENT_TYPE_LATEST)

    app.add_middleware(HttpMetrics)

    mount_web_client(app, config.web_dist_dir)
    return app


class HttpMetrics:
    """Each HTTP request's count (by route and status) and latency, as plain ASGI middleware. Starlette's
    `@app.middleware("http")` (BaseHTTPMiddleware) logged "RuntimeError: No response returned." with a
    traceback at error level whenever a client went away before the answer began (a browser leaving a
    page while it loads), and costs a task and a memory stream per request. A request whose client left
    before any answer counts as status 499 (nginx's "client closed request")."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        route = path if path in KNOWN_ROUTES else "other"
        start = time.perf_counter()
        status = 0

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        except Exception:
            status = status or 500
            raise  # a cancellation (the client left) keeps status 0: counted as 499
        finally:
            HTTP_SECONDS.labels(route).observe(time.perf_counter() - start)
            HTTP_REQUESTS.labels(route, str(status or CLIENT_CLOSED_REQUEST)).inc()


def worker_app() -> FastAPI:
    """The app of one of several worker processes (`GATEWAY_WORKERS`, __main__.py): uvicorn starts each
    worker afresh, so it reads its settings and sets up its logging itself."""
    settings = load_settings()
    configure_logging("gateway", settings.log_level, settings.log_json)
    return create_app(settings)
