"""Client idempotency keys for calls that create something (a comment, an invite).

A client makes one key per thing it means to create (the web client: a random UUID per draft) and
sends it again on every retry of that call. The service stores the key with what it created, and a
call that repeats a key answers what the first one created instead of creating it again. A key is
scoped to the signed-in user; the same key with a different request is refused, so a client bug
cannot make a retry answer with someone else's, or another, comment.
"""

from __future__ import annotations

import hashlib
import re

from kit.errors import InvalidArgument

KEY_MAX = 64
_KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")
KEY_RULE = "8-64 characters of A-Z, a-z, 0-9, '-' and '_' (a UUID fits)"


def check_key(key: str) -> str | None:
    """The key, or None for a call without one (""). Raises InvalidArgument for a malformed key."""
    if not key:
        return None
    if not _KEY.fullmatch(key):
        raise InvalidArgument(f"An idempotency key is {KEY_RULE}.")
    return key


def fingerprint(*parts: object) -> bytes:
    """SHA-256 of the request's parts, to tell a retry from a different request under the same key."""
    h = hashlib.sha256()
    for part in parts:
        data = str(part).encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.digest()


class KeyReused(InvalidArgument):
    """The same idempotency key with a different request."""

    def __init__(self, what: str) -> None:
        super().__init__(f"This idempotency key was already used for a different {what}; make a new key "
                         "for a new one.")
