from __future__ import annotations

import asyncio
import time

import grpc
import httpx
import nats
import pytest
from movierec.catalog.v1 import catalog_pb2_grpc
from movierec.users.v1 import users_pb2_grpc

from kit import auth, bus, db


@pytest.fixture(scope="session")
async def pool(stack):
    p = await db.create_pool(stack.database_url, 1, 5)
    yield p
    await p.close()


@pytest.fixture(scope="session")
async def catalog(stack):
    channel = grpc.aio.insecure_channel(stack.addr("catalog"))
    yield catalog_pb2_grpc.CatalogServiceStub(channel)
    await channel.close()


@pytest.fixture(scope="session")
async def users_channel(stack):
    channel = grpc.aio.insecure_channel(stack.addr("users"))
    yield channel
    await channel.close()


@pytest.fixture(scope="session")
def users(users_channel):
    """The users service's stub; calls need `auth.call_metadata(internal, user_id)`."""
    return users_pb2_grpc.UsersServiceStub(users_channel)


@pytest.fixture(scope="session")
def internal(stack):
    """The internal service token the gateway sends to every service."""
    return auth.load_internal_token(stack.base / "secrets")


@pytest.fixture(scope="session")
async def nc(stack):
    conn = await nats.connect(stack.nats_url)
    yield conn
    await bus.close(conn)  # bounded: some tests restart NATS, the client may still be reconnecting


@pytest.fixture(scope="session")
async def gql(stack):
    """POST a GraphQL document to the running gateway; returns the decoded JSON body."""
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{stack.ports['gateway']}", timeout=30) as client:

        async def run(query: str, variables: dict | None = None, expect_status: int = 200) -> dict:
            r = await client.post("/graphql", json={"query": query, "variables": variables or {}})
            assert r.status_code == expect_status, r.text
            return r.json()

        run.client = client  # type: ignore[attr-defined]
        yield run


@pytest.fixture(scope="session")
def api(gql):
    """POST a document with an optional bearer token; returns the decoded body."""

    async def run(query: str, variables: dict | None = None, token: str | None = None) -> dict:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        r = await gql.client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)
        assert r.status_code == 200, r.text
        return r.json()

    return run


async def eventually(check, timeout: float = 10.0, interval: float = 0.05):
    """Poll an async check until it returns a truthy value (the value is returned)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s (last value: {last!r})")
