"""`make chaos`: a steady write load through GraphQL while every service is killed (-9) and restarted in
turn, NATS and Redis are stopped for 10 s and PostgreSQL is restarted; then every promise is checked
(devstack/chaos.py: acknowledged writes present exactly once, events published and applied once,
vectors for every encoded film). Writes reports/chaos.json; exits 1 when a promise broke.

Own stack (its own folder and ports, like the benchmarks), films with 100+ votes encoded."""

from __future__ import annotations

import asyncio
import json
import sys
import time

from bench.common import cpu_model, own_stack_ports, run_on_own_stack
from devstack import chaos
from devstack.stack import Stack
from kit.config import REPO_ROOT

PORTS, METRICS_BASE = own_stack_ports(31200)
MIN_VOTES = 100
WRITERS = 6
STEADY_S = 5.0


async def measure(stack: Stack) -> dict:
    films = await chaos.catalogue_films(stack, 5000)
    load = chaos.WriteLoad(stack, films, writers=WRITERS)
    started = time.monotonic()
    await load.start()
    await asyncio.sleep(STEADY_S)
    steps = chaos.scenario(stack, load.ledger)
    for step in steps:
        await step()
        await asyncio.sleep(STEADY_S)
    ledger = await load.stop()
    backlog = await chaos.settled(stack)
    result = await chaos.verify(stack, ledger, vector_min_votes=MIN_VOTES)
    result.update({
        "cpu": cpu_model(),
        "writers": WRITERS,
        "faults": [p for p in dict.fromkeys(ph for ph, _ in ledger.attempts) if p != "steady"],
        "load_s": round(time.monotonic() - started, 1),
        "backlog_after": backlog,
        "attempts_by_phase": chaos.attempts_by_phase(ledger),
        "reads_by_phase": chaos.probes_by_phase(ledger),
        "refusals": ledger.refusals[:20],
    })
    return result


def main() -> int:
    rc = run_on_own_stack("chaos", PORTS, METRICS_BASE, measure, backfill_min_votes=MIN_VOTES,
                          service_env={"EMBEDDER_DELIVER_POLICY": "new"})
    report = json.loads((REPO_ROOT / "reports" / "chaos.json").read_text())
    if report["problems"]:
        print(f"chaos: {len(report['problems'])} promises broke", file=sys.stderr)
        return 1
    return rc


if __name__ == "__main__":
    raise SystemExit(main())
