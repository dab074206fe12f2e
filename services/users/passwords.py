"""argon2id password hashing, off the event loop and bounded (each hash holds 64 MiB)."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from kit.errors import InvalidArgument
from services.users.config import UsersConfig
from services.users.hash_slots import HashSlots
from services.users.password_policy import check_password_policy, common_passwords

PASSWORD_MIN, PASSWORD_MAX = 8, 256


def validate_password(password: str, username: str | None = None) -> str:
    """A new password: 8-256 characters, no NUL, not among the 10,000 most common, and not the username
    (contained in it or containing it) when that is given (password_policy.py)."""
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise InvalidArgument(f"Password must be {PASSWORD_MIN}-{PASSWORD_MAX} characters.")
    if "\x00" in password:
        raise InvalidArgument("Password must not contain NUL characters.")
    check_password_policy(password, username)
    return password


class Passwords:
    def __init__(self, config: UsersConfig) -> None:
        self._ph = PasswordHasher(
            time_cost=config.argon2_time_cost, memory_cost=config.argon2_memory_kib,
            parallelism=config.argon2_parallelism,
        )
        # At most hash_concurrency at once, fairly shared between clients (hash_slots.py).
        self._slots = HashSlots(config.hash_concurrency, config.hash_queue_max, config.hash_max_per_client)
        # Verified against when the account does not exist (or cannot log in), so that a failed
        # login costs the same time either way and timing does not tell whether the name exists.
        self._dummy = self._ph.hash("not a password of anybody")
        common_passwords()  # load the list at start, not on the first registration

    async def hash(self, password: str, client: str) -> str:
        """`client`: whose share of the hash slots this takes (the client address, or "user:<id>")."""
        async with self._slots.slot(client):
            return await asyncio.to_thread(self._ph.hash, password)

    async def verify(self, stored: str | None, password: str, client: str) -> bool:
        """True when `password` matches `stored`; None (no password) runs a dummy check, then False."""
        async with self._slots.slot(client):
            return await asyncio.to_thread(self._verify, stored, password)

    def _verify(self, stored: str | None, password: str) -> bool:
        try:
            return self._ph.verify(stored or self._dummy, password) and stored is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored: str) -> bool:
        return self._ph.check_needs_rehash(stored)
