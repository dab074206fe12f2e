"""Prometheus metrics of the gateway (process-wide registry; defined once at import).

With several worker processes (GATEWAY_WORKERS, __main__.py) each writes its values to files in one folder
(prometheus_client's multiprocess mode, PROMETHEUS_MULTIPROC_DIR, set before the workers start) and
/metrics, whichever worker answers, sums them (`exposition`)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest, multiprocess

MULTIPROCESS_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"

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
EVENING_SUBSCRIPTIONS = Gauge("gateway_evening_subscriptions", "Tonight subscriptions open",
                              multiprocess_mode="livesum")  # several workers: the live ones, summed


@contextlib.contextmanager
def multiprocess_folder() -> Iterator[None]:
    """The workers' metric files: a fresh folder named in the environment (which the workers inherit) for
    as long as they run, removed after; a folder the deployment names already is used as it is."""
    if os.environ.get(MULTIPROCESS_DIR_ENV):
        yield
        return
    folder = tempfile.mkdtemp(prefix="gateway-metrics-")
    os.environ[MULTIPROCESS_DIR_ENV] = folder
    try:
        yield
    finally:
        del os.environ[MULTIPROCESS_DIR_ENV]
        shutil.rmtree(folder, ignore_errors=True)


def exposition() -> bytes:
    """The text /metrics serves: this process's registry, or every worker's summed in multiprocess mode."""
    if os.environ.get(MULTIPROCESS_DIR_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest()
