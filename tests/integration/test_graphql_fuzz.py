"""Schema-driven fuzzing of the real gateway (docs/security.md, "Fuzzing").

Documents are generated from the gateway's own schema (exported in-process, as `make web-client` does)
by hypothesis-graphql: valid queries and mutations with random literal arguments, and documents with one
schema violation each. A third kind turns every argument of a document for one root field (nested ones
included) into a variable and sends odd JSON values for them: NUL, lone surrogates, odd unicode, huge
integers, page sizes out of range, empty ids, enum names that do not exist, wrong types, unknown input
fields, `after` cursors forged in the shape the backends issue. Half the cases carry the bearer token of
a user registered for this run only (deleted at the end).

Per case: the HTTP status is 200 or 400, the body is JSON, no traceback text, every error has a code of
`ErrorCode` and none is INTERNAL. After the run: no line at error or critical (and no traceback) in the
logs of the gateway and the services written during the run.

Bounded: a fixed seed (derandomize), MAX_EXAMPLES cases, no example database, no shrinking (problems
are collected and reported together at the end instead of failing the first case).
"""

from __future__ import annotations

import base64
import functools
import json
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import graphql
import httpx
import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, mutations, queries

from services.gateway.errors import ErrorCode
from services.gateway.export_schema import sdl
from services.gateway.validation import encode_cursor

MAX_EXAMPLES = 1200
MAX_BODY = 60_000  # under the gateway's 64 KiB (413 above it, tested in tests/gateway/test_gateway_malformed.py)
SERVICES = ("gateway", "catalog", "users", "recommender", "embedder")
PASSWORD = "fuzz-pass-word-1"
REAL_IDS = ("238", "603", "550", "680", "27205")  # films of the catalogue, so resolvers get past NOT_FOUND
CODES = {c.value for c in ErrorCode} - {ErrorCode.INTERNAL.value}

SCHEMA = graphql.build_schema(sdl())
PAGED = ("searchMovies", "movie")  # cursors: searchMovies(after:), Movie.comments(after:)
ROOT_FIELDS = [(op, name, field) for op, root in (("query", SCHEMA.query_type), ("mutation", SCHEMA.mutation_type))
               for name, field in root.fields.items()]

# ---------------------------------------------------------------- odd JSON values for variables

ODD_STRINGS = st.sampled_from([
    "", " ", "\x00", "a\x00b", "\ud800", "x\udfffy", "\u202e238", "\ufeff238", "\U0001f3ac", "e\u0301", "\uffff",
    "\u0000\u0000", "%s%n%x", "' OR 1=1 --", "../../etc/passwd", "${jndi:ldap://x}", "<script>", "null", "-1",
    "0", "1e9", "9" * 40, "１２３", "238 ", " 238", "238\n", "0x10", "NaN", "Infinity",
])
WORDS = st.sampled_from([
    "godfather", "jurasic park", "amelie", "a slow sad film about trains at night", "Kubrick", "love",
    "no horror please", "funny but not stupid, short", "l'été", "東京物語", "ðŸ˜€", "مرحبا",
])
TEXT = st.one_of(
    ODD_STRINGS,
    WORDS,
    st.text(st.characters(codec=None), max_size=30),  # any code point, lone surrogates included
    st.text(st.characters(codec="utf-8"), min_size=400, max_size=1200),
)
INTS = st.one_of(
    st.integers(min_value=1, max_value=100),  # page sizes that pass, so the resolvers run
    st.sampled_from([-1, 0, 1, 100, 101, 2**31 - 1, 2**31, -(2**31) - 1, 2**53 + 1, 2**63, 10**30, 10**400]),
    st.integers(min_value=-(2**31), max_value=2**31 - 1),
    st.integers(),
)
FLOATS = st.one_of(st.sampled_from([0.5, 1.0, 2.5, 4.5, 5.0]), st.floats(min_value=0, max_value=10),
                   st.floats(allow_nan=False, allow_infinity=False),
                   st.sampled_from([1e308, -1e308, -0.0, 5e-324, 0.0, 5.5, 4.25, 100.0, 101.0, -1.0]))
IDS = st.one_of(st.sampled_from(REAL_IDS), st.sampled_from(REAL_IDS), TEXT, INTS)
ANY_JSON = st.recursive(st.none() | st.booleans() | INTS | FLOATS | TEXT,
                        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                        max_leaves=8)


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# `after` cursors that decode: the gateway's shape around the tokens the catalogue and the users service
# issue (catalogue: base64 JSON {k: sort key, i: film id, f: fingerprint}; comments: base64 "<iso time>|<uuid>"),
# with keys, ids and times out of every range.
HUGE = st.sampled_from([10**400, -(10**400), 2**63, 2**64, 1e308, -1e308])
CATALOG_TOKENS = st.builds(
    lambda k, i, f: b64(json.dumps({"k": k, "i": i, "f": f}).encode()),
    st.one_of(HUGE, INTS, FLOATS, TEXT, st.none()), st.one_of(st.integers(1, 10**6), INTS, HUGE, TEXT), TEXT)
OFFSETS = st.integers(min_value=-1439, max_value=1439).map(lambda m: timezone(timedelta(minutes=m)))
TIMES = st.one_of(
    st.datetimes(timezones=OFFSETS).map(datetime.isoformat),
    st.sampled_from(["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+00:00",
                     "9999-12-31T23:59:59.999999+00:00", "2020-01-01", "2020-01-01T00:00:00"]),
    TEXT)
UUIDS = st.one_of(st.uuids().map(str), st.sampled_from(["00000000-0000-0000-0000-000000000000", "x", ""]), TEXT)
COMMENT_TOKENS = st.builds(lambda t, u: b64(f"{t}|{u}".encode("utf-8", "surrogatepass")), TIMES, UUIDS)
CURSORS = st.one_of(CATALOG_TOKENS.map(encode_cursor), COMMENT_TOKENS, COMMENT_TOKENS.map(encode_cursor),
                    CATALOG_TOKENS)


@functools.cache
def json_value(type_: graphql.GraphQLInputType, name: str = "") -> st.SearchStrategy:
    """Values for a variable of `type_` (for an argument called `name`): mostly of its shape with odd
    contents, sometimes of another."""
    nullable = not isinstance(type_, graphql.GraphQLNonNull)
    inner = type_ if nullable else type_.of_type
    if isinstance(inner, graphql.GraphQLList):
        shaped = st.one_of(st.lists(json_value(inner.of_type), max_size=5),
                           st.lists(st.sampled_from(REAL_IDS) | INTS, min_size=150, max_size=300))
    elif isinstance(inner, graphql.GraphQLInputObjectType):
        fields = {field_name: json_value(f.type, field_name) for field_name, f in inner.fields.items()}
        shaped = st.fixed_dictionaries({}, optional={**fields, "bogus": ANY_JSON})
    elif isinstance(inner, graphql.GraphQLEnumType):
        shaped = st.sampled_from(list(inner.values)) | st.sampled_from(
            ["", "browse", "BROWSE ", "Browse", "__typename", "null", "RELEVANCE\x00", "0"]) | TEXT
    elif name == "after":
        shaped = CURSORS
    else:
        shaped = {"Int": INTS, "Float": FLOATS, "ID": IDS, "String": TEXT, "Boolean": st.booleans()}.get(
            inner.name, TEXT)
    shaped = st.one_of(shaped, shaped, shaped, shaped, ANY_JSON)  # one in five: any JSON value, of any type
    return shaped | st.none() if nullable else shaped


class _Variables(graphql.Visitor):
    """Replaces every argument of a document (root fields and nested ones) by a variable of the argument's
    declared type, except `drop` (left out: required ones are refused, optional ones take their default)."""

    def __init__(self, type_info: graphql.TypeInfo, drop: int) -> None:
        super().__init__()
        self.type_info, self.drop, self.seen = type_info, drop, 0
        self.declared: list[tuple[str, graphql.GraphQLArgument]] = []

    def enter_argument(self, node: graphql.ArgumentNode, *_: object) -> object:
        arg, index = self.type_info.get_argument(), self.seen
        self.seen += 1
        if arg is None:
            return None
        if index == self.drop:
            return graphql.REMOVE
        var = f"{node.name.value}{len(self.declared)}"
        self.declared.append((var, arg))
        return graphql.ArgumentNode(name=node.name, value=graphql.VariableNode(name=graphql.NameNode(value=var)))


# `Upload` (previewImport's file) travels as a multipart part, never inside a JSON document: written in one
# it is a string or null, which the gateway must refuse with a code like any other bad value.
SCALARS = {"Upload": st.sampled_from([graphql.NullValueNode(), graphql.StringValueNode(value="file.csv"),
                                      graphql.IntValueNode(value="0")])}


@st.composite
def with_variables(draw, names: tuple[str, ...] | None = None) -> tuple[str, dict]:
    """One root field (of `names`), its arguments and those of the fields under it as variables, with odd
    values."""
    op, name, _ = draw(st.sampled_from([f for f in ROOT_FIELDS if names is None or f[1] in names]))
    generated = graphql.parse(draw((queries if op == "query" else mutations)(SCHEMA, fields=[name],
                                                                             custom_scalars=SCALARS)))
    type_info = graphql.TypeInfo(SCHEMA)
    # Hypothesis favours 0: it means none left out (-1) and none unsent.
    visitor = _Variables(type_info, drop=draw(st.integers(0, 8)) - 1)
    document = graphql.visit(generated, graphql.TypeInfoVisitor(type_info, visitor))
    unsent = draw(st.integers(0, 8)) - 1  # this one is declared but not sent
    variables = {var: draw(json_value(arg.type, var.rstrip("0123456789")))
                 for i, (var, arg) in enumerate(visitor.declared) if i != unsent}
    declared = ", ".join(f"${var}: {arg.type}" for var, arg in visitor.declared)
    head = f"{op} Fuzz({declared})" if declared else op
    return f"{head} {graphql.print_ast(document.definitions[0].selection_set)}", variables


DOCUMENTS = st.one_of(
    queries(SCHEMA, custom_scalars=SCALARS).map(lambda d: (d, {})),
    mutations(SCHEMA, custom_scalars=SCALARS).map(lambda d: (d, {})),
    queries(SCHEMA, mode=Mode.NEGATIVE, custom_scalars=SCALARS).map(lambda d: (d, {})),
    mutations(SCHEMA, mode=Mode.NEGATIVE, custom_scalars=SCALARS).map(lambda d: (d, {})),
    with_variables(),
    with_variables(PAGED),
)

# ---------------------------------------------------------------- checks


def problems_of(response: httpx.Response) -> list[str]:
    """What is wrong with one answer (empty: nothing)."""
    found = []
    if response.status_code not in (200, 400):
        found.append(f"HTTP {response.status_code}")
    text = response.text
    if "Traceback" in text or 'File "' in text:
        found.append("traceback text in the body")
    try:
        body = response.json()
    except ValueError:
        return [*found, f"not JSON: {text[:200]!r}"]
    if not isinstance(body, dict) or not ({"data", "errors"} & body.keys()):
        return [*found, f"not a GraphQL response: {text[:200]!r}"]
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        if code not in CODES:
            found.append(f"error code {code!r}: {error.get('message')!r} at {error.get('path')}")
    return found


def bad_log_lines(text: str) -> list[str]:
    """Lines at error or critical, and traceback text, in a service's log (JSON lines from kit.logging;
    uvicorn and the standard library's loggers write plain text, tracebacks included)."""
    bad = []
    for line in text.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if isinstance(record, dict):
            if str(record.get("level", "")).lower() in ("error", "critical", "exception"):
                bad.append(line[:1500])
        elif "Traceback" in line or line.startswith("Exception in") or line.lstrip().startswith('File "'):
            bad.append(line[:500])
    return bad


def log_sizes(stack) -> dict[str, int]:
    return {name: (stack.logfile(name).stat().st_size if stack.logfile(name).exists() else 0) for name in SERVICES}


def written_since(path: Path, offset: int) -> str:
    if not path.exists():
        return ""
    with open(path, "rb") as f:
        f.seek(offset)
        return f.read().decode("utf-8", "replace")


# ---------------------------------------------------------------- the run


@pytest.mark.slow
def test_generated_documents_get_coded_answers_and_log_no_errors(stack):
    client = httpx.Client(base_url=f"http://127.0.0.1:{stack.ports['gateway']}", timeout=30)
    username = f"fuzz{uuid.uuid4().hex[:12]}"
    register = client.post("/graphql", json={
        "query": "mutation($u: String!, $p: String!) { register(username: $u, password: $p) { accessToken } }",
        "variables": {"u": username, "p": PASSWORD}}).json()
    token = register["data"]["register"]["accessToken"]
    offsets = log_sizes(stack)
    failures: list[tuple[list[str], str, dict, bool, str]] = []
    answers: Counter[str] = Counter()
    started = time.monotonic()

    @settings(max_examples=MAX_EXAMPLES, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], print_blob=False,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                                     HealthCheck.large_base_example])
    @given(case=DOCUMENTS, signed_in=st.booleans())
    def run(case: tuple[str, dict], signed_in: bool) -> None:
        document, variables = case
        # ensure_ascii: lone surrogates travel as \\udXXX escapes, as a hostile client would send them
        body = json.dumps({"query": document, "variables": variables}, ensure_ascii=True)
        assume(len(body) < MAX_BODY)
        headers = {"content-type": "application/json"}
        if signed_in:
            headers["authorization"] = f"Bearer {token}"
        response = client.post("/graphql", content=body, headers=headers)
        if found := problems_of(response):
            failures.append((found, document, variables, signed_in, response.text[:1000]))
        try:
            errors = response.json().get("errors") or []
            answers[errors[0]["extensions"]["code"] if errors else "ok"] += 1
        except (ValueError, AttributeError, KeyError, TypeError, IndexError):
            answers["?"] += 1

    try:
        run()
        elapsed = time.monotonic() - started
        time.sleep(0.5)  # let the services flush what the last cases made them write
        logged = {name: bad_log_lines(written_since(stack.logfile(name), offset)) for name, offset in offsets.items()}
        # the token of the run's user stayed valid: random arguments never ended its session
        me = client.post("/graphql", json={"query": "{ me { username } }"},
                         headers={"authorization": f"Bearer {token}"}).json()
    finally:
        client.post("/graphql", json={"query": "mutation($p: String!) { deleteAccount(password: $p) }",
                                      "variables": {"p": PASSWORD}}, headers={"authorization": f"Bearer {token}"})
        client.close()
    print(f"\n{sum(answers.values())} cases in {elapsed:.1f} s, first error's code: {dict(answers.most_common())}")
    if failures:
        pytest.fail(f"{len(failures)} bad answers (the first 20):\n" + "\n".join(
            f"{found}\n  signed in: {signed_in}\n  document: {doc!r}\n  variables: {variables!r}\n  answer: {text}"
            for found, doc, variables, signed_in, text in failures[:20]), pytrace=False)
    if any(logged.values()):
        pytest.fail("lines at error during the fuzz run (the first 20 per service):\n" + "\n".join(
            f"{name}: {line}" for name, lines in logged.items() for line in lines[:20]), pytrace=False)
    assert me.get("data", {}).get("me", {}).get("username") == username, me
    # the run reached the resolvers, not only the parser and the validator
    assert answers["ok"] + answers["NOT_FOUND"] + answers["UNAUTHENTICATED"] + answers["FORBIDDEN"] > MAX_EXAMPLES // 10
