"""The schema's shape (the acceptance SDL) and its error behaviour, executed directly with a
context whose catalogue client raises (no servers)."""

from __future__ import annotations

import re

import grpc
import pytest
from graphql import build_schema as parse_sdl
from graphql import get_named_type, is_non_null_type, is_nullable_type

from services.gateway.context import GatewayContext
from services.gateway.export_schema import sdl
from services.gateway.schema import build_schema
from services.gateway.validation import encode_cursor


class RaisingCatalog:
    """A catalogue client whose every call fails with the given gRPC status."""

    def __init__(self, status: grpc.StatusCode = grpc.StatusCode.INTERNAL, details: str = "boom at 10.1.2.3") -> None:
        self.status, self.details, self.calls = status, details, 0

    def _fail(self):
        self.calls += 1
        raise grpc.aio.AioRpcError(self.status, grpc.aio.Metadata(), grpc.aio.Metadata(), details=self.details)

    async def batch_get_movies(self, ids):
        self._fail()

    async def search_movies(self, request):
        self._fail()

    async def list_genres(self):
        self._fail()


SCHEMA = build_schema()


async def run(query: str, variables: dict | None = None, catalog: RaisingCatalog | None = None, schema=SCHEMA):
    catalog = catalog or RaisingCatalog()
    result = await schema.execute(query, variable_values=variables, context_value=GatewayContext(catalog))
    return result, catalog


def codes(result) -> list[str]:
    return [e.extensions["code"] for e in result.errors or []]


# ---------------------------------------------------------------- shape


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_sdl_has_the_acceptance_shapes():
    text = one_line(sdl())
    assert "movie(id: ID!): Movie" in text
    # searchMovies(query: String!, filter: MovieFilter, first: Int, after: String): MovieConnection!
    # with `sort: MovieSort` as the extra argument and `first` defaulting to 20.
    assert (
        "searchMovies(query: String!, filter: MovieFilter, sort: MovieSort, first: Int = 20, after: String): "
        "MovieConnection!"
    ) in text
    without_extras = text.replace(", sort: MovieSort", "").replace("first: Int = 20", "first: Int")
    assert "searchMovies(query: String!, filter: MovieFilter, first: Int, after: String): MovieConnection!" in (
        without_extras
    )
    assert "genres: [Genre!]!" in text


def test_types_match_the_catalogue_fields():
    schema = parse_sdl(sdl())
    movie = schema.get_type("Movie")
    expected = {
        "id": "ID!", "title": "String!", "originalTitle": "String!", "year": "Int", "releaseDate": "String",
        "overview": "String", "tagline": "String", "genres": "[String!]!", "keywords": "[String!]!",
        "runtime": "Int", "originalLanguage": "String", "voteAverage": "Float!", "rating": "Float", "voteCount": "Int!",
        "popularity": "Float!", "popularityPercentile": "Float!", "directors": "[Person!]!",
        "cast": "[Person!]!", "companies": "[String!]!", "countries": "[String!]!", "imdbId": "String",
        "posterPath": "String", "comments": "CommentConnection!",
    }  # fmt: skip
    assert {name: str(f.type) for name, f in movie.fields.items()} == expected
    assert {n: str(f.type) for n, f in schema.get_type("Person").fields.items()} == {"id": "ID!", "name": "String!"}
    assert {n: str(f.type) for n, f in schema.get_type("Genre").fields.items()} == {
        "name": "String!",
        "movieCount": "Int!",
    }
    conn = schema.get_type("MovieConnection").fields
    assert str(conn["edges"].type) == "[MovieEdge!]!" and str(conn["totalCount"].type) == "Int!"
    edge = schema.get_type("MovieEdge").fields
    assert str(edge["node"].type) == "Movie!" and str(edge["cursor"].type) == "String!"
    assert str(edge["matchedPerson"].type) == "PersonMatch"  # null when the title, not a person, matched
    assert {n: str(f.type) for n, f in schema.get_type("PersonMatch").fields.items()} == {
        "person": "Person!", "role": "String!", "billing": "Int",
    }  # fmt: skip
    page = schema.get_type("PageInfo").fields
    assert str(page["hasNextPage"].type) == "Boolean!" and str(page["endCursor"].type) == "String"
    flt = schema.get_type("MovieFilter").fields
    assert {n: str(f.type) for n, f in flt.items()} == {
        "genres": "[String!]", "yearFrom": "Int", "yearTo": "Int", "language": "String",
        "runtimeMin": "Int", "runtimeMax": "Int", "minVotes": "Int",
    }  # fmt: skip
    assert list(schema.get_type("MovieSort").values) == ["RELEVANCE", "POPULARITY", "RATING", "YEAR"]
    search = schema.query_type.fields["searchMovies"]
    assert is_non_null_type(search.args["query"].type)
    assert all(is_nullable_type(search.args[a].type) for a in ("filter", "sort", "first", "after"))
    assert get_named_type(search.type).name == "MovieConnection"


# ---------------------------------------------------------------- limits


async def test_depth_limit_is_a_coded_error():
    shallow = build_schema(max_depth=3)
    result, catalog = await run('{ searchMovies(query: "") { edges { node { directors { name } } } } }', schema=shallow)
    assert result.data is None
    assert codes(result) == ["BAD_USER_INPUT"]  # document_limits.py, before validation
    assert "depth" in result.errors[0].message
    assert catalog.calls == 0


async def test_default_depth_limit_rejects_deep_documents():
    deep = '{ movie(id: "1") ' + "{ cast " * 12 + "{ name }" + " }" * 12 + " }"
    result, catalog = await run(deep)
    assert result.data is None
    assert set(codes(result)) == {"BAD_USER_INPUT"}
    assert any("maximum operation depth" in e.message for e in result.errors)
    assert catalog.calls == 0


async def test_token_limit_is_a_coded_error():
    big = "{ " + " ".join(f"a{i}: genres {{ name }}" for i in range(600)) + " }"
    result, catalog = await run(big)
    assert codes(result) == ["GRAPHQL_PARSE_FAILED"]
    assert "tokens" in result.errors[0].message
    assert catalog.calls == 0


async def test_alias_limit_is_a_coded_error():
    many = "{ " + " ".join(f"a{i}: genres {{ name }}" for i in range(40)) + " }"
    result, _ = await run(many)
    assert set(codes(result)) == {"BAD_USER_INPUT"}


async def test_malformed_documents_are_coded():
    result, _ = await run("{ movie(id: ")
    assert codes(result) == ["GRAPHQL_PARSE_FAILED"]
    result, _ = await run('{ movie(id: "1") { nope } }')
    assert codes(result) == ["GRAPHQL_VALIDATION_FAILED"]
    result, _ = await run('query($n: Int!) { searchMovies(query: "", first: $n) { totalCount } }')
    assert codes(result) == ["BAD_USER_INPUT"]
    result, _ = await run('query($n: Int) { searchMovies(query: "", first: $n) { totalCount } }', {"n": "ten"})
    assert codes(result) == ["BAD_USER_INPUT"]


# ---------------------------------------------------------------- argument checks before any call


@pytest.mark.parametrize(
    "query,variables",
    [
        ('{ movie(id: "abc") { id } }', None),
        ('{ movie(id: "-3") { id } }', None),
        ('{ searchMovies(query: "", first: -1) { totalCount } }', None),
        ('{ searchMovies(query: "", first: 0) { totalCount } }', None),
        ('{ searchMovies(query: "", first: 101) { totalCount } }', None),
        ('query($a: String) { searchMovies(query: "", after: $a) { totalCount } }', {"a": "garbage!"}),
        ('{ searchMovies(query: "", filter: {yearFrom: 2000, yearTo: 1990}) { totalCount } }', None),
        ('{ searchMovies(query: "", filter: {minVotes: -1}) { totalCount } }', None),
        ("query($q: String!) { searchMovies(query: $q) { totalCount } }", {"q": "x" * 201}),
        ("query($q: String!) { suggest(query: $q) { movies { id } } }", {"q": "x" * 101}),
        ('{ suggest(query: "star", first: 0) { movies { id } } }', None),
        ('{ suggest(query: "star", first: 11) { people { filmCount } } }', None),
    ],
)
async def test_bad_arguments_are_bad_user_input_without_calling_the_catalogue(query, variables):
    result, catalog = await run(query, variables)
    assert codes(result) == ["BAD_USER_INPUT"]
    assert catalog.calls == 0
    assert result.errors[0].path  # attributed to the field


# ---------------------------------------------------------------- backend failures


@pytest.mark.parametrize(
    "status,code,message",
    [
        (grpc.StatusCode.INVALID_ARGUMENT, "BAD_USER_INPUT", "invalid page token"),
        (grpc.StatusCode.NOT_FOUND, "NOT_FOUND", "invalid page token"),
        (grpc.StatusCode.RESOURCE_EXHAUSTED, "RATE_LIMITED", "invalid page token"),
        (grpc.StatusCode.UNAVAILABLE, "UNAVAILABLE", None),
        (grpc.StatusCode.DEADLINE_EXCEEDED, "UNAVAILABLE", None),
        (grpc.StatusCode.INTERNAL, "INTERNAL", None),
        (grpc.StatusCode.UNKNOWN, "INTERNAL", None),
    ],
)
async def test_catalogue_failures_map_to_codes(status, code, message):
    catalog = RaisingCatalog(status, "invalid page token")
    query = 'query($after: String) { searchMovies(query: "x", after: $after) { totalCount } }'
    result, _ = await run(query, {"after": encode_cursor("bad")}, catalog=catalog)
    assert result.data is None
    assert codes(result) == [code]
    assert result.errors[0].path == ["searchMovies"]
    if message:
        assert result.errors[0].message == message
    else:
        assert "invalid page token" not in result.errors[0].message


async def test_internal_errors_never_leak_details():
    result, _ = await run("{ genres { name } }", catalog=RaisingCatalog(grpc.StatusCode.INTERNAL, "pg at 10.1.2.3"))
    assert codes(result) == ["INTERNAL"]
    assert "10.1.2.3" not in str(result.errors[0].formatted)


async def test_film_lookups_fail_per_field_with_a_code():
    result, catalog = await run(
        '{ a: movie(id: "1") { title } b: movie(id: "2") { title } }',
        catalog=RaisingCatalog(grpc.StatusCode.UNAVAILABLE),
    )
    assert result.data == {"a": None, "b": None}
    assert codes(result) == ["UNAVAILABLE", "UNAVAILABLE"]
    assert catalog.calls == 1  # one batched BatchGetMovies for both fields


async def test_a_document_is_parsed_and_validated_once_and_refusals_stay_coded():
    from services.gateway.schema import DOCUMENT_CACHE_SIZE, CachedParse, CachedValidation

    parsed = CachedParse(maxsize=DOCUMENT_CACHE_SIZE).cached_parse_document   # the LRUs every request shares
    validated = CachedValidation(maxsize=DOCUMENT_CACHE_SIZE).cached_validate_document
    doc = "query CacheProbe { __typename genres { name } }"
    before = parsed.cache_info().hits, validated.cache_info().hits
    for _ in range(3):
        result, _ = await run(doc, catalog=RaisingCatalog(grpc.StatusCode.UNAVAILABLE))
        assert codes(result) == ["UNAVAILABLE"]
    assert (parsed.cache_info().hits - before[0], validated.cache_info().hits - before[1]) == (2, 2)
    # What the caches must not change, the second time as the first: a parse error, a validation error
    # and a document the limits refuse before validation.
    for _ in range(2):
        assert codes((await run("{ genres { name }"))[0]) == ["GRAPHQL_PARSE_FAILED"]
        assert codes((await run("{ nope }"))[0]) == ["GRAPHQL_VALIDATION_FAILED"]
        assert codes((await run("{ " + "a: __typename " * 40 + "}"))[0]) == ["BAD_USER_INPUT"]
