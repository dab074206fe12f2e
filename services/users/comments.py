"""Comments on films: stored exactly as written (clients escape on render), newest first, keyset
pages. Only the author edits or deletes a comment."""

from __future__ import annotations

import base64
import builtins
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import asyncpg

from kit import idempotency, limits
from kit.db import Conn, one_row
from kit.errors import InvalidArgument, NotFound, PermissionDenied

BODY_MAX = 2000
# Checked by the gateway too: one value for both (kit/limits.py).
PAGE_MAX = limits.PAGE_SIZE_MAX
DEFAULT_PAGE = limits.PAGE_SIZE_DEFAULT
BATCH_IDS_MAX = limits.USERS_BATCH_LIST_COMMENTS_MAX_IDS            # users.proto: BatchListCommentsRequest.movie_ids
BATCH_COMMENTS_MAX = limits.USERS_BATCH_LIST_COMMENTS_MAX_COMMENTS  # ids x page size per batch

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


# The first page of each film in one statement: one row per film (LEFT JOIN: a film without comments
# still has its count), then its newest `$2` comments through the (movie_id, created_at DESC, id DESC)
# index. One statement is one snapshot, so each page agrees with its count as ListComments' do.
_BATCH_FIRST_PAGES = (
    "SELECT ids.movie_id AS requested_id, counts.total, page.*"
    " FROM unnest($1::bigint[]) AS ids(movie_id)"
    " CROSS JOIN LATERAL (SELECT count(*) AS total FROM users.comments WHERE movie_id = ids.movie_id) counts"
    " LEFT JOIN LATERAL ("
    "  SELECT c.id, c.movie_id, c.author_id, a.username, a.created_at AS author_created_at,"
    "   a.password_hash IS NOT NULL AS can_log_in, c.body, c.created_at, c.edited_at"
    "  FROM users.comments c JOIN users.accounts a ON a.id = c.author_id"
    "  WHERE c.movie_id = ids.movie_id ORDER BY c.created_at DESC, c.id DESC LIMIT $2"
    " ) page ON true"
    " ORDER BY ids.movie_id, page.created_at DESC, page.id DESC"
)


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
        # In UTC, as PostgreSQL compares it: a time at the ends of Python's range with an offset
        # ("0001-01-01T00:00:00+14:00") does not exist there (OverflowError; in the query it was INTERNAL).
        return parsed.astimezone(UTC), uuid.UUID(cid)
    except (ValueError, UnicodeDecodeError, OverflowError):
        raise InvalidArgument("Invalid page token.") from None


class Comments:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def add(self, author_id: str, movie_id: int, body: str, idempotency_key: str = "") -> CommentRow:
        """Store a comment. With an idempotency key, a repeat of the same call (after a lost answer)
        answers the comment the first one stored, edited or not, and stores nothing; the same key with
        another film or body is refused (kit.idempotency)."""
        validate_body(body)
        key = idempotency.check_key(idempotency_key)
        asked = idempotency.fingerprint(movie_id, body) if key else None
        async with self.pool.acquire() as conn:
            cid = await conn.fetchval(
                "INSERT INTO users.comments (id, movie_id, author_id, body, client_key, request_hash)"
                " VALUES ($1, $2, $3, $4, $5, $6)"
                " ON CONFLICT (author_id, client_key) WHERE client_key IS NOT NULL DO NOTHING RETURNING id",
                uuid.uuid4(), movie_id, author_id, body, key, asked,
            )
            if cid is None:  # the key was used before: that call's comment, if it asked the same
                first = await conn.fetchrow(
                    "SELECT id, request_hash FROM users.comments WHERE author_id = $1 AND client_key = $2",
                    author_id, key)
                if first is None:  # deleted between the two statements: a retry of a removed comment
                    raise NotFound("The comment made with this idempotency key was deleted.")
                if first["request_hash"] != asked:
                    raise idempotency.KeyReused("comment")
                cid = first["id"]
            row = await conn.fetchrow(f"{_SELECT} WHERE c.id = $1", cid)
            if row is None:  # deleted (or its author) since it was stored or found: no transaction holds it
                raise NotFound("The comment was deleted.")
            return _row(row)

    async def _own(self, conn: Conn, user_id: str, comment_id: uuid.UUID, verb: str) -> None:
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
            # _own locked the row FOR UPDATE in this transaction
            return _row(one_row(await conn.fetchrow(f"{_SELECT} WHERE c.id = $1", cid)))

    async def delete(self, user_id: str, comment_id: str) -> None:
        cid = parse_comment_id(comment_id)
        async with self.pool.acquire() as conn, conn.transaction():
            await self._own(conn, user_id, cid, "delete")
            await conn.execute("DELETE FROM users.comments WHERE id = $1", cid)

    async def list(self, movie_id: int, page_size: int, page_token: str) -> CommentPage:
        if movie_id <= 0:
            raise InvalidArgument("movie id must be a positive TMDb id")
        page_size = _page_size(page_size)
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
        return _page(rows, page_size, total)

    # builtins.list: inside this class `list` is the method above
    async def first_pages(self, movie_ids: Sequence[int], page_size: int) -> builtins.list[tuple[int, CommentPage]]:
        """The first page of each film's comments, exactly as `list(movie_id, page_size, "")` answers
        it, in one query: (movie id, page) per distinct id, in the order the ids came."""
        ids = list(dict.fromkeys(movie_ids))
        if not ids:
            raise InvalidArgument("movie ids are required")
        if len(ids) > BATCH_IDS_MAX:
            raise InvalidArgument(f"at most {BATCH_IDS_MAX} movie ids per call")
        if any(i <= 0 for i in ids):
            raise InvalidArgument("movie ids must be positive TMDb ids")
        page_size = _page_size(page_size)
        if len(ids) * page_size > BATCH_COMMENTS_MAX:
            raise InvalidArgument(f"movie ids x page size must be at most {BATCH_COMMENTS_MAX}")
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(_BATCH_FIRST_PAGES, ids, page_size + 1)
        by_movie: dict[int, list[asyncpg.Record]] = {i: [] for i in ids}
        totals: dict[int, int] = {}
        for r in rows:
            totals[r["requested_id"]] = r["total"]
            if r["id"] is not None:  # the LEFT JOIN's row for a film without comments
                by_movie[r["requested_id"]].append(r)
        return [(i, _page(by_movie[i], page_size, totals.get(i, 0))) for i in ids]


def _page_size(page_size: int) -> int:
    if page_size == 0:
        page_size = DEFAULT_PAGE
    if not 1 <= page_size <= PAGE_MAX:
        raise InvalidArgument(f"page size must be 1-{PAGE_MAX}")
    return page_size


def _page(rows: Sequence[asyncpg.Record], page_size: int, total: int) -> CommentPage:
    """A page from up to `page_size + 1` rows, newest first (one more than asked: is there a next page)."""
    page = [_row(r) for r in rows[:page_size]]
    more = len(rows) > page_size
    token = encode_token(page[-1].created_at, page[-1].id) if more and page else ""
    return CommentPage(page, more, token, total)
