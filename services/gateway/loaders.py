"""Per-request DataLoaders. Films go through the Redis cache first (one MGET for the batch), then
one `BatchGetMovies` per 500 missing ids; what gRPC returned is written back to the cache."""

from __future__ import annotations

from collections.abc import Sequence

from movierec.catalog.v1 import catalog_pb2
from strawberry.dataloader import DataLoader

from services.gateway.cache import Cache
from services.gateway.catalog_client import BATCH_GET_MAX_IDS, CatalogApi


async def load_movies(catalog: CatalogApi, cache: Cache, ids: Sequence[int]) -> list[catalog_pb2.Movie | None]:
    """Films for ids, in order; None for an unknown id."""
    unique = list(dict.fromkeys(ids))
    lookup = await cache.get_movies(unique)
    found = dict(lookup.found)
    missing = [i for i in unique if i not in found]
    if missing:
        fetched = await catalog.batch_get_movies(missing)
        for movie in fetched:
            found[movie.id] = movie
        await cache.put_movies(fetched, lookup.generation)
    return [found.get(i) for i in ids]


def movie_loader(catalog: CatalogApi, cache: Cache) -> DataLoader[int, catalog_pb2.Movie | None]:
    async def load(ids: list[int]) -> list[catalog_pb2.Movie | None]:
        return await load_movies(catalog, cache, ids)

    return DataLoader(load_fn=load, max_batch_size=BATCH_GET_MAX_IDS)
