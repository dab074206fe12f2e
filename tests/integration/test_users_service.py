"""The users service over gRPC: who may call it, the MovieLens history, login throttling."""

from __future__ import annotations

import asyncio
import csv
import subprocess
import sys
import uuid

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from movierec.users.v1 import users_pb2 as pb

from kit import auth
from kit.config import REPO_ROOT


async def _register(users, internal) -> pb.AuthResponse:
    return await users.Register(pb.RegisterRequest(username=f"u{uuid.uuid4().hex[:12]}", password="pass-word-1"),
                                metadata=auth.call_metadata(internal))


async def test_calls_without_the_internal_token_are_refused(users, users_channel, internal):
    reg = await _register(users, internal)
    for md in [(), (("x-internal-token", "guess"),), (("x-user-id", reg.user.id),),
               (("x-internal-token", internal[:-1]), ("x-user-id", reg.user.id))]:
        with pytest.raises(grpc.aio.AioRpcError) as e:
            await users.GetState(pb.GetStateRequest(), metadata=md)
        assert e.value.code() == grpc.StatusCode.UNAUTHENTICATED
    with pytest.raises(grpc.aio.AioRpcError) as e:  # streams too
        async for _ in users.ExportRatings(pb.ExportRatingsRequest()):
            pass
    assert e.value.code() == grpc.StatusCode.UNAUTHENTICATED
    # probes carry no token
    health = await health_pb2_grpc.HealthStub(users_channel).Check(health_pb2.HealthCheckRequest(service=""))
    assert health.status == health_pb2.HealthCheckResponse.SERVING
    # with the token, the acting user comes from metadata only
    with pytest.raises(grpc.aio.AioRpcError) as e:
        await users.GetState(pb.GetStateRequest(), metadata=auth.call_metadata(internal))
    assert e.value.code() == grpc.StatusCode.UNAUTHENTICATED
    state = await users.GetState(pb.GetStateRequest(), metadata=auth.call_metadata(internal, reg.user.id))
    assert state.user.id == reg.user.id


def _expected_movielens(data_dir, links: dict[int, int]) -> dict[tuple[str, int], float]:
    latest: dict[tuple[str, int], tuple[int, float]] = {}
    with open(data_dir / "movielens-latest-small" / "ratings.csv", newline="") as f:
        for row in csv.DictReader(f):
            tmdb = links.get(int(row["movieId"]))
            if tmdb is None:
                continue
            key, ts = (f"ml:{row['userId']}", tmdb), int(row["timestamp"])
            if key not in latest or ts >= latest[key][0]:
                latest[key] = (ts, float(row["rating"]))
    return {k: v for k, (_, v) in latest.items()}


async def test_movielens_history_is_imported_whole_and_idempotently(stack, pool, data_dir, users, internal):
    links = {r["movielens_id"]: r["tmdb_id"] for r in await pool.fetch(
        "SELECT l.movielens_id, l.tmdb_id FROM catalog.movielens_links l JOIN catalog.movies m ON m.id = l.tmdb_id")}
    expected = _expected_movielens(data_dir, links)
    assert await pool.fetchval("SELECT count(*) FROM users.accounts WHERE id LIKE 'ml:%'") == 610
    rows = await pool.fetch("SELECT user_id, movie_id, value FROM users.ratings WHERE user_id LIKE 'ml:%'")
    assert {(r["user_id"], r["movie_id"]): r["value"] for r in rows} == expected
    assert len(expected) > 85_000
    assert await pool.fetchval("SELECT count(*) FROM users.accounts WHERE id LIKE 'ml:%'"
                               " AND password_hash IS NOT NULL") == 0

    # a second run (without --if-empty) writes nothing
    out = subprocess.run([sys.executable, "-m", "services.users", "import-movielens"], env=stack.env(),
                         cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert '"users_created": 0' in out.stdout and '"ratings_written": 0' in out.stdout, out.stdout

    # imported users cannot log in, with the same answer as a wrong password
    with pytest.raises(grpc.aio.AioRpcError) as e:
        await users.Login(pb.LoginRequest(username="ml:1", password="anything-at-all"),
                          metadata=auth.call_metadata(internal))
    assert e.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert e.value.details() == "Invalid username or password."

    # and their ratings are part of what the recommender trains on
    exported = 0
    async for batch in users.ExportRatings(pb.ExportRatingsRequest(batch_size=25_000),
                                           metadata=auth.call_metadata(internal)):
        exported += sum(1 for r in batch.ratings if r.user_id.startswith("ml:"))
    assert exported == len(expected)


async def test_login_throttling_per_account_and_address(users, internal):
    md = auth.call_metadata(internal)
    name = f"t{uuid.uuid4().hex[:12]}"
    await users.Register(pb.RegisterRequest(username=name, password="right-password"), metadata=md)
    codes = []
    for _ in range(10):
        with pytest.raises(grpc.aio.AioRpcError) as e:
            await users.Login(pb.LoginRequest(username=name, password="wrong-password", client_address="10.0.0.1"),
                              metadata=md)
        codes.append(e.value.code())
    # five guesses from 10.0.0.1, then that pair waits (1 s after the 5th) and is refused without hashing
    assert codes == [grpc.StatusCode.UNAUTHENTICATED] * 5 + [grpc.StatusCode.RESOURCE_EXHAUSTED] * 5
    assert "from your address" in e.value.details()
    assert dict(e.value.trailing_metadata())["retry-after"] == "1"
    with pytest.raises(grpc.aio.AioRpcError) as e:  # the right password waits there too
        await users.Login(pb.LoginRequest(username=name, password="right-password", client_address="10.0.0.1"),
                          metadata=md)
    assert e.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    # the owner, from an address that has not failed, is never refused
    ok = await users.Login(pb.LoginRequest(username=name, password="right-password", client_address="10.0.0.2"),
                           metadata=md)
    assert ok.user.username == name
    await asyncio.sleep(1.1)  # after the wait, the right password works from 10.0.0.1 and forgets the pair
    await users.Login(pb.LoginRequest(username=name, password="right-password", client_address="10.0.0.1"),
                      metadata=md)
    for _ in range(4):
        with pytest.raises(grpc.aio.AioRpcError) as e:
            await users.Login(pb.LoginRequest(username=name, password="wrong-password", client_address="10.0.0.1"),
                              metadata=md)
        assert e.value.code() == grpc.StatusCode.UNAUTHENTICATED

    # failures across many names from one address do not refuse that address for an account it has not
    # failed (spraying is the gateway's per-client rate limit: tests/integration/test_auth_throttling.py)
    for i in range(50):
        with pytest.raises(grpc.aio.AioRpcError):
            await users.Login(pb.LoginRequest(username=f"nobody{i}-{uuid.uuid4().hex[:6]}", password="whatever1",
                                              client_address="10.9.9.9"), metadata=md)
    other = await _register(users, internal)
    ok = await users.Login(pb.LoginRequest(username=other.user.username, password="pass-word-1",
                                           client_address="10.9.9.9"), metadata=md)
    assert ok.user.id == other.user.id