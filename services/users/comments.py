"""Comments on films: stored exactly as written (clients escape on render), newest first, keyset
pages. Only the author edits or deletes a comment."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from kit.errors import InvalidArgument, NotFound, PermissionDenied

BODY_MAX = 2000
PAGE_MAX = 100
DEFAULT_PAGE = 20

_SELECT = (
    "SELECT c.id, c.movie_id, c.author_id, a.username, a.created_at AS author_created_at,"
    " a.password_hash IS NOT NULL AS can_log_in, c.body, c.created_at, c.edited_at"
    " FROM users.comments c JOIN users.accounts a ON a.id = c.author_id"
)


@dataclass(frozen=True)
class CommentRow:
    id: uuid.UUID
    movie_id: int
    author_id: str
    author_username: str
    author_created_at: datetime
    author_can_log_in: bool
    body: str
    created_at: datetime
    edited_at: datetime | None


@dataclass(frozen=True)
class CommentPage:
    comments: list[CommentRow]
    has_next_page: bool
    next_page_token: str
    total_count: int


def _row(r: asyncpg.Record) -> CommentRow:
    return CommentRow(r["id"], r["movie_id"], r["author_id"], r["username"], r["author_created_at"],
                      r["can_log_in"], r["body"], r["created_at"], r["edited_at"])


def validate_body(body: str) -> str:
    if not body.strip():
        raise InvalidArgument("A comment must not be empty.")
    if len(body) > BODY_MAX:
        raise InvalidArgument(f"A comment is at most {BODY_MAX} characters (this one has {len(body)}).")
    if "\x00" in body:
        raise InvalidArgument("A comment must not contain NUL characters.")
    return body


def parse_comment_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise InvalidArgument("Invalid comment id.") from None


def encode_token(created_at: datetime, comment_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"{created_at.isoformat()}|{comment_id}".encode()).decode().rstrip("=")


def decode_token(token: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        at, cid = raw.split("|")
        parsed = datetime.fromisoformat(at)
        if parsed.tzinfo is None:
            raise ValueError("naive")
        return parsed, uuid.UUID(cid)
    except (ValueError, UnicodeDecodeError):
        raise InvalidArgument("Invalid page token.") from None


class Comments:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def add(self, author_id: str, movie_id: int, body: str) -> CommentRow:
        validate_body(body)
        async with self.pool.acquire() as conn:
            cid = await conn.fetchval(
                "INSERT INTO users.comments (id, movie_id, author_id, body) VALUES ($1, $2, $3, $4) RETURNING id",
                uuid.uuid4(), movie_id, author_id, body,
            )
            return _row(await conn.fetchrow(f"{_SELECT} WHERE c.id = $1", cid))

    async def _own(self, conn: asyncpg.Connection, user_id: str, comment_id: uuid.UUID, verb: str) -> None:
        author = await conn.fetchval("SELECT author_id FROM users.comments WHERE id = $1 FOR UPDATE", comment_id)
        if author is None:
            raise NotFound("No such comment.")
        if author != user_id:
            raise PermissionDenied(f"You can only {verb} your own comments.")

    async def edit(self, user_id: str, comment_id: str, body: str) -> CommentRow:
        cid = parse_comment_id(comment_id)
        validate_body(body)
        async with self.pool.acquire() as conn, conn.transaction():
            await self._own(conn, user_id, cid, "edit")
            await conn.execute("UPDATE users.comments SET body = $2, edited_at = now() WHERE id = $1", cid, body)
            return _row(await conn.fetchrow(f"{_SELECT} WHERE c.id = $1", cid))

    async def delete(self, user_id: str, comment_id: str) -> None:
        cid = parse_comment_id(comment_id)
        async with self.pool.acquire() as conn, conn.transaction():
            await self._own(conn, user_id, cid, "delete")
            await conn.execute("DELETE FROM users.comments WHERE id = $1", cid)

    async def list(self, movie_id: int, page_size: int, page_token: str) -> CommentPage:
        if movie_id <= 0:
            raise InvalidArgument("movie id must be a positive TMDb id")
        if page_size == 0:
            page_size = DEFAULT_PAGE
        if not 1 <= page_size <= PAGE_MAX:
            raise InvalidArgument(f"page size must be 1-{PAGE_MAX}")
        after = decode_token(page_token) if page_token else None
        async with self.pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
            if after is None:
                rows = await conn.fetch(
                    f"{_SELECT} WHERE c.movie_id = $1 ORDER BY c.created_at DESC, c.id DESC LIMIT $2",
                    movie_id, page_size + 1)
            else:
                rows = await conn.fetch(
                    f"{_SELECT} WHERE c.movie_id = $1 AND (c.created_at, c.id) < ($2, $3)"
                    " ORDER BY c.created_at DESC, c.id DESC LIMIT $4",
                    movie_id, after[0], after[1], page_size + 1)
            total = await conn.fetchval("SELECT count(*) FROM users.comments WHERE movie_id = $1", movie_id)
        page = [_row(r) for r in rows[:page_size]]
        more = len(rows) > page_size
        token = encode_token(page[-1].created_at, page[-1].id) if more and page else ""
        return CommentPage(page, more, token, total)
