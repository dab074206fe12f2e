"""The per-request GraphQL context: the backend clients, the cache, and fresh DataLoaders."""

from __future__ import annotations

from strawberry.fastapi import BaseContext

from services.gateway.cache import Cache
from services.gateway.catalog_client import CatalogApi
from services.gateway.loaders import movie_loader


class GatewayContext(BaseContext):
    def __init__(self, catalog: CatalogApi, cache: Cache | None = None) -> None:
        super().__init__()
        self.catalog = catalog
        self.cache = cache if cache is not None else Cache(None)
        self.movie_loader = movie_loader(self.catalog, self.cache)
