"""`python -m services.gateway` serves the gateway (uvicorn; SIGTERM/SIGINT shut it down gracefully).
`python -m services.gateway schema [-o FILE]` prints the GraphQL SDL instead."""

from __future__ import annotations

import argparse

import uvicorn

from kit.config import DEFAULT_PORTS, load_settings
from kit.logging import configure_logging
from services.gateway import export_schema
from services.gateway.app import create_app


def serve() -> None:
    settings = load_settings()
    log = configure_logging("gateway", settings.log_level, settings.log_json)
    port = settings.port or DEFAULT_PORTS["gateway"]
    log.info("gateway_starting", host=settings.host, port=port)
    uvicorn.run(
        create_app(settings),
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
