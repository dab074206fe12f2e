"""Malformed requests get a coded answer and one log line, never a 500 and a traceback.

Each case ran into an exception inside strawberry before (HTTP 500, a 110-line traceback from uvicorn) or
reached a backend with a string it cannot store (INTERNAL). No backend runs here: the app has no
resources, so anything that got as far as a resolver would answer UNAVAILABLE instead of the codes below.
httpx's ASGITransport re-raises an exception the app lets escape, so a 500 fails the test by itself.
"""

from __future__ import annotations

import io
import json
import logging

import httpx
import pytest
import structlog

from kit.config import Settings
from services.gateway.app import create_app
from services.gateway.config import GatewayConfig
from services.gateway.input_checks import invalid_variable
from services.gateway.request_body import json_depth

JSON = {"content-type": "application/json"}
SEARCH = "query($q: String!) { searchMovies(query: $q) { totalCount } }"


def settings() -> Settings:
    # Ports nothing listens on: nothing below may connect anywhere.
    return Settings(catalog_addr="127.0.0.1:1", redis_url="redis://127.0.0.1:1/0", nats_url="nats://127.0.0.1:1")


def nested(depth: int, leaf: bytes = b"1") -> bytes:
    return b'{"a":' * depth + leaf + b"}" * depth


def body_with_variables(raw_variables: bytes, query: str = "{ __typename }") -> bytes:
    return b'{"query":' + json.dumps(query).encode() + b',"variables":' + raw_variables + b"}"


@pytest.fixture
def log_lines(caplog: pytest.LogCaptureFixture):
    """What the gateway logs, rendered as kit.logging renders it (one JSON object per line), at DEBUG.
    Returns a function that gives the lines written since it was last called."""
    buf = io.StringIO()
    previous = structlog.get_config()
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG),
        logger_factory=structlog.PrintLoggerFactory(file=buf),
        cache_logger_on_first_use=False,
    )
    caplog.set_level(logging.DEBUG)

    def take() -> list[str]:
        text = buf.getvalue()
        buf.seek(0)
        buf.truncate()
        # stdlib logging (uvicorn, asyncio, strawberry's own error logger) must not have logged a traceback
        assert not any(r.exc_info for r in caplog.records), caplog.text
        assert "Traceback" not in caplog.text and "Traceback" not in text, text or caplog.text
        caplog.clear()
        return text.splitlines()

    try:
        yield take
    finally:
        structlog.configure(**previous)


@pytest.fixture
async def client():
    app = create_app(settings(), GatewayConfig())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as c:
        yield c


REFUSED_BODIES = {
    # (body, headers) -> the message's beginning; every one is HTTP 400, BAD_USER_INPUT
    "a JSON string": (b'"{ __typename }"', JSON, "The request body must be a JSON object"),
    "a JSON number": (b"42", JSON, "The request body must be a JSON object"),
    "JSON null": (b"null", JSON, "The request body must be a JSON object"),
    "JSON true": (b"true", JSON, "The request body must be a JSON object"),
    "invalid UTF-8": (b'{"query":"{ __typename }","x":"\xff\xfe"}', JSON, "The request body is not valid UTF-8"),
    "UTF-16": ('{"query":"{ __typename }"}'.encode("utf-16"), JSON, "The request body is not valid UTF-8"),
    "truncated JSON": (b'{"query":', JSON, "The request body is not valid JSON"),
    "NaN": (body_with_variables(b'{"x":NaN}'), JSON, "The request body is not valid JSON: NaN"),
    "a 5,000-digit number": (body_with_variables(b'{"x":' + b"9" * 5000 + b"}"), JSON,
                             "The request body holds a number"),
    "an empty body": (b"", JSON, "The request body is empty"),
    "a blank body": (b" \r\n", JSON, "The request body is empty"),
    "variables 1,000 deep": (body_with_variables(b'{"f":' + nested(1000) + b"}", "query($f: MovieFilter) "
                                                 "{ searchMovies(query: \"\", filter: $f) { totalCount } }"),
                             JSON, "The request body is nested too deeply"),
    "variables 30,000 deep": (body_with_variables(b"[" * 30_000 + b"]" * 30_000), JSON,  # within 64 KiB
                               "The request body is nested too deeply"),
    "variables 17 deep": (body_with_variables(b'{"f":' + nested(15) + b"}"), JSON,
                          "The request body is nested too deeply (at most 16 levels)"),
    "a batch (JSON list)": (b'[{"query":"{ __typename }"}]', JSON, "Batching is not enabled"),
    "no content type": (b'{"query":"{ __typename }"}', {}, "Unsupported content type"),
    "text/plain": (b'{"query":"{ __typename }"}', {"content-type": "text/plain"}, "Unsupported content type"),
    "a form": (b"query=%7B__typename%7D", {"content-type": "application/x-www-form-urlencoded"},
               "Unsupported content type"),
    "variables a list": (body_with_variables(b"[1]"), JSON, "The GraphQL operation's `variables` must be an object"),
    "query a number": (b'{"query":1}', JSON, "The GraphQL operation's `query` must be a string"),
    "no query": (b"{}", JSON, "No GraphQL query found"),
}


@pytest.mark.parametrize("case", list(REFUSED_BODIES))
async def test_malformed_bodies_are_400_with_a_code_and_one_log_line(case, client, log_lines):
    body, headers, message = REFUSED_BODIES[case]
    log_lines()
    r = await client.post("/graphql", content=body, headers=headers)
    assert r.status_code == 400, r.text
    assert r.headers["content-type"] == "application/json"
    [error] = r.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].startswith(message), error["message"]
    [line] = log_lines()
    entry = json.loads(line)
    assert entry["event"] == "graphql_request_refused" and entry["status"] == 400, entry


async def test_nesting_within_the_limit_reaches_graphql(client, log_lines):
    # 16 levels in all ({"query", "variables": {"f": ...}}): parsed, then refused by GraphQL as the wrong type
    query = 'query($f: MovieFilter) { searchMovies(query: "", filter: $f) { totalCount } }'
    r = await client.post("/graphql", headers=JSON, content=body_with_variables(b'{"f":' + nested(14) + b"}", query))
    assert r.status_code == 200, r.text
    assert [e["extensions"]["code"] for e in r.json()["errors"]] == ["BAD_USER_INPUT"]
    assert len(log_lines()) == 1


GET_CASES = {
    # what -> (query string; `query={__typename}` is added when it has none), status, code
    "variables not JSON": ("variables=%7Bbad", 400, "BAD_USER_INPUT"),
    "variables a list": ("variables=%5B1%5D", 400, "BAD_USER_INPUT"),
    "variables 5,000 deep": ("variables=" + "%5B" * 5000 + "%5D" * 5000, 400, "BAD_USER_INPUT"),
    "extensions not JSON": ("extensions=nope", 400, "BAD_USER_INPUT"),
    "a mutation": ("query=mutation%7Blogout%7D", 400, "BAD_USER_INPUT"),
    "an empty query": ("query=", 400, "BAD_USER_INPUT"),
    # invalid UTF-8 in the URL is decoded as U+FFFD, which is no GraphQL
    "invalid UTF-8": ("query=%ff%fe", 200, "GRAPHQL_PARSE_FAILED"),
    "a truncated query": ("query=%7B%20movie(id%3A%20", 200, "GRAPHQL_PARSE_FAILED"),
    "a lone surrogate in a variable": ("query=query(%24q%3A%20String!)%7BsearchMovies(query%3A%24q)%7BtotalCount%7D%7D"
                                       "&variables=%7B%22q%22%3A%22%5Cud800%22%7D", 200, "BAD_USER_INPUT"),
}


@pytest.mark.parametrize("case", list(GET_CASES))
async def test_malformed_get_requests(case, client, log_lines):
    params, status, code = GET_CASES[case]
    if not params.startswith("query="):
        params = "query=%7B__typename%7D&" + params
    log_lines()
    r = await client.get(f"/graphql?{params}", headers={"accept": "application/json"})
    assert r.status_code == status, r.text
    assert [e["extensions"]["code"] for e in r.json()["errors"]] == [code]
    assert len(log_lines()) == 1


STRING_CASES = {
    # a variable or a literal that no backend could store: refused before any resolver runs
    "a lone high surrogate": (SEARCH, b'{"q":"abc\\ud800"}', "$q"),
    "a lone low surrogate": (SEARCH, b'{"q":"\\udc00"}', "$q"),
    "NUL": (SEARCH, b'{"q":"a\\u0000b"}', "$q"),
    "NUL in a list inside an input object": (
        'query($f: MovieFilter) { searchMovies(query: "x", filter: $f) { totalCount } }',
        b'{"f":{"genres":["Drama","Com\\u0000edy"]}}', "$f.genres[1]"),
    "NUL in a password": ('mutation($p: String!) { register(username: "someone", password: $p) { accessToken } }',
                          b'{"p":"password\\u0000123"}', "$p"),
    "a surrogate in an object key": ('query($f: MovieFilter) { searchMovies(query: "x", filter: $f) { totalCount } }',
                                     b'{"f":{"\\ud800":1}}', "a key of $f"),
    "NUL in a literal": ('{ searchMovies(query: "a\\u0000b") { totalCount } }', b"{}", "literal"),
    "NUL in a literal, braced escape": ('{ searchMovies(query: "\\u{0}") { totalCount } }', b"{}", "literal"),
    "NUL in a variable's default": ('query($q: String = "\\u0000") { searchMovies(query: $q) { totalCount } }',
                                    b"{}", "literal"),
}


@pytest.mark.parametrize("case", list(STRING_CASES))
async def test_invalid_strings_are_bad_user_input(case, client, log_lines):
    query, variables, where = STRING_CASES[case]
    log_lines()
    r = await client.post("/graphql", headers=JSON, content=body_with_variables(variables, query))
    assert r.status_code == 200, r.text
    [error] = r.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert where in error["message"] and "NUL characters and unpaired surrogates" in error["message"]
    assert "\\u" not in error["message"] and "\x00" not in error["message"]  # the value is not echoed
    [line] = log_lines()
    assert json.loads(line)["event"] == "graphql_error"


async def test_a_lone_surrogate_in_a_literal_is_a_parse_error(client, log_lines):
    # The document is JSON-decoded to a string holding U+D800; GraphQL's lexer refuses it.
    log_lines()
    body = b'{"query":"{ searchMovies(query: \\"\\ud800\\") { totalCount } }"}'
    r = await client.post("/graphql", headers=JSON, content=body)
    assert [e["extensions"]["code"] for e in r.json()["errors"]] == ["GRAPHQL_PARSE_FAILED"]
    assert len(log_lines()) == 1


async def test_valid_strings_pass(client):
    # A surrogate pair is one astral character after JSON decoding; tabs, newlines and accents are fine.
    r = await client.post("/graphql", headers=JSON, content=body_with_variables(
        b'{"q":"\\ud83c\\udfac Am\\u00e9lie\\t\\n"}', 'query($q: String!) { searchMovies(query: $q) { totalCount } }'))
    assert [e["extensions"]["code"] for e in r.json()["errors"]] == ["UNAVAILABLE"]  # got as far as the resolver
    r = await client.post("/graphql", headers=JSON, content=b'{"query":"{ __typename }"}')
    assert r.json() == {"data": {"__typename": "Query"}}
    r = await client.post("/graphql", headers={"content-type": "application/json; charset=utf-8"},
                          content=b'{"query":"{ __typename }","variables":null,"extensions":{}}')
    assert r.json() == {"data": {"__typename": "Query"}}


def test_json_depth():
    assert json_depth(1, 16) == 0
    assert json_depth([], 16) == 1
    assert json_depth({"query": "x", "variables": {"f": {"genres": ["a"]}}}, 16) == 4
    deep: list = []
    for _ in range(5000):
        deep = [deep]
    assert json_depth(deep, 16) == 17  # stops at the limit, no recursion


def test_invalid_variable_paths():
    assert invalid_variable(None) is None
    assert invalid_variable({"q": "fine", "f": {"genres": ["Drama"]}, "n": 3}) is None
    assert invalid_variable({"q": "fine", "f": {"genres": ["Drama", "\x00"]}}) == "$f.genres[1]"
    assert invalid_variable({"\ud800": 1}) == "a variable name"
