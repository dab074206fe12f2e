"""Document limits (document_limits.py): measured before validation, memoised per fragment, never
expanding a document before it is known to be small. In-process against the real app: no backend is
needed, because a refused document never reaches a resolver (and an accepted one here gets UNAVAILABLE
or UNAUTHENTICATED from the resolvers, never a limit)."""

from __future__ import annotations

import re
import time
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    OperationDefinitionNode,
    get_introspection_query,
    parse,
    type_from_ast,
)

from kit.config import Settings
from services.gateway.app import create_app
from services.gateway.config import GatewayConfig
from services.gateway.document_limits import (
    DEFAULT_MAX_COST,
    DocumentLimits,
    _amount,
    check_document,
    measure_document,
)
from services.gateway.resolvers import recommendations as recs
from services.gateway.schema import build_schema

SCHEMA = build_schema()
GQL = SCHEMA._schema
LIMITS = DocumentLimits()
WEB_DOCUMENTS = Path(__file__).resolve().parents[2] / "web" / "src" / "gql" / "graphql.ts"


def settings() -> Settings:
    # Ports nothing listens on: nothing below may connect anywhere.
    return Settings(catalog_addr="127.0.0.1:1", users_addr="127.0.0.1:1", recommender_addr="127.0.0.1:1",
                    redis_url="redis://127.0.0.1:1/0", nats_url="nats://127.0.0.1:1")  # fmt: skip


async def post(body: dict, config: GatewayConfig | None = None) -> dict:
    app = create_app(settings(), config or GatewayConfig())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as c:
        r = await c.post("/graphql", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def limit_errors(body: dict) -> list[dict]:
    return [e for e in body.get("errors") or [] if "limit" in (e.get("extensions") or {})]


def fan_out(fragments: int = 30, spreads: int = 5) -> str:
    """Each fragment spreads the previous one `spreads` times: spreads ** fragments fields, expanded."""
    defs = ["fragment F0 on Movie { id title }"]
    for i in range(1, fragments + 1):
        defs.append(f"fragment F{i} on Movie {{ " + " ".join([f"...F{i - 1}"] * spreads) + " }")
    return f'{{ movie(id: "238") {{ ...F{fragments} }} }}\n' + "\n".join(defs)


def fastest_ms(fn, runs: int = 3) -> float:  # noqa: ANN001
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, (time.perf_counter() - start) * 1000)
    return best


# ---------------------------------------------------------------- fragment fan-out


async def test_a_fan_out_document_is_refused_before_validation():
    body = await post({"query": fan_out(30, 5)})  # 5^30 fields once expanded
    assert body.get("data") is None
    errors = body["errors"]
    assert {e["extensions"]["code"] for e in errors} == {"BAD_USER_INPUT"}
    fields = next(e for e in errors if e["extensions"]["limit"] == "fields")
    assert fields["message"] == (
        "The document expands to more than a quadrillion fields (fragments expanded); the limit is 5,000."
    )
    assert fields["extensions"]["allowed"] == 5000


async def test_refused_documents_are_not_validated_at_all():
    # An unknown field too: graphql-core would report it (GRAPHQL_VALIDATION_FAILED) had it run.
    body = await post({"query": fan_out(30, 5).replace("{ id title }", "{ id nope }")})
    assert body["errors"] and {e["extensions"]["code"] for e in body["errors"]} == {"BAD_USER_INPUT"}


def test_measuring_the_worst_documents_is_fast_and_does_not_expand():
    worst = {
        "30 fragments x 5 spreads (5^30)": fan_out(30, 5),
        "30 fragments x 30 spreads (2,000 tokens, 30^30)": fan_out(30, 30),
        "65 fragments x 10 spreads (10^65)": fan_out(65, 10),
    }
    for name, text in worst.items():
        document = parse(text, max_tokens=2000)
        assert check_document(GQL, document, LIMITS), name
        # A generous bound on the pure function (about 1-5 ms measured on a loaded 2-core machine);
        # expanding even the first would take longer than the age of the universe.
        assert fastest_ms(lambda d=document: check_document(GQL, d, LIMITS)) < 50, name


def test_fragments_are_measured_once_each():
    m = measure_document(GQL, parse(fan_out(30, 5)))
    assert m.fields >= 10**15 and m.overlaps is None  # saturated; the expanding count never ran
    small = measure_document(GQL, parse(fan_out(3, 5)))
    assert small.fields == 1 + 2 * 5**3  # movie + id/title 125 times
    assert small.depth == 1


async def test_unused_fragments_count_too():
    # graphql-core validates a fragment no operation spreads (and then refuses it as unused).
    body = await post({"query": "{ genres { name } }\n" + fan_out(30, 5).split("\n", 1)[1]})
    assert "fields" in {e["extensions"]["limit"] for e in limit_errors(body)}


async def test_fragment_cycles_are_refused_without_walking_them():
    doc = ('{ movie(id: "1") { ...A } } fragment A on Movie { id ...B ...B } '
           "fragment B on Movie { title ...A ...A }")  # fmt: skip
    body = await post({"query": doc})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["GRAPHQL_VALIDATION_FAILED"]
    assert "within itself" in body["errors"][0]["message"]


# ---------------------------------------------------------------- depth, aliases, repeated selections


async def test_over_deep_documents_are_refused():
    deep = '{ movie(id: "1") ' + "{ cast " * 11 + "{ name }" + " }" * 11 + " }"
    body = await post({"query": deep})
    assert [(e["extensions"]["code"], e["extensions"]["limit"]) for e in body["errors"]] == [
        ("BAD_USER_INPUT", "depth")
    ]
    assert body["errors"][0]["message"] == "'anonymous' is 12 levels deep; the maximum operation depth is 10."
    # The same depth through fragments (P0 .. P9 nest one level each).
    chain = "\n".join(f"fragment P{i} on Person {{ name x {{ ...P{i + 1} }} }}" for i in range(10))
    via = '{ movie(id: "1") { cast { ...P0 } } }\n' + chain + "\nfragment P10 on Person { name }"
    assert [e["extensions"]["limit"] for e in (await post({"query": via}))["errors"]] == ["depth"]


async def test_over_aliased_documents_are_refused_fragments_expanded():
    many = "{ " + " ".join(f'a{i}: movie(id: "238") {{ id }}' for i in range(31)) + " }"
    body = await post({"query": many})
    assert [e["extensions"]["limit"] for e in body["errors"]] == ["aliases"]
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "limit": "aliases", "measured": 31,
                                              "allowed": 30}  # fmt: skip
    # 10 aliases in a fragment spread 4 times: 40.
    fragment = "fragment A on Movie { " + " ".join(f"t{i}: title" for i in range(10)) + " }"
    spread = "{ " + " ".join(f'{a}: movie(id: "1") {{ ...A }}' for a in "abcd") + " }"
    body = await post({"query": spread + "\n" + fragment})
    assert {e["extensions"]["limit"]: e["extensions"]["measured"] for e in body["errors"]}["aliases"] == 44


async def test_a_field_repeated_over_and_over_is_refused():
    # 400 copies of `cast { name }` fit in 1,600 tokens and took graphql-core's
    # OverlappingFieldsCanBeMerged seconds (it compares every pair, recursively).
    body = await post({"query": '{ movie(id: "1") { ' + " ".join(["cast { name }"] * 400) + " } }"})
    assert [e["extensions"]["limit"] for e in body["errors"]] == ["overlaps"]
    # Fragments side by side are compared pairwise too.
    spreads = '{ movie(id: "1") { ' + " ".join(f"...F{i}" for i in range(60)) + " } }\n"
    spreads += "\n".join(f"fragment F{i} on Movie {{ title }}" for i in range(60))
    assert "overlaps" in {e["extensions"]["limit"] for e in limit_errors(await post({"query": spreads}))}


def test_overlaps_count_pairs_on_one_response_path():
    def overlaps(text: str) -> int | None:
        return measure_document(GQL, parse(text)).overlaps

    assert overlaps('{ movie(id: "1") { id title } }') == 0
    assert overlaps('{ movie(id: "1") { id id id } }') == 3
    assert overlaps('{ movie(id: "1") { cast { name } cast { name } } }') == 2  # cast, and cast.name
    assert overlaps('{ a: movie(id: "1") { id } b: movie(id: "1") { id } }') == 0  # two response paths
    assert overlaps('{ movie(id: "1") { ...A ...B } } fragment A on Movie { id } fragment B on Movie { id }') == 21


# ---------------------------------------------------------------- cost


async def test_over_cost_documents_are_refused():
    search = 'searchMovies(query: "", first: 100) { edges { node { comments(first: 100) { nodes { id body } } } } }'
    body = await post({"query": "{ " + " ".join(f"a{i}: {search}" for i in range(30)) + " }"})
    assert [e["extensions"]["limit"] for e in body["errors"]] == ["cost"]
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["extensions"]["allowed"] == DEFAULT_MAX_COST
    assert error["message"].startswith("The operation's estimated cost is 609,060 ")
    # One of them (100 films, 100 comments each) is within the budget.
    assert not limit_errors(await post({"query": "{ " + search + " }"}))


async def test_page_sizes_come_from_variables_and_their_defaults():
    search = 'searchMovies(query: "", first: $n) { edges { node { comments(first: $n) { nodes { id body } } } } }'
    doc = "query($n: Int) { " + " ".join(f"a{i}: {search}" for i in range(5)) + " f: forYou(first: $n) { score } }"
    assert limit_errors(await post({"query": doc, "variables": {"n": 100}}))[0]["extensions"]["limit"] == "cost"
    assert not limit_errors(await post({"query": doc, "variables": {"n": 20}}))
    with_default = doc.replace("$n: Int", "$n: Int = 100")
    assert limit_errors(await post({"query": with_default}))[0]["extensions"]["limit"] == "cost"
    assert not limit_errors(await post({"query": with_default, "variables": {"n": 5}}))


@pytest.mark.parametrize(
    "doc,variables,cost",
    [
        # searchMovies 1 + (totalCount 1 + edges 1 + 5 x node (1 + id 1))
        ('{ searchMovies(query: "", first: 5) { totalCount edges { node { id } } } }', None, 13),
        ('{ searchMovies(query: "") { edges { node { id } } } }', None, 1 + 1 + 20 * 2),  # the default page
        ('{ searchMovies(query: "", first: null) { edges { node { id } } } }', None, 1 + 1 + 20 * 2),
        ('{ searchMovies(query: "", first: 1000) { edges { node { id } } } }', None, 1 + 1 + 100 * 2),  # held at 100
        ('query($n: Int) { searchMovies(query: "", first: $n) { edges { cursor } } }', {"n": 7}, 1 + 1 + 7),
        # similar 1 + 3 x (score 1 + reasons (1 + 10 x text 1)): a list without `first` weighs 10
        ('{ similar(movieId: "1", first: 3) { score reasons { text } } }', None, 37),
        # the web client's shape: the page of VibeAnswer is `picks`
        ('{ vibe(text: "x", first: 2) { reading { mood } picks { score } } }', None, 1 + (1 + 1) + 1 + 2 * 1),
        ('{ genres { name movieCount } }', None, 1 + 10 * 2),
    ],
)
def test_cost_is_the_fields_times_the_lists_above_them(doc, variables, cost):
    assert measure_document(GQL, parse(doc), variables).cost == cost


# ---------------------------------------------------------------- what must pass


def _web_operations() -> dict[str, str]:
    text = WEB_DOCUMENTS.read_text()
    bodies = re.findall(r"new TypedDocumentString\(`(.*?)`", text, re.S)
    operations = {}
    for body in bodies:
        definitions = parse(body).definitions
        ops = [d for d in definitions if isinstance(d, OperationDefinitionNode)]
        if ops:
            operations[ops[0].name.value] = body
    return operations


def _value_for(type_):  # noqa: ANN001, ANN202
    """A value of a variable's type that coerces: enough to get past variable coercion."""
    if isinstance(type_, GraphQLNonNull):
        return _value_for(type_.of_type)
    if isinstance(type_, GraphQLList):
        return [_value_for(type_.of_type)]
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        return {}
    # Upload: the file of previewImport, a multipart part in the web client; in JSON a string stands for it
    return {"ID": "238", "String": "x", "Int": 100, "Float": 1.0, "Boolean": False, "Upload": "x"}[type_.name]


def _variables(body: str, page_size: int) -> dict:
    (op,) = [d for d in parse(body).definitions if isinstance(d, OperationDefinitionNode)]
    variables = {}
    for definition in op.variable_definitions or ():
        name = definition.variable.name.value
        variables[name] = page_size if name == "first" else _value_for(type_from_ast(GQL, definition.type))
    return variables


def test_every_web_client_operation_is_within_the_limits_with_room():
    operations = _web_operations()
    assert len(operations) >= 30 and {"ForYou", "SearchMovies", "Me", "Vibe", "Comments"} <= set(operations)
    for name, body in operations.items():
        document = parse(body)
        # The largest page the API allows: still accepted.
        assert check_document(GQL, document, LIMITS, _variables(body, 100)) == [], name
        # The client's own page sizes (20-24, web/src/api/queries.ts): at most a fifth of every limit.
        m = measure_document(GQL, document, _variables(body, 24))
        assert m.cost * 5 <= LIMITS.max_cost and m.fields * 5 <= LIMITS.max_fields, (name, m)
        assert m.depth <= LIMITS.max_depth - 5 and m.aliases == 0 and m.overlaps == 0, (name, m)


async def test_every_web_client_operation_gets_past_the_limits_in_the_app():
    for name, body in _web_operations().items():
        answer = await post({"query": body, "variables": _variables(body, 100), "operationName": name})
        assert not limit_errors(answer), (name, answer)
        codes = {e["extensions"]["code"] for e in answer.get("errors") or []}
        assert not codes & {"GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED"}, (name, answer)
        assert codes, name  # the resolvers ran: no backend here, so each says so (UNAVAILABLE, ...)


@pytest.mark.parametrize("options", [{}, {"descriptions": True, "specified_by_url": True,
                                          "directive_is_repeatable": True, "schema_description": True,
                                          "input_value_deprecation": True}])  # fmt: skip
async def test_an_introspection_query_is_accepted_in_dev(options):
    query = get_introspection_query(**options)
    m = measure_document(GQL, parse(query))
    assert m.cost * 1.5 <= LIMITS.max_cost and m.introspection_depth + 4 <= LIMITS.max_introspection_depth
    body = await post({"query": query}, GatewayConfig())
    assert "errors" not in body, body
    assert any(t["name"] == "Movie" for t in body["data"]["__schema"]["types"])


async def test_introspection_nesting_is_bounded_too():
    deep = "{ __schema { types { " + "fields { type { " * 12 + "name" + " } }" * 12 + " } } }"
    limits = {e["extensions"]["limit"] for e in limit_errors(await post({"query": deep}))}
    assert "introspectionDepth" in limits and "cost" in limits


# ---------------------------------------------------------------- selects() does not expand


class CountingFragments(dict):
    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.lookups = 0

    def get(self, key, default=None):  # noqa: ANN001, ANN201
        self.lookups += 1
        return super().get(key, default)


def _info(text: str) -> tuple[SimpleNamespace, CountingFragments]:
    document = parse(text)
    op = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    fragments = CountingFragments({d.name.value: d for d in document.definitions if hasattr(d, "type_condition")})
    return SimpleNamespace(_raw_info=SimpleNamespace(field_nodes=[op.selection_set.selections[0]],
                                                     fragments=fragments)), fragments  # fmt: skip


def test_selects_walks_each_fragment_once_per_step():
    defs = ["fragment R0 on Recommendation { score }"]
    defs += [f"fragment R{i} on Recommendation {{ " + " ".join([f"...R{i - 1}"] * 5) + " }" for i in range(1, 31)]
    text = '{ similar(movieId: "1") { ...R30 } }\n' + "\n".join(defs)
    info, fragments = _info(text)
    assert recs.selects(info, "reasons", "movies") is False  # 5^30 spreads, none of them selects it
    assert fragments.lookups <= 5 * 31  # each spread of each fragment looked at once, not 5^30 times
    info, _ = _info(text.replace("{ score }", "{ reasons { movies { id } } }"))
    assert recs.selects(info, "reasons", "movies") is True


def test_amounts_read_as_words():
    assert [_amount(n) for n in (7, 5000, 123_456, 1_234_567, 3 * 10**9, 10**15)] == [
        "7", "5,000", "123,456", "1.2 million", "3.0 billion", "more than a quadrillion",
    ]  # fmt: skip
