"""The limits the gateway and a service both check (kit/limits.py), against the running services: at the
limit both answer, one past it the gateway refuses (BAD_USER_INPUT, before any call) and so does the
service when called directly (INVALID_ARGUMENT). Together is checked with real partner links: a person
links at most PARTNERS_MAX partners, and a list for all of them (8 people) is served."""

from __future__ import annotations

import grpc
import pytest
from movierec.catalog.v1 import catalog_pb2
from movierec.recommender.v1 import recommender_pb2 as pb
from movierec.recommender.v1 import recommender_pb2_grpc

from kit import auth, limits
from tests.integration.test_users_graphql import code, ok, register

GODFATHER = 238


@pytest.fixture(scope="module")
async def recommender(stack):
    async with grpc.aio.insecure_channel(stack.addr("recommender")) as channel:
        yield recommender_pb2_grpc.RecommenderServiceStub(channel)


async def refused(call) -> grpc.StatusCode | None:  # noqa: ANN001
    """None when the call succeeds; else its status."""
    try:
        await call
    except grpc.aio.AioRpcError as e:
        return e.code()
    return None


async def test_page_size(api, recommender, internal):
    doc = "query($f: Int) { similar(movieId: \"238\", first: $f) { score } }"
    md = auth.call_metadata(internal, None)
    ok(await api(doc, {"f": limits.PAGE_SIZE_MAX}))
    assert await refused(recommender.Similar(pb.SimilarRequest(movie_id=GODFATHER, first=limits.PAGE_SIZE_MAX),
                                             metadata=md, timeout=30)) is None
    assert code(await api(doc, {"f": limits.PAGE_SIZE_MAX + 1})) == "BAD_USER_INPUT"
    assert await refused(recommender.Similar(pb.SimilarRequest(movie_id=GODFATHER, first=limits.PAGE_SIZE_MAX + 1),
                                             metadata=md, timeout=30)) == grpc.StatusCode.INVALID_ARGUMENT


async def test_vibe_text_is_counted_after_trimming(api, recommender, internal):
    doc = "query($t: String!) { vibe(text: $t, first: 3) { reading { confident } } }"
    md = auth.call_metadata(internal, None)
    at_limit = "  " + ("a quiet film about the sea " * 20)[: limits.VIBE_TEXT_MAX_CHARS - 1] + "x  \n"
    assert len(limits.vibe_text(at_limit)) == limits.VIBE_TEXT_MAX_CHARS < len(at_limit)
    ok(await api(doc, {"t": at_limit}))
    assert await refused(recommender.Vibe(pb.VibeRequest(text=at_limit, first=3), metadata=md, timeout=30)) is None
    over = limits.vibe_text(at_limit) + "y"
    assert code(await api(doc, {"t": over})) == "BAD_USER_INPUT"
    assert await refused(recommender.Vibe(pb.VibeRequest(text=over, first=3), metadata=md,
                                          timeout=30)) == grpc.StatusCode.INVALID_ARGUMENT


async def test_search_query_is_counted_as_the_catalogue_matches_it(api, catalog):
    doc = "query($q: String!) { searchMovies(query: $q, first: 1) { totalCount } }"
    padded = "   " + "godfather " * (limits.SEARCH_QUERY_MAX_CHARS // 10) + "  "
    assert limits.search_query_length(padded) < limits.SEARCH_QUERY_MAX_CHARS < len(padded)
    ok(await api(doc, {"q": padded}))
    assert await refused(catalog.SearchMovies(catalog_pb2.SearchMoviesRequest(query=padded), timeout=30)) is None
    over = "g" * (limits.SEARCH_QUERY_MAX_CHARS + 1)
    assert code(await api(doc, {"q": over})) == "BAD_USER_INPUT"
    assert await refused(catalog.SearchMovies(catalog_pb2.SearchMoviesRequest(query=over),
                                              timeout=30)) == grpc.StatusCode.INVALID_ARGUMENT


async def _link(api, inviter: dict, invitee: dict) -> dict:
    invite = ok(await api("mutation { createInvite { code } }", token=inviter["accessToken"]))["createInvite"]["code"]
    return await api("mutation($c: String!) { acceptInvite(code: $c) { linkedAt } }", {"c": invite},
                     token=invitee["accessToken"])


async def test_together_serves_a_person_with_every_partner_and_no_more(api, recommender, internal):
    host = await register(api)
    others = [await register(api) for _ in range(limits.PARTNERS_MAX + 1)]
    mates, stranger = others[:-1], others[-1]
    for mate in mates:
        ok(await _link(api, host, mate))
    # One partner more is refused by the users service (FAILED_PRECONDITION -> BAD_USER_INPUT: a quota,
    # which waiting does not lift, is not RATE_LIMITED).
    assert code(await _link(api, host, stranger)) == "BAD_USER_INPUT"

    doc = "query($u: [ID!]!) { together(userIds: $u, first: 5) { score fits { score } } }"
    ids = [m["user"]["id"] for m in mates]
    md = auth.call_metadata(internal, host["user"]["id"])
    # Everyone: 8 people, served by both (the caller's own id named again counts once).
    picks = ok(await api(doc, {"u": ids}, token=host["accessToken"]))["together"]
    assert picks and all(len(p["fits"]) == limits.TOGETHER_GROUP_MAX for p in picks)
    ok(await api(doc, {"u": [host["user"]["id"], *ids]}, token=host["accessToken"]))
    assert await refused(recommender.Together(pb.TogetherRequest(user_ids=ids, first=5), metadata=md,
                                              timeout=30)) is None
    # One more person: refused by the gateway before any call, and by the recommender for its size
    # (before it looks at who the partners are: the stranger would be FORBIDDEN otherwise).
    more = [*ids, stranger["user"]["id"]]
    assert code(await api(doc, {"u": more}, token=host["accessToken"])) == "BAD_USER_INPUT"
    assert await refused(recommender.Together(pb.TogetherRequest(user_ids=more, first=5), metadata=md,
                                              timeout=30)) == grpc.StatusCode.INVALID_ARGUMENT
