"""Pure parts of the users service and kit.auth: validation, tokens, page tokens, invite codes."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from kit import auth
from kit.errors import InvalidArgument
from services.users.accounts import validate_username
from services.users.comments import decode_token, encode_token, validate_body
from services.users.interactions import validate_rating, validate_zone
from services.users.movielens import ImportStats, read_ratings
from services.users.partners import normalize_code
from services.users.passwords import validate_password


@pytest.mark.parametrize("name", ["abc", "Alice_92", "a.b-c", "x" * 32])
def test_usernames_accepted(name):
    assert validate_username(name) == name


@pytest.mark.parametrize("name", ["ab", "x" * 33, "ml:1", "al ice", "émile", "a/b", ""])
def test_usernames_refused(name):
    with pytest.raises(InvalidArgument):
        validate_username(name)


@pytest.mark.parametrize("pw,ok", [("x" * 7, False), ("x" * 8, True), ("x" * 256, True), ("x" * 257, False),
                                   ("abc\x00defgh", False)])
def test_password_length(pw, ok):
    if ok:
        assert validate_password(pw) == pw
    else:
        with pytest.raises(InvalidArgument):
            validate_password(pw)


@pytest.mark.parametrize("value", [0.5, 1, 3.5, 5])
def test_ratings_accepted(value):
    assert validate_rating(value) == value


@pytest.mark.parametrize("value", [0, 0.25, 4.2, 5.5, -1, float("nan"), float("inf")])
def test_ratings_refused(value):
    with pytest.raises(InvalidArgument):
        validate_rating(value)


def test_zone_default_and_unknown():
    assert validate_zone(0) == 6  # ZONE_BROWSE
    with pytest.raises(InvalidArgument):
        validate_zone(99)


def test_comment_bodies():
    assert validate_body("<script>x</script>") == "<script>x</script>"  # stored as given
    assert validate_body("é" * 2000)
    for bad in ["", "   \n", "x" * 2001, "a\x00b"]:
        with pytest.raises(InvalidArgument):
            validate_body(bad)


def test_page_token_round_trip_and_garbage():
    at, cid = datetime(2026, 11, 25, 12, 0, 0, 123456, tzinfo=UTC), uuid.uuid4()
    assert decode_token(encode_token(at, cid)) == (at, cid)
    for bad in ["nope", "!!!", encode_token(at, cid)[:-4]]:
        with pytest.raises(InvalidArgument):
            decode_token(bad)


def test_page_token_times_outside_the_range_are_invalid():
    # Found by tests/integration/test_graphql_fuzz.py: these parse, but have no UTC time (OverflowError in the
    # query: INTERNAL); an offset inside the range is the same instant in UTC.
    cid = uuid.uuid4()
    for at in ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+00:01"]:
        token = base64.urlsafe_b64encode(f"{at}|{cid}".encode()).decode().rstrip("=")
        with pytest.raises(InvalidArgument):
            decode_token(token)
    at = datetime(2026, 11, 25, 12, 0, tzinfo=timezone(timedelta(hours=-14)))
    assert decode_token(encode_token(at, cid)) == (at, cid)
    assert decode_token(encode_token(at, cid))[0].utcoffset() == timedelta(0)


def test_invite_codes_normalised():
    assert normalize_code("abcd-efgh 23") == "ABCDEFGH23"
    for bad in ["ABCDEFGH2", "ABCDEFGH2O", "ABCDEFGH231"]:  # short, 'O' is not in the alphabet, long
        with pytest.raises(InvalidArgument):
            normalize_code(bad)


def test_access_tokens(tmp_path):
    auth.ensure_dev_secrets(tmp_path)
    priv, pub = auth.load_private_key(tmp_path), auth.load_public_key(tmp_path)
    token, exp = auth.sign_access_token(priv, "user-1", timedelta(minutes=5))
    claims = auth.verify_access_token(pub, token)
    assert claims.user_id == "user-1" and claims.expires_at == exp

    expired, _ = auth.sign_access_token(priv, "user-1", timedelta(minutes=-5))
    with pytest.raises(auth.TokenExpired):
        auth.verify_access_token(pub, expired)

    head, body, sig = token.split(".")
    tampered = f"{head}.{body}.{sig[:-2]}{'AA' if sig[-2:] != 'AA' else 'BB'}"
    with pytest.raises(auth.TokenError):
        auth.verify_access_token(pub, tampered)

    other = tmp_path / "other"
    auth.ensure_dev_secrets(other)  # a token signed by another key
    foreign, _ = auth.sign_access_token(auth.load_private_key(other), "user-1", timedelta(minutes=5))
    with pytest.raises(auth.TokenError):
        auth.verify_access_token(pub, foreign)


def _b64(data: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_unsigned_and_algorithm_confusion_tokens_refused(tmp_path):
    """`alg: none`, and the classic confusion attack: HS256 keyed with the (public) verification key."""
    import hashlib
    import hmac
    import json

    import jwt

    auth.ensure_dev_secrets(tmp_path)
    pub = auth.load_public_key(tmp_path)
    now = int(datetime.now(UTC).timestamp())
    claims = {"sub": "u", "aud": auth.ACCESS_AUDIENCE, "iss": auth.ISSUER, "iat": now, "exp": now + 60}
    signing_input = f"{_b64(json.dumps({'alg': 'HS256', 'typ': 'JWT'}).encode())}.{_b64(json.dumps(claims).encode())}"
    pem = (tmp_path / auth.PUBLIC_KEY_FILE).read_bytes()
    forged = f"{signing_input}.{_b64(hmac.new(pem, signing_input.encode(), hashlib.sha256).digest())}"
    for token in (jwt.encode(claims, None, algorithm="none"), forged):
        with pytest.raises(auth.TokenError):
            auth.verify_access_token(pub, token)


def test_secrets_created_once_and_private(tmp_path):
    auth.ensure_dev_secrets(tmp_path)
    first = auth.load_internal_token(tmp_path)
    auth.ensure_dev_secrets(tmp_path)
    assert auth.load_internal_token(tmp_path) == first
    assert (tmp_path / auth.PRIVATE_KEY_FILE).stat().st_mode & 0o077 == 0


def test_movielens_reader_keeps_latest_per_film_and_counts(tmp_path):
    f = tmp_path / "ratings.csv"
    f.write_text("userId,movieId,rating,timestamp\n1,10,4.0,100\n1,11,2.0,200\n1,12,3.0,50\n"
                 "2,10,9,1\n2,x,3,1\n2,99,3.5,5\n")
    stats = ImportStats()
    out = read_ratings(f, {10: 500, 11: 500, 12: 600}, stats)  # 10 and 11 are one TMDb film
    assert out == {("ml:1", 500): (2.0, 200), ("ml:1", 600): (3.0, 50)}
    assert (stats.ratings_read, stats.bad_rows, stats.ratings_unmapped) == (6, 2, 1)
