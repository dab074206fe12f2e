"""The password policy and the string checks, end to end: GraphQL -> gateway -> users service.
A common password or one that holds the username is BAD_USER_INPUT with the users service's message; a
NUL or a lone surrogate in a string input is BAD_USER_INPUT from the gateway (before: INTERNAL)."""

from __future__ import annotations

import json
import uuid

from tests.integration.test_users_graphql import PASSWORD, code, ok, register

REGISTER = "mutation($u: String!, $p: String!) { register(username: $u, password: $p) { accessToken } }"
CHANGE = "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }"
LOGIN = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken } }"
COMMON = "This password is among the 10,000 most common; choose another."
USERNAME = "This password contains your username, or is part of it; choose another."


def error(body: dict) -> tuple[str, str]:
    assert body.get("errors"), body
    return body["errors"][0]["extensions"]["code"], body["errors"][0]["message"]


async def test_registration_refuses_common_passwords_and_the_username(api):
    name = f"p{uuid.uuid4().hex[:12]}"
    for password in ("password", "Password1", "qwertyuiop", "iloveyou"):
        assert error(await api(REGISTER, {"u": name, "p": password})) == ("BAD_USER_INPUT", COMMON)
    for password in (name, name.upper(), f"my-{name}-pw", name[2:]):
        assert error(await api(REGISTER, {"u": name, "p": password})) == ("BAD_USER_INPUT", USERNAME)
    ok(await api(REGISTER, {"u": name, "p": PASSWORD}))  # nothing was created by the refusals


async def test_password_change_follows_the_policy(api):
    reg = await register(api)
    t, name = reg["accessToken"], reg["user"]["username"]
    assert error(await api(CHANGE, {"c": PASSWORD, "n": "sunshine"}, token=t)) == ("BAD_USER_INPUT", COMMON)
    assert error(await api(CHANGE, {"c": PASSWORD, "n": f"{name}!!"}, token=t)) == ("BAD_USER_INPUT", USERNAME)
    ok(await api(LOGIN, {"u": name, "p": PASSWORD}))  # unchanged
    assert ok(await api(CHANGE, {"c": PASSWORD, "n": "a-less-common-one"}, token=t))["changePassword"] is True


async def test_invalid_strings_never_reach_the_backends(api, gql):
    search = "query($q: String!) { searchMovies(query: $q) { totalCount } }"
    for text in ("\ud800", "amé\x00lie"):
        # ASCII-escaped JSON: httpx's own encoder cannot write a lone surrogate as UTF-8
        body = json.dumps({"query": search, "variables": {"q": text}}).encode()
        r = await gql.client.post("/graphql", content=body, headers={"content-type": "application/json"})
        assert code(r.json()) == "BAD_USER_INPUT", r.text
    assert code(await api(REGISTER, {"u": f"p{uuid.uuid4().hex[:12]}", "p": "pass\x00word-1"})) == "BAD_USER_INPUT"
    assert "errors" not in await api(search, {"q": "amélie"})
