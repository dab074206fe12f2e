"""Init-container waits: block until a precondition of the container that follows holds.

    python /app/tools/wait_for.py migrations        every service schema at its Alembic head
    python /app/tools/wait_for.py sql 'SELECT ...'  the query's first column is true
    python /app/tools/wait_for.py grpc HOST:PORT    the server's grpc.health.v1 status is SERVING

Kubernetes starts every object of an overlay at once; the migration Job, the data-loading Jobs and
the services order themselves through these checks against the stores, not through Job names (a
finished Job may be gone after its TTL, and a rerun is harmless: every Job is idempotent). Reads
DATABASE_URL like the services. Polls every --interval seconds; --timeout 0 (default) waits for ever
(the pod's own deadline applies). Exit 0 when the condition holds, 1 on timeout.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable


def _database_url() -> str:
    from kit.config import load_settings

    return load_settings().database_url


def migrations_done() -> bool:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine, pool

    from kit.migrate import alembic_config, services_with_migrations, sqlalchemy_url

    url = _database_url()
    engine = create_engine(sqlalchemy_url(url), poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            for service in services_with_migrations():
                heads = set(ScriptDirectory.from_config(alembic_config(service, url)).get_heads())
                ctx = MigrationContext.configure(conn, opts={"version_table_schema": service})
                if set(ctx.get_current_heads()) != heads:
                    print(f"schema {service}: not at head {sorted(heads)} yet", flush=True)
                    return False
    finally:
        engine.dispose()
    return True


def sql_true(query: str) -> bool:
    import psycopg

    with psycopg.connect(_database_url(), connect_timeout=5) as conn:
        row = conn.execute(query).fetchone()
    return bool(row and row[0])


def grpc_serving(addr: str) -> bool:
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    with grpc.insecure_channel(addr) as channel:
        # types-grpcio-health-checking declares HealthStub without its methods (Check, Watch).
        stub = health_pb2_grpc.HealthStub(channel)
        resp = stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=3)  # type: ignore[attr-defined]
    return resp.status == health_pb2.HealthCheckResponse.SERVING


def wait(check: Callable[[], bool], what: str, interval: float, timeout: float) -> bool:
    start = time.monotonic()
    while True:
        try:
            if check():
                print(f"ready: {what}", flush=True)
                return True
        except Exception as e:  # noqa: BLE001 - not reachable yet is the normal case while waiting
            print(f"waiting for {what}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}", flush=True)
        if timeout and time.monotonic() - start >= timeout:
            print(f"timed out after {timeout:.0f}s waiting for {what}", file=sys.stderr, flush=True)
            return False
        time.sleep(interval)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--interval", type=float, default=3.0)
    p.add_argument("--timeout", type=float, default=0.0)
    sub = p.add_subparsers(dest="what", required=True)
    sub.add_parser("migrations")
    p_sql = sub.add_parser("sql")
    p_sql.add_argument("query")
    p_grpc = sub.add_parser("grpc")
    p_grpc.add_argument("addr")
    args = p.parse_args(argv)
    if args.what == "migrations":
        ok = wait(migrations_done, "migrations", args.interval, args.timeout)
    elif args.what == "sql":
        ok = wait(lambda: sql_true(args.query), f"sql {args.query!r}", args.interval, args.timeout)
    else:
        ok = wait(lambda: grpc_serving(args.addr), f"grpc {args.addr} SERVING", args.interval, args.timeout)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
