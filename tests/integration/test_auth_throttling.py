"""Sign-in throttling, edge rate limits and client addresses on the real stack, through GraphQL.

The suite's own gateway runs with the sign-in and registration limits raised (tests/conftest.py: every
test signs up from 127.0.0.1), so these tests start a second gateway on the same backends with the
default limits and 127.0.0.1 as its one trusted proxy: a request from 127.0.0.1 stands for the ingress,
its X-Forwarded-For names the client; a request from 127.0.0.2 is a client that reaches the gateway
directly, and its X-Forwarded-For must be ignored. Each run uses fresh addresses and a fresh key prefix
for the gateway's buckets, so a kept stack (TEST_STACK_KEEP=1) can run this file again at once.

What each test is the regression test of (docs/security.md, "Sign-in, registration and client addresses"):
- ten wrong passwords from A do not lock the owner out from B: a back-off per (account, address);
- a flood of bogus logins from one client does not stop another client's login: the edge limit, and
  in the users service the per-client share of the password-hash slots (over gRPC, without the edge);
- registration is rate-limited per client;
- X-Forwarded-For from a peer that is not a trusted proxy is ignored.
"""

from __future__ import annotations

import asyncio
import uuid

import grpc
import httpx
import pytest
from movierec.users.v1 import users_pb2 as pb
from movierec.users.v1 import users_pb2_grpc

from devstack.procs import free_port
from kit import auth
from services.gateway.config import GatewayConfig
from services.users.config import UsersConfig
from tests.integration.conftest import extra_gateway

PASSWORD = "right-password-1"
LOGIN = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken user { id } } }"
REGISTER = "mutation($u: String!, $p: String!) { register(username: $u, password: $p) { accessToken user { id } } }"
DEFAULTS = GatewayConfig.model_construct()  # the defaults, whatever this process's environment says
USERS_DEFAULTS = UsersConfig.model_construct()


def _addr() -> str:
    """A fresh client address (198.18.0.0/15, the benchmarking range), so that repeated runs on a kept
    stack start clean."""
    n = uuid.uuid4().int
    return f"198.{18 + n % 2}.{(n >> 1) % 256}.{(n >> 9) % 254 + 1}"


@pytest.fixture(scope="module")
def edge(stack):
    """A gateway with the default limits that trusts 127.0.0.1 as its proxy; yields its base URL."""
    port = free_port()
    # FORWARDED_ALLOW_IPS=* is what the manifests used to set: uvicorn then believed every peer's header.
    # The gateway must not care (it reads X-Forwarded-For itself, from GATEWAY_TRUSTED_PROXIES only).
    env = stack.env(PORT=str(port), GATEWAY_TRUSTED_PROXIES="127.0.0.1", FORWARDED_ALLOW_IPS="*",
                    GATEWAY_RATE_LIMIT_PREFIX=f"gw:rl:test-{uuid.uuid4().hex[:8]}")
    for name in list(env):  # the suite's relaxed limits are not for this gateway
        if name.startswith("GATEWAY_RATE_") and name != "GATEWAY_RATE_LIMIT_PREFIX":
            del env[name]
    with extra_gateway(stack, "gateway-throttling", env) as gateway:
        yield f"http://127.0.0.1:{gateway.port}"


@pytest.fixture(scope="module")
async def via_proxy(edge):
    """POST from 127.0.0.1, the trusted proxy: `client` is the address it forwards for."""
    async with httpx.AsyncClient(base_url=edge, timeout=30) as c:
        async def run(query: str, variables: dict, client: str) -> dict:
            r = await c.post("/graphql", json={"query": query, "variables": variables},
                             headers={"X-Forwarded-For": client})
            assert r.status_code == 200, r.text
            return r.json()
        yield run


@pytest.fixture(scope="module")
async def direct(edge):
    """POST from 127.0.0.2, a peer that is no proxy of ours: whatever X-Forwarded-For it sends."""
    transport = httpx.AsyncHTTPTransport(local_address="127.0.0.2")
    async with httpx.AsyncClient(base_url=edge, timeout=30, transport=transport) as c:
        async def run(query: str, variables: dict, spoofed: str) -> dict:
            r = await c.post("/graphql", json={"query": query, "variables": variables},
                             headers={"X-Forwarded-For": spoofed})
            assert r.status_code == 200, r.text
            return r.json()
        yield run


def code(body: dict) -> str:
    errors = body.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else "OK"


async def _account(via_proxy) -> str:
    name = f"t{uuid.uuid4().hex[:12]}"
    assert code(await via_proxy(REGISTER, {"u": name, "p": PASSWORD}, _addr())) == "OK"
    return name


async def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out(via_proxy):
    name, attacker, owner = await _account(via_proxy), _addr(), _addr()
    bodies = [await via_proxy(LOGIN, {"u": name, "p": "wrong-password"}, attacker) for _ in range(10)]
    free = USERS_DEFAULTS.login_free_failures
    assert [code(b) for b in bodies] == ["UNAUTHENTICATED"] * free + ["RATE_LIMITED"] * (10 - free)
    refused = bodies[-1]["errors"][0]
    assert refused["extensions"]["retryAfter"] >= 1
    assert "from your address" in refused["message"]
    # the right password from the attacker's address waits too (the pair's back-off, or the edge's bucket)...
    assert code(await via_proxy(LOGIN, {"u": name, "p": PASSWORD}, attacker)) == "RATE_LIMITED"
    # ...but the owner, from an address that has not failed, signs in at once
    ok = await via_proxy(LOGIN, {"u": name, "p": PASSWORD}, owner)
    assert code(ok) == "OK", ok
    # and the attacker's address is slowed, not locked: after the wait the right password works there too
    while True:
        body = await via_proxy(LOGIN, {"u": name, "p": PASSWORD}, attacker)
        if code(body) == "OK":
            break
        assert code(body) == "RATE_LIMITED"
        wait = body["errors"][0]["extensions"]["retryAfter"]
        assert wait <= DEFAULTS.rate_sign_in_interval_s + 1
        await asyncio.sleep(wait)


async def test_a_login_flood_from_one_client_does_not_stop_another(via_proxy):
    name, flooder, owner = await _account(via_proxy), _addr(), _addr()

    async def bogus() -> str:
        return code(await via_proxy(LOGIN, {"u": f"nobody{uuid.uuid4().hex[:8]}", "p": "whatever-1"}, flooder))

    flood = [asyncio.create_task(bogus()) for _ in range(90)]
    await asyncio.sleep(0.2)  # the flood is in flight
    real = await via_proxy(LOGIN, {"u": name, "p": PASSWORD}, owner)
    outcomes = await asyncio.gather(*flood)
    assert code(real) == "OK", real
    assert set(outcomes) <= {"UNAUTHENTICATED", "RATE_LIMITED"}
    assert outcomes.count("RATE_LIMITED") >= 90 - DEFAULTS.rate_sign_in_burst


async def test_registration_is_rate_limited_per_client(via_proxy):
    client, other = _addr(), _addr()
    burst = DEFAULTS.rate_register_burst
    bodies = [await via_proxy(REGISTER, {"u": f"r{uuid.uuid4().hex[:12]}", "p": PASSWORD}, client)
              for _ in range(burst + 1)]
    assert [code(b) for b in bodies] == ["OK"] * burst + ["RATE_LIMITED"]
    ext = bodies[-1]["errors"][0]["extensions"]
    assert 1 <= ext["retryAfter"] <= DEFAULTS.rate_register_interval_s
    assert code(await via_proxy(REGISTER, {"u": f"r{uuid.uuid4().hex[:12]}", "p": PASSWORD}, other)) == "OK"


async def test_forwarded_for_from_an_untrusted_peer_is_ignored(via_proxy, direct):
    # 127.0.0.2 claims a new address with every request: all of them count as 127.0.0.2
    burst = DEFAULTS.rate_register_burst
    bodies = [await direct(REGISTER, {"u": f"s{uuid.uuid4().hex[:12]}", "p": PASSWORD}, _addr())
              for _ in range(burst + 1)]
    assert [code(b) for b in bodies] == ["OK"] * burst + ["RATE_LIMITED"]
    # the same spoofing cannot escape the sign-in back-off either: ten wrong passwords, a new "address" each
    name = await _account(via_proxy)
    codes = [code(await direct(LOGIN, {"u": name, "p": "wrong-password"}, _addr())) for _ in range(10)]
    assert "RATE_LIMITED" in codes and codes.count("UNAUTHENTICATED") <= USERS_DEFAULTS.login_free_failures
    # while the trusted proxy's header is believed: every forwarded client has its own budget
    assert code(await via_proxy(REGISTER, {"u": f"s{uuid.uuid4().hex[:12]}", "p": PASSWORD}, _addr())) == "OK"


# ---------------------------------------------------------------- the hash slots, without the edge


@pytest.fixture(scope="module")
async def users(stack):
    channel = grpc.aio.insecure_channel(stack.addr("users"))
    yield users_pb2_grpc.UsersServiceStub(channel), auth.call_metadata(auth.load_internal_token(stack.base / "secrets"))
    await channel.close()


async def test_a_hash_flood_from_one_address_leaves_slots_for_others(users):
    stub, md = users
    name = f"h{uuid.uuid4().hex[:12]}"
    await stub.Register(pb.RegisterRequest(username=name, password=PASSWORD, client_address=_addr()), metadata=md)
    flooder, owner = _addr(), _addr()

    async def bogus() -> str:
        try:
            await stub.Login(pb.LoginRequest(username=f"nobody{uuid.uuid4().hex[:8]}", password="whatever-1",
                                             client_address=flooder), metadata=md, timeout=30)
        except grpc.aio.AioRpcError as e:
            return e.code().name
        return "OK"

    flood = [asyncio.create_task(bogus()) for _ in range(90)]
    await asyncio.sleep(0.2)
    ok = await stub.Login(pb.LoginRequest(username=name, password=PASSWORD, client_address=owner), metadata=md,
                          timeout=30)
    outcomes = await asyncio.gather(*flood)
    assert ok.user.username == name
    share = USERS_DEFAULTS.hash_max_per_client
    assert outcomes.count("UNAUTHENTICATED") >= share  # the flood got its share...
    assert outcomes.count("RESOURCE_EXHAUSTED") >= 90 - 4 * share  # ...and was refused at once beyond it
