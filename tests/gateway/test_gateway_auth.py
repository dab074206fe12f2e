"""The caller's identity: the Authorization header, access tokens verified with a real key pair
(kit.auth.ensure_dev_secrets in a temporary folder), and the context's once-per-request check."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from kit.auth import (
    TokenError,
    TokenExpired,
    ensure_dev_secrets,
    load_private_key,
    load_public_key,
    sign_access_token,
    verify_access_token,
)
from services.gateway import auth as auth_module
from services.gateway.auth import (
    AUTH_REQUIRED_MESSAGE,
    BAD_HEADER_MESSAGE,
    VerifiedTokens,
    authenticate,
    bearer_token,
)
from services.gateway.context import GatewayContext
from services.gateway.errors import ErrorCode, Unauthenticated, Unavailable

USER = "6f1c2b9e-5d4a-4c3b-9a8e-7f6d5c4b3a21"


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    secrets = tmp_path_factory.mktemp("secrets")
    ensure_dev_secrets(secrets)
    return load_private_key(secrets), load_public_key(secrets)


@pytest.fixture(scope="module")
def other_keys(tmp_path_factory):
    secrets = tmp_path_factory.mktemp("other-secrets")
    ensure_dev_secrets(secrets)
    return load_private_key(secrets), load_public_key(secrets)


def tampered(token: str) -> str:
    """The token with one character of its signature changed."""
    i = len(token) - 5
    return token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]


# ---------------------------------------------------------------- the header


@pytest.mark.parametrize("header", [None, "", "   "])
def test_no_header_is_no_token(header):
    assert bearer_token(header) is None


@pytest.mark.parametrize(
    "header,token",
    [("Bearer abc.def.ghi", "abc.def.ghi"), ("bearer abc", "abc"), ("BEARER   abc  ", "abc"), ("Bearer\tabc", "abc")],
)
def test_bearer_tokens_parse(header, token):
    assert bearer_token(header) == token


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer a b", "abc.def.ghi", "Token abc"])
def test_other_headers_are_unauthenticated(header):
    with pytest.raises(Unauthenticated) as e:
        bearer_token(header)
    assert e.value.code is ErrorCode.UNAUTHENTICATED and e.value.message == BAD_HEADER_MESSAGE


# ---------------------------------------------------------------- tokens


def test_a_valid_token_names_its_user(keys):
    private, public = keys
    token, _ = sign_access_token(private, USER, timedelta(minutes=15))
    assert authenticate(public, f"Bearer {token}") == USER


def test_no_token_is_authentication_required(keys):
    with pytest.raises(Unauthenticated) as e:
        authenticate(keys[1], None)
    assert e.value.message == AUTH_REQUIRED_MESSAGE == "Authentication required."


def test_an_expired_token_says_so(keys):
    private, public = keys
    token, _ = sign_access_token(private, USER, timedelta(minutes=-5))
    with pytest.raises(Unauthenticated) as e:
        authenticate(public, f"Bearer {token}")
    assert e.value.message == "Access token expired; refresh it."


def test_tampered_or_foreign_tokens_are_invalid(keys, other_keys):
    private, public = keys
    token, _ = sign_access_token(private, USER, timedelta(minutes=15))
    foreign, _ = sign_access_token(other_keys[0], USER, timedelta(minutes=15))
    for bad in (tampered(token), foreign, "not-a-jwt", "x" * 5000):
        with pytest.raises(Unauthenticated) as e:
            authenticate(public, f"Bearer {bad}")
        assert e.value.message == "Invalid access token."


def test_a_token_before_the_key_is_loaded_is_unavailable(keys):
    token, _ = sign_access_token(keys[0], USER, timedelta(minutes=15))
    with pytest.raises(Unavailable):
        authenticate(None, f"Bearer {token}")
    with pytest.raises(Unauthenticated):  # without a token, still: authentication required
        authenticate(None, None)


# ---------------------------------------------------------------- the context


class NoCatalog:
    """Never called: these tests read no films."""


def test_context_verifies_once_and_remembers_the_outcome(keys):
    private, public = keys
    token, _ = sign_access_token(private, USER, timedelta(minutes=15))
    ctx = GatewayContext(NoCatalog(), public_key=public, authorization=f"Bearer {token}")
    assert ctx.require_user() == ctx.require_user() == USER

    expired, _ = sign_access_token(private, USER, timedelta(minutes=-5))
    ctx = GatewayContext(NoCatalog(), public_key=public, authorization=f"Bearer {expired}")
    errors = []
    for _ in range(2):
        with pytest.raises(Unauthenticated) as e:
            ctx.require_user()
        errors.append(e.value)
    assert errors[0] is not errors[1]  # a fresh error for every field that needs the user
    assert {err.message for err in errors} == {"Access token expired; refresh it."}


# ---------------------------------------------------------------- tokens already verified


def test_a_verified_token_is_kept_and_answers_the_same_claims(keys):
    private, public = keys
    cache = VerifiedTokens()
    token, expires = sign_access_token(private, USER, timedelta(minutes=5))
    first = cache.verify(public, token)
    assert len(cache) == 1
    again = cache.verify(public, token)
    assert again == first == verify_access_token(public, token)
    assert again.user_id == USER and again.expires_at == expires


def test_forged_and_expired_tokens_are_refused_and_never_kept(keys, other_keys):
    private, public = keys
    cache = VerifiedTokens()
    good, _ = sign_access_token(private, USER, timedelta(minutes=5))
    for bad in (tampered(good), sign_access_token(other_keys[0], USER, timedelta(minutes=5))[0], "not-a-jwt"):
        with pytest.raises(TokenError):
            cache.verify(public, bad)
    old, _ = sign_access_token(private, USER, timedelta(seconds=-60))
    with pytest.raises(TokenExpired):
        cache.verify(public, old)
    assert len(cache) == 0


def test_a_kept_token_expires_on_time(keys, monkeypatch):
    private, public = keys
    monkeypatch.setattr(auth_module, "EXPIRY_LEEWAY_S", 0.0)
    cache = VerifiedTokens()
    token, expires = sign_access_token(private, USER, timedelta(seconds=2))
    assert cache.verify(public, token).user_id == USER  # kept
    time.sleep(max(0.0, expires.timestamp() - time.time()) + 0.2)
    with pytest.raises(TokenExpired):
        cache.verify(public, token)
    assert len(cache) == 0


def test_another_key_verifies_again_and_the_kept_tokens_are_dropped(keys, other_keys):
    private, public = keys
    cache = VerifiedTokens()
    token, _ = sign_access_token(private, USER, timedelta(minutes=5))
    cache.verify(public, token)
    with pytest.raises(TokenError):  # not the kept claims: the other key does not verify this signature
        cache.verify(other_keys[1], token)
    assert len(cache) == 0


def test_the_kept_tokens_are_bounded_least_recently_used_first(keys):
    private, public = keys
    cache = VerifiedTokens(max_size=2)
    a, b, c = (sign_access_token(private, f"user-{i}", timedelta(minutes=5))[0] for i in range(3))
    cache.verify(public, a)
    cache.verify(public, b)
    cache.verify(public, a)  # a used last: b goes first
    cache.verify(public, c)
    assert len(cache) == 2 and set(cache._claims) == {a, c}
