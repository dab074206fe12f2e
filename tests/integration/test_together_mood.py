"""Together with a mood end to end: GraphQL -> gateway -> recommender (the mood read as Vibe reads it,
the group's list among the films that match it) -> pgvector and the users service, for two linked people
with different tastes."""

from __future__ import annotations

import grpc
import pytest
from movierec.recommender.v1 import recommender_pb2 as pb
from movierec.recommender.v1 import recommender_pb2_grpc

from kit import auth, limits
from services.recommender import vibe_query
from tests.integration.test_users_graphql import code, ok, register

CRIME = (238, 240, 680, 769, 949)          # The Godfather I and II, Pulp Fiction, GoodFellas, Heat
ANIMATION = (862, 863, 585, 12, 14160)     # Toy Story 1 and 2, Monsters, Inc., Finding Nemo, Up
SCARY = "a scary movie for halloween"
PICK = "movie { id title genres keywords } zone reasons { kind text users { id } } fits { user { id } score }"
MOOD_DOC = ("query($u: [ID!]!, $v: String!) { togetherWithMood(userIds: $u, vibe: $v, first: 10) {"
            f" picks {{ {PICK} }} reading {{ confident message suggestions why genres avoidTopics mood }} }} }}")
LIST_DOC = f"query($u: [ID!]!, $v: String) {{ together(userIds: $u, first: 10, vibe: $v) {{ {PICK} }} }}"
GROUP_KINDS = {"FITS_EVERYONE", "MAINLY_FOR"}


@pytest.fixture(scope="module")
async def pair(api):
    """Two linked people: a crime-drama lover and an animation lover."""
    ana, ben = await register(api), await register(api)
    for person, films in ((ana, CRIME), (ben, ANIMATION)):
        for mid in films:
            ok(await api(f'mutation {{ rateMovie(movieId: "{mid}", value: 5, zone: BROWSE) {{ value }} }}',
                         token=person["accessToken"]))
    invite = ok(await api("mutation { createInvite { code } }", token=ana["accessToken"]))["createInvite"]["code"]
    ok(await api("mutation($c: String!) { acceptInvite(code: $c) { linkedAt } }", {"c": invite},
                 token=ben["accessToken"]))
    return ana, ben


async def in_mood(api, pair, vibe: str) -> dict:
    ana, ben = pair
    return ok(await api(MOOD_DOC, {"u": [ben["user"]["id"]], "v": vibe}, token=ana["accessToken"]))["togetherWithMood"]


async def listed(api, pair, vibe: str | None) -> list[dict]:
    ana, ben = pair
    return ok(await api(LIST_DOC, {"u": [ben["user"]["id"]], "v": vibe}, token=ana["accessToken"]))["together"]


async def test_a_mood_gives_the_group_s_films_in_that_mood_each_with_both_reasons(api, pair):
    ana, ben = pair
    answer = await in_mood(api, pair, SCARY)
    reading, picks = answer["reading"], answer["picks"]
    assert reading["confident"] and reading["genres"] == list(vibe_query.parse(SCARY).genres) == ["Horror"]
    assert reading["message"] is None and reading["suggestions"] == []
    assert len(picks) == 10 and len({p["movie"]["id"] for p in picks}) == 10
    assert not {p["movie"]["id"] for p in picks} & {str(m) for m in CRIME + ANIMATION}   # seen by one of them
    for p in picks:
        assert p["zone"] == "TOGETHER" and "Horror" in p["movie"]["genres"], p["movie"]
        kinds = [r["kind"] for r in p["reasons"]]
        assert kinds[0] in GROUP_KINDS, p["reasons"]                 # the group's reason first
        group = p["reasons"][0]
        assert ana["user"]["username"] in group["text"] and ben["user"]["username"] in group["text"]
        texts = [r["text"] for r in p["reasons"] if r["kind"] == "MATCHES_VIBE"]
        assert f"Its story matches “{reading['mood']}”." in texts, p["reasons"]
        assert "Horror, as asked." in texts, p["reasons"]
        assert [f["user"]["id"] for f in p["fits"]] == [ana["user"]["id"], ben["user"]["id"]]
    # `together(vibe:)` is the same list without the reading
    assert [p["movie"]["id"] for p in await listed(api, pair, SCARY)] == [p["movie"]["id"] for p in picks]


async def test_the_mood_changes_the_list(api, pair):
    plain = await listed(api, pair, None)
    scary = (await in_mood(api, pair, SCARY))["picks"]
    assert len(plain) == 10 and [p["movie"]["id"] for p in plain] != [p["movie"]["id"] for p in scary]
    assert any("Horror" not in p["movie"]["genres"] for p in plain)
    assert all(not any(r["kind"] == "MATCHES_VIBE" for r in p["reasons"]) for p in plain)
    # a blank mood is no mood
    assert [p["movie"]["id"] for p in await listed(api, pair, "  \n ")] == [p["movie"]["id"] for p in plain]


async def test_what_the_mood_says_to_avoid_is_kept_out(api, pair):
    answer = await in_mood(api, pair, SCARY + ", no gore")
    assert answer["reading"]["confident"] and answer["reading"]["avoidTopics"] == ["gore"]
    gore = vibe_query.TOPICS["gore"].keywords
    picks = answer["picks"]
    assert len(picks) == 10
    for p in picks:
        assert "Horror" in p["movie"]["genres"] and not set(p["movie"]["keywords"]) & gore, p["movie"]
        # "no gore" is said only of a film whose keywords show it (one without keywords may have it)
        said = "Horror, no gore, as asked." if p["movie"]["keywords"] else "Horror, as asked."
        assert any(r["text"] == said for r in p["reasons"]), p["reasons"]
    assert [p["movie"]["id"] for p in picks] != [p["movie"]["id"] for p in (await in_mood(api, pair, SCARY))["picks"]]


async def test_a_mood_that_cannot_be_read_gets_a_reading_and_no_films(api, pair):
    answer = await in_mood(api, pair, "blorp zindle quav")
    r = answer["reading"]
    assert answer["picks"] == [] and r["confident"] is False
    assert r["message"].startswith("We could not find a mood in that.") and len(r["suggestions"]) >= 3
    assert r["why"] in {"unknown_words", "no_words"}
    assert await listed(api, pair, "blorp zindle quav") == []
    # each suggestion is itself answered for the pair
    s = await in_mood(api, pair, r["suggestions"][0])
    assert s["reading"]["confident"] and s["picks"]


async def test_too_long_a_mood_is_bad_user_input_and_invalid_argument(api, pair, stack, internal):
    ana, ben = pair
    too_long = "x" * (limits.VIBE_TEXT_MAX_CHARS + 1)
    assert code(await api(MOOD_DOC, {"u": [ben["user"]["id"]], "v": too_long}, token=ana["accessToken"])) \
        == "BAD_USER_INPUT"
    assert code(await api(LIST_DOC, {"u": [ben["user"]["id"]], "v": too_long}, token=ana["accessToken"])) \
        == "BAD_USER_INPUT"
    assert code(await api(MOOD_DOC, {"u": [ben["user"]["id"]], "v": "   "}, token=ana["accessToken"])) \
        == "BAD_USER_INPUT"   # togetherWithMood needs a mood
    assert code(await api(MOOD_DOC, {"u": [ben["user"]["id"]], "v": SCARY})) == "UNAUTHENTICATED"
    async with grpc.aio.insecure_channel(stack.addr("recommender")) as channel:
        stub = recommender_pb2_grpc.RecommenderServiceStub(channel)
        md = auth.call_metadata(internal, ana["user"]["id"])
        with pytest.raises(grpc.aio.AioRpcError) as e:
            await stub.Together(pb.TogetherRequest(user_ids=[ben["user"]["id"]], vibe=too_long), metadata=md,
                                timeout=30)
        assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        got = await stub.Together(pb.TogetherRequest(user_ids=[ben["user"]["id"]], first=3, vibe=f"  {SCARY} "),
                                  metadata=md, timeout=60)
        assert got.vibe_reading.confident and len(got.items) == 3
