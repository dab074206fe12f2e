"""Identity between the services.

- Access tokens are JWTs signed by the users service with an Ed25519 key (algorithm EdDSA, fixed on
  both sides: a token naming any other algorithm is refused). Claims: `sub` (user id), `aud`
  (ACCESS_AUDIENCE), `iss` (ISSUER), `iat`, `exp`, `jti`. The gateway verifies them locally with the
  public key; only the users service holds the private key.
- The gateway passes the verified user id to the services in gRPC metadata (`x-user-id`) together
  with the internal service token (`x-internal-token`). A service that acts for users accepts a call
  only with that token, and reads the acting user from metadata, never from the request body.

Key material lives in one folder (`SECRETS_DIR`, default `.local/secrets`): `jwt_ed25519.pem`
(private, users service only), `jwt_ed25519.pub.pem` (public) and `internal_token`. In Kubernetes it
is a mounted Secret; locally `devstack` creates it once with `ensure_dev_secrets`.
"""

from __future__ import annotations

import hmac
import os
import secrets
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import grpc
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kit.errors import Unauthenticated

ALGORITHM = "EdDSA"
ISSUER = "movierec-users"
ACCESS_AUDIENCE = "movierec-api"
PRIVATE_KEY_FILE = "jwt_ed25519.pem"
PUBLIC_KEY_FILE = "jwt_ed25519.pub.pem"
INTERNAL_TOKEN_FILE = "internal_token"

MD_USER_ID = "x-user-id"
MD_INTERNAL_TOKEN = "x-internal-token"


class TokenError(Exception):
    """An access token that is not acceptable; the message is safe to show."""


class TokenExpired(TokenError):
    pass


# ---------------------------------------------------------------- key material


def ensure_dev_secrets(secrets_dir: Path) -> None:
    """Create the key pair and the internal token if missing (local stacks only; files 0600)."""
    secrets_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(secrets_dir, 0o700)
    priv_path, pub_path = secrets_dir / PRIVATE_KEY_FILE, secrets_dir / PUBLIC_KEY_FILE
    if not priv_path.exists() or not pub_path.exists():
        key = Ed25519PrivateKey.generate()
        _write_secret(priv_path, key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        _write_secret(pub_path, key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    token_path = secrets_dir / INTERNAL_TOKEN_FILE
    if not token_path.exists():
        _write_secret(token_path, secrets.token_urlsafe(32).encode())


def _write_secret(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def _read(secrets_dir: Path, name: str) -> bytes:
    path = secrets_dir / name
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise RuntimeError(f"missing secret {path}: set SECRETS_DIR (make up creates .local/secrets)") from None


def load_private_key(secrets_dir: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(_read(secrets_dir, PRIVATE_KEY_FILE), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise RuntimeError(f"{PRIVATE_KEY_FILE} is not an Ed25519 private key")
    return key


def load_public_key(secrets_dir: Path) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(_read(secrets_dir, PUBLIC_KEY_FILE))
    if not isinstance(key, Ed25519PublicKey):
        raise RuntimeError(f"{PUBLIC_KEY_FILE} is not an Ed25519 public key")
    return key


def load_internal_token(secrets_dir: Path) -> str:
    token = _read(secrets_dir, INTERNAL_TOKEN_FILE).decode().strip()
    if len(token) < 16:
        raise RuntimeError(f"{INTERNAL_TOKEN_FILE} is too short (at least 16 characters)")
    return token


# ---------------------------------------------------------------- access tokens


@dataclass(frozen=True)
class AccessClaims:
    user_id: str
    expires_at: datetime
    token_id: str
    evening_id: str = ""  # a guest's token: the one evening it may take part in (services/users/evenings.py)


def sign_access_token(
    key: Ed25519PrivateKey, user_id: str, ttl: timedelta, now: datetime | None = None, *, evening_id: str = ""
) -> tuple[str, datetime]:
    """An access token for `user_id`; with `evening_id`, a guest's token that the gateway lets act only in
    that evening (claim `evening`)."""
    now = now or datetime.now(UTC)
    exp = now + ttl
    claims: dict[str, object] = {
        "sub": user_id, "aud": ACCESS_AUDIENCE, "iss": ISSUER,
        "iat": int(now.timestamp()), "exp": int(exp.timestamp()), "jti": uuid.uuid4().hex,
    }
    if evening_id:
        claims["evening"] = evening_id
    return jwt.encode(claims, key, algorithm=ALGORITHM), datetime.fromtimestamp(int(exp.timestamp()), UTC)


def verify_access_token(key: Ed25519PublicKey, token: str, leeway_s: float = 5.0) -> AccessClaims:
    """The claims of a valid token; TokenExpired / TokenError otherwise (messages safe to show)."""
    if not token or len(token) > 4096:
        raise TokenError("Invalid access token.")
    try:
        claims = jwt.decode(
            token, key, algorithms=[ALGORITHM], audience=ACCESS_AUDIENCE, issuer=ISSUER, leeway=leeway_s,
            options={"require": ["sub", "aud", "iss", "exp", "iat"]},
        )
    except jwt.ExpiredSignatureError:
        raise TokenExpired("Access token expired; refresh it.") from None
    except jwt.PyJWTError:
        raise TokenError("Invalid access token.") from None
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub:
        raise TokenError("Invalid access token.")
    evening = claims.get("evening", "")
    if not isinstance(evening, str):
        raise TokenError("Invalid access token.")
    return AccessClaims(sub, datetime.fromtimestamp(claims["exp"], UTC), str(claims.get("jti", "")), evening)


# ---------------------------------------------------------------- gRPC metadata


def call_metadata(internal_token: str, user_id: str | None = None) -> tuple[tuple[str, str], ...]:
    """Metadata for a call from the gateway (or another service) to a service acting for users."""
    md: tuple[tuple[str, str], ...] = ((MD_INTERNAL_TOKEN, internal_token),)
    if user_id is not None:
        md += ((MD_USER_ID, user_id),)
    return md


def _token_ok(metadata: Any, internal_token: str) -> bool:
    given = next((v for k, v in (metadata or ()) if k == MD_INTERNAL_TOKEN and isinstance(v, str)), "")
    return hmac.compare_digest(given.encode(), internal_token.encode())


class InternalTokenInterceptor(grpc.aio.ServerInterceptor):
    """Refuses (UNAUTHENTICATED) every call without the internal service token, except the gRPC
    health and reflection services (probes carry no token)."""

    def __init__(self, internal_token: str) -> None:
        self._token = internal_token

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler[Any, Any] | None]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[Any, Any] | None:
        handler = await continuation(handler_call_details)
        if handler is None or handler_call_details.method.startswith("/grpc."):
            return handler
        if _token_ok(handler_call_details.invocation_metadata, self._token):
            return handler

        async def refuse(request: Any, context: grpc.aio.ServicerContext) -> Any:
            await context.abort(grpc.StatusCode.UNAUTHENTICATED, "caller is not a trusted service")

        async def refuse_stream(request: Any, context: grpc.aio.ServicerContext) -> AsyncIterator[Any]:
            await context.abort(grpc.StatusCode.UNAUTHENTICATED, "caller is not a trusted service")
            yield None  # pragma: no cover - abort raises

        if handler.unary_stream:
            return grpc.unary_stream_rpc_method_handler(
                refuse_stream, handler.request_deserializer, handler.response_serializer)
        return grpc.unary_unary_rpc_method_handler(refuse, handler.request_deserializer, handler.response_serializer)


def acting_user(context: grpc.aio.ServicerContext) -> str:
    """The user a trusted caller (InternalTokenInterceptor let the call in) acts for: metadata
    `x-user-id`. Unauthenticated when the caller named nobody."""
    user_id = next((v for k, v in (context.invocation_metadata() or ()) if k == MD_USER_ID), "")
    if not isinstance(user_id, str) or not user_id:
        raise Unauthenticated("authentication required")
    return user_id
