"""Prometheus metrics of the gateway (process-wide registry; defined once at import)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

HTTP_REQUESTS = Counter("gateway_http_requests_total", "HTTP requests", ["route", "status"])
HTTP_SECONDS = Histogram(
    "gateway_http_request_seconds",
    "HTTP request latency",
    ["route"],
    buckets=(0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
GRAPHQL_ERRORS = Counter("gateway_graphql_errors_total", "GraphQL errors returned, by code", ["code"])
GRPC_CLIENT_SECONDS = Histogram(
    "gateway_grpc_client_seconds",
    "Latency of the gateway's gRPC calls",
    ["method", "code"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
GRPC_IN_FLIGHT_WAIT_TIMEOUTS = Counter(
    "gateway_grpc_in_flight_wait_timeouts_total", "gRPC calls refused: no in-flight slot in time", ["method"]
)
CACHE_REQUESTS = Counter(
    "gateway_cache_requests_total",
    "Redis cache look-ups",
    ["kind", "result"],  # result: hit|miss|error|skipped
)
CACHE_INVALIDATIONS = Counter("gateway_cache_invalidations_total", "Cache invalidations from catalogue events")
EVENING_PUSHES = Counter("gateway_evening_wakeups_total", "Tonight subscriptions woken by an evening change")
EVENING_SUBSCRIPTIONS = Gauge("gateway_evening_subscriptions", "Tonight subscriptions open in this process")
