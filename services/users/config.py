"""Users-service settings (USERS_* env), next to the shared `kit.config.Settings`."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class UsersConfig(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="USERS_", env_file=None, extra="ignore", case_sensitive=False)

    access_ttl_s: int = 15 * 60            # access token lifetime
    refresh_ttl_s: int = 30 * 24 * 3600    # each refresh token's lifetime (a refresh issues a fresh one)

    # argon2id (argon2-cffi defaults = RFC 9106's second recommended option: t=3, 64 MiB, p=4)
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 64 * 1024
    argon2_parallelism: int = 4
    hash_concurrency: int = 2              # hashes at once (each takes 64 MiB and ~85 ms of a core)
    hash_queue_max: int = 64               # callers waiting for a hash slot before new ones are refused

    # Login throttling (Redis): failures per window per account and per client address
    login_window_s: int = 15 * 60
    login_max_failures_per_account: int = 10
    login_max_failures_per_address: int = 50

    invite_ttl_s: int = 24 * 3600
    max_open_invites: int = 20
    max_partners: int = 10

    movie_check_timeout_s: float = 3.0     # catalogue look-up of a film id before a write
