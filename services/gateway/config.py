"""Gateway-only settings (GATEWAY_* env), next to the shared `kit.config.Settings`.

`WEB_DIST_DIR` (no prefix) names the web client's built files, served at `/` when the folder exists.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from services.gateway.client_address import IPNetwork, parse_trusted_proxies


class GatewayConfig(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="GATEWAY_", env_file=None, extra="ignore", case_sensitive=False, populate_by_name=True
    )

    # Worker processes (uvicorn's supervisor, one socket): 1 serves in this process; 0 is one per usable
    # core. Each worker holds its own channels, Redis and NATS connections; limits, caches and Tonight's
    # wake-ups already go through Redis and NATS, so any worker may answer any request. In Kubernetes one
    # worker per pod and the HPA (deploy/k8s) is the default; several suit one machine (`make up`).
    workers: int = Field(default=1, ge=0, le=64)

    # gRPC calls to the backends
    grpc_timeout_s: float = 5.0  # per call, including the wait for an in-flight slot
    grpc_max_in_flight: int = 200  # concurrent calls per channel (catalogue, recommender)
    # The users channel's lanes (clients/users.py), each its own bound on calls in flight: public reads
    # (comments, users named by reasons), a signed-in user's own calls (me, their writes) and sign-in
    # (register, login, refresh, logout). Reads are batched (one BatchListComments per request's films), so
    # 32 is plenty; kept small because every read in flight may hold or wait for one of the users
    # service's DB connections (DB_POOL_MAX, 10), which `me` needs too.
    grpc_users_read_max_in_flight: int = 32
    grpc_users_own_max_in_flight: int = 100
    grpc_users_sign_in_max_in_flight: int = 64  # the users service queues 64 password hashes at most

    # Redis read cache
    cache_enabled: bool = True
    cache_prefix: str = "gw"
    cache_movie_ttl_s: int = 3600
    cache_search_ttl_s: int = 300
    cache_genres_ttl_s: int = 3600
    # whole answers of zone queries (answer_cache.py); 0 turns the answer cache off
    cache_answer_ttl_s: int = 60
    redis_timeout_s: float = 0.5  # socket timeouts: a slow Redis must not slow reads down much
    redis_retry_after_s: float = 1.0  # after a Redis failure, skip the cache this long

    # Catalogue events (cache invalidation)
    nats_startup_wait_s: float = 5.0  # how long start-up waits for NATS before going on without it

    # GraphQL limits
    max_depth: int = 10
    max_tokens: int = 2000
    max_aliases: int = 30
    max_fields: int = 5000  # fragments expanded (document_limits.py, as are depth and aliases)
    max_cost: int = 100_000  # estimated fields resolved: page sizes multiplied down (document_limits.py)
    max_body_bytes: int = 64 * 1024  # HTTP request body (GraphQL document + variables)
    max_json_depth: int = 16  # nesting of the JSON body / GET variables (request_body.py); the schema needs 4
    # Development conveniences, off in the prod overlay: GraphiQL on GET /graphql, and `__schema`/`__type`
    # (introspection.py; `__typename` always works). The web client's types come from the SDL, not introspection.
    graphiql: bool = True
    introspection: bool = True

    # Who the client is (client_address.py): X-Forwarded-For is read only when the TCP peer is one of these
    # addresses or CIDRs (comma-separated), our ingress; default none: the peer is the client. Never `*`.
    trusted_proxies: Annotated[tuple[IPNetwork, ...], NoDecode] = ()
    client_ipv6_prefix: int = 64  # an IPv6 client counts as its /64 for every per-client limit

    # Rate limits (rate_limit.py, docs/security.md): token buckets shared through Redis; each allows `burst`
    # at once, then one more per `interval_s`; a burst of 0 turns that limit off. Refusals: RATE_LIMITED
    # with extensions.retryAfter.
    rate_limit_prefix: str = "gw:rl"
    rate_sign_in_burst: int = 10  # per client address: login, and changePassword / deleteAccount (they
    rate_sign_in_interval_s: float = 6.0  # check a password too); 10 at once, then 10 a minute
    rate_register_burst: int = 5  # per client address: 5 at once, then 20 an hour
    rate_register_interval_s: float = 180.0
    rate_writes_burst: int = 60  # per user: ratings, lists, watched, dismissals, opens, comment deletes,
    rate_writes_interval_s: float = 0.5  # invites and partners; 60 at once, then 120 a minute
    rate_comments_burst: int = 10  # per user: addComment, editComment; 10 at once, then 2 a minute
    rate_comments_interval_s: float = 30.0
    rate_imports_burst: int = 10  # per user: previewImport and confirmImport (a preview reads and matches
    rate_imports_interval_s: float = 30.0  # up to 20,000 rows); 10 at once, then 2 a minute

    # History import uploads (previewImport), multipart on /graphql/upload only: the file at most
    # kit.limits.IMPORT_FILE_MAX_BYTES (BAD_USER_INPUT beyond, extensions.limit), the whole body at most
    # that plus this much for the other form parts (HTTP 413 beyond); /graphql keeps max_body_bytes.
    import_body_overhead_bytes: int = 64 * 1024
    import_timeout_s: float = 60.0  # the users service's PreviewImport / ConfirmImport deadline
    import_max_in_flight: int = 8  # import calls in flight to the users service (their own lane)

    # The web client's built files, served at / when the folder exists (a later issue builds them).
    web_dist_dir: Path | None = Field(
        default=None, validation_alias=AliasChoices("WEB_DIST_DIR", "GATEWAY_WEB_DIST_DIR", "web_dist_dir")
    )

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxies(cls, value: Any) -> tuple[IPNetwork, ...]:
        return parse_trusted_proxies(value)
