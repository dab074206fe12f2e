"""Settings from the environment, with defaults that match the local stack `make up` starts.

Every service reads the same names (DATABASE_URL, NATS_URL, REDIS_URL, ...), so pointing the
whole system at real infrastructure is a matter of exporting them.
"""

from __future__ import annotations

from pathlib import Path

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


def load_settings() -> Settings:
    return Settings()
