"""What every benchmark does around its measurements: a stack of its own (own folder and ports, so
it never touches `make up` or a test run), the measurement, the report in reports/<name>.json."""

from __future__ import annotations

import asyncio
import json
import os
import platform
import shutil
import subprocess
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from devstack.stack import Stack
from kit.config import REPO_ROOT


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(q * len(xs)))], 2)


async def timed(fn) -> float:
    t = time.perf_counter()
    await fn()
    return (time.perf_counter() - t) * 1000


def cpu_model() -> str:
    """The CPU the figures were measured on (lscpu's model name), recorded beside every figure."""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        out = ""
    models = [line.split(":", 1)[1].strip() for line in out.splitlines() if line.startswith("Model name")]
    return models[0] if models else (platform.processor() or platform.machine())


def data_dir() -> Path:
    return Path(os.environ.get("DATA_DIR", REPO_ROOT.parent / "shared" / "data")).resolve()


# A benchmark signs up and signs in many clients from 127.0.0.1 at once: the per-client limits that stop
# an attacker (docs/security.md) would refuse it by design, so its own stack lifts them (and the report
# says so under "limits").
BENCH_LIMITS = {**{f"GATEWAY_RATE_{name}_BURST": "1000000" for name in ("SIGN_IN", "REGISTER", "WRITES", "COMMENTS")},
                "USERS_HASH_MAX_PER_CLIENT": "1000"}


def own_stack_ports(base: int) -> tuple[dict[str, int], int]:
    """The ports of a benchmark's own stack, base .. base+7, and its metrics base (base+50): below Linux's
    ephemeral range (32768-60999 by default), where a client socket's local port could hold one of them when
    the service binds (a load run once failed so: the users service on 45352)."""
    if not 1024 < base < 32768 - 60:
        raise ValueError(f"own_stack_ports({base}): pick a base between 1025 and 32707")
    names = ("postgres", "nats", "redis", "gateway", "catalog", "users", "recommender", "embedder")
    return {name: base + i for i, name in enumerate(names)}, base + 50


def run_on_own_stack(report: str, ports: dict[str, int], metrics_base: int,
                     measure: Callable[[Stack], Coroutine[Any, Any, dict]], up: dict | None = None, **stack_kw) -> int:
    """Start a fresh stack under .local/<report>, run `measure`, stop it, write reports/<report>.json."""
    base = REPO_ROOT / ".local" / report
    stack_kw["service_env"] = {**BENCH_LIMITS, **stack_kw.get("service_env", {})}
    stack = Stack(base, ports=dict(ports), metrics_base=metrics_base, data_dir=data_dir(), use_env_urls=False,
                  **stack_kw)
    stack.down()
    shutil.rmtree(base, ignore_errors=True)
    try:
        stack.up(**(up or {}))
        result = asyncio.run(measure(stack))
        result["limits"] = {"lifted for this run (bench/common.py BENCH_LIMITS)": BENCH_LIMITS}
    finally:
        stack.down()
    reports = REPO_ROOT / "reports"
    reports.mkdir(exist_ok=True)
    (reports / f"{report}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0
