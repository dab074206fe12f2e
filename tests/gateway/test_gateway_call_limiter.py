"""The per-channel bound on gRPC calls in flight, and the per-call deadline."""

from __future__ import annotations

import asyncio

import pytest

from services.gateway.clients.base import CallLimiter
from services.gateway.errors import ErrorCode, Unavailable


async def test_calls_get_the_remaining_deadline():
    limiter = CallLimiter(timeout_s=5.0, max_in_flight=2)
    seen: list[float] = []

    async def call(timeout: float) -> str:
        seen.append(timeout)
        return "ok"

    assert await limiter.call("M", call) == "ok"
    assert 4.0 < seen[0] <= 5.0


async def test_no_slot_in_time_is_unavailable():
    limiter = CallLimiter(timeout_s=0.2, max_in_flight=1)
    release = asyncio.Event()

    async def slow(timeout: float) -> None:
        await release.wait()

    holder = asyncio.create_task(limiter.call("M", slow))
    await asyncio.sleep(0.01)
    with pytest.raises(Unavailable) as e:
        await limiter.call("M", slow)
    assert e.value.code is ErrorCode.UNAVAILABLE
    release.set()
    await holder
    # The slot came back.
    assert await limiter.call("M", lambda t: asyncio.sleep(0, result="again")) == "again"


async def test_failures_release_the_slot():
    limiter = CallLimiter(timeout_s=0.2, max_in_flight=1)

    async def boom(timeout: float) -> None:
        raise RuntimeError("x")

    for _ in range(3):
        with pytest.raises(RuntimeError):
            await limiter.call("M", boom)
