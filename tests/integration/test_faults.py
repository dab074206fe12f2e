"""The fast cases of `make chaos` (devstack/chaos.py) on the test stack: a service killed with -9 under a
write load loses and doubles nothing, and a PostgreSQL restart answers UNAVAILABLE with a retry hint
(not INTERNAL), then heals by itself. The full run, every part in turn: `make chaos`, docs/reliability.md."""

from __future__ import annotations

import asyncio

import pytest

from devstack import chaos
from devstack.stack import RECOMMENDER, USERS
from tests.conftest import TEST_MIN_VOTES

# It kills services and restarts PostgreSQL under writes: runs after the browser flows, alone (tests/conftest.py).
pytestmark = pytest.mark.exclusive

STATE = "{ me { id state { watchlistIds } } }"


@pytest.mark.slow
async def test_killing_services_under_writes_loses_and_doubles_nothing(stack):
    films = await chaos.catalogue_films(stack, 400)
    load = chaos.WriteLoad(stack, films, writers=3, pause_s=0.02)
    await load.start()
    await asyncio.sleep(1.5)
    for spec in (USERS, RECOMMENDER):
        await chaos.kill_and_restart(stack, load.ledger, spec, down_s=1.0)
    await asyncio.sleep(1.0)
    ledger = await load.stop()
    backlog = await chaos.settled(stack, timeout_s=60)
    assert not any(backlog.values()), backlog
    report = await chaos.verify(stack, ledger, vector_min_votes=TEST_MIN_VOTES)
    assert report["problems"] == [], ledger.refusals[:5]
    writes = report["writes"]
    # the load really ran through the faults: writes of every kind, some of them retried past a kill
    assert writes["acknowledged"] >= 30 and writes["lost"] == writes["duplicated"] == 0
    assert {"rating", "watchlist", "comment", "invite"} <= set(report["by_kind"])
    retried = {ph: codes for ph, codes in chaos.attempts_by_phase(ledger).items() if "UNAVAILABLE" in codes}
    assert "kill -9 users" in retried, chaos.attempts_by_phase(ledger)
    assert report["events"]["missing"] == report["events"]["twice"] == 0 and report["events"]["outbox"] > 0


@pytest.mark.slow
async def test_a_postgres_restart_answers_unavailable_with_a_retry_hint_then_heals(stack):
    ledger = chaos.Ledger()
    client = chaos.Client(f"http://127.0.0.1:{stack.ports['gateway']}", ledger, give_up_s=60)
    await client.sign_up()
    try:
        await asyncio.to_thread(stack.pg.stop)
        try:
            code, body = await client.call(STATE)
        finally:
            await asyncio.to_thread(stack.pg.start)
        assert code == "UNAVAILABLE", body
        error = body["errors"][0]
        assert error["extensions"]["retryAfter"] >= 1
        assert "try again" in error["message"]
        # healed without a restart of any service: the same read answers once PostgreSQL is back
        assert await client.until_acked(STATE, {}) is not None
    finally:
        await client.close()
