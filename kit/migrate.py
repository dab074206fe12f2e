"""Schema migrations with Alembic, one history per service.

Each service owns one PostgreSQL schema and keeps its revisions in `services/<name>/migrations/`
(plain SQL through `op.execute`). Its version table lives in its own schema, so services migrate
independently. Run with `python -m kit.migrate [service ...]` (default: every service that has
migrations); `make up` and the test run call it.
"""

from __future__ import annotations

import sys

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url

from kit.config import REPO_ROOT, load_settings

SERVICES_DIR = REPO_ROOT / "services"


def sqlalchemy_url(database_url: str) -> str:
    """postgresql://... (asyncpg style) -> postgresql+psycopg://... for Alembic."""
    url = make_url(database_url)
    return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def services_with_migrations() -> list[str]:
    return sorted(p.parent.name for p in SERVICES_DIR.glob("*/migrations") if (p / "env.py").exists())


def alembic_config(service: str, database_url: str) -> Config:
    script_dir = SERVICES_DIR / service / "migrations"
    cfg = Config()
    cfg.set_main_option("script_location", str(script_dir))
    cfg.set_main_option("sqlalchemy.url", sqlalchemy_url(database_url).replace("%", "%%"))
    cfg.attributes["schema"] = service
    return cfg


def upgrade(service: str, database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(service, database_url), revision)


def run_env(context, schema: str) -> None:
    """Body of every service's migrations/env.py (online mode only)."""
    from sqlalchemy import create_engine, pool, text

    cfg = context.config
    engine = create_engine(cfg.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    with engine.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        conn.commit()
        context.configure(connection=conn, version_table_schema=schema, transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()


def main(argv: list[str]) -> int:
    settings = load_settings()
    targets = argv or services_with_migrations()
    for svc in targets:
        if not (SERVICES_DIR / svc / "migrations" / "env.py").exists():
            print(f"no migrations for service {svc!r}", file=sys.stderr)
            return 2
        upgrade(svc, settings.database_url)
        print(f"migrated {svc}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
