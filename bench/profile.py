"""py-spy profiles of running services (`make loadtest` with LOAD_PROFILE=NAME; py-spy is in the `load` extra).

`record(pid, out, seconds)` samples one process from outside (no restart, nothing in the service changes):
a flame graph (SVG) and the collapsed stacks (text, one "frame;frame;... count" line per stack).
`summary(collapsed)` reads the latter into what docs/performance.md reports: the share of samples spent in
each package (self time, by the file of the innermost frame) and the inclusive share of the heaviest
functions.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import sys
from collections import Counter
from pathlib import Path

from devstack.stack import GATEWAY, RECOMMENDER, Stack
from kit.config import REPO_ROOT

OUT = REPO_ROOT / "reports" / "profiles"
PY_SPY = Path(sys.executable).parent / "py-spy"   # the venv's, when its bin is not on PATH
RATE = 50  # samples per second (py-spy: 100); lower keeps its own CPU small on 2 cores: two recorders per process
PROFILED = (GATEWAY, RECOMMENDER)
_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^:()]+)(?::\d+)?\)$")


async def record(pid: int, out: Path, seconds: float) -> None:
    py_spy = shutil.which("py-spy") or str(PY_SPY)
    common = ["record", "--pid", str(pid), "--duration", str(max(1, int(seconds))), "--rate", str(RATE),
              "--nonblocking", "--subprocesses", "--full-filenames"]  # several gateway workers: every one of them
    procs = [await asyncio.create_subprocess_exec(py_spy, *common, "--format", fmt, "--output", str(path),
                                                  stdout=asyncio.subprocess.DEVNULL,
                                                  stderr=asyncio.subprocess.DEVNULL)
             for fmt, path in (("flamegraph", out.with_suffix(".svg")), ("raw", out.with_suffix(".txt")))]
    for p in procs:
        await p.wait()


def _package(file: str) -> str:
    """`site-packages/strawberry/...` -> strawberry; `services/gateway/...` -> services.gateway; else the file."""
    parts = Path(file).parts
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1].removesuffix(".py")
    if "services" in parts:
        i = parts.index("services")
        return ".".join(parts[i:i + 2])
    for top in ("kit", "gen"):
        if top in parts:
            return top
    if file.startswith("<"):
        return file
    if "lib" in parts:
        return "stdlib:" + Path(file).stem
    return Path(file).name


PLUMBING = {"uvicorn", "starlette", "fastapi", "anyio", "h11", "httptools", "uvloop"}  # every request's frames


def summary(collapsed: Path, top: int = 20) -> dict:
    """Shares of the samples: by package of the innermost frame (self), and the heaviest functions counted
    once per stack they are on (inclusive), less the standard library and the HTTP server's plumbing that
    every request passes through."""
    by_package: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [m.groupdict() for f in stack.split(";") if (m := _FRAME.match(f))]
        if frames:
            by_package[_package(frames[-1]["file"])] += n
        for key in {f"{f['func']} ({pkg})" for f in frames
                    if not (pkg := _package(f["file"])).startswith(("stdlib:", "<")) and pkg not in PLUMBING}:
            inclusive[key] += n
    share = (lambda c: round(100 * c / total, 1)) if total else (lambda c: 0.0)
    return {"samples": total,
            "self_by_package_pct": {k: share(v) for k, v in by_package.most_common(top)},
            "inclusive_pct": {k: share(v) for k, v in inclusive.most_common(top)}}


async def during_hold(stack: Stack, name: str, ramp_s: float, hold_s: float) -> dict:
    """Profiles of the gateway and the recommender through the hold phase (after the ramp, until 5 s
    before its end), each summarised."""
    OUT.mkdir(parents=True, exist_ok=True)
    await asyncio.sleep(ramp_s)
    pids = {spec.name: pid for spec in PROFILED if (pid := stack.service_pid(spec))}
    await asyncio.gather(*(record(pid, OUT / f"{name}-{svc}", hold_s - 5) for svc, pid in pids.items()))
    return {svc: {"flamegraph": str((OUT / f"{name}-{svc}.svg").relative_to(REPO_ROOT)),
                  **summary(OUT / f"{name}-{svc}.txt")} for svc in pids}
