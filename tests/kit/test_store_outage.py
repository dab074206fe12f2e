"""A store that is down answers UNAVAILABLE with a retry hint, not INTERNAL (kit.grpc_server).

Real parts: a real gRPC server built by ServiceHost, a real asyncpg connection attempt to a port where
nothing listens (what a PostgreSQL restart looks like to a service) and a real Redis client to one.
"""

from __future__ import annotations

import asyncpg
import grpc
import pytest
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from devstack.procs import free_port
from kit.db import store_unavailable
from kit.errors import RETRY_AFTER_KEY
from kit.grpc_server import STORE_UNAVAILABLE_MESSAGE, ServiceHost


async def _postgres_down(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
    conn = await asyncpg.connect(f"postgresql://nobody@127.0.0.1:{free_port()}/none", timeout=2)
    await conn.close()
    return b"unreachable"


async def _redis_down(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
    client = Redis(host="127.0.0.1", port=free_port(), socket_connect_timeout=1, retry=Retry(NoBackoff(), 0))
    try:
        await client.get("k")
    finally:
        await client.aclose()
    return b"unreachable"


async def _bug(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
    raise KeyError("a bug, not an outage")


def _add(handlers: dict, server: grpc.aio.Server) -> None:
    generic = {name: grpc.unary_unary_rpc_method_handler(fn) for name, fn in handlers.items()}
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("test.Outage", generic),))


@pytest.fixture
async def channel():
    host = ServiceHost("outage-test", "127.0.0.1", 0, drain_delay_s=0)
    host.add_servicer(_add, {"Postgres": _postgres_down, "Redis": _redis_down, "Bug": _bug}, "test.Outage")
    port = await host.start()
    async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as ch:
        yield ch
    await host.stop()


async def _call(channel: grpc.aio.Channel, method: str) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await channel.unary_unary(f"/test.Outage/{method}")(b"", timeout=10)
    return info.value


@pytest.mark.parametrize("method", ["Postgres", "Redis"])
async def test_a_store_that_is_down_answers_unavailable_with_a_retry_hint(channel, method):
    err = await _call(channel, method)
    assert err.code() == grpc.StatusCode.UNAVAILABLE
    assert err.details() == STORE_UNAVAILABLE_MESSAGE
    trailing = dict(err.trailing_metadata())
    assert int(trailing[RETRY_AFTER_KEY]) >= 1


async def test_a_bug_is_still_internal_and_says_nothing_of_itself(channel):
    err = await _call(channel, "Bug")
    assert err.code() == grpc.StatusCode.INTERNAL
    assert "bug" not in (err.details() or "")


@pytest.mark.parametrize("exc", [
    asyncpg.CannotConnectNowError("the database system is starting up"),  # seen in make chaos
    asyncpg.AdminShutdownError("terminating connection due to administrator command"),
    asyncpg.InterfaceError("connection is closed"),
    ConnectionRefusedError(111, "Connection refused"),
])
def test_what_a_postgres_restart_raises_is_an_outage(exc):
    assert store_unavailable(exc)


@pytest.mark.parametrize("exc", [asyncpg.UniqueViolationError("duplicate key"), KeyError("x"), ValueError("x")])
def test_a_bug_or_a_domain_case_is_not(exc):
    assert not store_unavailable(exc)
