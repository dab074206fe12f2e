"""Per-request DataLoaders. Films go through the Redis cache first (one MGET for the batch), then
one `BatchGetMovies` per 500 missing ids; what gRPC returned is written back to the cache. Users
(id and username, for the users a recommendation's reason names) are one `GetUsers` per batch,
not cached. The first page of films' comments (`Movie.comments` without `after`, over every film of a
search or a zone) is one `BatchListComments` per page size for the whole request, not one
`ListComments` per film; not cached either (comments change under the reader)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from movierec.catalog.v1 import catalog_pb2
from movierec.users.v1 import users_pb2
from strawberry.dataloader import DataLoader

from services.gateway.cache import Cache
from services.gateway.clients.catalog import BATCH_GET_MAX_IDS, CatalogApi
from services.gateway.clients.users import (
    BATCH_LIST_COMMENTS_MAX_COMMENTS,
    BATCH_LIST_COMMENTS_MAX_IDS,
    GET_USERS_MAX_IDS,
    UsersApi,
)
from services.gateway.errors import GatewayError

CommentsKey = tuple[int, int]  # (movie id, page size): that film's first page of comments


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


def comment_batches(movie_ids: Sequence[int], page_size: int) -> list[list[int]]:
    """Distinct ids in order, cut into the largest chunks one BatchListComments call takes at this page
    size: 100 films at the default 20 (or at up to 50) are one call, at 100 two."""
    unique = list(dict.fromkeys(movie_ids))
    per_call = max(1, min(BATCH_LIST_COMMENTS_MAX_IDS, BATCH_LIST_COMMENTS_MAX_COMMENTS // page_size))
    return [unique[i : i + per_call] for i in range(0, len(unique), per_call)]


async def load_first_comment_pages(
    users: UsersApi, keys: Sequence[CommentsKey]
) -> list[users_pb2.ListCommentsResponse | BaseException]:
    """Each key's first page, in order. The calls (one per page size and chunk) run side by side; a
    failed call fails only its own keys, with its error (errors.py maps it, e.g. UNAVAILABLE)."""
    by_size: dict[int, list[int]] = {}
    for movie_id, size in keys:
        by_size.setdefault(size, []).append(movie_id)
    calls = [(size, chunk) for size, ids in by_size.items() for chunk in comment_batches(ids, size)]
    outcomes = await asyncio.gather(
        *(users.batch_list_comments(chunk, size) for size, chunk in calls), return_exceptions=True
    )
    found: dict[CommentsKey, users_pb2.ListCommentsResponse | BaseException] = {}
    for (size, chunk), outcome in zip(calls, outcomes, strict=True):
        if isinstance(outcome, BaseException):
            if not isinstance(outcome, Exception):
                raise outcome  # cancellation and the like: not a per-key error
            for movie_id in chunk:
                found[(movie_id, size)] = outcome
            continue
        for entry in outcome:
            found[(entry.movie_id, size)] = entry.page
    missing = GatewayError("The users service answered without a film's comments.")
    return [found.get(key, missing) for key in keys]


def comments_loader(users: UsersApi) -> DataLoader[CommentsKey, users_pb2.ListCommentsResponse]:
    """First pages of comments by (movie id, page size): every `Movie.comments` without a cursor in
    one request, batched (strawberry's DataLoader also answers a repeated key once)."""

    async def load(keys: list[CommentsKey]) -> list[users_pb2.ListCommentsResponse | BaseException]:
        return await load_first_comment_pages(users, keys)

    return DataLoader(load_fn=load)
