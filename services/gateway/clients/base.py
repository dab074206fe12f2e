"""What every backend client of the gateway shares: the gRPC channel options, `CallLimiter` (a timeout on
every call and a bounded number of calls in flight on the channel) and `TrustedServiceClient` (the base of
the clients of services that act for users). Errors are left as `grpc.aio.AioRpcError` (errors.py maps
them)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import grpc
from movierec.catalog.v1 import catalog_pb2
from movierec.recommender.v1 import recommender_pb2
from movierec.users.v1 import users_pb2

from kit.auth import call_metadata
from services.gateway.errors import Unavailable
from services.gateway.metrics import GRPC_CLIENT_SECONDS, GRPC_IN_FLIGHT_WAIT_TIMEOUTS

R = TypeVar("R")

# Client channel options: keep the connection alive through idle periods and fail fast on a dead one.
CHANNEL_OPTIONS = [
    ("grpc.keepalive_time_ms", 30_000),
    ("grpc.keepalive_timeout_ms", 10_000),
    ("grpc.max_receive_message_length", 16 * 1024 * 1024),
    ("grpc.initial_reconnect_backoff_ms", 200),
    ("grpc.max_reconnect_backoff_ms", 5_000),
]

# Calls that change nothing, retried by gRPC itself on UNAVAILABLE (a service restarting, its database
# restarting: kit.grpc_server) inside the call's own deadline: 3 attempts, 0.1 s then up to 0.4 s apart.
# Writes are never retried here: a write whose answer was lost may have been applied, so the caller
# decides (comments and invites take an idempotency key for exactly that).
CATALOG_SERVICE = catalog_pb2.DESCRIPTOR.services_by_name["CatalogService"].full_name
RECOMMENDER_SERVICE = recommender_pb2.DESCRIPTOR.services_by_name["RecommenderService"].full_name
USERS_SERVICE = users_pb2.DESCRIPTOR.services_by_name["UsersService"].full_name
READ_ONLY_METHODS: dict[str, tuple[str, ...] | None] = {  # None: every method of the service
    CATALOG_SERVICE: None,
    RECOMMENDER_SERVICE: None,
    USERS_SERVICE: ("GetState", "GetUsers", "ListComments", "BatchListComments",
                                       "ListPartners", "VerifyAccessToken"),
}
RETRY_POLICY = {"maxAttempts": 3, "initialBackoff": "0.1s", "maxBackoff": "0.4s", "backoffMultiplier": 2,
                "retryableStatusCodes": ["UNAVAILABLE"]}


def channel_options(service: str) -> list[tuple[str, Any]]:
    """CHANNEL_OPTIONS plus the retry policy of `service`'s read-only methods."""
    methods = READ_ONLY_METHODS.get(service, ())
    if methods is None:
        names = [{"service": service}]
    else:
        names = [{"service": service, "method": m} for m in methods]
    if not names:
        return list(CHANNEL_OPTIONS)
    config = {"methodConfig": [{"name": names, "retryPolicy": RETRY_POLICY}]}
    return [*CHANNEL_OPTIONS, ("grpc.enable_retries", 1), ("grpc.service_config", json.dumps(config))]


class CallLimiter:
    """A per-channel bound on calls in flight, and the per-call deadline (slot wait included)."""

    def __init__(self, timeout_s: float, max_in_flight: int) -> None:
        self.timeout_s = timeout_s
        self.max_in_flight = max_in_flight
        self._slots = asyncio.Semaphore(max_in_flight)

    async def call(self, method: str, fn: Callable[[float], Awaitable[R]]) -> R:
        start = time.perf_counter()
        deadline = start + self.timeout_s
        try:
            async with asyncio.timeout(self.timeout_s):
                await self._slots.acquire()
        except TimeoutError:
            GRPC_IN_FLIGHT_WAIT_TIMEOUTS.labels(method).inc()
            raise Unavailable("The gateway is overloaded; try again shortly.") from None
        code = "OK"
        try:
            return await fn(max(deadline - time.perf_counter(), 0.001))
        except grpc.RpcError as e:
            code = e.code().name if hasattr(e, "code") else "UNKNOWN"
            raise
        except asyncio.CancelledError:
            code = "CANCELLED"
            raise
        except Exception:
            code = "ERROR"
            raise
        finally:
            self._slots.release()
            GRPC_CLIENT_SECONDS.labels(method, code).observe(time.perf_counter() - start)


class TrustedServiceClient:
    """A client of a service that acts for users (users, recommender): every call carries the internal
    service token, and `x-user-id` when it acts for a user (kit.auth.call_metadata).

    `lanes` names further limiters beside the default one (`limiter`), each with its own bound on calls
    in flight, so that one kind of call filling its lane cannot make another wait for a slot or fail;
    `_lane(method, user_id)` says which lane a call takes (the default: `limiter`)."""

    def __init__(self, stub: Any, internal_token: str, *, timeout_s: float = 5.0, max_in_flight: int = 200,
                 lanes: Mapping[str, int] | None = None) -> None:
        self.stub = stub
        self.limiter = CallLimiter(timeout_s, max_in_flight)
        self.lanes = {name: CallLimiter(timeout_s, n) for name, n in (lanes or {}).items()}
        self._internal_token = internal_token

    def _lane(self, method: str, user_id: str | None) -> CallLimiter:
        return self.limiter

    async def _call(self, method: str, request: Any, user_id: str | None = None) -> Any:
        """`method` of the stub, through its lane's limiter, with the internal token (and the acting user)."""
        metadata = call_metadata(self._internal_token, user_id)
        rpc = getattr(self.stub, method)
        return await self._lane(method, user_id).call(method, lambda t: rpc(request, timeout=t, metadata=metadata))
