"""Slots for password hashing, shared fairly between clients.

Each argon2id hash holds 64 MiB and ~85 ms of a core, so only `concurrency` run at once and the
rest wait. One queue of waiters per client (the client address for sign-ins and registrations, the
user for password checks of a signed-in user), served round-robin: when a slot frees, the next
client in turn gets it, so a client that queued fifty hashes delays a newcomer by one hash per
other waiting client, not by fifty. A client holds at most `per_client` places (running and
waiting) and is refused at once beyond that; at most `queue_max` callers wait in all. Refusals are
immediate (ResourceExhausted with a retry-after), never a wait past the caller's deadline.

In-process and per replica: the slots bound this process's memory and CPU, which is what they
protect; the shared limits (per client and per account) are the gateway's rate limits and
services/users/throttle.py.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict, deque
from collections.abc import AsyncIterator

from kit.errors import ResourceExhausted

BUSY_MESSAGE = "Too many sign-ins at once; try again in a moment."
CLIENT_BUSY_MESSAGE = "Too many sign-ins at once from your address; try again in a moment."
RETRY_AFTER_S = 1.0


class HashSlots:
    def __init__(self, concurrency: int, queue_max: int, per_client: int) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.concurrency, self.queue_max, self.per_client = concurrency, max(0, queue_max), per_client
        self._free = concurrency
        self._waiting = 0
        self._held: dict[str, int] = {}  # places (running + waiting) per client
        self._queues: OrderedDict[str, deque[asyncio.Future[None]]] = OrderedDict()  # round-robin order

    @property
    def running(self) -> int:
        return self.concurrency - self._free

    @property
    def waiting(self) -> int:
        return self._waiting

    def held(self, client: str) -> int:
        return self._held.get(client, 0)

    @contextlib.asynccontextmanager
    async def slot(self, client: str) -> AsyncIterator[None]:
        await self._acquire(client)
        try:
            yield
        finally:
            self._release(client)

    async def _acquire(self, client: str) -> None:
        if self.per_client > 0 and self._held.get(client, 0) >= self.per_client:
            raise ResourceExhausted(CLIENT_BUSY_MESSAGE, retry_after_s=RETRY_AFTER_S)
        if self._free > 0 and not self._queues:
            self._free -= 1
            self._held[client] = self._held.get(client, 0) + 1
            return
        if self._waiting >= self.queue_max:
            raise ResourceExhausted(BUSY_MESSAGE, retry_after_s=RETRY_AFTER_S)
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queues.setdefault(client, deque()).append(fut)
        self._waiting += 1
        self._held[client] = self._held.get(client, 0) + 1
        try:
            await fut
        except asyncio.CancelledError:
            if fut.done() and not fut.cancelled():
                self._release(client)  # granted just before the cancellation: pass the slot on
            else:
                queue = self._queues.get(client)
                if queue is not None and fut in queue:
                    queue.remove(fut)
                    if not queue:
                        del self._queues[client]
                self._waiting -= 1
                self._drop(client)
            raise

    def _drop(self, client: str) -> None:
        n = self._held.get(client, 0) - 1
        if n > 0:
            self._held[client] = n
        else:
            self._held.pop(client, None)

    def _release(self, client: str) -> None:
        self._drop(client)
        while self._queues:
            next_client, queue = next(iter(self._queues.items()))
            fut = queue.popleft()
            if queue:
                self._queues.move_to_end(next_client)  # its next waiter goes after every other client's
            else:
                del self._queues[next_client]
            if fut.done():  # cancelled while waiting: its own task does the bookkeeping
                continue
            self._waiting -= 1
            fut.set_result(None)  # the slot passes straight on
            return
        self._free += 1
