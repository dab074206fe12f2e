"""Calls that create something take a client idempotency key (kit/idempotency.py): a retry after a lost
answer creates nothing twice, concurrent repeats included, and a key reused for another request is
refused. Against the real users service and its PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid

import grpc
import pytest
from movierec.users.v1 import users_pb2 as pb

from kit import auth

FILM = 603  # The Matrix: in every catalogue the tests load


async def _user(users, internal) -> tuple[str, tuple]:
    reg = await users.Register(pb.RegisterRequest(username=f"i{uuid.uuid4().hex[:12]}", password="pass-word-1"),
                               metadata=auth.call_metadata(internal))
    return reg.user.id, auth.call_metadata(internal, reg.user.id)


async def _comments_of(pool, author: str) -> list:
    return await pool.fetch("SELECT id, body FROM users.comments WHERE author_id = $1", author)


async def test_a_repeated_add_comment_stores_one_comment_and_answers_it(users, internal, pool):
    me, md = await _user(users, internal)
    key = str(uuid.uuid4())
    ask = pb.AddCommentRequest(movie_id=FILM, body="Red pill, every time.", idempotency_key=key)
    first = await users.AddComment(ask, metadata=md)
    again = await users.AddComment(ask, metadata=md)
    assert again.id == first.id and again.body == first.body
    # five concurrent repeats of a new key (a client retrying while the first is in flight): one row
    racing = pb.AddCommentRequest(movie_id=FILM, body="Blue pill.", idempotency_key=str(uuid.uuid4()))
    answers = await asyncio.gather(*(users.AddComment(racing, metadata=md) for _ in range(5)))
    assert len({a.id for a in answers}) == 1
    assert sorted(r["body"] for r in await _comments_of(pool, me)) == ["Blue pill.", "Red pill, every time."]
    # an edit after the first call: the repeat answers the comment as it is now, and stores nothing
    await users.EditComment(pb.EditCommentRequest(id=first.id, body="Red pill, on second thought."), metadata=md)
    assert (await users.AddComment(ask, metadata=md)).body == "Red pill, on second thought."
    assert len(await _comments_of(pool, me)) == 2
    # without a key, every call is a new comment
    plain = pb.AddCommentRequest(movie_id=FILM, body="No key.")
    await users.AddComment(plain, metadata=md)
    await users.AddComment(plain, metadata=md)
    assert len(await _comments_of(pool, me)) == 4


async def test_a_key_reused_for_another_comment_or_malformed_is_refused(users, internal, pool):
    me, md = await _user(users, internal)
    key = str(uuid.uuid4())
    await users.AddComment(pb.AddCommentRequest(movie_id=FILM, body="first", idempotency_key=key), metadata=md)
    for other in (pb.AddCommentRequest(movie_id=FILM, body="second", idempotency_key=key),
                  pb.AddCommentRequest(movie_id=550, body="first", idempotency_key=key)):
        with pytest.raises(grpc.aio.AioRpcError) as e:
            await users.AddComment(other, metadata=md)
        assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert "already used for a different comment" in e.value.details()
    for bad in ("short", "x" * 65, "has space in it", "é" * 10):
        with pytest.raises(grpc.aio.AioRpcError) as e:
            await users.AddComment(pb.AddCommentRequest(movie_id=FILM, body="b", idempotency_key=bad), metadata=md)
        assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert "idempotency key" in e.value.details()
    assert [r["body"] for r in await _comments_of(pool, me)] == ["first"]
    # the key is the author's own: someone else's comment under the same key is a comment of theirs
    other, other_md = await _user(users, internal)
    theirs = await users.AddComment(pb.AddCommentRequest(movie_id=FILM, body="second", idempotency_key=key),
                                    metadata=other_md)
    assert theirs.author.id == other and theirs.body == "second"


async def test_a_repeated_create_invite_answers_the_same_code_and_opens_one_invite(users, internal, pool):
    me, md = await _user(users, internal)
    key = str(uuid.uuid4())
    ask = pb.CreateInviteRequest(idempotency_key=key)
    answers = await asyncio.gather(*(users.CreateInvite(ask, metadata=md) for _ in range(3)))
    assert len({a.code for a in answers}) == 1 and len({a.expires_at.ToDatetime() for a in answers}) == 1
    assert await pool.fetchval("SELECT count(*) FROM users.invites WHERE inviter_id = $1", me) == 1
    # another key (or none) is another invite with another code
    other = await users.CreateInvite(pb.CreateInviteRequest(idempotency_key=str(uuid.uuid4())), metadata=md)
    plain = await users.CreateInvite(pb.CreateInviteRequest(), metadata=md)
    assert len({answers[0].code, other.code, plain.code}) == 3
    # the same key from another user is that user's own invite
    _, their_md = await _user(users, internal)
    assert (await users.CreateInvite(ask, metadata=their_md)).code != answers[0].code
    # the code works, once; a repeat after it was used says so instead of opening another
    partner_id, partner_md = await _user(users, internal)
    linked = await users.AcceptInvite(pb.AcceptInviteRequest(code=answers[0].code), metadata=partner_md)
    assert linked.user.id == me
    with pytest.raises(grpc.aio.AioRpcError) as e:
        await users.CreateInvite(ask, metadata=md)
    assert e.value.code() == grpc.StatusCode.FAILED_PRECONDITION and "already used" in e.value.details()
    assert await pool.fetchval("SELECT count(*) FROM users.invites WHERE inviter_id = $1", me) == 3


ADD = ("mutation($m: ID!, $b: String!, $k: String) { addComment(movieId: $m, body: $b, idempotencyKey: $k)"
       " { id body } }")
INVITE = "mutation($k: String) { createInvite(idempotencyKey: $k) { code } }"


async def test_through_graphql_a_retry_with_the_key_creates_nothing_twice(api, pool):
    reg = await api('mutation($u: String!) { register(username: $u, password: "pass-word-1")'
                    " { accessToken user { id } } }", {"u": f"g{uuid.uuid4().hex[:12]}"})
    token, me = reg["data"]["register"]["accessToken"], reg["data"]["register"]["user"]["id"]
    key = str(uuid.uuid4())
    first, again = [await api(ADD, {"m": str(FILM), "b": "Whoa.", "k": key}, token) for _ in range(2)]
    assert first["data"]["addComment"] == again["data"]["addComment"]
    assert len(await _comments_of(pool, me)) == 1
    reused = await api(ADD, {"m": str(FILM), "b": "Not whoa.", "k": key}, token)
    assert reused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    malformed = await api(ADD, {"m": str(FILM), "b": "x", "k": "no"}, token)
    assert malformed["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    invite_key = str(uuid.uuid4())
    codes = {(await api(INVITE, {"k": invite_key}, token))["data"]["createInvite"]["code"] for _ in range(2)}
    assert len(codes) == 1
