"""Per-request DataLoaders. Films go through the Redis cache first (one MGET for the batch), then
one `BatchGetMovies` per 500 missing ids; what gRPC returned is written back to the cache. Users
(id and username, for the users a recommendation's reason names) are one `GetUsers` per batch,
not cached."""

from __future__ import annotations

from collections.abc import Sequence

from movierec.catalog.v1 import catalog_pb2
from movierec.users.v1 import users_pb2
from strawberry.dataloader import DataLoader

from services.gateway.cache import Cache
from services.gateway.catalog_client import BATCH_GET_MAX_IDS, CatalogApi
from services.gateway.users_client import GET_USERS_MAX_IDS, UsersApi


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


def user_loader(users: UsersApi) -> DataLoader[str, users_pb2.User | None]:
    """Users by id, in order; None for an unknown id (a deleted account)."""

    async def load(ids: list[str]) -> list[users_pb2.User | None]:
        found = {u.id: u for u in await users.get_users(list(dict.fromkeys(ids)))}
        return [found.get(i) for i in ids]

    return DataLoader(load_fn=load, max_batch_size=GET_USERS_MAX_IDS)
