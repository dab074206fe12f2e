"""Users service entry point.

    python -m services.users serve                          gRPC server + outbox relay
    python -m services.users import-movielens [--if-empty]  MovieLens users and ratings as history
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import asdict
from pathlib import Path

import grpc
from movierec.catalog.v1 import catalog_pb2, catalog_pb2_grpc
from movierec.users.v1 import users_pb2, users_pb2_grpc
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from kit import auth, bus, db
from kit.config import DEFAULT_PORTS, Settings, load_settings
from kit.grpc_server import ServiceHost
from kit.logging import configure_logging
from kit.outbox import OutboxRelay
from services.users.accounts import Accounts
from services.users.comments import Comments
from services.users.config import UsersConfig
from services.users.evenings import Evenings, token_key_from
from services.users.history_import import HistoryImports
from services.users.interactions import Interactions
from services.users.movielens import import_movielens, imported_users
from services.users.movies import MovieChecker
from services.users.partners import Partners, code_key_from
from services.users.passwords import Passwords
from services.users.servicer import UsersServicer
from services.users.throttle import LoginThrottle, ThrottleRules

SERVICE_NAME = users_pb2.DESCRIPTOR.services_by_name["UsersService"].full_name


async def build_host(settings: Settings, config: UsersConfig) -> ServiceHost:
    signing_key = auth.load_private_key(settings.secrets_dir)
    public_key = auth.load_public_key(settings.secrets_dir)
    internal_token = auth.load_internal_token(settings.secrets_dir)
    pool = await db.create_pool(settings.database_url, settings.db_pool_min, settings.db_pool_max)
    # one immediate retry (a stale pooled connection), no backoff: a Redis outage must not slow every sign-in
    redis = Redis.from_url(settings.redis_url, socket_timeout=0.5, socket_connect_timeout=0.5,
                           retry=Retry(NoBackoff(), 1))
    catalog = grpc.aio.insecure_channel(settings.catalog_addr)
    throttle = LoginThrottle(redis, ThrottleRules(
        free_failures=config.login_free_failures, backoff_base_s=config.login_backoff_base_s,
        backoff_max_s=config.login_backoff_max_s, pair_ttl_s=config.login_pair_ttl_s,
        account_ceiling=config.login_account_ceiling, account_window_s=config.login_account_window_s))
    evenings = Evenings(pool, config, token_key_from(signing_key.private_bytes_raw()), signing_key)
    servicer = UsersServicer(
        Accounts(pool, config, Passwords(config), throttle, signing_key), Interactions(pool), Comments(pool),
        Partners(pool, config, code_key_from(signing_key.private_bytes_raw())),
        MovieChecker(catalog, config.movie_check_timeout_s), public_key, evenings,
        HistoryImports(pool, catalog, config.import_match_timeout_s),
    )
    host = ServiceHost("users", settings.host, settings.port or DEFAULT_PORTS["users"], settings.metrics_port,
                       settings.shutdown_grace_s, settings.shutdown_drain_delay_s,
                       interceptors=(auth.InternalTokenInterceptor(internal_token),))
    host.add_servicer(users_pb2_grpc.add_UsersServiceServicer_to_server, servicer, SERVICE_NAME)
    events = bus.BackgroundBus(settings.nats_url, "users")
    host.add_background(lambda: events.run(lambda js: OutboxRelay(pool, js, "users").run()))
    host.add_background(evenings.run_sweeper)
    host.add_cleanup(events.close)
    host.add_cleanup(redis.aclose)
    host.add_cleanup(lambda: catalog.close(grace=1.0))
    host.add_cleanup(pool.close)
    return host


async def serve(settings: Settings) -> None:
    host = await build_host(settings, UsersConfig())
    await host.run()


async def catalogue_links(catalog_addr: str) -> dict[int, int]:
    """MovieLens movieId -> TMDb id for films the catalogue holds."""
    async with grpc.aio.insecure_channel(catalog_addr) as channel:
        resp = await catalog_pb2_grpc.CatalogServiceStub(channel).MapMovieLensIds(
            catalog_pb2.MapMovieLensIdsRequest(), timeout=30)
    return {link.movielens_id: link.tmdb_id for link in resp.links if link.in_catalogue}


async def run_import(settings: Settings, data_dir: Path, if_empty: bool) -> int:
    pool = await db.create_pool(settings.database_url, 1, 2)
    try:
        if if_empty and (n := await imported_users(pool)) > 0:
            print(f"{n} MovieLens users already imported; skipping")
            return 0
        links = await catalogue_links(settings.catalog_addr)
        if not links:
            print("the catalogue has no MovieLens links: load the catalogue first", file=sys.stderr)
            return 2
        stats = await import_movielens(pool, data_dir, links, progress=True)
        print(json.dumps(asdict(stats)))
        return 0
    finally:
        await pool.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.users")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("serve")
    p_imp = sub.add_parser("import-movielens", help="MovieLens users and their ratings as history")
    p_imp.add_argument("--data-dir", type=Path, default=None)
    p_imp.add_argument("--if-empty", action="store_true", help="do nothing when MovieLens users exist")
    args = parser.parse_args(argv)
    settings = load_settings()
    configure_logging("users", settings.log_level, settings.log_json)
    if args.cmd == "serve":
        asyncio.run(serve(settings))
        return 0
    data_dir = args.data_dir or settings.data_dir
    if not data_dir.is_dir():
        print(f"data dir {data_dir} not found: set DATA_DIR (see README, 'Data')", file=sys.stderr)
        return 2
    return asyncio.run(run_import(settings, data_dir, args.if_empty))


if __name__ == "__main__":
    raise SystemExit(main())
