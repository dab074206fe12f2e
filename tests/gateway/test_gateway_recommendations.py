"""The recommendation zones in the GraphQL API: the schema's shape; who may call what and the argument
checks, which answer before the recommender is asked (executed directly with a context whose
recommender is the not-yet-open stand-in, so anything that does reach it is UNAVAILABLE, and through
the FastAPI app with every backend at an address nothing listens on, counting calls in /metrics);
and the shaping of a recommender answer into `Recommendation`s."""

from __future__ import annotations

import re
from datetime import timedelta

import grpc
import httpx
import pytest
import strawberry
from graphql import build_schema as parse_sdl
from movierec.catalog.v1 import catalog_pb2
from movierec.common.v1 import common_pb2
from movierec.recommender.v1 import recommender_pb2
from movierec.users.v1 import users_pb2
from prometheus_client import REGISTRY
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from kit.auth import ensure_dev_secrets, load_private_key, load_public_key, sign_access_token
from kit.config import Settings
from services.gateway.app import create_app
from services.gateway.config import GatewayConfig
from services.gateway.context import GatewayContext
from services.gateway.errors import ErrorCode, from_grpc_error
from services.gateway.export_schema import sdl
from services.gateway.resolvers import recommendations as recs
from services.gateway.resources import gateway_resources
from services.gateway.schema import build_schema
from services.gateway.types.axis_weights import AxisWeights
from services.gateway.types.reason_kind import ReasonKind, reason_kind_from_proto
from services.gateway.types.recommendation import Recommendation
from services.gateway.types.zone import Zone, zone_from_proto

USER = "6f1c2b9e-5d4a-4c3b-9a8e-7f6d5c4b3a21"
PARTNER = "0b7e8a52-3c1d-4f6e-8a9b-1c2d3e4f5a6b"
SCHEMA = build_schema()


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# ---------------------------------------------------------------- shape


@pytest.mark.parametrize(
    "field",
    [
        "similar(movieId: ID!, first: Int = 20, weights: AxisWeights, includeSeen: Boolean = false):"
        " [Recommendation!]!",
        "hiddenGems(movieId: ID, first: Int = 20, maxPopularityPercentile: Float, includeSeen: Boolean = false):"
        " [Recommendation!]!",
        "forYou(first: Int = 20, includeSeen: Boolean = false): [Recommendation!]!",
        "vibe(text: String!, first: Int = 20, includeSeen: Boolean = false): VibeAnswer!",
        "together(userIds: [ID!]!, first: Int = 20, vibe: String = null): [Recommendation!]!",
        "togetherWithMood(userIds: [ID!]!, vibe: String!, first: Int = 20): VibeAnswer!",
        "onboarding(first: Int = 20): [Recommendation!]!",
    ],
)
def test_sdl_has_the_query_field(field):
    assert field in one_line(sdl())


def fields(schema, name: str) -> dict[str, str]:
    return {n: str(f.type) for n, f in schema.get_type(name).fields.items()}


def test_types_have_their_fields():
    schema = parse_sdl(sdl())
    assert fields(schema, "Reason") == {
        "kind": "ReasonKind!", "text": "String!", "movies": "[Movie!]!", "people": "[String!]!",
        "genres": "[String!]!", "users": "[User!]!", "weight": "Float!",
    }  # fmt: skip
    assert fields(schema, "Recommendation") == {
        "movie": "Movie!", "score": "Float!", "zone": "Zone!", "reasons": "[Reason!]!", "fits": "[MemberFit!]!",
        "modelVersion": "String!",
    }  # fmt: skip
    assert fields(schema, "MemberFit") == {"user": "User", "score": "Float!", "tasteKnown": "Boolean!"}
    assert fields(schema, "AxisWeights") == {"story": "Float", "people": "Float", "style": "Float", "genre": "Float"}
    assert fields(schema, "Movie")["popularityPercentile"] == "Float!"


def test_reason_kinds_mirror_the_contract():
    schema = parse_sdl(sdl())
    expected = [
        n.removeprefix("REASON_KIND_") for n in recommender_pb2.ReasonKind.keys() if not n.endswith("UNSPECIFIED")
    ]
    assert list(schema.get_type("ReasonKind").values) == expected
    assert expected[:3] == ["SIMILAR_STORY", "SHARED_DIRECTOR", "SHARED_CAST"] and expected[-1] == "EVENING_YES"
    for kind in ReasonKind:
        assert reason_kind_from_proto(recommender_pb2.ReasonKind.Value(f"REASON_KIND_{kind.name}")) is kind
    assert reason_kind_from_proto(recommender_pb2.REASON_KIND_UNSPECIFIED) is None
    assert reason_kind_from_proto(999) is None


def test_zones_from_the_contract():
    for zone in Zone:
        assert zone_from_proto(common_pb2.Zone.Value(f"ZONE_{zone.name}"), Zone.BROWSE) is zone
    assert zone_from_proto(common_pb2.ZONE_UNSPECIFIED, Zone.VIBE) is Zone.VIBE
    assert zone_from_proto(42, Zone.SIMILAR) is Zone.SIMILAR


# ---------------------------------------------------------------- checks before any call (executed directly)


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    secrets = tmp_path_factory.mktemp("secrets")
    ensure_dev_secrets(secrets)
    return load_private_key(secrets), load_public_key(secrets), secrets


def bearer(keys, minutes: float = 15) -> str:
    token, _ = sign_access_token(keys[0], USER, timedelta(minutes=minutes))
    return f"Bearer {token}"


async def run(query: str, authorization: str | None = None, public_key=None, variables: dict | None = None):
    # No catalogue, users or recommender: the stand-ins answer UNAVAILABLE to whatever reaches them.
    ctx = GatewayContext(None, public_key=public_key, authorization=authorization)
    return await SCHEMA.execute(query, variable_values=variables, context_value=ctx)


def codes(result) -> list[str]:
    return [e.extensions["code"] for e in result.errors or []]


PRIVATE = {
    "forYou": "{ forYou { score } }",
    "together": f'{{ together(userIds: ["{PARTNER}"]) {{ score }} }}',
    "onboarding": "{ onboarding { score } }",
    "hiddenGems": "{ hiddenGems { score } }",  # without movieId: anchored on the user
}
OPEN = {
    "similar": '{ similar(movieId: "603") { score } }',
    "vibe": '{ vibe(text: "slow, warm, rainy") { picks { score } } }',
    "hiddenGems": '{ hiddenGems(movieId: "603") { score } }',
}


@pytest.mark.parametrize("field", sorted(PRIVATE))
async def test_personal_zones_without_a_token_are_unauthenticated(field):
    result = await run(PRIVATE[field])
    assert codes(result) == ["UNAUTHENTICATED"]
    assert result.errors[0].message == "Authentication required."
    assert result.errors[0].path == [field]


@pytest.mark.parametrize("field", sorted(PRIVATE))
async def test_personal_zones_with_a_token_reach_the_recommender(keys, field):
    assert codes(await run(PRIVATE[field], bearer(keys), keys[1])) == ["UNAVAILABLE"]


@pytest.mark.parametrize("field", sorted(OPEN))
async def test_open_zones_take_anonymous_callers_but_not_bad_tokens(keys, field):
    query = OPEN[field]
    assert codes(await run(query)) == ["UNAVAILABLE"]  # anonymous: reached the recommender
    assert codes(await run(query, "  ")) == ["UNAVAILABLE"]  # a blank header is no header
    assert codes(await run(query, bearer(keys), keys[1])) == ["UNAVAILABLE"]
    expired = await run(query, bearer(keys, minutes=-5), keys[1])
    assert codes(expired) == ["UNAUTHENTICATED"]
    assert expired.errors[0].message == "Access token expired; refresh it."
    assert codes(await run(query, "Bearer not.a.token", keys[1])) == ["UNAUTHENTICATED"]
    assert codes(await run(query, "Basic dXNlcjpwYXNz", keys[1])) == ["UNAUTHENTICATED"]


BAD_INPUT = [
    '{ similar(movieId: "603", first: 0) { score } }',
    '{ similar(movieId: "603", first: 101) { score } }',
    '{ similar(movieId: "abc") { score } }',
    '{ similar(movieId: "603", weights: {story: 10.5}) { score } }',
    '{ similar(movieId: "603", weights: {people: -0.1}) { score } }',
    '{ similar(movieId: "603", weights: {story: 1, genre: 11}) { score } }',
    '{ hiddenGems(movieId: "603", maxPopularityPercentile: 100.5) { score } }',
    '{ hiddenGems(movieId: "603", maxPopularityPercentile: -1) { score } }',
    '{ hiddenGems(movieId: "603", first: -1) { score } }',
    '{ vibe(text: "") { picks { score } } }',
    '{ vibe(text: "   \\n\\t ") { picks { score } } }',
    '{ vibe(text: "' + "x" * 501 + '") { picks { score } } }',
    '{ vibe(text: "calm", first: 1000) { picks { score } } }',
    "{ forYou(first: 0) { score } }",
    "{ onboarding(first: 101) { score } }",
    f'{{ together(userIds: ["{PARTNER}"], first: 0) {{ score }} }}',
    '{ together(userIds: [" "]) { score } }',
    "{ together(userIds: [" + ",".join(f'"u{i}"' for i in range(21)) + "]) { score } }",
]


@pytest.mark.parametrize("query", BAD_INPUT)
async def test_bad_arguments_are_bad_user_input_before_any_call(keys, query):
    for authorization in (None, bearer(keys)):
        result = await run(query, authorization, keys[1])
        if authorization is None and query.lstrip("{ ").startswith(("forYou", "onboarding", "together")):
            assert codes(result) == ["UNAUTHENTICATED"], query  # who calls is checked first
        else:
            assert codes(result) == ["BAD_USER_INPUT"], query


async def test_arguments_at_their_limits_reach_the_recommender(keys):
    for query in (
        '{ similar(movieId: "603", first: 1, weights: {story: 0, people: 10, style: null}) { score } }',
        '{ similar(movieId: "603", first: 100, weights: {}, includeSeen: true) { score } }',
        '{ hiddenGems(movieId: "603", maxPopularityPercentile: 0) { score } }',
        '{ hiddenGems(movieId: "603", maxPopularityPercentile: 100, includeSeen: null) { score } }',
        '{ vibe(text: "  ' + "x" * 500 + '  ") { picks { score } } }',  # 500 after trimming
        f'{{ together(userIds: ["{PARTNER}", "{PARTNER}"]) {{ score }} }}',
    ):
        assert codes(await run(query, bearer(keys), keys[1])) == ["UNAVAILABLE"], query


def test_axis_weights_to_proto():
    assert AxisWeights().to_proto() is None  # none given: the recommender's defaults
    assert AxisWeights(story=None, genre=None).to_proto() is None
    weights = AxisWeights(story=0.0, people=10.0, genre=2.5).to_proto()
    assert weights == recommender_pb2.AxisWeights(story=0.0, people=10.0, genre=2.5)
    assert weights.HasField("story") and not weights.HasField("style")


def test_recommender_statuses_map_to_codes():
    def err(status: grpc.StatusCode, details: str) -> grpc.aio.AioRpcError:
        return grpc.aio.AioRpcError(status, grpc.aio.Metadata(), grpc.aio.Metadata(), details=details)

    for status, code in [
        (grpc.StatusCode.INVALID_ARGUMENT, ErrorCode.BAD_USER_INPUT),
        (grpc.StatusCode.PERMISSION_DENIED, ErrorCode.FORBIDDEN),
        (grpc.StatusCode.NOT_FOUND, ErrorCode.NOT_FOUND),
        (grpc.StatusCode.UNAUTHENTICATED, ErrorCode.UNAUTHENTICATED),
    ]:
        mapped = from_grpc_error(err(status, "Not your partner."))
        assert (mapped.code, mapped.message) == (code, "Not your partner.")
    mapped = from_grpc_error(err(grpc.StatusCode.UNAVAILABLE, "connect failed 10.0.0.3:50053"))
    assert mapped.code is ErrorCode.UNAVAILABLE and "10.0.0.3" not in mapped.message


# ---------------------------------------------------------------- through the app


def settings(**overrides) -> Settings:
    # Ports nothing listens on: whatever reaches a backend fails with UNAVAILABLE.
    return Settings(
        catalog_addr="127.0.0.1:1", users_addr="127.0.0.1:1", recommender_addr="127.0.0.1:1",
        redis_url="redis://127.0.0.1:1/0", nats_url="nats://127.0.0.1:1", **overrides,
    )  # fmt: skip


CONFIG = GatewayConfig(cache_enabled=False, nats_startup_wait_s=0.05, grpc_timeout_s=2.0)


def grpc_calls(method: str) -> float:
    """Calls of `method` the gateway made so far (any outcome), from its metrics."""
    total = 0.0
    for metric in REGISTRY.collect():
        if metric.name == "gateway_grpc_client_seconds":
            for sample in metric.samples:
                if sample.name.endswith("_count") and sample.labels.get("method") == method:
                    total += sample.value
    return total


@pytest.fixture
async def open_app(tmp_path):
    secrets = tmp_path / "secrets"
    ensure_dev_secrets(secrets)
    app = create_app(settings(secrets_dir=secrets), CONFIG)
    async with gateway_resources(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as c:
            yield c, load_private_key(secrets)


async def post(c: httpx.AsyncClient, query: str, authorization: str | None = None) -> dict:
    headers = {"authorization": authorization} if authorization is not None else {}
    r = await c.post("/graphql", json={"query": query}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def http_codes(body: dict) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors") or []]


async def test_calls_that_reach_the_recommender_and_those_that_do_not(open_app):
    c, key = open_app
    token, _ = sign_access_token(key, USER, timedelta(minutes=15))
    expired, _ = sign_access_token(key, USER, timedelta(minutes=-5))
    methods = ("Similar", "HiddenGems", "ForYou", "Vibe", "Together", "Onboarding")
    before = {m: grpc_calls(m) for m in methods}

    # Refused at the gateway: no call.
    assert http_codes(await post(c, "{ forYou { score } }")) == ["UNAUTHENTICATED"]
    assert http_codes(await post(c, f'{{ together(userIds: ["{PARTNER}"]) {{ score }} }}')) == ["UNAUTHENTICATED"]
    assert http_codes(await post(c, '{ similar(movieId: "603") { score } }', f"Bearer {expired}")) == [
        "UNAUTHENTICATED"
    ]
    assert http_codes(await post(c, '{ vibe(text: " ") { picks { score } } }')) == ["BAD_USER_INPUT"]
    assert {m: grpc_calls(m) for m in methods} == before

    # Reached the recommender (down): UNAVAILABLE, one call each.
    body = await post(c, '{ similar(movieId: "603") { movie { title } reasons { movies { id } users { id } } } }')
    assert http_codes(body) == ["UNAVAILABLE"] and body["data"] is None
    for query in ("{ forYou { score } }", "{ onboarding { score } }"):
        assert http_codes(await post(c, query, f"Bearer {token}")) == ["UNAVAILABLE"]
    after = {m: grpc_calls(m) for m in methods}
    assert after == {**before, "Similar": before["Similar"] + 1, "ForYou": before["ForYou"] + 1,
                     "Onboarding": before["Onboarding"] + 1}  # fmt: skip


async def test_healthz_reports_the_recommender(open_app):
    c, _ = open_app
    r = await c.get("/healthz")
    checks = r.json()["checks"]
    assert checks["recommender"].startswith("error")  # informational: the catalogue decides
    assert set(checks) == {"catalog", "users", "recommender", "redis", "nats"}


# ---------------------------------------------------------------- shaping an answer


def film(movie_id: int) -> catalog_pb2.Movie:
    return catalog_pb2.Movie(id=movie_id, title=f"Film {movie_id}", popularity_percentile=12.5)


class RecordingMovies:
    """A movie DataLoader over fixed films: records each batch it is asked for."""

    def __init__(self, known: set[int]) -> None:
        self.known = known
        self.batches: list[list[int]] = []

    async def load(self, ids: list[int]) -> list[catalog_pb2.Movie | None]:
        self.batches.append(list(ids))
        return [film(i) if i in self.known else None for i in ids]


class RecordingUsers:
    """A user DataLoader over fixed accounts: records each batch it is asked for."""

    def __init__(self, known: dict[str, str]) -> None:
        self.known = known
        self.batches: list[list[str]] = []

    async def load(self, ids: list[str]) -> list[users_pb2.User | None]:
        self.batches.append(list(ids))
        return [users_pb2.User(id=i, username=self.known[i]) if i in self.known else None for i in ids]


def answer() -> recommender_pb2.RecommendationList:
    def item(movie_id: int, zone: int, *reasons: recommender_pb2.Reason,
             fits: tuple[recommender_pb2.MemberFit, ...] = ()) -> recommender_pb2.Recommendation:
        return recommender_pb2.Recommendation(movie_id=movie_id, score=1.0 / movie_id, zone=zone, reasons=reasons,
                                              fits=fits)

    story = recommender_pb2.Reason(
        kind=recommender_pb2.REASON_KIND_SIMILAR_STORY, text="Like The Matrix.", movie_ids=[603, 603, 0], weight=0.7
    )
    people = recommender_pb2.Reason(
        kind=recommender_pb2.REASON_KIND_SHARED_DIRECTOR, text="Same director.", people=["Lana Wachowski"], weight=0.2
    )
    fits = recommender_pb2.Reason(
        kind=recommender_pb2.REASON_KIND_FITS_EVERYONE, text="Fits you both.", user_ids=[USER, PARTNER], weight=0.1
    )
    unknown = recommender_pb2.Reason(kind=99, text="From a newer recommender.")
    return recommender_pb2.RecommendationList(
        items=[
            item(604, common_pb2.ZONE_SIMILAR, story, people, unknown),
            item(999_999, common_pb2.ZONE_SIMILAR, story),  # not in the catalogue: left out
            item(605, common_pb2.ZONE_UNSPECIFIED, fits,  # zone: the field's
                 fits=(recommender_pb2.MemberFit(user_id=USER, score=0.9, taste_known=True),
                       recommender_pb2.MemberFit(user_id=PARTNER, score=0.7, taste_known=True))),
            *(item(700 + i, common_pb2.ZONE_SIMILAR) for i in range(18)),
        ],
        model_version="cf-2026-11-25",
    )


@pytest.mark.parametrize("with_reason_movies", [True, False])
async def test_answers_become_recommendations_with_one_film_batch(with_reason_movies):
    known = {603, 604, 605, *range(700, 718)}
    movies = RecordingMovies(known)
    users = RecordingUsers({USER: "ann"})
    ctx = GatewayContext(None)
    ctx.movie_loader = DataLoader(load_fn=movies.load)
    ctx.user_loader = DataLoader(load_fn=users.load)
    recs_ = await recs.to_recommendations(
        ctx, answer(), default_zone=Zone.SIMILAR, wants=recs.Wants(reason_movies=with_reason_movies, users=False)
    )
    items = [604, 999_999, 605, *range(700, 718)]
    assert movies.batches == [items + [603] if with_reason_movies else items]  # one batch, no duplicates
    assert users.batches == []  # not asked for
    assert [r.movie.id for r in recs_] == ["604", "605", *(str(i) for i in range(700, 718))]
    first, second = recs_[0], recs_[1]
    assert first.movie.title == "Film 604" and first.movie.popularity_percentile == 12.5
    assert first.score == pytest.approx(1 / 604) and first.zone is Zone.SIMILAR
    assert first.model_version == "cf-2026-11-25"
    assert [r.kind for r in first.reasons] == [ReasonKind.SIMILAR_STORY, ReasonKind.SHARED_DIRECTOR]  # unknown: dropped
    assert [m.id for m in first.reasons[0].movies] == (["603"] if with_reason_movies else [])
    assert first.reasons[0].weight == pytest.approx(0.7)
    assert first.reasons[1].people == ["Lana Wachowski"] and first.reasons[1].genres == []
    assert second.zone is Zone.SIMILAR  # UNSPECIFIED: the zone of the field that asked
    assert second.reasons[0].kind is ReasonKind.FITS_EVERYONE and second.reasons[0].users == []  # not asked for


async def test_an_empty_answer_loads_nothing():
    movies = RecordingMovies(set())
    ctx = GatewayContext(None)
    ctx.movie_loader = DataLoader(load_fn=movies.load)
    empty = recommender_pb2.RecommendationList()
    users = RecordingUsers({})
    ctx.user_loader = DataLoader(load_fn=users.load)
    assert await recs.to_recommendations(ctx, empty, default_zone=Zone.VIBE, wants=recs.Wants()) == []
    assert movies.batches == [] and users.batches == []


# ---------------------------------------------------------------- which films to load with the list

seen: list[bool] = []


@strawberry.type
class _Probe:
    @strawberry.field
    def probe(self, info: Info[GatewayContext, None]) -> list[Recommendation]:
        seen.append(recs.selects(info, "reasons", "movies"))
        return []


PROBE = strawberry.Schema(query=_Probe)


@pytest.mark.parametrize(
    "query,expected",
    [
        ("{ probe { score } }", False),
        ("{ probe { reasons { text } } }", False),
        ("{ probe { movie { title } } }", False),
        ("{ probe { reasons { movies { id } } } }", True),
        ("{ probe { reasons { m: movies { id } } } }", True),
        ("{ probe { ...F } } fragment F on Recommendation { reasons { movies { id } } }", True),
        ("{ probe { ... on Recommendation { reasons { ...R } } } } fragment R on Reason { movies { id } }", True),
    ],
)
async def test_reason_films_are_loaded_only_when_selected(query, expected):
    seen.clear()
    result = await PROBE.execute(query)
    assert result.errors is None
    assert seen == [expected]


wanted: list[recs.Wants] = []


@strawberry.type
class _WantsProbe:
    @strawberry.field
    def probe(self, info: Info[GatewayContext, None]) -> list[Recommendation]:
        wanted.append(recs.Wants.of(info))
        return []


@pytest.mark.parametrize(
    "query,expected",
    [
        ("{ probe { score reasons { text } fits { score } } }", recs.Wants(reason_movies=False, users=False)),
        ("{ probe { reasons { users { id } } } }", recs.Wants(reason_movies=False, users=True)),
        ("{ probe { fits { user { username } } } }", recs.Wants(reason_movies=False, users=True)),
        ("{ probe { ...F } } fragment F on Recommendation { fits { u: user { id } } reasons { movies { id } } }",
         recs.Wants(reason_movies=True, users=True)),
    ],
)
async def test_users_are_fetched_only_when_selected(query, expected):
    wanted.clear()
    result = await strawberry.Schema(query=_WantsProbe).execute(query)
    assert result.errors is None
    assert wanted == [expected]


# ---------------------------------------------------------------- reasons' films and users, resolved


@strawberry.type
class _ZoneProbe:
    @strawberry.field
    async def zone(self, info: Info[GatewayContext, None]) -> list[Recommendation]:
        return await recs.to_recommendations(
            info.context,
            answer(),
            default_zone=Zone.TOGETHER,
            wants=recs.Wants.of(info),
        )


ZONE_PROBE = strawberry.Schema(query=_ZoneProbe)


async def test_reasons_resolve_films_and_users_in_one_batch_each():
    movies = RecordingMovies({603, 604, 605, *range(700, 718)})
    users = RecordingUsers({USER: "ann"})  # PARTNER's account is gone
    ctx = GatewayContext(None)
    ctx.movie_loader = DataLoader(load_fn=movies.load)
    ctx.user_loader = DataLoader(load_fn=users.load)
    result = await ZONE_PROBE.execute(
        "{ zone { movie { id } zone reasons { kind movies { id title } users { id username } } } }", context_value=ctx
    )
    assert result.errors is None
    assert len(movies.batches) == 1 and len(users.batches) == 1  # the reasons' films came with the list
    assert users.batches == [[USER, PARTNER]]
    first, second = result.data["zone"][:2]
    assert first["reasons"][0] == {
        "kind": "SIMILAR_STORY", "movies": [{"id": "603", "title": "Film 603"}], "users": [],
    }  # fmt: skip
    assert second["zone"] == "TOGETHER" and second["reasons"][0]["users"] == [{"id": USER, "username": "ann"}]
    assert len(result.data["zone"]) == 20


async def test_fits_users_come_in_the_same_batch_and_a_gone_account_is_null():
    movies = RecordingMovies({603, 604, 605, *range(700, 718)})
    users = RecordingUsers({USER: "ann"})  # PARTNER's account is gone
    ctx = GatewayContext(None)
    ctx.movie_loader = DataLoader(load_fn=movies.load)
    ctx.user_loader = DataLoader(load_fn=users.load)
    result = await ZONE_PROBE.execute("{ zone { fits { score user { username } } } }", context_value=ctx)
    assert result.errors is None
    assert users.batches == [[USER, PARTNER]] and movies.batches == [[604, 999_999, 605, *range(700, 718)]]
    assert result.data["zone"][1]["fits"] == [{"score": 0.9, "user": {"username": "ann"}},
                                              {"score": pytest.approx(0.7), "user": None}]
    assert all(r["fits"] == [] for i, r in enumerate(result.data["zone"]) if i != 1)


async def test_no_users_are_fetched_when_none_are_selected():
    movies = RecordingMovies({603, 604, 605, *range(700, 718)})
    users = RecordingUsers({USER: "ann"})
    ctx = GatewayContext(None)
    ctx.movie_loader = DataLoader(load_fn=movies.load)
    ctx.user_loader = DataLoader(load_fn=users.load)
    result = await ZONE_PROBE.execute("{ zone { fits { score } reasons { kind movies { id } } } }", context_value=ctx)
    assert result.errors is None and len(result.data["zone"]) == 20
    assert users.batches == [] and len(movies.batches) == 1
