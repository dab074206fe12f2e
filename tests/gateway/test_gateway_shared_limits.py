"""The limits that the gateway and a service both check (kit/limits.py) hold at the same boundary on
both sides: the limit is accepted by both, one more is refused by both (the gateway with BAD_USER_INPUT
before any call, the service with INVALID_ARGUMENT), and both count the same way (a Vibe text after
trimming, a search query as the catalogue matches it, Together's people with the caller).

Gateway side: the real schema with stand-in backends that record what reaches them. Service side: the
real checks of the recommender's servicer (with stand-in zones, tastes and answer cache), the catalogue's
search and the users service's comment pages. tests/integration/test_shared_limits.py does the same
against the running services, partner links included.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from movierec.catalog.v1 import catalog_pb2
from movierec.recommender.v1 import recommender_pb2 as pb

from kit import auth, limits
from kit.auth import ensure_dev_secrets, load_private_key, load_public_key, sign_access_token
from kit.errors import InvalidArgument
from services.catalog import search
from services.gateway.context import GatewayContext
from services.gateway.schema import build_schema
from services.recommender.servicer import RecommenderServicer
from services.recommender.zones import normalise_weights
from services.users import comments
from services.users.config import UsersConfig

USER = "6f1c2b9e-5d4a-4c3b-9a8e-7f6d5c4b3a21"
SCHEMA = build_schema()
GROUP, PAGE, VIBE, QUERY = (limits.TOGETHER_GROUP_MAX, limits.PAGE_SIZE_MAX, limits.VIBE_TEXT_MAX_CHARS,
                            limits.SEARCH_QUERY_MAX_CHARS)


def partners(n: int) -> list[str]:
    return [f"partner-{i}" for i in range(n)]


# ---------------------------------------------------------------- the gateway, with recording backends


class Backends:
    """Stand-in catalogue and recommender: each call is recorded and answered with an empty list."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    async def search_movies(self, request):  # noqa: ANN001, ANN201
        self.calls.append(("SearchMovies", request.query, request.page_size))
        return catalog_pb2.SearchMoviesResponse()

    async def for_you(self, user_id, first, *, include_seen=False):  # noqa: ANN001, ANN201
        self.calls.append(("ForYou", first))
        return pb.RecommendationList()

    async def similar(self, user_id, movie_id, first, *, weights=None, include_seen=False):  # noqa: ANN001, ANN201
        self.calls.append(("Similar", weights))
        return pb.RecommendationList()

    async def vibe(self, user_id, text, first, *, include_seen=False):  # noqa: ANN001, ANN201
        self.calls.append(("Vibe", text))
        return pb.RecommendationList()

    async def together(self, user_id, user_ids, first, *, vibe=None):  # noqa: ANN001, ANN201
        self.calls.append(("Together", list(user_ids), vibe))
        return pb.RecommendationList()


@pytest.fixture(scope="module")
def token(tmp_path_factory):
    secrets = tmp_path_factory.mktemp("secrets")
    ensure_dev_secrets(secrets)
    signed, _ = sign_access_token(load_private_key(secrets), USER, timedelta(minutes=15))
    return load_public_key(secrets), f"Bearer {signed}"


async def gateway_accepts(token, query: str, variables: dict) -> bool:
    """True when the document reached its backend without an error; False when the gateway refused it
    with BAD_USER_INPUT and called nothing."""
    backends = Backends()
    ctx = GatewayContext(backends, recommender=backends, public_key=token[0], authorization=token[1])  # type: ignore[arg-type]
    result = await SCHEMA.execute(query, variable_values=variables, context_value=ctx)
    codes = [e.extensions["code"] for e in result.errors or []]
    if codes:
        assert codes == ["BAD_USER_INPUT"] and backends.calls == [], (codes, backends.calls)
        return False
    assert len(backends.calls) == 1
    return True


# ---------------------------------------------------------------- the recommender's servicer


class Zones:
    async def for_you(self, taste, k, include_seen):  # noqa: ANN001, ANN201
        return []

    async def vibe(self, text, k, taste, include_seen):  # noqa: ANN001, ANN201
        return []

    async def together(self, caller, members, k, vibe=None):  # noqa: ANN001, ANN201
        return []


class Tastes:
    """Every user is a partner of everyone: only the servicer's counting can refuse."""

    async def get(self, user_id, generation):  # noqa: ANN001, ANN201
        return SimpleNamespace(user_id=user_id, partners=frozenset(partners(3 * GROUP)))


class NoAnswerCache:
    async def of(self, users):  # noqa: ANN001, ANN201
        return None


SERVICER = RecommenderServicer(Zones(), Tastes(), NoAnswerCache(), lambda: SimpleNamespace(version="test"))  # type: ignore[arg-type]
CALLER = SimpleNamespace(invocation_metadata=lambda: [(auth.MD_USER_ID, USER)])


async def service_accepts(call, request) -> bool:  # noqa: ANN001
    try:
        await call(request, CALLER)
    except InvalidArgument:
        return False
    return True


# ---------------------------------------------------------------- the limits


FOR_YOU = "query($f: Int) { forYou(first: $f) { score } }"


@pytest.mark.parametrize(("first", "accepted"), [(1, True), (PAGE, True), (PAGE + 1, False)])
async def test_page_size(token, first, accepted):
    assert await gateway_accepts(token, FOR_YOU, {"f": first}) is accepted
    assert await service_accepts(SERVICER.ForYou, pb.ForYouRequest(first=first)) is accepted
    if accepted:
        assert comments._page_size(first) == first
        assert search.MAX_PAGE_SIZE == limits.PAGE_SIZE_MAX
    else:
        with pytest.raises(InvalidArgument):
            comments._page_size(first)


def test_an_unset_page_size_is_the_same_default_everywhere():
    assert comments._page_size(0) == limits.PAGE_SIZE_DEFAULT
    assert search.DEFAULT_PAGE_SIZE == limits.PAGE_SIZE_DEFAULT
    query = SCHEMA._schema.query_type
    assert query is not None and query.fields["forYou"].args["first"].default_value == limits.PAGE_SIZE_DEFAULT


VIBE_DOC = "query($t: String!) { vibe(text: $t) { picks { score } } }"


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("x" * VIBE, True),
        ("  \n" + "x" * VIBE + " \t", True),  # counted after trimming: the padding does not count
        ("x" * (VIBE - 2) + "  ", True),
        ("x " * (VIBE // 2) + "x", False),  # inner whitespace counts
        ("x" * (VIBE + 1), False),
        (" \n ", False),  # nothing left after trimming
    ],
)
async def test_vibe_text(token, text, accepted):
    assert await gateway_accepts(token, VIBE_DOC, {"t": text}) is accepted
    assert await service_accepts(SERVICER.Vibe, pb.VibeRequest(text=text)) is accepted


def test_a_vibe_text_in_characters_not_bytes():
    text = "é" * VIBE  # 1,000 bytes of UTF-8, 500 characters
    assert len(limits.vibe_text(text)) == VIBE


TOGETHER = "query($u: [ID!]!) { together(userIds: $u) { score } }"


@pytest.mark.parametrize(
    ("user_ids", "accepted"),
    [
        (partners(1), True),
        (partners(GROUP - 1), True),  # 8 people with the caller
        ([USER, *partners(GROUP - 1)], True),  # the caller named again counts once
        (partners(GROUP - 1) + partners(GROUP - 1), True),  # so do repeated partners
        (partners(GROUP), False),  # 9 people
    ],
)
async def test_together_group(token, user_ids, accepted):
    assert await gateway_accepts(token, TOGETHER, {"u": user_ids}) is accepted
    assert await service_accepts(SERVICER.Together, pb.TogetherRequest(user_ids=user_ids)) is accepted


TOGETHER_VIBE = "query($u: [ID!]!, $v: String) { together(userIds: $u, vibe: $v) { score } }"
TOGETHER_MOOD = "query($u: [ID!]!, $v: String!) { togetherWithMood(userIds: $u, vibe: $v) { picks { score } } }"


@pytest.mark.parametrize(
    ("vibe", "accepted"),
    [
        ("x" * VIBE, True),
        ("  \n" + "x" * VIBE + " \t", True),  # counted after trimming, as a Vibe text
        ("x " * (VIBE // 2) + "x", False),  # inner whitespace counts
        ("x" * (VIBE + 1), False),
        (" \n ", True),  # blank: no mood (Together without one)
    ],
)
async def test_together_vibe(token, vibe, accepted):
    assert await gateway_accepts(token, TOGETHER_VIBE, {"u": partners(1), "v": vibe}) is accepted
    assert await service_accepts(SERVICER.Together, pb.TogetherRequest(user_ids=partners(1), vibe=vibe)) is accepted
    # togetherWithMood needs a mood, as `vibe` needs a text
    needed = accepted and bool(vibe.strip())
    assert await gateway_accepts(token, TOGETHER_MOOD, {"u": partners(1), "v": vibe}) is needed


async def test_together_sends_the_mood_trimmed_and_none_when_blank(token):
    for vibe, sent in (("  a tense heist  ", "a tense heist"), (" ", None), (None, None)):
        backends = Backends()
        ctx = GatewayContext(backends, recommender=backends, public_key=token[0], authorization=token[1])  # type: ignore[arg-type]
        result = await SCHEMA.execute(TOGETHER_VIBE, variable_values={"u": partners(1), "v": vibe}, context_value=ctx)
        assert not result.errors and backends.calls == [("Together", partners(1), sent)]


def test_a_person_can_watch_with_every_partner_at_once():
    assert UsersConfig().max_partners == limits.PARTNERS_MAX == GROUP - 1


SEARCH = "query($q: String!) { searchMovies(query: $q) { totalCount } }"


@pytest.mark.parametrize(
    ("query", "accepted"),
    [
        ("a" * QUERY, True),
        ("  " + "a" * QUERY + "  ", True),  # counted as the catalogue matches it: ends trimmed
        ("a" + " " * 50 + "a" * (QUERY - 2), True),  # a run of spaces counts as one
        ("a" * (QUERY + 1), False),
    ],
)
async def test_search_query(token, query, accepted):
    assert await gateway_accepts(token, SEARCH, {"q": query}) is accepted
    try:
        search.normalise_query(query)
    except InvalidArgument:
        assert not accepted
    else:
        assert accepted


SIMILAR = 'query($w: AxisWeights) { similar(movieId: "603", weights: $w) { score } }'


@pytest.mark.parametrize(("weight", "accepted"), [(0.5, True), (limits.AXIS_WEIGHT_MAX, True),
                                                  (limits.AXIS_WEIGHT_MAX + 0.01, False)])
async def test_axis_weight(token, weight, accepted):
    assert await gateway_accepts(token, SIMILAR, {"w": {"story": weight}}) is accepted
    try:
        normalise_weights({"story": weight, "people": None, "style": None, "genre": None})
    except InvalidArgument:
        assert not accepted
    else:
        assert accepted
