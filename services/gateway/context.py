"""The per-request GraphQL context: the backend clients, the cache, fresh DataLoaders, and the
caller's identity (verified lazily, once per request) with their state (one GetState per request)."""

from __future__ import annotations

import asyncio

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from movierec.users.v1 import users_pb2
from strawberry.fastapi import BaseContext

from services.gateway.auth import authenticate
from services.gateway.cache import Cache
from services.gateway.clients.catalog import CatalogApi
from services.gateway.clients.not_open import NotOpen
from services.gateway.clients.recommender import RecommenderApi
from services.gateway.clients.users import UsersApi
from services.gateway.errors import GatewayError
from services.gateway.loaders import comments_loader, movie_loader, user_loader
from services.gateway.rate_limit import RateLimits


class GatewayContext(BaseContext):
    def __init__(
        self,
        catalog: CatalogApi,
        cache: Cache | None = None,
        *,
        users: UsersApi | None = None,
        recommender: RecommenderApi | None = None,
        public_key: Ed25519PublicKey | None = None,
        authorization: str | None = None,
        client_address: str = "",
        limits: RateLimits | None = None,
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self.cache = cache if cache is not None else Cache(None)
        self.movie_loader = movie_loader(self.catalog, self.cache)
        self.users: UsersApi = users if users is not None else NotOpen()
        self.user_loader = user_loader(self.users)
        self.comments_loader = comments_loader(self.users)  # first pages of Movie.comments
        self.recommender: RecommenderApi = recommender if recommender is not None else NotOpen()
        self.public_key = public_key
        self.authorization = authorization
        self.client_address = client_address  # client_address.py: per-client limits, the sign-in throttle
        self.limits = limits  # rate_limit.py; None: no limits (tests that build a context by hand)
        self._user_id: str | None = None
        self._auth_error: GatewayError | None = None
        self._state: users_pb2.UserState | None = None
        self._state_error: BaseException | None = None
        self._state_lock = asyncio.Lock()

    def require_user(self) -> str:
        """The id of the user the request's access token names; Unauthenticated without a valid
        token. Verified on first use, the outcome kept for the rest of the request."""
        if self._user_id is None and self._auth_error is None:
            try:
                self._user_id = authenticate(self.public_key, self.authorization)
            except GatewayError as e:
                self._auth_error = e
        if self._auth_error is not None:
            raise type(self._auth_error)(self._auth_error.message, self._auth_error.code)
        assert self._user_id is not None
        return self._user_id

    def optional_user(self) -> str | None:
        """For fields anonymous callers may use too: None when the request has no Authorization
        header; otherwise `require_user()`. A header that is sent but bad or expired is
        UNAUTHENTICATED rather than anonymous, so a client with a stale token learns to refresh it."""
        if self.authorization is None or not self.authorization.strip():  # as auth.bearer_token
            return None
        return self.require_user()

    async def user_state(self) -> users_pb2.UserState:
        """The caller's state from the users service: one GetState per request, however many
        fields (or aliases of `me`) read it, failure included. Requires a valid token."""
        user_id = self.require_user()
        async with self._state_lock:
            if self._state is None and self._state_error is None:
                try:
                    self._state = await self.users.get_state(user_id)
                except Exception as e:  # kept too: the other readers get the same error, not a retry
                    self._state_error = e
            if self._state_error is not None:
                raise self._state_error
            assert self._state is not None
            return self._state

    def forget_state(self) -> None:
        """After a mutation that changed the caller's state: a later read gets it afresh."""
        self._state = None
        self._state_error = None
