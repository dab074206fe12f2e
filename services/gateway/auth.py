"""Who is calling: the access token of a request's `Authorization: Bearer <jwt>` header, verified
locally with the users service's public key (kit.auth; no call to the users service).

A request's identity is only checked when a field needs it (`GatewayContext.require_user`), so
public fields answer whatever the header says; a private field without a valid token fails with
UNAUTHENTICATED and never reaches a backend.
"""

from __future__ import annotations

import time
from collections import OrderedDict

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kit.auth import AccessClaims, TokenError, TokenExpired, verify_access_token
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


# Access tokens this process has verified, kept with their claims: a token's signature check (EdDSA) was a
# quarter of the gateway's work on a cached zone answer (docs/performance.md). Only tokens that passed the
# whole check are kept, so a caller cannot fill it with forgeries; the expiry is checked again on each use,
# with verify_access_token's leeway; bounded (LRU), and emptied when the verifying key changes.
VERIFIED_TOKENS_MAX = 4096
EXPIRY_LEEWAY_S = 5.0


class VerifiedTokens:
    def __init__(self, max_size: int = VERIFIED_TOKENS_MAX) -> None:
        self.max_size = max_size
        self._key: Ed25519PublicKey | None = None
        self._claims: OrderedDict[str, AccessClaims] = OrderedDict()

    def verify(self, public_key: Ed25519PublicKey, token: str) -> AccessClaims:
        """verify_access_token's answer for `token`, from the ones already verified with this key when it
        is there and not expired (TokenExpired then, as verify_access_token would say)."""
        if public_key is not self._key:
            self._claims.clear()
            self._key = public_key
        claims = self._claims.get(token)
        if claims is not None:
            if time.time() > claims.expires_at.timestamp() + EXPIRY_LEEWAY_S:
                del self._claims[token]
                raise TokenExpired("Access token expired; refresh it.")
            self._claims.move_to_end(token)
            return claims
        claims = verify_access_token(public_key, token, leeway_s=EXPIRY_LEEWAY_S)
        self._claims[token] = claims
        if len(self._claims) > self.max_size:
            self._claims.popitem(last=False)
        return claims

    def __len__(self) -> int:
        return len(self._claims)


VERIFIED = VerifiedTokens()


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
        return VERIFIED.verify(public_key, token)
    except TokenError as e:
        raise Unauthenticated(str(e)) from None
