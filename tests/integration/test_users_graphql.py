"""Accounts, the user's film state, comments, partners and the interaction stream, end to end:
GraphQL -> gateway -> users service -> PostgreSQL + outbox -> JetStream."""

from __future__ import annotations

import asyncio
import base64
import random
import uuid
from datetime import timedelta

import pytest
from movierec.users.v1 import events_pb2
from prometheus_client.parser import text_string_to_metric_families

from kit import auth, bus
from tests.integration.conftest import eventually, feedback_events

# It stops NATS under writes: runs after the browser flows, alone (tests/conftest.py).
pytestmark = pytest.mark.exclusive

GODFATHER, MATRIX, FIGHT_CLUB, PULP_FICTION, INCEPTION = 238, 603, 550, 680, 27205
PASSWORD = "pass-word-1"
STATE = "me { id username state { ratings { movieId value } favoriteIds watchlistIds watchedIds dismissedIds } }"


def code(body: dict) -> str:
    assert body.get("errors"), body
    return body["errors"][0]["extensions"]["code"]


def ok(body: dict) -> dict:
    assert "errors" not in body, body["errors"]
    return body["data"]


async def register(api, name: str | None = None) -> dict:
    name = name or f"u{uuid.uuid4().hex[:12]}"
    data = ok(await api(
        "mutation($u: String!, $p: String!) { register(username: $u, password: $p) {"
        " accessToken refreshToken user { id username } } }", {"u": name, "p": PASSWORD}))
    return data["register"]


async def state(api, token: str) -> dict:
    return ok(await api(f"{{ {STATE} }}", token=token))["me"]


async def test_register_login_and_state_in_one_round_trip(api, gql):
    reg = await register(api)
    assert reg["user"]["username"].startswith("u") and reg["accessToken"] and reg["refreshToken"]
    login = ok(await api("mutation($u: String!, $p: String!) { login(username: $u, password: $p) {"
                         " accessToken refreshToken user { id username } } }",
                         {"u": reg["user"]["username"].upper(), "p": PASSWORD}))["login"]  # names: any case
    assert login["user"] == reg["user"]
    t = login["accessToken"]

    ok(await api('mutation { rateMovie(movieId: "238", value: 4.5, zone: FOR_YOU) { movieId value } }', token=t))
    ok(await api('mutation { rateMovie(movieId: "603", value: 3, zone: HIDDEN_GEMS) { value } }', token=t))
    ok(await api('mutation { rateMovie(movieId: "603", value: 3.5) { value } }', token=t))  # edited
    assert ok(await api('mutation { addFavorite(movieId: "238", zone: SIMILAR) }', token=t))["addFavorite"] is True
    assert ok(await api('mutation { addFavorite(movieId: "238") }', token=t))["addFavorite"] is False
    ok(await api('mutation { addToWatchlist(movieId: "550", zone: VIBE) }', token=t))
    ok(await api('mutation { addToWatchlist(movieId: "680") }', token=t))
    ok(await api('mutation { markWatched(movieId: "680") }', token=t))  # leaves the watchlist
    ok(await api('mutation { dismissMovie(movieId: "27205", zone: TOGETHER) }', token=t))

    before = await _grpc_calls(gql, "GetState")
    doc = ("{ me { id username partners { user { id } } state { ratings { movieId value } favoriteIds watchlistIds"
           " watchedIds dismissedIds } } }")
    me = ok(await api(doc, token=t))["me"]
    assert await _grpc_calls(gql, "GetState") == before + 1  # one gRPC call fills the whole screen
    assert me["id"] == reg["user"]["id"] and me["username"] == reg["user"]["username"]
    s = me["state"]
    assert sorted((r["movieId"], r["value"]) for r in s["ratings"]) == [("238", 4.5), ("603", 3.5)]
    assert s["favoriteIds"] == ["238"] and s["watchlistIds"] == ["550"] and s["watchedIds"] == ["680"]
    assert s["dismissedIds"] == ["27205"] and me["partners"] == []

    ok(await api('mutation { clearRating(movieId: "603") }', token=t))
    ok(await api('mutation { undismissMovie(movieId: "27205") }', token=t))
    ok(await api('mutation { removeFavorite(movieId: "238") }', token=t))
    ok(await api('mutation { removeFromWatchlist(movieId: "550") }', token=t))
    s = (await state(api, t))["state"]
    assert [r["movieId"] for r in s["ratings"]] == ["238"]
    assert s["favoriteIds"] == s["watchlistIds"] == s["dismissedIds"] == []


async def _grpc_calls(gql, method: str) -> float:
    text = (await gql.client.get("/metrics")).text
    return sum(s.value for f in text_string_to_metric_families(text) if f.name == "gateway_grpc_client_seconds"
               for s in f.samples if s.name.endswith("_count") and s.labels.get("method") == method)


async def test_private_fields_need_a_valid_token(api, stack):
    reg = await register(api)
    secrets_dir = stack.base / "secrets"
    expired, _ = auth.sign_access_token(auth.load_private_key(secrets_dir), reg["user"]["id"], timedelta(minutes=-5))
    head, body, sig = reg["accessToken"].split(".")
    forged_body = body[:-3] + ("AAA" if body[-3:] != "AAA" else "BBB")
    bad_tokens = [None, "not-a-jwt", expired, f"{head}.{forged_body}.{sig}", reg["refreshToken"]]
    for token in bad_tokens:
        for doc in ["{ me { id } }", 'mutation { rateMovie(movieId: "238", value: 5) { value } }',
                    'mutation { addComment(movieId: "238", body: "hi") { id } }', "mutation { createInvite { code } }",
                    'mutation { dismissMovie(movieId: "238") }', 'mutation { openMovie(movieId: "238") }']:
            assert code(await api(doc, token=token)) == "UNAUTHENTICATED", (doc, token)
    expired_body = await api("{ me { id } }", token=expired)
    assert "expired" in expired_body["errors"][0]["message"].lower()
    # nothing was written for the user the tokens named
    s = (await state(api, reg["accessToken"]))["state"]
    assert s["ratings"] == [] and s["dismissedIds"] == []
    # public fields work without a token
    assert ok(await api('{ movie(id: "238") { title } }'))["movie"]["title"] == "The Godfather"


async def test_bad_input_gets_codes_and_changes_nothing(api):
    reg = await register(api)
    t = reg["accessToken"]
    ok(await api('mutation { rateMovie(movieId: "238", value: 4) { value } }', token=t))
    for value in [0, 5.5, 4.2, -1]:
        body = await api("mutation($v: Float!) { rateMovie(movieId: \"238\", value: $v) { value } }", {"v": value},
                         token=t)
        assert code(body) == "BAD_USER_INPUT" and "0.5" in body["errors"][0]["message"]
    assert code(await api('mutation { rateMovie(movieId: "999999999", value: 4) { value } }', token=t)) == "NOT_FOUND"
    assert code(await api('mutation { addFavorite(movieId: "999999999") }', token=t)) == "NOT_FOUND"
    assert code(await api('mutation { rateMovie(movieId: "abc", value: 4) { value } }', token=t)) == "BAD_USER_INPUT"
    long = "x" * 2001
    assert code(await api("mutation($b: String!) { addComment(movieId: \"238\", body: $b) { id } }", {"b": long},
                          token=t)) == "BAD_USER_INPUT"
    assert code(await api('mutation { addComment(movieId: "238", body: "   ") { id } }', token=t)) == "BAD_USER_INPUT"
    s = (await state(api, t))["state"]
    assert s["ratings"] == [{"movieId": "238", "value": 4.0}] and s["favoriteIds"] == []
    comments = ok(await api('{ movie(id: "238") { comments(first: 100) { nodes { author { id } } } } }'))
    assert reg["user"]["id"] not in {c["author"]["id"] for c in comments["movie"]["comments"]["nodes"]}

    reg_doc = "mutation($u: String!, $p: String!) { register(username: $u, password: $p) { user { id } } }"
    for u, p in [("ab", PASSWORD), ("has space", PASSWORD), ("x" * 33, PASSWORD), ("validname", "short"),
                 ("validname", "p" * 257), (reg["user"]["username"], PASSWORD)]:
        assert code(await api(reg_doc, {"u": u, "p": p})) == "BAD_USER_INPUT", (u, p)


async def test_login_errors_do_not_reveal_accounts(api):
    reg = await register(api)
    login = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }"
    wrong = await api(login, {"u": reg["user"]["username"], "p": "wrong-password"})
    missing = await api(login, {"u": f"nobody{uuid.uuid4().hex[:10]}", "p": "wrong-password"})
    imported = await api(login, {"u": "ml:1", "p": "wrong-password"})
    assert code(wrong) == code(missing) == code(imported) == "UNAUTHENTICATED"
    assert wrong["errors"][0]["message"] == missing["errors"][0]["message"] == imported["errors"][0]["message"]


async def test_refresh_rotates_and_reuse_revokes_the_session(api):
    reg = await register(api)
    refresh = "mutation($r: String!) { refreshToken(refreshToken: $r) { accessToken refreshToken user { id } } }"
    first = ok(await api(refresh, {"r": reg["refreshToken"]}))["refreshToken"]
    assert first["user"]["id"] == reg["user"]["id"] and first["refreshToken"] != reg["refreshToken"]
    assert (await state(api, first["accessToken"]))["id"] == reg["user"]["id"]
    # the replaced token is presented again: the whole family is revoked, the newest token too
    assert code(await api(refresh, {"r": reg["refreshToken"]})) == "UNAUTHENTICATED"
    assert code(await api(refresh, {"r": first["refreshToken"]})) == "UNAUTHENTICATED"
    assert code(await api(refresh, {"r": "garbage"})) == "UNAUTHENTICATED"

    # logout ends a session
    login = ok(await api("mutation($u: String!, $p: String!) { login(username: $u, password: $p) { refreshToken } }",
                         {"u": reg["user"]["username"], "p": PASSWORD}))["login"]
    assert ok(await api("mutation($r: String!) { logout(refreshToken: $r) }", {"r": login["refreshToken"]}))
    assert code(await api(refresh, {"r": login["refreshToken"]})) == "UNAUTHENTICATED"


async def test_comments_crud_pagination_and_ownership(api):
    alice, bob = await register(api), await register(api)
    film = INCEPTION
    add = ("mutation($m: ID!, $b: String!) { addComment(movieId: $m, body: $b) {"
           " id body createdAt author { id username } } }")
    bodies = [f"<b>take {i}</b> & 'quotes'" for i in range(5)]
    made = [ok(await api(add, {"m": str(film), "b": b}, token=alice["accessToken"]))["addComment"] for b in bodies]
    assert made[0]["body"] == bodies[0] and made[0]["author"] == alice["user"]  # stored as given
    bob_c = ok(await api(add, {"m": str(film), "b": "bob here"}, token=bob["accessToken"]))["addComment"]

    page_q = """query($m: ID!, $after: String) { movie(id: $m) { comments(first: 2, after: $after) {
        totalCount nodes { id body } pageInfo { hasNextPage endCursor } } } }"""
    seen, after = [], None
    while True:
        conn = ok(await api(page_q, {"m": str(film), "after": after}))["movie"]["comments"]
        seen += [n["id"] for n in conn["nodes"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    mine = [bob_c["id"], *[c["id"] for c in reversed(made)]]  # newest first
    assert [i for i in seen if i in set(mine)] == mine and conn["totalCount"] >= 6

    edit = "mutation($id: ID!, $b: String!) { editComment(id: $id, body: $b) { id body editedAt } }"
    delete = "mutation($id: ID!) { deleteComment(id: $id) }"
    assert code(await api(edit, {"id": made[0]["id"], "b": "hijack"}, token=bob["accessToken"])) == "FORBIDDEN"
    assert code(await api(delete, {"id": made[0]["id"]}, token=bob["accessToken"])) == "FORBIDDEN"
    assert code(await api(edit, {"id": made[0]["id"], "b": "y" * 2001}, token=alice["accessToken"])) == "BAD_USER_INPUT"
    edited = ok(await api(edit, {"id": made[0]["id"], "b": "better"}, token=alice["accessToken"]))["editComment"]
    assert edited["body"] == "better" and edited["editedAt"]
    assert ok(await api(delete, {"id": made[1]["id"]}, token=alice["accessToken"]))["deleteComment"] is True
    assert code(await api(delete, {"id": made[1]["id"]}, token=alice["accessToken"])) == "NOT_FOUND"
    assert code(await api(delete, {"id": "not-a-uuid"}, token=alice["accessToken"])) == "BAD_USER_INPUT"
    nodes = ok(await api(page_q.replace("first: 2", "first: 100"), {"m": str(film)}))["movie"]["comments"]["nodes"]
    by_id = {n["id"]: n["body"] for n in nodes}
    assert made[1]["id"] not in by_id and by_id[made[0]["id"]] == "better" and by_id[bob_c["id"]] == "bob here"
    assert code(await api('{ movie(id: "27205") { comments(first: 0) { totalCount } } }')) == "BAD_USER_INPUT"
    assert code(await api('{ movie(id: "27205") { comments(after: "garbage") { totalCount } } }')) == "BAD_USER_INPUT"
    # found by test_graphql_fuzz.py: a time that has no UTC value was INTERNAL (asyncpg's OverflowError)
    forged = base64.urlsafe_b64encode(f"0001-01-01T00:00:00+14:00|{uuid.uuid4()}".encode()).decode()
    assert code(await api('query($a: String) { movie(id: "27205") { comments(after: $a) { totalCount } } }',
                          {"a": forged})) == "BAD_USER_INPUT"


async def test_partners_by_invite_code(api, nc):
    alice, bob, carol = await register(api), await register(api), await register(api)
    linked = []

    async def on_linked(m):
        linked.append(events_pb2.PartnerLinkChanged.FromString(m.data))

    sub = await nc.subscribe(bus.USERS_PARTNER_LINKED, cb=on_linked)
    invite = ok(await api("mutation { createInvite { code expiresAt } }", token=alice["accessToken"]))["createInvite"]
    accept = "mutation($c: String!) { acceptInvite(code: $c) { user { id username } linkedAt } }"
    assert code(await api(accept, {"c": invite["code"]}, token=alice["accessToken"])) == "BAD_USER_INPUT"  # own
    partner = ok(await api(accept, {"c": invite["code"].lower()}, token=bob["accessToken"]))["acceptInvite"]
    assert partner["user"] == alice["user"]
    assert code(await api(accept, {"c": invite["code"]}, token=carol["accessToken"])) == "NOT_FOUND"  # single use
    assert code(await api(accept, {"c": "??"}, token=carol["accessToken"])) == "BAD_USER_INPUT"
    partners_q = "{ me { partners { user { id } } } }"
    for me, other in ((alice, bob), (bob, alice)):
        assert ok(await api(partners_q, token=me["accessToken"]))["me"]["partners"] == [
            {"user": {"id": other["user"]["id"]}}]
    await eventually(lambda: _ready({(e.user_id, e.partner_id) for e in linked} >= {
        (alice["user"]["id"], bob["user"]["id"]), (bob["user"]["id"], alice["user"]["id"])}))
    await sub.unsubscribe()

    unlink = "mutation($u: ID!) { unlinkPartner(userId: $u) }"
    assert code(await api(unlink, {"u": carol["user"]["id"]}, token=alice["accessToken"])) == "NOT_FOUND"
    assert ok(await api(unlink, {"u": alice["user"]["id"]}, token=bob["accessToken"]))["unlinkPartner"] is True
    assert ok(await api(partners_q, token=alice["accessToken"]))["me"]["partners"] == []


async def _ready(value):
    return value


async def test_interactions_go_to_zone_subjects(api, nc):
    reg = await register(api)
    t, uid = reg["accessToken"], reg["user"]["id"]
    ok(await api('mutation { rateMovie(movieId: "238", value: 4.5, zone: HIDDEN_GEMS) { value } }', token=t))
    ok(await api('mutation { dismissMovie(movieId: "603", zone: FOR_YOU) }', token=t))
    ok(await api('mutation { openMovie(movieId: "550", zone: SIMILAR) }', token=t))
    ok(await api('mutation { addToWatchlist(movieId: "680", zone: VIBE) }', token=t))
    ok(await api('mutation { addToWatchlist(movieId: "680", zone: VIBE) }', token=t))  # no change: no event
    ok(await api('mutation { addFavorite(movieId: "27205", zone: TOGETHER) }', token=t))
    ok(await api('mutation { markWatched(movieId: "680") }', token=t))

    async def all_there():
        evs = await feedback_events(nc, {uid})
        return evs if len(evs) >= 6 else None

    evs = await eventually(all_there, timeout=15)
    assert [s for s, _, _ in evs] == [
        "feedback.hidden_gems.rated", "feedback.for_you.dismissed", "feedback.similar.opened",
        "feedback.vibe.watchlisted", "feedback.together.favourited", "feedback.browse.watched"]
    rated = evs[0][1]
    assert (rated.user_id, rated.movie_id, rated.value, rated.zone) == (uid, 238, 4.5, 2)
    assert rated.occurred_at.seconds > 0 and rated.idempotency_key == evs[0][2]
    assert len({k for _, _, k in evs}) == 6


async def test_concurrent_ratings_and_the_stream_agree_through_a_nats_outage(api, stack, pool, nc):
    """120 concurrent rating writes by 4 users on 10 films, NATS stopped for the middle of the run:
    every write is in the table, exactly one event per write is in the stream, and the last event
    of each (user, film) carries the value the table holds."""
    users = [await register(api) for _ in range(4)]
    films = [r["id"] for r in await pool.fetch(
        "SELECT id FROM catalog.movies ORDER BY vote_count DESC, id LIMIT 10")]
    values = [1.0, 2.5, 4.0]  # every write of a pair differs from all others: each one is a change
    jobs = [(u, f, v) for u in users for f in films for v in values]
    random.Random(7).shuffle(jobs)
    doc = "mutation($m: ID!, $v: Float!) { rateMovie(movieId: $m, value: $v, zone: FOR_YOU) { value } }"
    gate = asyncio.Semaphore(12)

    async def write(job):
        u, f, v = job
        async with gate:
            return ok(await api(doc, {"m": str(f), "v": v}, token=u["accessToken"]))

    half = len(jobs) // 2
    await asyncio.gather(*(write(j) for j in jobs[:half // 2]))
    stack.nats.stop()
    try:
        await asyncio.gather(*(write(j) for j in jobs[half // 2 : half + half // 2]))
    finally:
        stack.nats.start()
    await asyncio.gather(*(write(j) for j in jobs[half + half // 2 :]))

    ids = {u["user"]["id"] for u in users}
    table = {(r["user_id"], r["movie_id"]): r["value"] for r in await pool.fetch(
        "SELECT user_id, movie_id, value FROM users.ratings WHERE user_id = ANY($1::text[])", list(ids))}
    assert len(table) == 40

    async def drained():
        evs = await feedback_events(nc, ids)
        return evs if len(evs) >= len(jobs) else None

    evs = await eventually(drained, timeout=30, interval=0.5)
    assert len(evs) == len(jobs)  # none lost, none twice
    assert len({k for _, _, k in evs}) == len(jobs)
    assert {(e.user_id, e.movie_id, e.value) for _, e, _ in evs} == set(
        (u["user"]["id"], f, v) for u, f, v in jobs)
    last = {}
    for _, e, _ in evs:  # stream order
        last[(e.user_id, e.movie_id)] = e.value
    assert last == table
    assert await pool.fetchval("SELECT count(*) FROM users.outbox WHERE published_at IS NULL") == 0


async def test_change_password_and_delete_account(api, pool, nc):
    reg = await register(api)
    t, uid = reg["accessToken"], reg["user"]["id"]
    ok(await api('mutation { rateMovie(movieId: "238", value: 5) { value } }', token=t))
    ok(await api('mutation { addComment(movieId: "238", body: "mine") { id } }', token=t))
    change = "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }"
    assert code(await api(change, {"c": "wrong-password", "n": "new-pass-word"}, token=t)) == "FORBIDDEN"
    assert code(await api(change, {"c": PASSWORD, "n": "short"}, token=t)) == "BAD_USER_INPUT"
    assert ok(await api(change, {"c": PASSWORD, "n": "new-pass-word"}, token=t))["changePassword"] is True
    login = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }"
    assert code(await api(login, {"u": reg["user"]["username"], "p": PASSWORD})) == "UNAUTHENTICATED"
    ok(await api(login, {"u": reg["user"]["username"], "p": "new-pass-word"}))
    refresh = "mutation($r: String!) { refreshToken(refreshToken: $r) { accessToken } }"
    assert code(await api(refresh, {"r": reg["refreshToken"]})) == "UNAUTHENTICATED"  # sessions ended

    deleted = []

    async def on_deleted(m):
        deleted.append(events_pb2.AccountDeleted.FromString(m.data).user_id)

    sub = await nc.subscribe(bus.USERS_ACCOUNT_DELETED, cb=on_deleted)
    delete = "mutation($p: String!) { deleteAccount(password: $p) }"
    assert code(await api(delete, {"p": PASSWORD}, token=t)) == "FORBIDDEN"
    assert ok(await api(delete, {"p": "new-pass-word"}, token=t))["deleteAccount"] is True
    for table, col in [("accounts", "id"), ("ratings", "user_id"), ("comments", "author_id"),
                       ("refresh_tokens", "user_id")]:
        assert await pool.fetchval(f"SELECT count(*) FROM users.{table} WHERE {col} = $1", uid) == 0
    assert code(await api(login, {"u": reg["user"]["username"], "p": "new-pass-word"})) == "UNAUTHENTICATED"
    assert code(await api("{ me { id } }", token=t)) == "UNAUTHENTICATED"  # a still-unexpired token
    await eventually(lambda: _ready(uid in deleted))
    await sub.unsubscribe()
