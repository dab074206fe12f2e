"""Password-hash slots (services/users/hash_slots.py): bounded, shared round-robin between clients,
one client's flood refused beyond its share while others still get in."""

from __future__ import annotations

import asyncio

import pytest

from kit.errors import ResourceExhausted
from services.users.hash_slots import CLIENT_BUSY_MESSAGE, HashSlots


async def _hold(slots: HashSlots, client: str, release: asyncio.Event, order: list[str]) -> None:
    async with slots.slot(client):
        order.append(client)
        await release.wait()


async def test_a_flood_from_one_client_takes_only_its_share():
    slots = HashSlots(concurrency=2, queue_max=64, per_client=4)
    release = asyncio.Event()
    order: list[str] = []
    flood = [asyncio.create_task(_hold(slots, "203.0.113.66", release, order)) for _ in range(90)]
    await asyncio.sleep(0)
    done = [t for t in flood if t.done()]
    assert len(done) == 86  # refused at once, no waiting
    for t in done:
        assert isinstance(t.exception(), ResourceExhausted)
        assert t.exception().message == CLIENT_BUSY_MESSAGE
        assert t.exception().retry_after_s == 1.0
    assert (slots.running, slots.waiting, slots.held("203.0.113.66")) == (2, 2, 4)
    # another client still gets a place, and is served before the flood's remaining waiters
    real = asyncio.create_task(_hold(slots, "198.51.100.8", release, order))
    await asyncio.sleep(0)
    assert not real.done() and slots.waiting == 3
    release.set()
    await asyncio.gather(real, *[t for t in flood if t not in done])
    assert order.index("198.51.100.8") == 3  # two running, one flood waiter already first in turn, then ours
    assert (slots.running, slots.waiting, slots.held("203.0.113.66")) == (0, 0, 0)


async def test_round_robin_between_clients():
    slots = HashSlots(concurrency=1, queue_max=64, per_client=10)
    release = asyncio.Event()
    order: list[str] = []
    tasks = [asyncio.create_task(_hold(slots, "a", release, order)) for _ in range(5)]
    await asyncio.sleep(0)
    tasks += [asyncio.create_task(_hold(slots, c, release, order)) for c in ("b", "b", "c")]
    await asyncio.sleep(0)
    release.set()
    await asyncio.gather(*tasks)
    assert order == ["a", "a", "b", "c", "a", "b", "a", "a"]


async def test_the_whole_queue_is_bounded_too():
    slots = HashSlots(concurrency=1, queue_max=3, per_client=0)  # no per-client share
    release = asyncio.Event()
    tasks = [asyncio.create_task(_hold(slots, f"c{i}", release, [])) for i in range(6)]
    await asyncio.sleep(0)
    refused = [t for t in tasks if t.done()]
    assert len(refused) == 2 and all(isinstance(t.exception(), ResourceExhausted) for t in refused)
    release.set()
    await asyncio.gather(*[t for t in tasks if t not in refused])


async def test_a_cancelled_waiter_gives_its_place_back():
    slots = HashSlots(concurrency=1, queue_max=8, per_client=2)
    release = asyncio.Event()
    first = asyncio.create_task(_hold(slots, "a", release, []))
    waiter = asyncio.create_task(_hold(slots, "a", release, []))
    await asyncio.sleep(0)
    assert slots.held("a") == 2
    waiter.cancel()  # the caller's deadline passed
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert (slots.waiting, slots.held("a")) == (0, 1)
    release.set()
    await first
    assert (slots.running, slots.waiting, slots.held("a")) == (0, 0, 0)
    async with slots.slot("a"):  # and the slot is free again
        assert slots.running == 1


async def test_cancelled_after_being_granted_passes_the_slot_on():
    slots = HashSlots(concurrency=1, queue_max=8, per_client=4)
    await slots._acquire("a")
    b = asyncio.create_task(slots._acquire("b"))
    c = asyncio.create_task(slots._acquire("c"))
    await asyncio.sleep(0)
    assert slots.waiting == 2
    slots._release("a")  # grants b's place; b's task has not run yet
    b.cancel()           # ...and its deadline passes now
    with pytest.raises(asyncio.CancelledError):
        await b
    await c              # the slot went on to c instead of being lost
    assert (slots.running, slots.waiting, slots.held("b"), slots.held("c")) == (1, 0, 0, 1)
    slots._release("c")
    assert (slots.running, slots.waiting) == (0, 0)
