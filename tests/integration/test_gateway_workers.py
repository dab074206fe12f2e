"""Several gateway worker processes (GATEWAY_WORKERS) on the test stack's backends: both answer, a
signed-in user's token works whichever answers, and /metrics counts every worker's requests whichever
worker serves it (prometheus_client's multiprocess mode, services/gateway/metrics.py)."""

from __future__ import annotations

import asyncio
import re

import httpx
import psutil

from devstack.procs import free_port
from tests.integration.conftest import extra_gateway
from tests.integration.test_users_graphql import ok, register

ME = "{ me { username } }"


def graphql_ok_count(text: str) -> float:
    found = re.search(r'^gateway_http_requests_total\{route="/graphql",status="200"\} (\S+)$', text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


async def test_two_workers_share_the_socket_and_their_metrics(stack, api, tmp_path):
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    env = stack.env(PORT=str(free_port()), GATEWAY_WORKERS="2", PROMETHEUS_MULTIPROC_DIR=str(metrics_dir))
    with extra_gateway(stack, "gateway-workers", env) as gateway:
        port = gateway.port
        # The pid is uvicorn's supervisor; its children are the workers and multiprocessing's resource tracker.
        workers = [p for p in psutil.Process(gateway.pid).children()
                   if not any("resource_tracker" in part for part in p.cmdline())]
        assert len(workers) == 2, workers
        user = await register(api)   # through the suite's gateway: tokens are the same for every process
        sent = 60
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            async def one() -> dict:
                # a fresh connection each: the kernel hands each to whichever worker accepts first
                async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as c:
                    r = await c.post("/graphql", json={"query": ME},
                                     headers={"Authorization": f"Bearer {user['accessToken']}"})
                    assert r.status_code == 200, r.text
                    return r.json()

            answers = await asyncio.gather(*(one() for _ in range(sent)))
            assert all(ok(a)["me"]["username"] == user["user"]["username"] for a in answers)
            # Both workers wrote metric files, so both answered some of the requests...
            pids = {int(m.group(1)) for f in metrics_dir.iterdir() if (m := re.search(r"_(\d+)\.db$", f.name))}
            assert pids >= {w.pid for w in workers}, (pids, [w.pid for w in workers])
            # ...and whichever worker answers /metrics counts them all.
            for _ in range(6):
                r = await client.get("/metrics")
                assert r.status_code == 200
                assert graphql_ok_count(r.text) == sent, r.text[:2000]

