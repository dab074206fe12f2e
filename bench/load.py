"""The load test (`make loadtest`): not a test and not in `make test`; numbers for docs/performance.md.

Starts a stack of its own (every service, the whole catalogue, as `make up`), with the per-client sign-up
and sign-in limits lifted (every load-test user comes from 127.0.0.1, which those limits stop by design;
the report says so under "limits"), then runs locust headless (bench/loadtest/locustfile.py: each user a
distinct account, the web client's own documents, 1-3 s between actions) ramping from 10 to 100 users over
60 s, then 60 s at 100. Meanwhile it samples every service's RSS each second and, as one more person,
measures feedback to effect under the load: dismiss the top For-you film (zone FOR_YOU) and poll For you
every 20 ms until the film is gone, every 2 s through the run. And the CPU each part of the stack used
through the hold (each service, PostgreSQL with its backends, NATS, Redis, and locust itself), as a share
of one core (`cpu_during_hold`).

Writes reports/load.json (per operation and phase: count, errors, p50/p95/p99; throughput; RSS at start,
at the end of the ramp and at the end; feedback to effect; CPU through the hold) and reports/load.png
(latency and throughput against time, with the user count). LOAD_USERS, LOAD_RAMP_S and LOAD_HOLD_S change the shape.
LOAD_PROFILE=NAME also samples the gateway and the recommender with py-spy through the hold phase:
reports/profiles/NAME-<service>.svg (flame graph) and .txt (collapsed stacks), summarised under "profile"
(bench/profile.py).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import psutil

from bench import profile
from bench.common import cpu_model, own_stack_ports, pct, run_on_own_stack
from bench.loadtest.documents import documents
from devstack.stack import SERVICES, Stack
from kit.config import REPO_ROOT

PORTS, METRICS_BASE = own_stack_ports(31300)
ZONES = ("ForYou", "Similar", "HiddenGems", "Vibe", "Together", "TogetherWithMood")
RAMP_S = float(os.environ.get("LOAD_RAMP_S", "60"))
HOLD_S = float(os.environ.get("LOAD_HOLD_S", "60"))


class RssSampler(threading.Thread):
    """Each service's resident memory (MiB), once a second, with the time since start."""

    def __init__(self, stack: Stack) -> None:
        super().__init__(daemon=True)
        self.procs = {s.name: psutil.Process(pid) for s in SERVICES if (pid := stack.service_pid(s))}
        self.samples: list[dict] = []
        self.stop = threading.Event()
        self.t0 = time.monotonic()

    def sample(self) -> dict:
        row: dict = {"t": round(time.monotonic() - self.t0, 1)}
        for name, p in self.procs.items():
            try:
                row[name] = round(p.memory_info().rss / 2**20, 1)
            except psutil.Error:
                row[name] = None
        return row

    def run(self) -> None:
        while not self.stop.wait(1.0):
            self.samples.append(self.sample())

    def at(self, t: float) -> dict:
        """The sample nearest to t seconds."""
        return min(self.samples, key=lambda r: abs(r["t"] - t)) if self.samples else {}


def stack_processes(stack: Stack) -> dict[str, list[psutil.Process]]:
    """The stack's processes by part: each service, PostgreSQL (the postmaster and its backends), NATS, Redis."""
    from devstack.procs import read_pid

    out: dict[str, list[psutil.Process]] = {}
    for s in SERVICES:
        if pid := stack.service_pid(s):
            out[s.name] = [psutil.Process(pid)]
    if pg := read_pid(stack.pg.data / "postmaster.pid", "postgres"):
        postmaster = psutil.Process(pg)
        out["postgres"] = [postmaster, *postmaster.children(recursive=True)]
    for name, part, expect in (("nats", stack.nats, "nats-server"), ("redis", stack.redis, "redis-server")):
        if pid := read_pid(part.pidfile, expect):
            out[name] = [psutil.Process(pid)]
    return out


def cpu_seconds(procs: dict[str, list[psutil.Process]]) -> dict[str, float]:
    """User + system CPU seconds each part has used so far (a process gone since is left out)."""
    out: dict[str, float] = {}
    for name, ps in procs.items():
        total = 0.0
        for p in ps:
            try:
                t = p.cpu_times()
            except psutil.Error:
                continue
            total += t.user + t.system
        out[name] = total
    return out


async def cpu_during_hold(stack: Stack, locust_pid: int) -> dict:
    """The share of one core each part of the stack, and the load generator, used through the hold phase
    (from its start to 2 s before its end; 100 = one core throughout, 200 = this machine's two)."""
    await asyncio.sleep(RAMP_S)
    procs = stack_processes(stack)  # PostgreSQL's backends as of the hold's start (the pools are open by then)
    procs["locust"] = [psutil.Process(locust_pid)]
    before, t0 = cpu_seconds(procs), time.monotonic()
    await asyncio.sleep(max(1.0, HOLD_S - 2.0))
    after, seconds = cpu_seconds(procs), time.monotonic() - t0
    pct_of_core = {k: round(100 * (after[k] - before[k]) / seconds, 1) for k in after if k in before}
    return {"seconds": round(seconds, 1), "pct_of_one_core": pct_of_core,
            "total_pct": round(sum(pct_of_core.values()), 1), "cores": os.cpu_count()}


async def feedback_probe(url: str, until: threading.Event) -> list[float]:
    """Dismiss the top For-you film, then poll For you until it is gone: ms from the mutation's answer."""
    docs = documents()
    took: list[float] = []
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        async def gql(op: str, variables: dict, token: str = "") -> dict:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            r = await http.post("/graphql", json={"query": docs[op], "variables": variables, "operationName": op},
                                headers=headers)
            body = r.json()
            if body.get("errors"):
                raise RuntimeError(f"{op}: {body['errors']}")
            return body["data"]

        session = (await gql("Register", {"username": f"probe_{uuid.uuid4().hex[:12]}",
                                          "password": "load test password, long enough"}))["register"]
        token = session["accessToken"]
        for p in (await gql("Onboarding", {"first": 8}, token))["onboarding"][:5]:
            await gql("RateMovie", {"movieId": p["movie"]["id"], "value": 4.5, "zone": "BROWSE"}, token)
        while not until.is_set():
            await asyncio.sleep(2.0)
            top = (await gql("ForYou", {"first": 20}, token))["forYou"][0]["movie"]["id"]
            await gql("DismissMovie", {"movieId": top, "zone": "FOR_YOU"}, token)
            sent = time.perf_counter()
            while time.perf_counter() - sent < 10:
                ids = [r["movie"]["id"] for r in (await gql("ForYou", {"first": 20}, token))["forYou"]]
                if top not in ids:
                    took.append(round((time.perf_counter() - sent) * 1000, 1))
                    break
                await asyncio.sleep(0.02)
            else:
                took.append(float("inf"))
    return took


def summarise(samples: dict[str, dict[str, list[list[float]]]], seconds: dict[str, float]) -> dict:
    out: dict = {}
    for phase, by_op in samples.items():
        rows = {}
        for op, xs in sorted(by_op.items()):
            ms = [x[0] for x in xs]
            rows[op] = {"count": len(xs), "errors": int(sum(x[1] for x in xs)), "p50_ms": pct(ms, 0.5),
                        "p95_ms": pct(ms, 0.95), "p99_ms": pct(ms, 0.99), "per_s": round(len(xs) / seconds[phase], 1)}
        zone_ms = [x[0] for op in ZONES for x in by_op.get(op, [])]
        every = [x for xs in by_op.values() for x in xs]
        out[phase] = {"seconds": seconds[phase], "operations": rows,
                      "all": {"count": len(every), "errors": int(sum(x[1] for x in every)),
                              "per_s": round(len(every) / seconds[phase], 1)},
                      "zones": {"count": len(zone_ms), "p50_ms": pct(zone_ms, 0.5) if zone_ms else None,
                                "p95_ms": pct(zone_ms, 0.95) if zone_ms else None,
                                "p99_ms": pct(zone_ms, 0.99) if zone_ms else None}}
    return out


def plot(history_csv: Path, png: Path) -> None:
    import csv

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r for r in csv.DictReader(history_csv.open()) if r["Name"] == "Aggregated"]
    if not rows:
        return
    t0 = int(rows[0]["Timestamp"])
    t = [int(r["Timestamp"]) - t0 for r in rows]
    num = lambda r, k: float(r[k]) if r[k] not in ("", "N/A") else float("nan")  # noqa: E731
    fig, (a1, a2) = plt.subplots(2, 1, figsize=(9, 6.5), sharex=True)
    a1.plot(t, [num(r, "50%") for r in rows], label="p50")
    a1.plot(t, [num(r, "95%") for r in rows], label="p95")
    a1.set_ylabel("latency, ms (10 s window)")
    a1.legend(loc="upper left")
    a2.plot(t, [num(r, "Requests/s") for r in rows], color="tab:green", label="requests/s")
    a2.set_ylabel("requests/s")
    a2.set_xlabel("seconds")
    for ax in (a1, a2):
        users = ax.twinx()
        users.plot(t, [num(r, "User Count") for r in rows], color="grey", linestyle=":", label="users")
        users.set_ylabel("users")
    a1.set_title(f"make loadtest: all operations through GraphQL ({cpu_model()})", fontsize=9)
    fig.tight_layout()
    fig.savefig(png, dpi=110)


async def measure(stack: Stack) -> dict:
    url = f"http://127.0.0.1:{stack.ports['gateway']}"
    work = stack.base / "load"
    work.mkdir(parents=True, exist_ok=True)
    rss = RssSampler(stack)
    start_rss = rss.sample()
    rss.start()
    done = threading.Event()
    probe = asyncio.create_task(feedback_probe(url, done))
    env = dict(os.environ, LOAD_SAMPLES=str(work / "samples.json"), PYTHONPATH=str(REPO_ROOT))
    cmd = [sys.executable, "-m", "locust", "-f", str(REPO_ROOT / "bench" / "loadtest" / "locustfile.py"), "--headless",
           "--host", url, "--csv", str(work / "locust"), "--csv-full-history", "--only-summary",
           "--stop-timeout", "5", "--loglevel", "WARNING"]
    proc = await asyncio.create_subprocess_exec(*cmd, env=env, cwd=REPO_ROOT)
    started = time.monotonic()
    cpu = asyncio.create_task(cpu_during_hold(stack, proc.pid))
    name = os.environ.get("LOAD_PROFILE")
    profiling = asyncio.create_task(profile.during_hold(stack, name, RAMP_S, HOLD_S)) if name else None
    rc = await asyncio.wait_for(proc.wait(), timeout=RAMP_S + HOLD_S + 300)
    ran = time.monotonic() - started
    profiles = await profiling if profiling is not None else None
    cpu_hold = await cpu if cpu.done() else None
    if cpu_hold is None:
        cpu.cancel()
    done.set()
    feedback = await probe
    rss.stop.set()
    end_rss = rss.sample()
    samples = json.loads((work / "samples.json").read_text())
    png = REPO_ROOT / "reports" / "load.png"
    png.parent.mkdir(exist_ok=True)
    plot(work / "locust_stats_history.csv", png)
    ramp_end = rss.at(RAMP_S)
    growth = {k: round(100 * (end_rss[k] - ramp_end[k]) / ramp_end[k], 1)
              for k in end_rss if k != "t" and end_rss.get(k) and ramp_end.get(k)}
    finite = [x for x in feedback if x != float("inf")]
    return {
        "cpu": cpu_model(), "cores": os.cpu_count(), "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "shape": {"start_users": int(os.environ.get("LOAD_START_USERS", "10")),
                  "users": int(os.environ.get("LOAD_USERS", "100")), "ramp_s": RAMP_S, "hold_s": HOLD_S,
                  "wait_s": [1, 3], "locust_exit": rc, "ran_s": round(ran, 1)},
        "note": "the load generator (locust, one process) runs on the same machine as the stack",
        "stack": f"its own (bench/load.py): the whole catalogue, every film encoded, "
                 f"GATEWAY_WORKERS={os.environ.get('GATEWAY_WORKERS', '1')}",
        "phases": summarise(samples, {"ramp": RAMP_S, "hold": max(1.0, ran - RAMP_S)}),
        "cpu_during_hold": cpu_hold,
        "rss_mib": {"start": start_rss, "end_of_ramp": ramp_end, "end": end_rss,
                    "growth_from_end_of_ramp_pct": growth},
        "feedback_to_effect_ms": {"trials": len(feedback), "timed_out": len(feedback) - len(finite),
                                  "p50": pct(finite, 0.5) if finite else None,
                                  "p95": pct(finite, 0.95) if finite else None,
                                  "max": max(finite) if finite else None},
        "plot": "reports/load.png",
        **({"profile": profiles} if profiles is not None else {}),
    }


def main() -> int:
    return run_on_own_stack("load", PORTS, METRICS_BASE, measure)


if __name__ == "__main__":
    raise SystemExit(main())
