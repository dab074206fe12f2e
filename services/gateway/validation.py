"""Argument checks at the edge (the backends check again: the limits both sides check are in
kit/limits.py) and the Relay cursor encoding.

Cursors are opaque to clients: `base64url("c1:" + catalogue page token)`, without padding. Anything
that does not decode to that shape is BAD_USER_INPUT before any backend is called; a token that
decodes but that the catalogue rejects comes back as its INVALID_ARGUMENT, i.e. BAD_USER_INPUT with
the catalogue's message.
"""

from __future__ import annotations

import base64
import binascii
import math
import uuid
from collections.abc import Sequence

from kit import limits
from services.gateway.errors import BadUserInput

DEFAULT_PAGE_SIZE = limits.PAGE_SIZE_DEFAULT
MAX_PAGE_SIZE = limits.PAGE_SIZE_MAX
MAX_QUERY_LENGTH = limits.SEARCH_QUERY_MAX_CHARS
MAX_CURSOR_LENGTH = 1024
MAX_FILTER_GENRES = 20
INT64_MAX = 2**63 - 1
_CURSOR_PREFIX = "c1:"


def parse_movie_id(value: object) -> int:
    """A film id (a TMDb id) from a GraphQL ID: a positive 64-bit integer in decimal."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit():
        raise BadUserInput(f"Invalid movie id {str(value)[:40]!r}: expected a positive integer.")
    movie_id = int(text)
    if not 0 < movie_id <= INT64_MAX:
        raise BadUserInput(f"Invalid movie id {str(value)[:40]!r}: expected a positive integer.")
    return movie_id


def parse_person_id(value: object) -> int:
    """A person id (the catalogue's own id) from a GraphQL ID: a positive 64-bit integer in decimal."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or not 0 < int(text) <= INT64_MAX:
        raise BadUserInput(f"Invalid person id {str(value)[:40]!r}: expected a positive integer.")
    return int(text)


def validate_first(first: int | None) -> int:
    """Page size: None means the default (20); otherwise 1..100 (kit/limits.py)."""
    if first is None:
        return DEFAULT_PAGE_SIZE
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise BadUserInput(f"`first` must be between 1 and {MAX_PAGE_SIZE} (got {first}).")
    return first


def validate_query(query: str) -> str:
    """At most MAX_QUERY_LENGTH characters as the catalogue counts them (whitespace runs as one, ends trimmed)."""
    if limits.search_query_length(query) > MAX_QUERY_LENGTH:
        raise BadUserInput(f"`query` must be at most {MAX_QUERY_LENGTH} characters.")
    return query


MAX_SUGGEST_QUERY_LENGTH = limits.SUGGEST_QUERY_MAX_CHARS
MAX_SUGGEST_FIRST = limits.SUGGEST_LIMIT_MAX
DEFAULT_SUGGEST_FIRST = limits.SUGGEST_LIMIT_DEFAULT


def validate_suggest_query(query: str) -> str:
    """A typeahead query: at most MAX_SUGGEST_QUERY_LENGTH characters, counted as a search query is."""
    if limits.search_query_length(query) > MAX_SUGGEST_QUERY_LENGTH:
        raise BadUserInput(f"`query` must be at most {MAX_SUGGEST_QUERY_LENGTH} characters.")
    return query


def validate_suggest_first(first: int | None) -> int:
    """Suggestions per kind: None means the default (5); otherwise 1..10."""
    if first is None:
        return DEFAULT_SUGGEST_FIRST
    if not 1 <= first <= MAX_SUGGEST_FIRST:
        raise BadUserInput(f"`first` must be between 1 and {MAX_SUGGEST_FIRST} (got {first}).")
    return first


def encode_cursor(page_token: str) -> str:
    raw = (_CURSOR_PREFIX + page_token).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str:
    """The catalogue page token of a cursor ("" for None: the first page)."""
    if cursor is None:
        return ""
    invalid = BadUserInput("Invalid `after` cursor: pass a cursor from a previous page.")
    if not cursor or len(cursor) > MAX_CURSOR_LENGTH:
        raise invalid
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        text = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        raise invalid from None
    # The encoding is canonical: reject anything that does not round-trip (stray characters, padding).
    if not text.startswith(_CURSOR_PREFIX) or encode_cursor(text[len(_CURSOR_PREFIX) :]) != cursor:
        raise invalid
    return text[len(_CURSOR_PREFIX) :]


def check_range(name_min: str, low: int | None, name_max: str, high: int | None) -> None:
    if low is not None and high is not None and low > high:
        raise BadUserInput(f"`{name_min}` must not be greater than `{name_max}`.")


def check_non_negative(name: str, value: int | None) -> None:
    if value is not None and value < 0:
        raise BadUserInput(f"`{name}` must not be negative.")


MAX_VIBE_TEXT_LENGTH = limits.VIBE_TEXT_MAX_CHARS  # characters, after trimming
MAX_TOGETHER_PEOPLE = limits.TOGETHER_GROUP_MAX  # the caller included


def validate_vibe_text(text: str, name: str = "text") -> str:
    """A mood description: trimmed, not empty, at most MAX_VIBE_TEXT_LENGTH characters."""
    trimmed = limits.vibe_text(text)
    if not trimmed:
        raise BadUserInput(f"`{name}` must not be empty: describe the mood you are after.")
    if len(trimmed) > MAX_VIBE_TEXT_LENGTH:
        raise BadUserInput(f"`{name}` must be at most {MAX_VIBE_TEXT_LENGTH} characters (got {len(trimmed)}).")
    return trimmed


def validate_optional_vibe(vibe: str | None) -> str | None:
    """Together's mood: None when not given or blank (no mood), else checked as a Vibe text."""
    if vibe is None or not limits.vibe_text(vibe):
        return None
    return validate_vibe_text(vibe, "vibe")


def validate_percentile(name: str, value: float | None) -> float | None:
    """A popularity percentile, 0-100; None when not given."""
    if value is None:
        return None
    if not math.isfinite(value) or not 0.0 <= value <= 100.0:
        raise BadUserInput(f"`{name}` must be between 0 and 100 (got {value:g}).")
    return float(value)


def validate_together_ids(caller: str, user_ids: Sequence[str]) -> list[str]:
    """The partners of a Together request: trimmed, none blank, duplicates dropped (first occurrence kept);
    with the caller at most MAX_TOGETHER_PEOPLE people, counted as the recommender does."""
    ids = [str(u).strip() for u in user_ids]
    if any(not u for u in ids):
        raise BadUserInput("`userIds` must not contain blank ids.")
    unique = list(dict.fromkeys(ids))
    if len(limits.together_group(caller, unique)) > MAX_TOGETHER_PEOPLE:
        raise BadUserInput(f"`userIds` may name at most {MAX_TOGETHER_PEOPLE - 1} partners: Together is for at most"
                           f" {MAX_TOGETHER_PEOPLE} people, you included.")
    return unique


def parse_evening_id(value: object) -> str:
    """An evening id (a UUID) from a GraphQL ID, in its canonical form."""
    try:
        return str(uuid.UUID(str(value).strip()))
    except ValueError:
        raise BadUserInput(f"Invalid evening id {str(value)[:40]!r}: expected a UUID.") from None


def parse_join_token(value: str) -> str:
    """An evening share link's token: what follows /join/ (22 URL-safe characters); a whole pasted link works."""
    token = value.strip().rstrip("/").rsplit("/", 1)[-1]
    if len(token) != 22 or not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in token):
        raise BadUserInput("That is not an evening link: ask for the link again.")
    return token


IMPORT_FILE_MAX_BYTES = limits.IMPORT_FILE_MAX_BYTES
_UPLOAD_CHUNK = 256 * 1024


class FileTooLarge(BadUserInput):
    """BAD_USER_INPUT with `extensions.limit` (as the document limits carry), `allowed` and `measured`."""

    def __init__(self, measured: int) -> None:
        super().__init__(f"The file is over {IMPORT_FILE_MAX_BYTES // 2**20} MiB, more than an import takes"
                         f" ({IMPORT_FILE_MAX_BYTES:,} bytes at most).")
        self.extensions = {"limit": "importFileBytes", "allowed": IMPORT_FILE_MAX_BYTES, "measured": measured}


async def read_import_upload(file: object) -> tuple[bytes, str]:
    """The bytes and name of an uploaded file (a starlette UploadFile from a multipart request), read
    up to IMPORT_FILE_MAX_BYTES + 1 so that a larger one is refused without holding all of it."""
    read = getattr(file, "read", None)
    if read is None:
        raise BadUserInput("Send the file as a GraphQL multipart request (the `Upload` scalar) to /graphql/upload.")
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = await read(_UPLOAD_CHUNK)
        if not chunk:
            break
        total += len(chunk)
        if total > IMPORT_FILE_MAX_BYTES:
            size = getattr(file, "size", None)
            raise FileTooLarge(size if isinstance(size, int) else total)
        chunks.append(chunk)
    if total == 0:
        raise BadUserInput("The file is empty.")
    name = str(getattr(file, "filename", "") or "")
    return b"".join(chunks), name.replace("\x00", "")[:200]


def parse_preview_id(value: object) -> str:
    text = str(value).strip()
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise BadUserInput("Invalid preview id: use the id previewImport answered.") from None
