"""The public GraphQL API, through the running gateway, the catalogue service, Redis and NATS."""

from __future__ import annotations

import base64
import json
import shutil

import pytest
import redis.asyncio as aioredis
from prometheus_client.parser import text_string_to_metric_families

from services.catalog.ingest.loader import ingest
from services.gateway.validation import encode_cursor
from tests.integration.conftest import eventually
from tests.integration.test_catalog import GODFATHER, _copy_data_with_vote_change

# It changes a film of the catalogue: runs after the browser flows, alone (tests/conftest.py).
pytestmark = pytest.mark.exclusive

MOVIE_FIELDS = """id title year overview genres runtime originalLanguage voteAverage voteCount
                  popularityPercentile directors { name } cast { name }"""


async def test_movie_by_id(gql):
    body = await gql(f"{{ movie(id: \"{GODFATHER}\") {{ {MOVIE_FIELDS} }} }}")
    assert "errors" not in body
    m = body["data"]["movie"]
    assert m["title"] == "The Godfather" and m["year"] == 1972 and "Crime" in m["genres"]
    assert {"name": "Francis Ford Coppola"} in m["directors"]
    assert m["cast"][0] == {"name": "Marlon Brando"}
    assert 99 <= m["popularityPercentile"] <= 100 and m["originalLanguage"] == "en"


async def test_search_godfather_first_and_catalogue_size(gql):
    body = await gql("""{ searchMovies(query: "godfather", first: 5) {
        totalCount edges { cursor node { id title } } pageInfo { hasNextPage endCursor } } }""")
    conn = body["data"]["searchMovies"]
    assert conn["edges"][0]["node"]["id"] == str(GODFATHER)
    browse = await gql('{ searchMovies(query: "") { totalCount edges { node { id } } } }')
    assert browse["data"]["searchMovies"]["totalCount"] >= 15_000


async def test_search_pagination_with_filter(gql):
    q = """query($after: String) { searchMovies(query: "", first: 10, after: $after,
             filter: {genres: ["Animation"], yearFrom: 1990, yearTo: 1999, minVotes: 50}) {
             totalCount edges { node { id year genres } } pageInfo { hasNextPage endCursor } } }"""
    seen, after = [], None
    while True:
        conn = (await gql(q, {"after": after}))["data"]["searchMovies"]
        seen += [e["node"]["id"] for e in conn["edges"]]
        assert all("Animation" in e["node"]["genres"] and 1990 <= e["node"]["year"] <= 1999 for e in conn["edges"])
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == conn["totalCount"] > 10


async def test_genres(gql):
    genres = (await gql("{ genres { name movieCount } }"))["data"]["genres"]
    assert {"Drama", "Comedy", "Science Fiction"} <= {g["name"] for g in genres}


def _code(body: dict) -> str:
    assert body.get("errors"), body
    return body["errors"][0]["extensions"]["code"]


@pytest.mark.parametrize("query,code", [
    ('{ movie(id: "999999999") { id } }', "NOT_FOUND"),
    ('{ movie(id: "abc") { id } }', "BAD_USER_INPUT"),
    ('{ searchMovies(query: "x", first: -1) { totalCount } }', "BAD_USER_INPUT"),
    ('{ searchMovies(query: "x", first: 1000) { totalCount } }', "BAD_USER_INPUT"),
    ('{ searchMovies(query: "x", after: "garbage") { totalCount } }', "BAD_USER_INPUT"),
    ('{ searchMovies(query: "", filter: {genres: ["Nope"]}) { totalCount } }', "BAD_USER_INPUT"),
    ('{ searchMovies(query: "", filter: {language: "english"}) { totalCount } }', "BAD_USER_INPUT"),
    ('{ nope }', "GRAPHQL_VALIDATION_FAILED"),
    ('{ movie(id: ', "GRAPHQL_PARSE_FAILED"),
])
async def test_bad_input_gets_a_coded_error_not_a_500(gql, query, code):
    body = await gql(query)
    assert _code(body) == code
    assert "Traceback" not in str(body)


async def test_cursor_of_another_query_is_bad_input(gql):
    first = await gql('{ searchMovies(query: "star", first: 2) { pageInfo { endCursor } } }')
    cursor = first["data"]["searchMovies"]["pageInfo"]["endCursor"]
    body = await gql('query($a: String) { searchMovies(query: "alien", after: $a) { totalCount } }', {"a": cursor})
    assert _code(body) == "BAD_USER_INPUT"


async def test_a_forged_cursor_is_bad_input(gql):
    # Found by test_graphql_fuzz.py: a sort key too large for a float made the catalogue fail with INTERNAL.
    token = base64.urlsafe_b64encode(json.dumps({"k": 10**400, "i": 1, "f": "x"}).encode()).decode().rstrip("=")
    body = await gql('query($a: String) { searchMovies(query: "love", after: $a) { totalCount } }',
                     {"a": encode_cursor(token)})
    assert _code(body) == "BAD_USER_INPUT" and body["errors"][0]["message"] == "malformed page token"


async def test_absurd_depth_and_width_are_refused(gql):
    # Our own types nest only a few levels; the deep cycles are in introspection (__Type.ofType ...),
    # which the depth limit leaves out: the token limit refuses this one, the introspection depth limit
    # (document_limits.py) shallower ones.
    deep = "{ __schema { types { " + "fields { type { " * 600 + "name" + " } }" * 600 + " } } }"
    assert _code(await gql(deep)) in {"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"}
    wide = "{ " + " ".join(f'a{i}: movie(id: "238") {{ id }}' for i in range(40)) + " }"  # > 30 aliases
    assert _code(await gql(wide)) == "BAD_USER_INPUT"  # document_limits.py


async def _batch_get_calls(gql) -> float:
    """BatchGetMovies calls the gateway has made, from its /metrics."""
    text = (await gql.client.get("/metrics")).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text) if family.name == "gateway_grpc_client_seconds"
        for sample in family.samples
        if sample.name.endswith("_count") and sample.labels.get("method") == "BatchGetMovies"
    )


async def test_dataloader_batches_and_cache_serves_repeat_reads(gql, stack):
    """Ten films in one document are one BatchGetMovies call; the second time none: Redis has them."""
    ids = [238, 240, 242, 278, 329, 11, 155, 680, 550, 13]
    doc = "{ " + " ".join(f'm{i}: movie(id: "{i}") {{ id title }}' for i in ids) + " }"
    r = aioredis.from_url(stack.redis_url)
    try:
        for i in ids:
            await r.delete(f"gw:movie:{i}")
        before = await _batch_get_calls(gql)
        body = await gql(doc)
        assert [body["data"][f"m{i}"]["id"] for i in ids] == [str(i) for i in ids]
        assert await _batch_get_calls(gql) == before + 1
        assert await r.exists(*[f"gw:movie:{i}" for i in ids]) == len(ids)
        again = await gql(doc)
        assert again == body
        assert await _batch_get_calls(gql) == before + 1
    finally:
        await r.aclose()


async def test_catalogue_change_invalidates_the_gateway_cache(gql, pool, data_dir, tmp_path):
    q = f'{{ movie(id: "{GODFATHER}") {{ voteCount }} }}'
    search = '{ searchMovies(query: "godfather", first: 1) { edges { node { voteCount } } } }'
    old = (await gql(q))["data"]["movie"]["voteCount"]
    assert (await gql(search))["data"]["searchMovies"]["edges"][0]["node"]["voteCount"] == old  # now cached
    changed = tmp_path / "data"
    _copy_data_with_vote_change(data_dir, changed, GODFATHER, old + 5)
    try:
        assert (await ingest(pool, changed)).updated == 1

        async def film_updated():
            return (await gql(q))["data"]["movie"]["voteCount"] == old + 5

        async def search_updated():
            body = await gql(search)
            return body["data"]["searchMovies"]["edges"][0]["node"]["voteCount"] == old + 5

        await eventually(film_updated, timeout=10)
        await eventually(search_updated, timeout=10)
    finally:
        await ingest(pool, data_dir)
        shutil.rmtree(changed, ignore_errors=True)

    async def restored():
        return (await gql(q))["data"]["movie"]["voteCount"] == old

    await eventually(restored, timeout=10)


async def test_graphiql_health_and_metrics(gql):
    client = gql.client
    page = await client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    health = await client.get("/healthz")
    assert health.status_code == 200
    metrics = await client.get("/metrics")
    assert metrics.status_code == 200 and "gateway" in metrics.text


async def test_gateway_drops_its_cache_after_missing_events(gql, stack):
    """Events published while the gateway is cut off from NATS are missed, so it forgets its cache."""
    await gql(f'{{ movie(id: "{GODFATHER}") {{ id }} }}')
    r = aioredis.from_url(stack.redis_url)
    try:
        assert await r.exists(f"gw:movie:{GODFATHER}")
        stack.nats.stop()
        stack.nats.start()

        async def dropped():
            return not await r.exists(f"gw:movie:{GODFATHER}")

        await eventually(dropped, timeout=20)
    finally:
        await r.aclose()
