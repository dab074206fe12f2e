"""Argument checks at the edge: movie ids, page size, cursors."""

from __future__ import annotations

import pytest

from services.gateway.errors import BadUserInput, ErrorCode
from services.gateway.validation import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    decode_cursor,
    encode_cursor,
    parse_movie_id,
    validate_first,
    validate_query,
)


@pytest.mark.parametrize("value,expected", [("603", 603), (" 42 ", 42), ("9223372036854775807", 2**63 - 1)])
def test_movie_ids_parse(value, expected):
    assert parse_movie_id(value) == expected


@pytest.mark.parametrize("value", ["", "abc", "12a", "-5", "0", "1.5", "１２", "9223372036854775808", "0x10"])
def test_bad_movie_ids_are_bad_user_input(value):
    with pytest.raises(BadUserInput) as e:
        parse_movie_id(value)
    assert e.value.code is ErrorCode.BAD_USER_INPUT


@pytest.mark.parametrize(
    "first,expected", [(None, DEFAULT_PAGE_SIZE), (1, 1), (20, 20), (MAX_PAGE_SIZE, MAX_PAGE_SIZE)]
)
def test_first_in_range(first, expected):
    assert validate_first(first) == expected


@pytest.mark.parametrize("first", [0, -1, -100, MAX_PAGE_SIZE + 1, 10_000])
def test_first_out_of_range_is_bad_user_input(first):
    with pytest.raises(BadUserInput):
        validate_first(first)


@pytest.mark.parametrize("token", ["", "abc", "offset:40|score:0.5", "ü/+=?&", "x" * 500])
def test_cursor_round_trips(token):
    cursor = encode_cursor(token)
    assert "=" not in cursor and "/" not in cursor and "+" not in cursor
    assert decode_cursor(cursor) == token


def test_no_cursor_is_the_first_page():
    assert decode_cursor(None) == ""


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not a cursor",
        "!!!!",
        "YWJj",  # base64 of "abc": no prefix
        encode_cursor("tok") + "=",  # padding is not part of the canonical form
        encode_cursor("tok") + "A",
        "A" * 2000,
        "//8",  # not UTF-8
    ],
)
def test_malformed_cursor_is_bad_user_input(cursor):
    with pytest.raises(BadUserInput):
        decode_cursor(cursor)


def test_query_length_is_capped():
    assert validate_query("x" * 200) == "x" * 200
    with pytest.raises(BadUserInput):
        validate_query("x" * 201)
