"""The password policy beyond length (services/users/password_policy.py): not among the 10,000 most common
passwords (zxcvbn's list), not the username."""

from __future__ import annotations

import pytest

from kit.errors import InvalidArgument
from services.users.password_policy import (
    COMMON_PASSWORD,
    COMMON_PASSWORDS_COUNT,
    USERNAME_IN_PASSWORD,
    check_password_policy,
    common_passwords,
)
from services.users.passwords import validate_password


def test_the_list_is_the_10000_most_common():
    common = common_passwords()
    assert len(common) == COMMON_PASSWORDS_COUNT
    assert {"password", "12345678", "qwertyuiop", "iloveyou", "trustno1", "football"} <= common
    assert all(p == p.lower() for p in common)


@pytest.mark.parametrize("pw", ["password", "Password", "PASSWORD", "12345678", "qwertyuiop", "iloveyou",
                                "trustno1", "password1", "baseball", "sunshine", "1qaz2wsx"])
def test_common_passwords_refused(pw):
    with pytest.raises(InvalidArgument) as e:
        validate_password(pw)
    assert e.value.message == COMMON_PASSWORD == "This password is among the 10,000 most common; choose another."


@pytest.mark.parametrize("pw", ["correct horse battery staple", "pass-word-1", "bench-password", "xkcd-936-yes",
                                "Tr0ub4dor&3x", "ÉtéÀParis2026"])
def test_uncommon_passwords_accepted(pw):
    assert validate_password(pw) == pw
    assert validate_password(pw, "someone_else") == pw


@pytest.mark.parametrize("username,pw", [
    ("alice_92", "alice_92"),               # the username itself
    ("alice_92", "ALICE_92"),               # in any case
    ("alice_92", "my-alice_92-rocks"),      # contained in the password
    ("Alice_92", "xxalice_92xx"),
    ("moviebuff.forever", "moviebuff"),     # the password is part of the username
    ("moviebuff.forever", "Buff.Forever"),
])
def test_username_refused(username, pw):
    with pytest.raises(InvalidArgument) as e:
        validate_password(pw, username)
    assert e.value.message == USERNAME_IN_PASSWORD


def test_username_check_only_with_a_username():
    assert validate_password("alice_92-secret") == "alice_92-secret"  # no username given: length and list only
    check_password_policy("alice_92-secret", None)
    check_password_policy("alice_92-secret", "")


def test_length_comes_first():
    with pytest.raises(InvalidArgument, match="8-256 characters"):
        validate_password("abc", "abc")
    with pytest.raises(InvalidArgument, match="NUL"):
        validate_password("password\x00", "someone")
