"""`python -m services.gateway` serves the gateway (uvicorn; SIGTERM/SIGINT shut it down gracefully).
`python -m services.gateway schema [-o FILE]` prints the GraphQL SDL instead."""

from __future__ import annotations

import argparse
from typing import Any

import uvicorn

from kit.config import DEFAULT_PORTS, load_settings, usable_cores
from kit.logging import configure_logging
from services.gateway import export_schema, metrics
from services.gateway.app import create_app
from services.gateway.config import GatewayConfig


def serve() -> None:
    settings = load_settings()
    log = configure_logging("gateway", settings.log_level, settings.log_json)
    port = settings.port or DEFAULT_PORTS["gateway"]
    workers = GatewayConfig().workers or usable_cores()
    log.info("gateway_starting", host=settings.host, port=port, workers=workers)
    options: dict[str, Any] = dict(
        host=settings.host,
        port=port,
        lifespan="on",
        log_config=None,  # keep kit.logging's configuration
        access_log=False,  # request counts and latencies are in /metrics
        timeout_graceful_shutdown=int(settings.shutdown_grace_s),
        # X-Forwarded-For is read by the app, only from GATEWAY_TRUSTED_PROXIES (client_address.py); uvicorn's
        # own handling would believe it from FORWARDED_ALLOW_IPS, whatever that says.
        proxy_headers=False,
    )
    if workers == 1:
        uvicorn.run(create_app(settings), **options)
        return
    # Several processes on one socket: each builds its app from the environment (app.worker_app), and their
    # metrics are summed through files in one folder (metrics.py, prometheus_client's multiprocess mode).
    with metrics.multiprocess_folder():
        uvicorn.run("services.gateway.app:worker_app", factory=True, workers=workers, **options)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.gateway")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("serve", help="serve the gateway (the default)")
    schema = sub.add_parser("schema", help="print the GraphQL SDL")
    schema.add_argument("-o", "--output", help="write to this file instead of stdout")
    args = parser.parse_args(argv)
    if args.command == "schema":
        return export_schema.main(["-o", args.output] if args.output else [])
    serve()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
