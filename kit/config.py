"""Settings from the environment, with defaults that match the local stack `make up` starts.

Every service reads the same names (DATABASE_URL, NATS_URL, REDIS_URL, ...), so pointing the
whole system at real infrastructure is a matter of exporting them.

MOVIEREC_ENV=prod (the prod overlay) drops the local defaults of the stores: `load_settings()` refuses
to start a process whose DATABASE_URL, NATS_URL or REDIS_URL is unset, blank, or without credentials
(the local stack's PostgreSQL trusts every local connection, its NATS and Redis have no auth: they
must never be what a production process falls back to). `dev`, the default, keeps the local defaults.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, urlsplit

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]

# Local defaults (make up). Tests use their own ports, see tests/conftest.py.
DEFAULT_PORTS = {
    "postgres": 15432,
    "nats": 14222,
    "redis": 16379,
    "gateway": 8000,
    "catalog": 50051,
    "users": 50052,
    "recommender": 50053,
    "embedder": 50054,
}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    # MOVIEREC_ENV: dev (local defaults for anything unset) or prod (the stores must be configured)
    movierec_env: Literal["dev", "prod"] = "dev"
    database_url: str = f"postgresql://movierec@127.0.0.1:{DEFAULT_PORTS['postgres']}/movierec"
    nats_url: str = f"nats://127.0.0.1:{DEFAULT_PORTS['nats']}"
    redis_url: str = f"redis://127.0.0.1:{DEFAULT_PORTS['redis']}/0"
    data_dir: Path = Field(default=REPO_ROOT.parent / "shared" / "data")
    # JWT key pair and the internal service token (kit.auth); a mounted Secret in Kubernetes.
    secrets_dir: Path = Field(default=REPO_ROOT / ".local" / "secrets")

    catalog_addr: str = f"127.0.0.1:{DEFAULT_PORTS['catalog']}"
    users_addr: str = f"127.0.0.1:{DEFAULT_PORTS['users']}"
    recommender_addr: str = f"127.0.0.1:{DEFAULT_PORTS['recommender']}"
    embedder_addr: str = f"127.0.0.1:{DEFAULT_PORTS['embedder']}"

    # Where this process listens (gRPC services and the gateway read theirs).
    host: str = "127.0.0.1"
    port: int = 0                 # 0 = the service's default port
    metrics_port: int = 0         # 0 = no /metrics listener

    log_level: str = "INFO"
    log_json: bool = True
    db_pool_min: int = 1
    db_pool_max: int = 10
    shutdown_grace_s: float = 10.0    # in-flight calls get this long to finish after SIGTERM
    shutdown_drain_delay_s: float = 1.0  # NOT_SERVING but still accepting, before the grace period


class SettingsError(RuntimeError):
    """The environment cannot run this process (MOVIEREC_ENV=prod without its stores' URLs)."""


STORE_URLS = ("database_url", "nats_url", "redis_url")


def _has_credentials(field: str, url: str) -> bool:
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return False
    if field == "nats_url":  # user:password, or a token as the user part
        return bool(parts.username or password)
    if field == "database_url":  # libpq-style URLs may also carry it as ?password=
        return bool(password or parse_qs(parts.query).get("password", [""])[0])
    return bool(password)  # redis://:PASSWORD@host or redis://USER:PASSWORD@host


def production_problems(settings: Settings) -> list[str]:
    """Why `settings` cannot run in prod (empty when they can). Names the variables, never their values."""
    problems = []
    for field in STORE_URLS:
        name = field.upper()
        value = getattr(settings, field)
        if field not in settings.model_fields_set:
            problems.append(f"{name} is not set")
        elif not value.strip():
            problems.append(f"{name} is empty")
        elif not _has_credentials(field, value):
            problems.append(f"{name} has no credentials")
    return problems


def load_settings() -> Settings:
    """Settings from the environment; SettingsError when MOVIEREC_ENV=prod and a store is not configured."""
    settings = Settings()
    if settings.movierec_env == "prod" and (problems := production_problems(settings)):
        raise SettingsError(
            f"MOVIEREC_ENV=prod: {'; '.join(problems)}. In production the store URLs, with their credentials, "
            "come from the Secret movierec-stores (docs/deploy.md); the local stack's defaults are for development."
        )
    return settings


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity, which containers and taskset narrow)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
