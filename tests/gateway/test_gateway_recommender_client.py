"""The recommender client (and the users client's GetUsers): what each call sends (method, request,
metadata), seen by a client interceptor on a real channel to a port nothing listens on, so every
call fails as a real outage does."""

from __future__ import annotations

import grpc
import pytest
from movierec.recommender.v1 import recommender_pb2
from movierec.users.v1 import users_pb2

from kit.auth import MD_INTERNAL_TOKEN, MD_USER_ID
from services.gateway.clients.not_open import NotOpen
from services.gateway.clients.recommender import RecommenderClient
from services.gateway.clients.users import UsersClient
from services.gateway.errors import ErrorCode, Unavailable

TOKEN = "internal-token-0123456789"
USER = "6f1c2b9e-5d4a-4c3b-9a8e-7f6d5c4b3a21"
PARTNER = "0b7e8a52-3c1d-4f6e-8a9b-1c2d3e4f5a6b"


class Recorder(grpc.aio.UnaryUnaryClientInterceptor):
    """Records each outgoing call, then lets it go on (to a port nothing listens on)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, object, dict[str, str]]] = []

    async def intercept_unary_unary(self, continuation, client_call_details, request):
        method = client_call_details.method
        method = method.decode() if isinstance(method, bytes) else method
        md = {k: v for k, v in (client_call_details.metadata or ())}
        service, name = method.lstrip("/").rsplit("/", 1)
        self.calls.append((service, name, request, md))
        return await continuation(client_call_details, request)


@pytest.fixture
async def channel_and_recorder():
    recorder = Recorder()
    channel = grpc.aio.insecure_channel("127.0.0.1:1", interceptors=[recorder])
    try:
        yield channel, recorder
    finally:
        await channel.close()


@pytest.fixture
async def recorded(channel_and_recorder):
    channel, recorder = channel_and_recorder
    return RecommenderClient(channel, TOKEN, timeout_s=2.0, max_in_flight=4), recorder


async def call(recorder: Recorder, coro) -> tuple[str, str, object, dict[str, str]]:
    with pytest.raises(grpc.aio.AioRpcError) as e:
        await coro
    assert e.value.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)
    return recorder.calls[-1]


WEIGHTS = recommender_pb2.AxisWeights(story=8, people=0, genre=2.5)

CASES = [
    (lambda c, u: c.similar(u, 603, 20), "Similar", recommender_pb2.SimilarRequest(movie_id=603, first=20)),
    (lambda c, u: c.similar(u, 603, 5, weights=WEIGHTS, include_seen=True), "Similar",
     recommender_pb2.SimilarRequest(movie_id=603, first=5, weights=WEIGHTS, include_seen=True)),
    (lambda c, u: c.hidden_gems(u, 603, 20), "HiddenGems", recommender_pb2.HiddenGemsRequest(movie_id=603, first=20)),
    (lambda c, u: c.hidden_gems(u, 603, 10, max_popularity_percentile=30.5, include_seen=True), "HiddenGems",
     recommender_pb2.HiddenGemsRequest(movie_id=603, first=10, max_popularity_percentile=30.5, include_seen=True)),
    (lambda c, u: c.vibe(u, "rainy sunday, slow and warm", 20), "Vibe",
     recommender_pb2.VibeRequest(text="rainy sunday, slow and warm", first=20)),
    (lambda c, u: c.vibe(u, "x", 3, include_seen=True), "Vibe",
     recommender_pb2.VibeRequest(text="x", first=3, include_seen=True)),
]  # fmt: skip

PERSONAL = [
    (lambda c: c.for_you(USER, 20), "ForYou", recommender_pb2.ForYouRequest(first=20)),
    (lambda c: c.for_you(USER, 7, include_seen=True), "ForYou",
     recommender_pb2.ForYouRequest(first=7, include_seen=True)),
    (lambda c: c.hidden_gems(USER, None, 20), "HiddenGems", recommender_pb2.HiddenGemsRequest(first=20)),
    (lambda c: c.together(USER, [PARTNER], 20), "Together",
     recommender_pb2.TogetherRequest(user_ids=[PARTNER], first=20)),
    (lambda c: c.together(USER, [PARTNER], 20, vibe="a tense heist"), "Together",
     recommender_pb2.TogetherRequest(user_ids=[PARTNER], first=20, vibe="a tense heist")),
    (lambda c: c.onboarding(USER, 30), "Onboarding", recommender_pb2.OnboardingRequest(first=30)),
]  # fmt: skip


@pytest.mark.parametrize("user", [USER, None], ids=["signed-in", "anonymous"])
@pytest.mark.parametrize("invoke,method,request_", CASES)
async def test_open_zones_send_the_user_only_when_there_is_one(recorded, invoke, method, request_, user):
    client, recorder = recorded
    service, sent_method, sent_request, md = await call(recorder, invoke(client, user))
    assert service == "movierec.recommender.v1.RecommenderService"
    assert sent_method == method
    assert sent_request == request_
    if user is None:
        assert md == {MD_INTERNAL_TOKEN: TOKEN}  # anonymous: no x-user-id at all
    else:
        assert md == {MD_INTERNAL_TOKEN: TOKEN, MD_USER_ID: USER}


@pytest.mark.parametrize("invoke,method,request_", PERSONAL)
async def test_personal_zones_send_the_user(recorded, invoke, method, request_):
    client, recorder = recorded
    _, sent_method, sent_request, md = await call(recorder, invoke(client))
    assert sent_method == method
    assert sent_request == request_
    assert md == {MD_INTERNAL_TOKEN: TOKEN, MD_USER_ID: USER}


async def test_unset_optionals_stay_unset(recorded):
    client, recorder = recorded
    *_, request, _ = await call(recorder, client.similar(None, 603, 20))
    assert not request.HasField("weights")  # the recommender's default weights
    *_, request, _ = await call(recorder, client.hidden_gems(USER, None, 20))
    assert not request.HasField("movie_id") and not request.HasField("max_popularity_percentile")
    *_, request, _ = await call(recorder, client.hidden_gems(None, 603, 20, max_popularity_percentile=0.0))
    assert request.HasField("max_popularity_percentile") and request.max_popularity_percentile == 0.0
    *_, request, _ = await call(recorder, client.similar(None, 603, 20, weights=WEIGHTS))
    assert request.weights.HasField("people") and not request.weights.HasField("style")


async def test_failures_are_grpc_errors_with_their_status(recorded):
    client, _ = recorded
    with pytest.raises(grpc.aio.AioRpcError) as e:
        await client.for_you(USER, 20)
    assert e.value.code() is grpc.StatusCode.UNAVAILABLE


async def test_not_open_recommender_is_unavailable():
    recommender = NotOpen()
    for name in ("similar", "hidden_gems", "for_you", "vibe", "together", "onboarding"):
        with pytest.raises(Unavailable) as e:
            await getattr(recommender, name)(USER, 20)
        assert e.value.code is ErrorCode.UNAVAILABLE
    with pytest.raises(AttributeError):
        recommender._private  # noqa: B018


async def test_get_users_sends_only_the_internal_token(channel_and_recorder):
    channel, recorder = channel_and_recorder
    users = UsersClient(channel, TOKEN, timeout_s=2.0, max_in_flight=4)
    service, method, request, md = await call(recorder, users.get_users([USER, PARTNER]))
    assert (service, method) == ("movierec.users.v1.UsersService", "GetUsers")
    assert request == users_pb2.GetUsersRequest(ids=[USER, PARTNER])
    assert md == {MD_INTERNAL_TOKEN: TOKEN}
