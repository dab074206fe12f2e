"""Users-service settings (USERS_* env), next to the shared `kit.config.Settings`."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

from kit import limits


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
    # Places (running + waiting) one client may hold in the hash slots (hash_slots.py): a flood from one
    # address takes 4 of the 66 and is refused beyond them at once; others are served round-robin.
    hash_max_per_client: int = 4

    # Sign-in throttling per (account, client address), in Redis (throttle.py, docs/security.md): the
    # first 4 attempts of a pair go through, from the 5th on the pair waits 1 s, 2 s, 4 s ... at most
    # 5 min before its next; a success forgets the pair; an address that has not failed is never refused.
    login_free_failures: int = 5
    login_backoff_base_s: float = 1.0
    login_backoff_max_s: float = 300.0
    login_pair_ttl_s: int = 24 * 3600      # a pair's count is forgotten a day after its last attempt
    # Over 100 attempts on one account in an hour from all addresses together, every pair that fails
    # waits from its first failure (only slows; 0 turns it off).
    login_account_ceiling: int = 100
    login_account_window_s: int = 3600

    invite_ttl_s: int = 24 * 3600
    max_open_invites: int = 20
    max_partners: int = limits.PARTNERS_MAX  # kit/limits.py: a Together group, less the caller

    # Tonight (evenings.py): how long an evening, its share link and its guests last; evenings a host may
    # have open at once; how often ended evenings (and their guests) are deleted.
    evening_ttl_s: int = 12 * 3600
    max_open_evenings: int = 5
    evening_sweep_interval_s: float = 60.0

    movie_check_timeout_s: float = 3.0     # catalogue look-up of a film id before a write
    import_match_timeout_s: float = 30.0   # one MatchFilms call of a history import (5,000 rows at most)
