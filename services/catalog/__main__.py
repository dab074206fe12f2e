"""Catalogue service entry point.

    python -m services.catalog serve              gRPC server + outbox relay
    python -m services.catalog ingest [--if-empty] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import asdict
from pathlib import Path

from movierec.catalog.v1 import catalog_pb2, catalog_pb2_grpc

from kit import bus, db
from kit.config import DEFAULT_PORTS, Settings, load_settings
from kit.grpc_server import ServiceHost
from kit.logging import configure_logging
from kit.outbox import OutboxRelay
from services.catalog.ingest.loader import catalogue_size, ingest
from services.catalog.servicer import CatalogServicer

SERVICE_NAME = catalog_pb2.DESCRIPTOR.services_by_name["CatalogService"].full_name


async def build_host(settings: Settings) -> ServiceHost:
    pool = await db.create_pool(settings.database_url, settings.db_pool_min, settings.db_pool_max)
    host = ServiceHost("catalog", settings.host, settings.port or DEFAULT_PORTS["catalog"],
                       settings.metrics_port, settings.shutdown_grace_s, settings.shutdown_drain_delay_s)
    host.add_servicer(catalog_pb2_grpc.add_CatalogServiceServicer_to_server, CatalogServicer(pool), SERVICE_NAME)
    events = bus.BackgroundBus(settings.nats_url, "catalog")
    host.add_background(lambda: events.run(lambda js: OutboxRelay(pool, js, "catalog").run()))
    host.add_cleanup(events.close)
    host.add_cleanup(pool.close)
    return host


async def serve(settings: Settings) -> None:
    host = await build_host(settings)
    await host.run()


async def run_ingest(settings: Settings, data_dir: Path, if_empty: bool) -> int:
    pool = await db.create_pool(settings.database_url, 1, 2)
    try:
        if if_empty and (n := await catalogue_size(pool)) > 0:
            print(f"catalogue already holds {n} films; skipping ingest")
            return 0
        stats = await ingest(pool, data_dir, progress=True)
        print(json.dumps(asdict(stats)))
        return 0
    finally:
        await pool.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.catalog")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("serve")
    p_ing = sub.add_parser("ingest", help="load the TMDb union and the MovieLens links")
    p_ing.add_argument("--data-dir", type=Path, default=None)
    p_ing.add_argument("--if-empty", action="store_true", help="do nothing when the catalogue has films")
    args = parser.parse_args(argv)
    settings = load_settings()
    configure_logging("catalog", settings.log_level, settings.log_json)
    if args.cmd == "serve":
        asyncio.run(serve(settings))
        return 0
    data_dir = args.data_dir or settings.data_dir
    if not data_dir.is_dir():
        print(f"data dir {data_dir} not found: set DATA_DIR (see README, 'Data')", file=sys.stderr)
        return 2
    return asyncio.run(run_ingest(settings, data_dir, args.if_empty))


if __name__ == "__main__":
    raise SystemExit(main())
