"""The gateway's HTTP edge alone (`python -m bench.http_edge`): what one request costs before any resolver runs.

uvicorn serves the gateway's app (create_app, with no lifespan and so no backends: `{ __typename }` needs
none) on a port of its own,
and wrk (Debian's package, a C load generator: it takes far less CPU than the server it loads) sends
`{ __typename }` as a JSON POST over 20 connections. Two variants, alternated over ROUNDS rounds:
- `asgi`: the app as served (services/gateway/app.py: HttpMetrics is plain ASGI middleware);
- `basehttp`: the same app with HttpMetrics replaced by the same counting done in Starlette's
  BaseHTTPMiddleware (`@app.middleware("http")`), the gateway's metrics middleware until 2026-12-04.
Reported: requests/s and wrk's latency percentiles per round, and the median of the rounds per variant.
Writes reports/http-edge-bench.json.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import cpu_model
from kit.config import REPO_ROOT

ROUNDS = int(os.environ.get("EDGE_ROUNDS", "3"))
SECONDS = int(os.environ.get("EDGE_SECONDS", "10"))
CONNECTIONS = 20
PORT = 31500  # below Linux's ephemeral range, as bench/common.py's own_stack_ports
LUA = ('wrk.method = "POST"\nwrk.body = \'{"query":"{ __typename }"}\'\n'
       'wrk.headers["Content-Type"] = "application/json"\n')


def app():
    """The uvicorn factory of one variant (EDGE_VARIANT)."""
    import time as _time

    from starlette.requests import Request

    from kit.config import Settings
    from services.gateway.app import HttpMetrics, create_app
    from services.gateway.config import GatewayConfig
    from services.gateway.metrics import HTTP_REQUESTS, HTTP_SECONDS

    # Addresses nothing listens on: `{ __typename }` touches no backend.
    gateway = create_app(Settings(catalog_addr="127.0.0.1:1", redis_url="redis://127.0.0.1:1/0",
                                  nats_url="nats://127.0.0.1:1"), GatewayConfig())
    if os.environ.get("EDGE_VARIANT") == "basehttp":  # HttpMetrics out, the old middleware in its place
        gateway.user_middleware = [m for m in gateway.user_middleware if m.cls is not HttpMetrics]

        @gateway.middleware("http")
        async def http_metrics(request: Request, call_next):  # the old middleware, as it was
            start = _time.perf_counter()
            status = 500
            try:
                response = await call_next(request)
                status = response.status_code
                return response
            finally:
                HTTP_SECONDS.labels("/graphql").observe(_time.perf_counter() - start)
                HTTP_REQUESTS.labels("/graphql", str(status)).inc()
    return gateway


def _wait_listening(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port}")


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return round(float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 2)


def one_round(variant: str, script: Path) -> dict:
    env = dict(os.environ, EDGE_VARIANT=variant, LOG_LEVEL="warning")
    command = [sys.executable, "-m", "uvicorn", "--factory", "bench.http_edge:app", "--port", str(PORT),
               "--log-level", "warning", "--no-access-log", "--lifespan", "off"]
    server = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_listening(PORT)
        url = f"http://127.0.0.1:{PORT}/graphql"
        subprocess.run(["wrk", "-t1", "-c", str(CONNECTIONS), "-d2s", "-s", str(script), url],  # warm-up
                       capture_output=True, check=True)
        out = subprocess.run(["wrk", "-t1", "-c", str(CONNECTIONS), f"-d{SECONDS}s", "--latency", "-s", str(script),
                              url], capture_output=True, text=True, check=True).stdout
    finally:
        server.terminate()
        server.wait(20)
    latency = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)$", out, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"variant": variant, "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
            "p50_ms": _ms(latency["50"]), "p90_ms": _ms(latency["90"]), "p99_ms": _ms(latency["99"]),
            "non_2xx": int(errors.group(1)) if errors else 0}


def main() -> int:
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "post.lua"
        script.write_text(LUA)
        rounds = [one_round(variant, script) for _ in range(ROUNDS) for variant in ("asgi", "basehttp")]
    summary = {}
    for variant in ("asgi", "basehttp"):
        mine = [r for r in rounds if r["variant"] == variant]
        summary[variant] = {k: statistics.median(r[k] for r in mine) for k in ("requests_per_s", "p50_ms", "p99_ms")}
    summary["asgi_over_basehttp_throughput"] = round(
        summary["asgi"]["requests_per_s"] / summary["basehttp"]["requests_per_s"], 2)
    report = {"cpu": cpu_model(), "cores": os.cpu_count(), "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "request": "{ __typename } as a JSON POST", "connections": CONNECTIONS, "seconds": SECONDS,
              "client": "wrk, one thread, on the same machine", "rounds": rounds, "median": summary}
    out = REPO_ROOT / "reports" / "http-edge-bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
