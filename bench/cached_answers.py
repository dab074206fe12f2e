"""Cached zone answers against the gateway's floor (`make bench-cached`): issue 17's target, a cached zone
answer through GraphQL at 20 clients with a p95 at most 1.5 times that of `{ __typename }` in the same run,
and at least 1,000 answers/s.

wrk (Debian's package, a C load generator: it takes far less CPU than the server it loads) sends, over 20
connections for SECONDS each, alternated over ROUNDS rounds, to the running stack's gateway:
- `typename`: `{ __typename }`, a JSON POST, no token: the gateway's floor (parse, no resolver, no backend);
- `cached`: the web client's For you document for one signed-in user, asked once before so that every
  request is answered from the answer cache (services/gateway/answer_cache.py: the token verified, the
  versions and the answer read from Redis, GraphQL not run).
The gateway's own counters (`gateway_cache_requests_total{kind="answer"}`) say how many of the `cached`
requests were hits. Reported per round: requests/s, p50/p95/p99 (wrk's), non-2xx answers; and the medians.

Runs against a stack that is already up (`make up`'s by default; `--base`, `--gateway` for another, as
bench/gateway_cpu.py). Writes reports/cached-answers-bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.common import cpu_model
from bench.loadtest.documents import documents
from devstack.stack import Stack
from kit.config import REPO_ROOT

ROUNDS = int(os.environ.get("CACHED_ROUNDS", "3"))
SECONDS = int(os.environ.get("CACHED_SECONDS", "10"))
CONNECTIONS = 20
# done() prints what wrk's --latency leaves out (p95), in microseconds, and the request count.
LUA = """wrk.method = "POST"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
{auth}
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), summary.errors.status, summary.duration))
end
"""


def _lua(body: dict, token: str | None) -> str:
    auth = f'wrk.headers["Authorization"] = "Bearer {token}"' if token else ""
    return LUA.format(body=json.dumps(json.dumps(body)), auth=auth)


def _answer_counts(gateway: str) -> dict[str, float]:
    text = httpx.get(f"{gateway}/metrics", timeout=10).text
    return {m.group(1): float(m.group(2)) for m in
            re.finditer(r'^gateway_cache_requests_total\{kind="answer",result="(\w+)"\} ([\d.e+]+)$', text, re.M)}


def one_round(name: str, script: Path, url: str) -> dict:
    out = subprocess.run(["wrk", "-t1", "-c", str(CONNECTIONS), f"-d{SECONDS}s", "-s", str(script), url],
                         capture_output=True, text=True, check=True).stdout
    found = re.search(r"^RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)$", out, re.MULTILINE)
    if found is None:
        raise RuntimeError(f"wrk printed no result:\n{out}")
    requests, p50, p95, p99, non2xx, duration_us = (int(x) for x in found.groups())
    return {"request": name, "requests_per_s": round(requests / (duration_us / 1e6), 1), "requests": requests,
            "p50_ms": p50 / 1000, "p95_ms": p95 / 1000, "p99_ms": p99 / 1000, "non_2xx": non2xx}


def measure(gateway: str) -> dict:
    docs = documents()
    with httpx.Client(base_url=gateway, timeout=30) as c:
        def gql(op: str, variables: dict, token: str | None = None) -> dict:
            r = c.post("/graphql", json={"query": docs[op], "variables": variables, "operationName": op},
                       headers={"Authorization": f"Bearer {token}"} if token else {})
            body = r.json()
            if r.status_code != 200 or body.get("errors"):
                raise RuntimeError(f"{op}: {r.status_code} {r.text[:300]}")
            return body["data"]

        reg = gql("Register", {"username": f"cached{int(time.time() * 1000)}", "password": "bench-cached-pass-1"})
        token = reg["register"]["accessToken"]
        for film in ("238", "680", "769", "862", "603"):  # a taste: For you has something to say
            gql("RateMovie", {"movieId": film, "value": 4.5}, token)
        time.sleep(1.0)  # the ratings reach the recommender; the answer below is then the one kept
        for_you = {"query": docs["ForYou"], "variables": {"first": 20}, "operationName": "ForYou"}
        gql("ForYou", {"first": 20}, token)
    with tempfile.TemporaryDirectory() as tmp:
        scripts = {"typename": Path(tmp) / "typename.lua", "cached": Path(tmp) / "cached.lua"}
        scripts["typename"].write_text(_lua({"query": "{ __typename }"}, None))
        scripts["cached"].write_text(_lua(for_you, token))
        url = f"{gateway}/graphql"
        subprocess.run(["wrk", "-t1", "-c", str(CONNECTIONS), "-d2s", "-s", str(scripts["cached"]), url],
                       capture_output=True, check=True)  # warm-up
        rounds = []
        for _ in range(ROUNDS):
            for name in ("typename", "cached"):
                before = _answer_counts(gateway)
                result = one_round(name, scripts[name], url)
                after = _answer_counts(gateway)
                result["answer_cache"] = {k: int(after.get(k, 0) - before.get(k, 0)) for k in ("hit", "miss")}
                rounds.append(result)
                print(json.dumps(result), flush=True)
    median = {name: {k: statistics.median(r[k] for r in rounds if r["request"] == name)
                     for k in ("requests_per_s", "p50_ms", "p95_ms", "p99_ms")} for name in ("typename", "cached")}
    median["cached_p95_over_typename_p95"] = round(median["cached"]["p95_ms"] / median["typename"]["p95_ms"], 2)
    return {"rounds": rounds, "median": median}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=Path, default=REPO_ROOT / ".local")
    parser.add_argument("--gateway", help="default: the stack's own gateway")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    gateway = args.gateway or f"http://127.0.0.1:{Stack(args.base.resolve(), use_env_urls=False).ports['gateway']}"
    result = measure(gateway)
    report = {"cpu": cpu_model(), "cores": os.cpu_count(), "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "connections": CONNECTIONS, "seconds": SECONDS, "client": "wrk, one thread, on the same machine",
              "gateway": gateway, **result}
    (REPO_ROOT / "reports").mkdir(exist_ok=True)
    (REPO_ROOT / "reports" / "cached-answers-bench.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(result["median"], indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
