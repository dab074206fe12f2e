"""Accounts, auth and film state in the GraphQL API: the schema's shape, and through the FastAPI app
(httpx.ASGITransport) the paths that never reach the users service: no token, a bad or expired token,
bad arguments. With the resources open, the backends are addresses nothing listens on, so whatever
does reach them fails as a real outage does (UNAVAILABLE), and /metrics says which calls were made."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta
from types import SimpleNamespace

import httpx
import pytest
from graphql import build_schema as parse_sdl
from movierec.catalog.v1 import catalog_pb2
from prometheus_client import REGISTRY

from kit.auth import ensure_dev_secrets, load_private_key, sign_access_token
from kit.config import Settings
from services.gateway.app import create_app
from services.gateway.config import GatewayConfig
from services.gateway.context import GatewayContext
from services.gateway.errors import BadUserInput
from services.gateway.export_schema import sdl
from services.gateway.resources import gateway_resources, open_resources
from services.gateway.types.movie import Movie

USER = "6f1c2b9e-5d4a-4c3b-9a8e-7f6d5c4b3a21"


def one_line(text: str) -> str:
    """The SDL without descriptions, on one line."""
    return re.sub(r"\s+", " ", re.sub(r'"""[\s\S]*?"""', "", text))


# ---------------------------------------------------------------- shape


@pytest.mark.parametrize(
    "field",
    [
        "me: Me",
        "comments(first: Int = 20, after: String): CommentConnection!",
        "register(username: String!, password: String!): AuthPayload!",
        "login(username: String!, password: String!): AuthPayload!",
        "refreshToken(refreshToken: String!): AuthPayload!",
        "logout(refreshToken: String!): Boolean!",
        "changePassword(currentPassword: String!, newPassword: String!): Boolean!",
        "deleteAccount(password: String!): Boolean!",
        "rateMovie(movieId: ID!, value: Float!, zone: Zone): UserRating!",
        "clearRating(movieId: ID!, zone: Zone): Boolean!",
        "addFavorite(movieId: ID!, zone: Zone): Boolean!",
        "removeFavorite(movieId: ID!, zone: Zone): Boolean!",
        "addToWatchlist(movieId: ID!, zone: Zone): Boolean!",
        "removeFromWatchlist(movieId: ID!, zone: Zone): Boolean!",
        "markWatched(movieId: ID!, zone: Zone): Boolean!",
        "dismissMovie(movieId: ID!, zone: Zone): Boolean!",
        "undismissMovie(movieId: ID!, zone: Zone): Boolean!",
        "openMovie(movieId: ID!, zone: Zone): Boolean!",
        "addComment( movieId: ID! body: String! idempotencyKey: String = null ): Comment!",
        "editComment(id: ID!, body: String!): Comment!",
        "deleteComment(id: ID!): Boolean!",
        "createInvite( idempotencyKey: String = null ): Invite!",
        "acceptInvite(code: String!): Partner!",
        "unlinkPartner(userId: ID!): Boolean!",
    ],
)
def test_sdl_has_the_field(field):
    assert field in one_line(sdl())


def fields(schema, name: str) -> dict[str, str]:
    return {n: str(f.type) for n, f in schema.get_type(name).fields.items()}


def test_types_have_their_fields():
    schema = parse_sdl(sdl())
    assert list(schema.get_type("Zone").values) == ["SIMILAR", "HIDDEN_GEMS", "FOR_YOU", "VIBE", "TOGETHER", "BROWSE"]
    assert fields(schema, "User") == {"id": "ID!", "username": "String!"}
    assert fields(schema, "AuthPayload") == {
        "accessToken": "String!", "refreshToken": "String!", "accessTokenExpiresAt": "DateTime!", "user": "User!",
    }  # fmt: skip
    assert fields(schema, "Me") == {
        "id": "ID!", "username": "String!", "state": "UserState!", "partners": "[Partner!]!",
    }  # fmt: skip
    assert fields(schema, "UserState") == {
        "ratings": "[UserRating!]!", "favoriteIds": "[ID!]!", "watchlistIds": "[ID!]!",
        "watchlist": "[WatchlistEntry!]!", "watchedIds": "[ID!]!", "dismissedIds": "[ID!]!",
    }  # fmt: skip
    assert fields(schema, "UserRating") == {
        "movieId": "ID!", "value": "Float!", "ratedAt": "DateTime!", "movie": "Movie",
    }  # fmt: skip
    assert fields(schema, "WatchlistEntry") == {"movieId": "ID!", "addedAt": "DateTime!", "movie": "Movie"}
    assert fields(schema, "Partner") == {"user": "User!", "linkedAt": "DateTime!"}
    assert fields(schema, "Invite") == {"code": "String!", "expiresAt": "DateTime!"}
    assert fields(schema, "Comment") == {
        "id": "ID!", "body": "String!", "author": "User!", "createdAt": "DateTime!", "editedAt": "DateTime",
        "movieId": "ID!",
    }  # fmt: skip
    assert fields(schema, "CommentConnection") == {
        "edges": "[CommentEdge!]!", "nodes": "[Comment!]!", "pageInfo": "PageInfo!", "totalCount": "Int!",
    }  # fmt: skip
    assert fields(schema, "CommentEdge") == {"node": "Comment!", "cursor": "String"}
    page = fields(schema, "PageInfo")
    assert page["hasNextPage"] == "Boolean!" and page["endCursor"] == "String"


# ---------------------------------------------------------------- through the app


def settings(**overrides) -> Settings:
    # Ports nothing listens on: whatever reaches a backend fails with UNAVAILABLE.
    return Settings(
        catalog_addr="127.0.0.1:1", users_addr="127.0.0.1:1", redis_url="redis://127.0.0.1:1/0",
        nats_url="nats://127.0.0.1:1", **overrides,
    )  # fmt: skip


CONFIG = GatewayConfig(cache_enabled=False, nats_startup_wait_s=0.05, grpc_timeout_s=2.0)


def client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway")


async def post(c: httpx.AsyncClient, query: str, token: str | None = None, header: str | None = None) -> dict:
    headers = {"authorization": header if header is not None else f"Bearer {token}"} if (token or header) else {}
    r = await c.post("/graphql", json={"query": query}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def codes(body: dict) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors") or []]


def grpc_calls(method: str) -> float:
    """Calls of `method` the gateway made so far (any outcome), from its metrics."""
    total = 0.0
    for metric in REGISTRY.collect():
        if metric.name == "gateway_grpc_client_seconds":
            for sample in metric.samples:
                if sample.name.endswith("_count") and sample.labels.get("method") == method:
                    total += sample.value
    return total


PRIVATE = {
    "me": "{ me { id username state { favoriteIds } partners { linkedAt } } }",
    "changePassword": 'mutation { changePassword(currentPassword: "a", newPassword: "b") }',
    "deleteAccount": 'mutation { deleteAccount(password: "a") }',
    "rateMovie": 'mutation { rateMovie(movieId: "603", value: 4.5) { value } }',
    "clearRating": 'mutation { clearRating(movieId: "603") }',
    "addFavorite": 'mutation { addFavorite(movieId: "603", zone: FOR_YOU) }',
    "removeFavorite": 'mutation { removeFavorite(movieId: "603") }',
    "addToWatchlist": 'mutation { addToWatchlist(movieId: "603") }',
    "removeFromWatchlist": 'mutation { removeFromWatchlist(movieId: "603") }',
    "markWatched": 'mutation { markWatched(movieId: "603") }',
    "dismissMovie": 'mutation { dismissMovie(movieId: "603", zone: HIDDEN_GEMS) }',
    "undismissMovie": 'mutation { undismissMovie(movieId: "603") }',
    "openMovie": 'mutation { openMovie(movieId: "603", zone: SIMILAR) }',
    "addComment": 'mutation { addComment(movieId: "603", body: "great") { id } }',
    "editComment": 'mutation { editComment(id: "c1", body: "greater") { id } }',
    "deleteComment": 'mutation { deleteComment(id: "c1") }',
    "createInvite": "mutation { createInvite { code expiresAt } }",
    "acceptInvite": 'mutation { acceptInvite(code: "X") { user { id } } }',
    "unlinkPartner": 'mutation { unlinkPartner(userId: "u2") }',
}


@pytest.mark.parametrize("field", sorted(PRIVATE))
async def test_private_fields_without_a_token_are_unauthenticated(field):
    app = create_app(settings(), GatewayConfig())
    async with client(app) as c:
        body = await post(c, PRIVATE[field])
    assert codes(body) == ["UNAUTHENTICATED"]
    assert body["errors"][0]["message"] == "Authentication required."
    assert body["errors"][0]["path"] == [field]
    if field == "me":
        assert body["data"] == {"me": None}


async def test_a_malformed_header_is_unauthenticated():
    app = create_app(settings(), GatewayConfig())
    async with client(app) as c:
        body = await post(c, "{ me { id } }", header="Basic dXNlcjpwYXNz")
    assert codes(body) == ["UNAUTHENTICATED"]
    assert "Bearer" in body["errors"][0]["message"]


async def test_public_fields_do_not_need_a_token():
    # Before the resources are open every backend call is UNAVAILABLE: what matters is that these
    # fields go to their backend rather than stop at authentication.
    app = create_app(settings(), GatewayConfig())
    async with client(app) as c:
        for query in (
            '{ movie(id: "603") { comments { totalCount } } }',
            'mutation { login(username: "ann", password: "pw") { accessToken } }',
            'mutation { register(username: "ann", password: "pw") { accessToken } }',
            'mutation { refreshToken(refreshToken: "r") { accessToken } }',
            'mutation { logout(refreshToken: "r") }',
        ):
            assert codes(await post(c, query)) == ["UNAVAILABLE"], query
            assert codes(await post(c, query, header="Bearer garbage")) == ["UNAVAILABLE"], query


async def test_missing_secrets_fail_the_start(tmp_path):
    with pytest.raises(RuntimeError, match="missing secret"):
        await open_resources(settings(secrets_dir=tmp_path / "nope"), CONFIG)
    app = create_app(settings(secrets_dir=tmp_path / "nope"), CONFIG)
    with pytest.raises(RuntimeError, match="missing secret"):
        async with gateway_resources(app):
            pass


@pytest.fixture
def secrets_dir(tmp_path):
    ensure_dev_secrets(tmp_path / "secrets")
    return tmp_path / "secrets"


@pytest.fixture
async def open_app(secrets_dir):
    app = create_app(settings(secrets_dir=secrets_dir), CONFIG)
    async with gateway_resources(app):
        async with client(app) as c:
            yield c, load_private_key(secrets_dir)


def tampered(token: str) -> str:
    i = len(token) - 5
    return token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]


async def test_bad_tokens_are_unauthenticated_without_calling_the_users_service(open_app):
    c, key = open_app
    valid, _ = sign_access_token(key, USER, timedelta(minutes=15))
    expired, _ = sign_access_token(key, USER, timedelta(minutes=-5))
    before = grpc_calls("GetState"), grpc_calls("AddFavorite")
    body = await post(c, "{ me { id } }", token=expired)
    assert codes(body) == ["UNAUTHENTICATED"]
    assert body["errors"][0]["message"] == "Access token expired; refresh it."
    body = await post(c, "{ me { id } }", token=tampered(valid))
    assert codes(body) == ["UNAUTHENTICATED"]
    assert body["errors"][0]["message"] == "Invalid access token."
    body = await post(c, 'mutation { addFavorite(movieId: "603") }', token=expired)
    assert codes(body) == ["UNAUTHENTICATED"]
    assert (grpc_calls("GetState"), grpc_calls("AddFavorite")) == before


async def test_me_is_one_get_state_per_request(open_app):
    c, key = open_app
    token, _ = sign_access_token(key, USER, timedelta(minutes=15))
    before = grpc_calls("GetState")
    body = await post(
        c, "{ a: me { id username state { ratings { value } } partners { linkedAt } } b: me { id } }", token=token
    )
    # Authenticated: the call went out, and the users service being down is UNAVAILABLE, not a 401.
    assert body["data"] == {"a": None, "b": None}
    assert codes(body) == ["UNAVAILABLE", "UNAVAILABLE"]
    assert grpc_calls("GetState") == before + 1


async def test_bad_arguments_are_bad_user_input_before_any_call(open_app):
    c, key = open_app
    token, _ = sign_access_token(key, USER, timedelta(minutes=15))
    before = grpc_calls("RateMovie"), grpc_calls("AddFavorite"), grpc_calls("ListComments")
    for query in (
        'mutation { rateMovie(movieId: "abc", value: 4) { value } }',
        'mutation { addFavorite(movieId: "-1") }',
    ):
        assert codes(await post(c, query, token=token)) == ["BAD_USER_INPUT"], query
    body = await post(c, 'mutation { addFavorite(movieId: "603", zone: NOWHERE) }', token=token)
    assert codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
    assert (grpc_calls("RateMovie"), grpc_calls("AddFavorite"), grpc_calls("ListComments")) == before


@pytest.mark.parametrize("first", [0, -1, 101])
async def test_comment_page_size_is_checked_before_any_call(first):
    # NotOpen would answer UNAVAILABLE: BAD_USER_INPUT shows the users service was not asked.
    info = SimpleNamespace(context=GatewayContext(None))
    movie = Movie.from_proto(catalog_pb2.Movie(id=603, title="The Matrix"))
    with pytest.raises(BadUserInput):
        await movie.comments(info, first)
    with pytest.raises(BadUserInput):
        await dataclasses.replace(movie, id="x").comments(info, 20)
