from tests.nats_server import nats_server, nc  # noqa: F401 - fixtures
