"""Comments.add when the comment is gone by the time it is read back (no transaction holds it): a
repeat of a call whose comment was deleted in between, or an author deleted meanwhile, is NOT_FOUND,
not a TypeError from reading a missing row (INTERNAL). Found by mypy (fetchrow is Optional)."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

import pytest

from kit import idempotency
from kit.errors import NotFound
from services.users.comments import Comments


class _Conn:
    """Answers as PostgreSQL would after the race: the key was used before (INSERT ... DO NOTHING
    returns nothing), the first call's row is found, then it is gone."""

    def __init__(self, first: dict | None) -> None:
        self.first = first
        self.reads = 0

    async def fetchval(self, query: str, *args: object) -> object:
        return None

    async def fetchrow(self, query: str, *args: object) -> dict | None:
        self.reads += 1
        return self.first if self.reads == 1 else None


class _Pool:
    def __init__(self, conn: _Conn) -> None:
        self.conn = conn

    @contextlib.asynccontextmanager
    async def acquire(self):
        yield self.conn


async def test_a_repeat_whose_comment_was_deleted_meanwhile_is_not_found():
    key = "k" * 16
    first = {"id": uuid.uuid4(), "request_hash": idempotency.fingerprint(238, "a fine film")}
    conn = _Conn(first)
    pool: Any = _Pool(conn)  # the two calls Comments.add makes of an asyncpg pool
    with pytest.raises(NotFound):
        await Comments(pool).add("user-1", 238, "a fine film", idempotency_key=key)
    assert conn.reads == 2
