"""Production mode: GraphiQL and introspection off (GATEWAY_GRAPHIQL / GATEWAY_INTROSPECTION, the prod
overlay); both on by default, for development."""

from __future__ import annotations

import httpx
import pytest

from kit.config import Settings
from services.gateway.app import create_app
from services.gateway.config import GatewayConfig

SCHEMA_QUERY = "{ __schema { queryType { name } } }"
TYPE_QUERY = '{ __type(name: "Movie") { name fields { name } } }'


def settings() -> Settings:
    return Settings(catalog_addr="127.0.0.1:1", redis_url="redis://127.0.0.1:1/0", nats_url="nats://127.0.0.1:1")


def client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway")


async def test_introspection_on_by_default():
    async with client(create_app(settings(), GatewayConfig())) as c:
        r = await c.post("/graphql", json={"query": SCHEMA_QUERY})
        assert r.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
        r = await c.post("/graphql", json={"query": TYPE_QUERY})
        assert r.json()["data"]["__type"]["name"] == "Movie"


@pytest.mark.parametrize("query,field", [
    (SCHEMA_QUERY, "__schema"),
    (TYPE_QUERY, "__type"),
    # hidden in a fragment, an alias or a named operation: still refused
    ("query Q { ...F } fragment F on Query { s: __schema { types { name } } }", "__schema"),
    ("query IntrospectionQuery { __typename __schema { directives { name } } }", "__schema"),
])
async def test_introspection_off_refuses_schema_and_type(query, field):
    async with client(create_app(settings(), GatewayConfig(introspection=False))) as c:
        r = await c.post("/graphql", json={"query": query})
        assert r.status_code == 200
        body = r.json()
        assert body["data"] is None
        [error] = body["errors"]
        assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert error["message"] == (
            f"Introspection is turned off on this server: `{field}` cannot be queried (`__typename` can).")


async def test_introspection_off_keeps_typename():
    async with client(create_app(settings(), GatewayConfig(introspection=False))) as c:
        r = await c.post("/graphql", json={"query": "{ __typename }"})
        assert r.json() == {"data": {"__typename": "Query"}}
        r = await c.post("/graphql", json={"query": "mutation { __typename }"})
        assert r.json() == {"data": {"__typename": "Mutation"}}
        # an ordinary query is unaffected (it gets as far as the resolver: no backends here)
        r = await c.post("/graphql", json={"query": "{ genres { name __typename } }"})
        assert [e["extensions"]["code"] for e in r.json()["errors"]] == ["UNAVAILABLE"]


async def test_production_settings_from_env(monkeypatch):
    monkeypatch.setenv("GATEWAY_GRAPHIQL", "false")
    monkeypatch.setenv("GATEWAY_INTROSPECTION", "false")
    config = GatewayConfig()
    assert config.graphiql is False and config.introspection is False
    async with client(create_app(settings(), config)) as c:
        assert (await c.get("/graphql", headers={"accept": "text/html"})).status_code == 404
        r = await c.post("/graphql", json={"query": SCHEMA_QUERY})
        assert r.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_development_defaults(monkeypatch):
    monkeypatch.delenv("GATEWAY_GRAPHIQL", raising=False)
    monkeypatch.delenv("GATEWAY_INTROSPECTION", raising=False)
    config = GatewayConfig()
    assert config.graphiql is True and config.introspection is True
