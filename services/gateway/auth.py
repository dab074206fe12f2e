"""Who is calling: the access token of a request's `Authorization: Bearer <jwt>` header, verified
locally with the users service's public key (kit.auth; no call to the users service).

A request's identity is only checked when a field needs it (`GatewayContext.require_user`), so
public fields answer whatever the header says; a private field without a valid token fails with
UNAUTHENTICATED and never reaches a backend.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kit.auth import AccessClaims, TokenError, verify_access_token
from services.gateway.errors import Unauthenticated, Unavailable

AUTH_REQUIRED_MESSAGE = "Authentication required."
BAD_HEADER_MESSAGE = "Invalid Authorization header: expected `Bearer <access token>`."
STARTING_MESSAGE = "The gateway is starting; try again shortly."


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header (scheme case-insensitive); None when
    the header is absent or blank; Unauthenticated when it is there but not a bearer token."""
    if authorization is None or not authorization.strip():
        return None
    parts = authorization.split()
    if len(parts) != 2 or parts[0].lower() != "bearer":
        raise Unauthenticated(BAD_HEADER_MESSAGE)
    return parts[1]


def authenticate(public_key: Ed25519PublicKey | None, authorization: str | None) -> str:
    """The verified user id of a request's Authorization header; Unauthenticated (with
    kit.auth's message for a bad or expired token) otherwise."""
    return authenticate_claims(public_key, authorization).user_id


def authenticate_claims(public_key: Ed25519PublicKey | None, authorization: str | None) -> AccessClaims:
    """As `authenticate`, the whole claims: a Tonight guest's token names its evening (`evening_id`)."""
    token = bearer_token(authorization)
    if token is None:
        raise Unauthenticated(AUTH_REQUIRED_MESSAGE)
    if public_key is None:  # resources not open yet: nothing to verify with
        raise Unavailable(STARTING_MESSAGE)
    try:
        return verify_access_token(public_key, token)
    except TokenError as e:
        raise Unauthenticated(str(e)) from None
