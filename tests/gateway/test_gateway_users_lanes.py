"""The users client's limiter lanes: public reads, the signed-in user's own calls and sign-in each have
their own bound on calls in flight, so a full read lane (a flood of anonymous comment reads) or a full
sign-in lane (a flood of logins) neither makes `me` wait for a slot nor fail; and the settings reach
the lanes."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import grpc
import pytest
from movierec.common.v1 import common_pb2

from kit.auth import ensure_dev_secrets
from kit.config import Settings
from services.gateway.clients.users import OWN_LANE, SIGN_IN_LANE, UsersClient
from services.gateway.config import GatewayConfig
from services.gateway.errors import Unavailable
from services.gateway.resources import close_resources, open_resources

USER = "6f1c2b9e-5d4a-4c3b-9a8e-7f6d5c4b3a21"
ZONE = common_pb2.ZONE_BROWSE


ANSWER = SimpleNamespace(rating=None, movies=[], users=[], changed=True)  # enough of any response


class HangingStub:
    """Every RPC waits until `release` is set (a users service drowning in work), then answers;
    `instant` methods answer at once."""

    def __init__(self, instant: set[str] = frozenset()) -> None:
        self.release = asyncio.Event()
        self.started: list[str] = []
        self.instant = instant

    def __getattr__(self, method: str):
        async def rpc(request, timeout, metadata):
            self.started.append(method)
            if method not in self.instant:
                await self.release.wait()
            return ANSWER

        return rpc


@pytest.fixture
async def client():
    channel = grpc.aio.insecure_channel("127.0.0.1:1")
    c = UsersClient(channel, "internal-token", timeout_s=0.3, max_in_flight=3, own_max_in_flight=2,
                    sign_in_max_in_flight=2)  # fmt: skip
    yield c
    await channel.close()


async def fill(coros) -> list[asyncio.Task]:
    tasks = [asyncio.create_task(c) for c in coros]
    await asyncio.sleep(0.02)  # they hold their slots now
    return tasks


async def test_a_full_read_lane_neither_delays_nor_fails_me(client):
    stub = client.stub = HangingStub(instant={"GetState", "RateMovie"})
    readers = await fill([*(client.list_comments(603, 20, "") for _ in range(2)),
                          client.batch_list_comments([603, 550], 20)])  # fmt: skip
    # The read lane is full: `me` and a write go straight through...
    await asyncio.wait_for(client.get_state(USER), timeout=0.05)
    await asyncio.wait_for(client.rate_movie(USER, 603, 4.0, ZONE), timeout=0.05)
    # ...while another read waits for a slot and, the deadline past, is UNAVAILABLE.
    with pytest.raises(Unavailable):
        await client.get_users(["u1"])
    assert "GetUsers" not in stub.started and stub.started.count("GetState") == 1
    stub.release.set()
    await asyncio.gather(*readers)


async def test_a_full_sign_in_lane_neither_delays_nor_fails_me(client):
    stub = client.stub = HangingStub(instant={"GetState"})
    logins = await fill(client.login("ann", "pw", "10.0.0.1") for _ in range(2))
    await asyncio.wait_for(client.get_state(USER), timeout=0.05)
    with pytest.raises(Unavailable):
        await client.refresh_token("rt")  # the sign-in lane is full
    stub.release.set()
    await asyncio.gather(*logins)


async def test_the_users_own_calls_do_not_take_read_slots(client):
    stub = client.stub = HangingStub(instant={"ListComments"})
    own = await fill([client.get_state(USER), client.add_comment(USER, 603, "hi")])
    await asyncio.wait_for(client.list_comments(603, 20, ""), timeout=0.05)
    with pytest.raises(Unavailable):
        await client.delete_comment(USER, "c1")  # the own lane (2) is full
    stub.release.set()
    await asyncio.gather(*own)


@pytest.mark.parametrize(
    "invoke,lane",
    [
        (lambda c: c.list_comments(603, 20, ""), "read"),
        (lambda c: c.batch_list_comments([603], 20), "read"),
        (lambda c: c.get_users(["u1"]), "read"),
        (lambda c: c.register("ann", "pw"), SIGN_IN_LANE),
        (lambda c: c.login("ann", "pw", ""), SIGN_IN_LANE),
        (lambda c: c.refresh_token("rt"), SIGN_IN_LANE),
        (lambda c: c.logout("rt"), SIGN_IN_LANE),
        (lambda c: c.get_state(USER), OWN_LANE),
        (lambda c: c.change_password(USER, "a", "b"), OWN_LANE),
        (lambda c: c.delete_account(USER, "pw"), OWN_LANE),
        (lambda c: c.rate_movie(USER, 603, 4.0, ZONE), OWN_LANE),
        (lambda c: c.add_favorite(USER, 603, ZONE), OWN_LANE),
        (lambda c: c.record_open(USER, 603, ZONE), OWN_LANE),
        (lambda c: c.add_comment(USER, 603, "hi"), OWN_LANE),
        (lambda c: c.edit_comment(USER, "c1", "hey"), OWN_LANE),
        (lambda c: c.delete_comment(USER, "c1"), OWN_LANE),
        (lambda c: c.create_invite(USER), OWN_LANE),
        (lambda c: c.accept_invite(USER, "CODE"), OWN_LANE),
        (lambda c: c.unlink_partner(USER, "u2"), OWN_LANE),
    ],
)  # fmt: skip
async def test_each_call_takes_its_lane(client, invoke, lane):
    seen: list[str] = []

    class Recording:
        def __init__(self, name: str) -> None:
            self.name = name

        async def call(self, method, fn):
            seen.append(self.name)
            return ANSWER

    client.limiter = Recording("read")
    client.lanes = {name: Recording(name) for name in client.lanes}
    await invoke(client)
    assert seen[-1:] == [lane]


async def test_the_settings_reach_the_lanes(tmp_path, monkeypatch):
    ensure_dev_secrets(tmp_path / "secrets")
    settings = Settings(secrets_dir=tmp_path / "secrets", catalog_addr="127.0.0.1:1", users_addr="127.0.0.1:1",
                        recommender_addr="127.0.0.1:1", nats_url="nats://127.0.0.1:1")  # fmt: skip
    config = GatewayConfig(
        cache_enabled=False, nats_startup_wait_s=0.0, grpc_max_in_flight=7, grpc_users_read_max_in_flight=5,
        grpc_users_own_max_in_flight=11, grpc_users_sign_in_max_in_flight=3,
    )  # fmt: skip
    res = await open_resources(settings, config)
    try:
        assert res.users.limiter.max_in_flight == 5
        assert res.users.lanes[OWN_LANE].max_in_flight == 11 and res.users.lanes[SIGN_IN_LANE].max_in_flight == 3
        assert res.catalog.limiter.max_in_flight == res.recommender.limiter.max_in_flight == 7
    finally:
        await close_resources(res)


def test_defaults_keep_reads_below_the_users_own_calls():
    config = GatewayConfig()
    assert 0 < config.grpc_users_read_max_in_flight < config.grpc_users_own_max_in_flight
    assert config.grpc_users_sign_in_max_in_flight > 0
