"""The app builds without touching any server; its routes answer without resources where they can."""

from __future__ import annotations

import httpx

from kit.config import Settings
from services.gateway.app import create_app
from services.gateway.config import GatewayConfig
from services.gateway.web_files import mount_web_client


def settings() -> Settings:
    # Ports nothing listens on: nothing below may connect anywhere.
    return Settings(catalog_addr="127.0.0.1:1", redis_url="redis://127.0.0.1:1/0", nats_url="nats://127.0.0.1:1")


def client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway")


async def test_routes_without_resources():
    app = create_app(settings(), GatewayConfig())
    async with client(app) as c:
        assert (await c.get("/livez")).json() == {"status": "ok"}
        assert (await c.get("/healthz")).status_code == 503
        metrics = await c.get("/metrics")
        assert metrics.status_code == 200 and "gateway_http_requests_total" in metrics.text
        # Queries need the resources (gateway_resources / the lifespan): a coded error, not a 500.
        r = await c.post("/graphql", json={"query": "{ genres { name } }"})
        assert r.status_code == 200
        assert r.json()["errors"][0]["extensions"]["code"] == "UNAVAILABLE"


async def test_graphiql_on_get():
    app = create_app(settings(), GatewayConfig())
    async with client(app) as c:
        r = await c.get("/graphql", headers={"accept": "text/html"})
        assert r.status_code == 200 and "graphiql" in r.text.lower()


async def test_graphql_errors_over_http_are_200_with_codes():
    app = create_app(settings(), GatewayConfig())
    async with client(app) as c:
        for body, code in [
            ({"query": "{ movie(id: "}, "GRAPHQL_PARSE_FAILED"),
            ({"query": "{ nope }"}, "GRAPHQL_VALIDATION_FAILED"),
            ({"query": '{ movie(id: "x") { id } }'}, "BAD_USER_INPUT"),
            ({"query": 'query($n: Int!) { searchMovies(query: "", first: $n) { totalCount } }'}, "BAD_USER_INPUT"),
        ]:
            r = await c.post("/graphql", json=body)
            assert r.status_code == 200, r.text
            assert [e["extensions"]["code"] for e in r.json()["errors"]] == [code]


async def test_graphiql_can_be_turned_off():
    app = create_app(settings(), GatewayConfig(graphiql=False))
    async with client(app) as c:
        r = await c.get("/graphql", headers={"accept": "text/html"})
        assert r.status_code == 404


async def test_oversized_bodies_are_refused():
    app = create_app(settings(), GatewayConfig(max_body_bytes=1024))
    async with client(app) as c:
        r = await c.post("/graphql", json={"query": "{ genres { name } }" + " " * 4096})
        assert r.status_code == 413


async def test_web_client_is_mounted_only_when_built(tmp_path):
    app = create_app(settings(), GatewayConfig(web_dist_dir=tmp_path / "missing"))
    async with client(app) as c:
        assert (await c.get("/")).status_code == 404

    (tmp_path / "index.html").write_text("<!doctype html><title>movierec</title>")
    app = create_app(settings(), GatewayConfig(web_dist_dir=tmp_path))
    async with client(app) as c:
        r = await c.get("/")
        assert r.status_code == 200 and "movierec" in r.text
        assert (await c.get("/livez")).status_code == 200  # API routes still win over the mount


def test_mount_web_client_ignores_missing_dirs(tmp_path):
    app = create_app(settings(), GatewayConfig())
    assert mount_web_client(app, None) is False
    assert mount_web_client(app, tmp_path / "nope") is False


async def test_web_client_routes_fall_back_to_index_and_assets_are_immutable(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>movierec</title>")
    (tmp_path / "assets" / "index-3f2a.js").write_text("console.log('movierec');" * 100)
    app = create_app(settings(), GatewayConfig(web_dist_dir=tmp_path))
    async with client(app) as c:
        # A client-side route (no such file, no extension) answers the app shell, revalidated each load.
        r = await c.get("/film/238")
        assert r.status_code == 200 and "movierec" in r.text
        assert r.headers["cache-control"] == "no-cache"
        assert "script-src 'self';" in r.headers["content-security-policy"]
        # Hashed assets are cached for good and compressed for clients that accept gzip.
        r = await c.get("/assets/index-3f2a.js", headers={"accept-encoding": "gzip"})
        assert r.status_code == 200 and r.text.startswith("console.log")
        assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert r.headers["content-encoding"] == "gzip"
        # A missing file is a 404, not the shell (a stale asset URL must fail loudly), and nothing under
        # /assets/ falls back: the shell must never be cached as immutable.
        assert (await c.get("/assets/index-old.js")).status_code == 404
        assert (await c.get("/assets/index-old")).status_code == 404
        head = await c.head("/film/238")
        assert head.status_code == 200 and head.headers["cache-control"] == "no-cache"
        assert (await c.post("/film/238")).status_code == 405
        assert (await c.get("/graphql", headers={"accept": "text/html"})).status_code == 200  # GraphiQL wins


def _count(route: str, status: str) -> float:
    from services.gateway.metrics import HTTP_REQUESTS

    return HTTP_REQUESTS.labels(route, status)._value.get()


async def _call(app, path: str = "/graphql") -> None:
    from services.gateway.app import HttpMetrics

    sent: list[dict] = []

    async def receive():
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    await HttpMetrics(app)({"type": "http", "path": path, "method": "GET"}, receive, send)


async def test_http_metrics_count_answers_client_departures_and_failures():
    """The metrics middleware counts each request by its status; a request whose client left before any
    answer (the app returns having sent nothing) is 499 and raises nothing (Starlette's BaseHTTPMiddleware
    logged "No response returned." with a traceback there); an app failure is 500 and propagates."""
    async def answers(scope, receive, send):
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def left(scope, receive, send):
        await receive()  # http.disconnect: nothing to answer

    async def fails(scope, receive, send):
        raise RuntimeError("boom")

    before = {s: _count("/graphql", s) for s in ("204", "499", "500")}
    await _call(answers)
    await _call(left)
    try:
        await _call(fails)
    except RuntimeError as e:
        assert str(e) == "boom"
    else:
        raise AssertionError("the app's failure was swallowed")
    assert {s: _count("/graphql", s) - before[s] for s in before} == {"204": 1, "499": 1, "500": 1}
