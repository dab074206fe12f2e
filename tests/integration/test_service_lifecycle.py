"""Service kit behaviour of a real service process: graceful shutdown drains in-flight calls."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys

import grpc
import pytest
from movierec.catalog.v1 import catalog_pb2 as pb
from movierec.catalog.v1 import catalog_pb2_grpc

from devstack.procs import free_port, port_open, wait_until
from kit.config import REPO_ROOT

# It sends services SIGTERM: runs after the browser flows, alone (tests/conftest.py).
pytestmark = pytest.mark.exclusive

# A port the OS has just handed out, not one derived from TEST_PORT_OFFSET: gRPC binds with SO_REUSEPORT, so
# a catalogue started on another suite's port (25151 + 500 is the catalogue of a suite at offset 600) starts
# without an error, the port check passes at once, and SIGTERM reaches the new process before it serves.
SPARE_PORT = free_port()


async def test_sigterm_drains_in_flight_calls(stack, tmp_path):
    log = open(tmp_path / "catalog.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "services.catalog", "serve"], cwd=REPO_ROOT,
                            env=stack.env(PORT=str(SPARE_PORT), METRICS_PORT="0"), stdout=log, stderr=log)
    try:
        await asyncio.to_thread(wait_until, lambda: port_open("127.0.0.1", SPARE_PORT), 30, "catalog")
        async with grpc.aio.insecure_channel(f"127.0.0.1:{SPARE_PORT}") as ch:
            stub = catalog_pb2_grpc.CatalogServiceStub(ch)
            await stub.GetMovie(pb.GetMovieRequest(id=238))  # connected
            # 40 broad searches (each tens of ms on 2 cores) queue up on the server's DB pool.
            calls = [asyncio.ensure_future(stub.SearchMovies(pb.SearchMoviesRequest(query="the", page_size=50)))
                     for _ in range(40)]
            await asyncio.sleep(0.05)
            os.kill(proc.pid, signal.SIGTERM)
            results = await asyncio.gather(*calls, return_exceptions=True)
        failures = [r for r in results if isinstance(r, BaseException)]
        assert not failures, (len(failures), failures[:1])
        assert all(r.total_count > 1000 for r in results)
        assert await asyncio.to_thread(proc.wait, 30) == 0
        # After shutdown the port is free: nothing is left listening.
        assert not port_open("127.0.0.1", SPARE_PORT)
    finally:
        if proc.poll() is None:
            proc.kill()
        log.close()


async def test_service_serves_before_nats_answers(stack, tmp_path):
    """NATS down when a service starts: it serves reads at once and publishes once NATS is back."""
    stack.nats.stop()
    log = open(tmp_path / "catalog.log", "wb")
    proc = None
    try:
        proc = subprocess.Popen([sys.executable, "-m", "services.catalog", "serve"], cwd=REPO_ROOT,
                                env=stack.env(PORT=str(SPARE_PORT), METRICS_PORT="0"), stdout=log, stderr=log)
        await asyncio.to_thread(wait_until, lambda: port_open("127.0.0.1", SPARE_PORT), 30, "catalog")
        async with grpc.aio.insecure_channel(f"127.0.0.1:{SPARE_PORT}") as ch:
            movie = await catalog_pb2_grpc.CatalogServiceStub(ch).GetMovie(pb.GetMovieRequest(id=238), timeout=5)
        assert movie.title == "The Godfather"
    finally:
        stack.nats.start()
        if proc is not None:
            proc.send_signal(signal.SIGTERM)
            assert await asyncio.to_thread(proc.wait, 30) == 0
        log.close()
