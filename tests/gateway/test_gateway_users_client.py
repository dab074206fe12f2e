"""The users client: what each call sends (method, request, metadata), seen by a client interceptor on
a real channel to a port nothing listens on, so every call fails as a real outage does; and the
conversion of the users service's messages to GraphQL types."""

from __future__ import annotations

from datetime import UTC, datetime

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from movierec.common.v1 import common_pb2
from movierec.users.v1 import users_pb2

from kit.auth import MD_INTERNAL_TOKEN, MD_USER_ID
from services.gateway.clients.not_open import NotOpen
from services.gateway.clients.users import MOVIE_ACTIONS, UsersClient
from services.gateway.errors import ErrorCode, Unavailable
from services.gateway.types.auth_payload import AuthPayload
from services.gateway.types.comment_connection import CommentConnection
from services.gateway.types.me import Me
from services.gateway.types.zone import Zone, zone_to_proto

TOKEN = "internal-token-0123456789"
USER = "6f1c2b9e-5d4a-4c3b-9a8e-7f6d5c4b3a21"


class Recorder(grpc.aio.UnaryUnaryClientInterceptor):
    """Records each outgoing call, then lets it go on (to a port nothing listens on)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object, dict[str, str]]] = []

    async def intercept_unary_unary(self, continuation, client_call_details, request):
        method = client_call_details.method
        method = method.decode() if isinstance(method, bytes) else method
        md = {k: v for k, v in (client_call_details.metadata or ())}
        self.calls.append((method.rsplit("/", 1)[-1], request, md))
        return await continuation(client_call_details, request)


@pytest.fixture
async def recorded():
    recorder = Recorder()
    channel = grpc.aio.insecure_channel("127.0.0.1:1", interceptors=[recorder])
    try:
        yield UsersClient(channel, TOKEN, timeout_s=2.0, max_in_flight=4), recorder
    finally:
        await channel.close()


async def call(recorder: Recorder, coro) -> tuple[str, object, dict[str, str]]:
    with pytest.raises(grpc.aio.AioRpcError) as e:
        await coro
    assert e.value.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)
    return recorder.calls[-1]


ZONE = common_pb2.ZONE_FOR_YOU


@pytest.mark.parametrize(
    "invoke,method,request_,user",
    [
        (lambda c: c.register("ann", "pw-123456"), "Register",
         users_pb2.RegisterRequest(username="ann", password="pw-123456"), None),
        (lambda c: c.login("ann", "pw", "10.0.0.9"), "Login",
         users_pb2.LoginRequest(username="ann", password="pw", client_address="10.0.0.9"), None),
        (lambda c: c.refresh_token("rt"), "RefreshToken", users_pb2.RefreshTokenRequest(refresh_token="rt"), None),
        (lambda c: c.logout("rt"), "Logout", users_pb2.LogoutRequest(refresh_token="rt"), None),
        (lambda c: c.list_comments(603, 20, "tok"), "ListComments",
         users_pb2.ListCommentsRequest(movie_id=603, page_size=20, page_token="tok"), None),
        (lambda c: c.batch_list_comments([603, 550], 5), "BatchListComments",
         users_pb2.BatchListCommentsRequest(movie_ids=[603, 550], first_per_movie=5), None),
        (lambda c: c.change_password(USER, "a", "b"), "ChangePassword",
         users_pb2.ChangePasswordRequest(current_password="a", new_password="b"), USER),
        (lambda c: c.delete_account(USER, "pw"), "DeleteAccount", users_pb2.DeleteAccountRequest(password="pw"), USER),
        (lambda c: c.get_state(USER), "GetState", users_pb2.GetStateRequest(), USER),
        (lambda c: c.rate_movie(USER, 603, 4.5, ZONE), "RateMovie",
         users_pb2.RateMovieRequest(movie_id=603, value=4.5, zone=ZONE), USER),
        (lambda c: c.add_comment(USER, 603, "hi"), "AddComment",
         users_pb2.AddCommentRequest(movie_id=603, body="hi"), USER),
        (lambda c: c.edit_comment(USER, "c1", "hey"), "EditComment",
         users_pb2.EditCommentRequest(id="c1", body="hey"), USER),
        (lambda c: c.delete_comment(USER, "c1"), "DeleteComment", users_pb2.DeleteCommentRequest(id="c1"), USER),
        (lambda c: c.create_invite(USER), "CreateInvite", users_pb2.CreateInviteRequest(), USER),
        (lambda c: c.accept_invite(USER, "CODE"), "AcceptInvite", users_pb2.AcceptInviteRequest(code="CODE"), USER),
        (lambda c: c.unlink_partner(USER, "u2"), "UnlinkPartner",
         users_pb2.UnlinkPartnerRequest(partner_id="u2"), USER),
    ],
)  # fmt: skip
async def test_calls_send_the_internal_token_and_the_acting_user(recorded, invoke, method, request_, user):
    client, recorder = recorded
    sent_method, sent_request, md = await call(recorder, invoke(client))
    assert sent_method == method
    assert sent_request == request_
    assert md[MD_INTERNAL_TOKEN] == TOKEN
    if user is None:
        assert MD_USER_ID not in md  # identity calls and public reads act for nobody
    else:
        assert md[MD_USER_ID] == user


@pytest.mark.parametrize("action,method", sorted(MOVIE_ACTIONS.items()))
async def test_movie_actions(recorded, action, method):
    client, recorder = recorded
    sent_method, sent_request, md = await call(recorder, getattr(client, action)(USER, 27205, ZONE))
    assert sent_method == method
    assert sent_request == users_pb2.MovieActionRequest(movie_id=27205, zone=ZONE)
    assert md == {MD_INTERNAL_TOKEN: TOKEN, MD_USER_ID: USER}


async def test_failures_are_grpc_errors_with_their_status(recorded):
    client, _ = recorded
    with pytest.raises(grpc.aio.AioRpcError) as e:
        await client.get_state(USER)
    assert e.value.code() is grpc.StatusCode.UNAVAILABLE


async def test_not_open_users_is_unavailable():
    users = NotOpen()
    for name in ("get_state", "login", "list_comments", "movie_action"):
        with pytest.raises(Unavailable) as e:
            await getattr(users, name)("x")
        assert e.value.code is ErrorCode.UNAVAILABLE
    with pytest.raises(AttributeError):
        users._private  # noqa: B018


# ---------------------------------------------------------------- conversions


def ts(seconds: int) -> Timestamp:
    return Timestamp(seconds=seconds)


def test_zones_map_by_name_and_default_to_browse():
    assert zone_to_proto(None) == common_pb2.ZONE_BROWSE
    for zone in Zone:
        assert zone_to_proto(zone) == common_pb2.Zone.Value(f"ZONE_{zone.name}")
    assert {z.name for z in Zone} == {n[len("ZONE_") :] for n in common_pb2.Zone.keys()} - {"UNSPECIFIED"}


def test_me_from_state():
    user = users_pb2.User(id=USER, username="ann")
    partner = users_pb2.User(id="u2", username="bob")
    state = users_pb2.UserState(
        user=user,
        ratings=[users_pb2.Rating(movie_id=603, value=4.5, rated_at=ts(1_700_000_000))],
        favorite_ids=[603, 27205],
        watchlist=[users_pb2.WatchlistEntry(movie_id=155, added_at=ts(1_700_000_100))],
        watched_ids=[13],
        dismissed_ids=[],
        partners=[users_pb2.Partner(user=partner, linked_at=ts(1_700_000_200))],
    )
    me = Me.from_proto(state)
    assert (me.id, me.username) == (USER, "ann")
    assert [(r.movie_id, r.value, r.rated_at) for r in me.state.ratings] == [
        ("603", 4.5, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC))
    ]
    assert me.state.favorite_ids == ["603", "27205"]
    assert me.state.watchlist_ids == ["155"] and me.state.watchlist[0].added_at.tzinfo is UTC
    assert me.state.watched_ids == ["13"] and me.state.dismissed_ids == []
    assert [(p.user.id, p.user.username) for p in me.partners] == [("u2", "bob")]


def test_auth_payload_from_response():
    resp = users_pb2.AuthResponse(
        access_token="a.b.c", refresh_token="r", access_expires_at=ts(1_700_000_000),
        user=users_pb2.User(id=USER, username="ann"),
    )  # fmt: skip
    payload = AuthPayload.from_proto(resp)
    assert payload.access_token == "a.b.c" and payload.refresh_token == "r"
    assert payload.access_token_expires_at == datetime.fromtimestamp(1_700_000_000, UTC)
    assert (payload.user.id, payload.user.username) == (USER, "ann")


def test_comment_connection_passes_the_page_token_through():
    author = users_pb2.User(id=USER, username="ann")
    resp = users_pb2.ListCommentsResponse(
        comments=[
            users_pb2.Comment(id="c2", movie_id=603, author=author, body="second", created_at=ts(20), edited_at=ts(30)),
            users_pb2.Comment(id="c1", movie_id=603, author=author, body="first", created_at=ts(10)),
        ],
        has_next_page=True,
        next_page_token="opaque token/+=",
        total_count=7,
    )
    conn = CommentConnection.from_proto(resp, after_given=False)
    assert [n.id for n in conn.nodes] == [e.node.id for e in conn.edges] == ["c2", "c1"]
    assert conn.page_info.end_cursor == "opaque token/+=" and conn.page_info.has_next_page
    assert [e.cursor for e in conn.edges] == [None, "opaque token/+="]
    assert not conn.page_info.has_previous_page and conn.total_count == 7
    assert conn.nodes[0].edited_at == datetime.fromtimestamp(30, UTC)
    assert conn.nodes[1].edited_at is None
    assert conn.nodes[1].movie_id == "603" and conn.nodes[1].author.username == "ann"

    last = CommentConnection.from_proto(users_pb2.ListCommentsResponse(total_count=0), after_given=True)
    assert last.edges == [] and last.page_info.end_cursor is None and last.page_info.has_previous_page
