"""What a new password may not be, beyond its length (passwords.validate_password): one of the 10,000
most common passwords, or the account's username (contained in it, or containing it).

The list is the head of zxcvbn's `passwords` frequency list (the `zxcvbn` package, MIT: the most
frequent passwords of a leaked-password corpus, ranked, lower case), so it is pinned with the other
dependencies instead of being a file kept by hand here. The comparison is case-insensitive: `Password1`
is `password1`. 3,395 of the 10,000 are 8 characters or more; the shorter ones already fail the length
rule. Passwords chosen before this policy keep working: it applies to registration and password changes.
"""

from __future__ import annotations

from functools import cache

from kit.errors import InvalidArgument

COMMON_PASSWORDS_COUNT = 10_000
COMMON_PASSWORD = "This password is among the 10,000 most common; choose another."
USERNAME_IN_PASSWORD = "This password contains your username, or is part of it; choose another."


@cache
def common_passwords() -> frozenset[str]:
    """The 10,000 most common passwords, lower case (loaded once: about 0.15 s and 12 MB with zxcvbn's lists)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    ranked = FREQUENCY_LISTS["passwords"][:COMMON_PASSWORDS_COUNT]
    if len(ranked) < COMMON_PASSWORDS_COUNT:  # a zxcvbn release with a shorter list: fail loudly, not weaker
        raise RuntimeError(f"zxcvbn ships {len(ranked)} passwords, fewer than {COMMON_PASSWORDS_COUNT}")
    return frozenset(p.lower() for p in ranked)


def is_common(password: str) -> bool:
    return password.lower() in common_passwords()


def check_password_policy(password: str, username: str | None = None) -> None:
    """InvalidArgument (BAD_USER_INPUT through GraphQL) when `password` is common or is about `username`."""
    if username:
        name, lowered = username.lower(), password.lower()
        if name in lowered or lowered in name:
            raise InvalidArgument(USERNAME_IN_PASSWORD)
    if is_common(password):
        raise InvalidArgument(COMMON_PASSWORD)
