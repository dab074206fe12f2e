"""The gateway's answer cache (services/gateway/answer_cache.py) on the real stack: a zone query asked
again is answered from Redis byte for byte, and never after what it depends on changed: the caller's
feedback, a member's, a partner link, the catalogue, what the recommender serves, a bad token."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis

from kit.answer_keys import SERVING_KEY
from tests.integration.conftest import FEEDBACK_S, eventually
from tests.integration.test_users_graphql import ok, register

# It swaps the served model: it runs after the browser flows, alone (tests/conftest.py).
pytestmark = pytest.mark.exclusive

FOR_YOU = "query($n: Int!) { forYou(first: $n) { movie { id title rating } score reasons { kind text } } }"
SIMILAR = "query($id: ID!) { similar(movieId: $id, first: 10) { movie { id title } reasons { text } } }"
TOGETHER = "query($u: [ID!]!) { together(userIds: $u, first: 10) { movie { id } reasons { text } } }"
HEADER = "x-answer-cache"


@pytest.fixture
async def post(gql):
    async def run(query: str, variables: dict | None = None, token: str | None = None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        r = await gql.client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)
        assert r.status_code == 200, r.text
        return r

    return run


@pytest.fixture
async def redis(stack):
    r = Redis.from_url(stack.redis_url)
    yield r
    await r.aclose()


async def _rated(api) -> dict:
    user = await register(api)
    for mid in (238, 240, 680, 155):
        ok(await api(f'mutation {{ rateMovie(movieId: "{mid}", value: 5) {{ value }} }}', token=user["accessToken"]))
    return user


async def test_a_zone_asked_again_is_the_same_bytes_from_the_cache(api, post):
    user = await _rated(api)
    t = user["accessToken"]

    sizes = iter(range(12, 40))

    async def stored_then_hit():
        # A rating's feedback taken in between the two requests moves the user's generation, so the second
        # misses too (CI saw it): asked again with a page size not asked before, until the ratings are all in.
        n = next(sizes)
        first = await post(FOR_YOU, {"n": n}, t)
        again = await post(FOR_YOU, {"n": n}, t)
        return (n, first, again) if (first.headers.get(HEADER), again.headers.get(HEADER)) == ("miss", "hit") else None

    n, first, again = await eventually(stored_then_hit, timeout=FEEDBACK_S)
    assert again.content == first.content and len(again.json()["data"]["forYou"]) == n
    # other variables, another document, another caller: other answers
    assert (await post(FOR_YOU, {"n": 50}, t)).headers[HEADER] == "miss"
    other = await _rated(api)
    assert (await post(FOR_YOU, {"n": 12}, other["accessToken"])).headers.get(HEADER) in ("miss", None)
    # anonymous More like this is cached too, per film
    a = await post(SIMILAR, {"id": "603"})
    b = await post(SIMILAR, {"id": "603"})
    assert b.headers[HEADER] == "hit" and b.content == a.content and a.headers[HEADER] == "miss"


async def test_feedback_changes_the_answer(api, post):
    user = await _rated(api)
    t = user["accessToken"]
    await eventually(lambda: _hit(post, FOR_YOU, {"n": 20}, t), timeout=5)
    top = (await post(FOR_YOU, {"n": 20}, t)).json()["data"]["forYou"][0]["movie"]["id"]
    ok(await api(f'mutation {{ dismissMovie(movieId: "{top}", zone: FOR_YOU) }}', token=t))

    async def gone():
        ids = [r["movie"]["id"] for r in (await post(FOR_YOU, {"n": 20}, t)).json()["data"]["forYou"]]
        return top not in ids

    await eventually(gone, timeout=FEEDBACK_S)


async def _hit(post, query, variables, token=None):
    await post(query, variables, token)
    return (await post(query, variables, token)).headers.get(HEADER) == "hit"


async def test_not_cached_mixed_documents_errors_and_bad_tokens(api, post):
    user = await _rated(api)
    t = user["accessToken"]
    mixed = "query { me { id } forYou(first: 5) { movie { id } } }"
    for _ in range(2):
        assert HEADER not in (await post(mixed, token=t)).headers
    # an error is never stored: a film we do not have, twice
    for _ in range(2):
        r = await post(SIMILAR, {"id": "999999999"})
        assert r.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert r.headers.get(HEADER) is None
    # a cached answer is not served to a bad token: GraphQL says UNAUTHENTICATED
    await eventually(lambda: _hit(post, FOR_YOU, {"n": 5}, t), timeout=5)
    bad = await post(FOR_YOU, {"n": 5}, t[:-4] + "AAAA")
    assert bad.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED" and HEADER not in bad.headers
    # a mutation that names a zone field is never looked up
    r = await post('mutation { dismissMovie(movieId: "13", zone: FOR_YOU) }', token=t)
    assert HEADER not in r.headers and r.json()["data"]["dismissMovie"] is True


async def test_together_follows_the_members_and_the_partner_link(api, post):
    alice, bob = await _rated(api), await _rated(api)
    invite = ok(await api("mutation { createInvite { code } }", token=alice["accessToken"]))["createInvite"]["code"]
    ok(await api("mutation($c: String!) { acceptInvite(code: $c) { linkedAt } }", {"c": invite},
                 token=bob["accessToken"]))
    u = {"u": [bob["user"]["id"]]}
    await eventually(lambda: _hit(post, TOGETHER, u, alice["accessToken"]), timeout=5)
    top = (await post(TOGETHER, u, alice["accessToken"])).json()["data"]["together"][0]["movie"]["id"]
    # Bob's feedback changes Alice's cached Together answer
    ok(await api(f'mutation {{ dismissMovie(movieId: "{top}", zone: TOGETHER) }}', token=bob["accessToken"]))

    async def gone():
        body = (await post(TOGETHER, u, alice["accessToken"])).json()
        return top not in [r["movie"]["id"] for r in body["data"]["together"]]

    await eventually(gone, timeout=FEEDBACK_S)
    # once unlinked, the cached list is not served: FORBIDDEN
    ok(await api("mutation($u: ID!) { unlinkPartner(userId: $u) }", {"u": bob["user"]["id"]},
                 token=alice["accessToken"]))

    async def refused():
        body = (await post(TOGETHER, u, alice["accessToken"])).json()
        return (body.get("errors") or [{}])[0].get("extensions", {}).get("code") == "FORBIDDEN"

    await eventually(refused, timeout=FEEDBACK_S)


async def test_the_catalogue_and_the_served_model_are_in_the_key(post, redis):
    assert await redis.get(SERVING_KEY), "the recommender says what it serves"
    await eventually(lambda: _hit(post, SIMILAR, {"id": "680"}), timeout=5)
    await redis.incr("gw:gen")  # what a catalogue change does (invalidation.py)
    assert (await post(SIMILAR, {"id": "680"})).headers[HEADER] == "miss"
    assert (await post(SIMILAR, {"id": "680"})).headers[HEADER] == "hit"
    serving = await redis.get(SERVING_KEY)
    try:
        await redis.set(SERVING_KEY, b"another-model#1")  # what a model swap does (serving.py)
        assert (await post(SIMILAR, {"id": "680"})).headers[HEADER] == "miss"
    finally:
        await redis.set(SERVING_KEY, serving)
