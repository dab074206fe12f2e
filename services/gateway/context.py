"""The per-request GraphQL context: the backend clients, the cache, fresh DataLoaders, and the
caller's identity (verified lazily, once per request) with their state (one GetState per request)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from functools import cached_property

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from movierec.catalog.v1 import catalog_pb2
from movierec.users.v1 import users_pb2
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from services.gateway.auth import authenticate_claims
from services.gateway.cache import Cache
from services.gateway.clients.catalog import CatalogApi
from services.gateway.clients.not_open import NotOpen
from services.gateway.clients.recommender import RecommenderApi
from services.gateway.clients.users import UsersApi
from services.gateway.errors import Forbidden, GatewayError
from services.gateway.evening_hub import EveningHub
from services.gateway.loaders import CommentsKey, comments_loader, movie_loader, user_loader
from services.gateway.rate_limit import RateLimits

GUEST_MESSAGE = "A guest can only take part in the evening they joined; sign up to do more."


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
        evenings: EveningHub | None = None,
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self.cache = cache if cache is not None else Cache(None)
        self.users: UsersApi = users if users is not None else NotOpen()
        self.recommender: RecommenderApi = recommender if recommender is not None else NotOpen()
        self.public_key = public_key
        self.authorization = authorization
        self.client_address = client_address  # client_address.py: per-client limits, the sign-in throttle
        self.limits = limits  # rate_limit.py; None: no limits (tests that build a context by hand)
        self.evenings = evenings if evenings is not None else EveningHub()  # evening_hub.py
        self._user_id: str | None = None
        self._guest_evening = ""  # a Tonight guest's token: its evening (auth.authenticate_claims)
        self._expires_at: datetime | None = None
        self._auth_error: GatewayError | None = None
        self._state: users_pb2.UserState | None = None
        self._state_error: BaseException | None = None
        self._state_lock = asyncio.Lock()

    # The request's DataLoaders, made on first use: a request answered from the answer cache, or one that
    # reads no film, user or comment, makes none.
    @cached_property
    def movie_loader(self) -> DataLoader[int, catalog_pb2.Movie | None]:
        return movie_loader(self.catalog, self.cache)

    @cached_property
    def user_loader(self) -> DataLoader[str, users_pb2.User | None]:
        return user_loader(self.users)

    @cached_property
    def comments_loader(self) -> DataLoader[CommentsKey, users_pb2.ListCommentsResponse]:
        return comments_loader(self.users)  # first pages of Movie.comments

    def require_user(self, *, guest_ok: bool = False) -> str:
        """The id of the user the request's access token names; Unauthenticated without a valid
        token. Verified on first use, the outcome kept for the rest of the request. A Tonight guest's
        token is FORBIDDEN unless `guest_ok` (the evening's own fields, rating films, public reads)."""
        if self._user_id is None and self._auth_error is None:
            try:
                claims = authenticate_claims(self.public_key, self.authorization)
                self._user_id, self._guest_evening = claims.user_id, claims.evening_id
                self._expires_at = claims.expires_at
            except GatewayError as e:
                self._auth_error = e
        if self._auth_error is not None:
            raise type(self._auth_error)(self._auth_error.message, self._auth_error.code)
        assert self._user_id is not None
        if self._guest_evening and not guest_ok:
            raise Forbidden(GUEST_MESSAGE)
        return self._user_id

    def token_seconds_left(self) -> float:
        """How long the verified access token stays valid (a WebSocket holds one context for its life)."""
        self.require_user(guest_ok=True)
        assert self._expires_at is not None
        return (self._expires_at - datetime.now(UTC)).total_seconds()

    def guest_evening(self) -> str:
        """The evening a guest's token is for; "" for an account (requires a valid token)."""
        self.require_user(guest_ok=True)
        return self._guest_evening

    def optional_user(self) -> str | None:
        """For fields anonymous callers may use too: None when the request has no Authorization
        header; otherwise `require_user()`. A header that is sent but bad or expired is
        UNAUTHENTICATED rather than anonymous, so a client with a stale token learns to refresh it."""
        if self.authorization is None or not self.authorization.strip():  # as auth.bearer_token
            return None
        return self.require_user(guest_ok=True)  # public reads: a guest may personalise them too

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
