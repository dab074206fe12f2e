"""First load of the web client's production build, in Debian's Chromium, against the running
`make up` stack (the gateway serves web/dist at /): first contentful paint and time until the For you
row shows real cards, cold and warm, median of RUNS (default 5), on loopback and on an emulated slow-4G
phone network (web/e2e/perf.mjs); the same for the signed-out landing page (its Hidden gems row); and
Tonight's live update, from a vote on one phone to the other phone's screen (web/e2e/perf-tonight.mjs,
two browser contexts, p50/p95 of VOTES). Writes reports/web-bench.json.

    make up && make bench-web          (BASE_URL to measure another deployment)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import httpx

from bench.common import cpu_model
from kit.config import DEFAULT_PORTS, REPO_ROOT


def main() -> int:
    base = os.environ.get("BASE_URL", f"http://127.0.0.1:{DEFAULT_PORTS['gateway']}")
    try:
        shell = httpx.get(base + "/", timeout=5)
    except httpx.HTTPError as exc:
        print(f"nothing answers at {base} ({exc}): run `make up` first", file=sys.stderr)
        return 2
    if shell.status_code != 200 or 'id="root"' not in shell.text:
        print(f"{base}/ does not serve the web client (HTTP {shell.status_code}): run `make web`, then "
              "restart the gateway (`make down && make up`)", file=sys.stderr)
        return 2
    out = REPO_ROOT / "reports" / "web-bench.json"
    out.parent.mkdir(exist_ok=True)
    report: dict[str, object] = {}
    # Home signed in (the For you row) and the landing page signed out (its Hidden gems row), each on
    # loopback and on an emulated slow-4G phone network.
    for page, prefix in (("home", ""), ("landing", "landing ")):
        for network, throttle in (("loopback", ""), ("slow4g", "slow4g")):
            part = out.with_suffix(f".{page}.{network}.tmp")
            proc = subprocess.run(["node", "e2e/perf.mjs", str(part)], cwd=REPO_ROOT / "web",
                                  env=dict(os.environ, BASE_URL=base, THROTTLE=throttle, PAGE=page))
            if proc.returncode != 0:
                return proc.returncode
            report[prefix + network] = json.loads(part.read_text())
            part.unlink()
    # Tonight: a vote on one phone until the other phone shows it (two browser contexts).
    part = out.with_suffix(".tonight.tmp")
    proc = subprocess.run(["node", "e2e/perf-tonight.mjs", str(part)], cwd=REPO_ROOT / "web",
                          env=dict(os.environ, BASE_URL=base))
    if proc.returncode != 0:
        return proc.returncode
    tonight = json.loads(part.read_text())
    part.unlink()
    report["tonight_vote_to_other_screen_ms"] = tonight
    report["cpu"] = cpu_model()
    out.write_text(json.dumps(report, indent=2) + "\n")
    medians = {f"{name} {run}": {k: v["median"] for k, v in r[run].items()}
               for name, r in report.items() if isinstance(r, dict) and "cold" in r for run in ("cold", "warm")}
    medians["tonight vote -> other screen"] = {k: tonight[k] for k in ("p50", "p95", "max")}
    print(json.dumps(medians, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
