"""Ratings as the recommender sees them: four parallel numpy arrays.

`load_ratings` reads what the database holds through the users service's streaming `ExportRatings`
RPC; `ratings_from_csv` reads a MovieLens-format file (userId,movieId,rating,timestamp) through a
MovieLens -> TMDb id mapping, so MovieLens users become the app's `ml:<userId>` accounts.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import grpc
import numpy as np

from kit.auth import call_metadata

EXPORT_BATCH_SIZE = 20000


@dataclass
class Ratings:
    user_ids: np.ndarray    # object (str)
    movie_ids: np.ndarray   # int64 (TMDb ids, the catalogue's film ids)
    values: np.ndarray      # float32, 0.5-5
    ts: np.ndarray          # int64 unix seconds

    def __post_init__(self) -> None:
        self.user_ids = np.asarray(self.user_ids, dtype=object)
        self.movie_ids = np.asarray(self.movie_ids, dtype=np.int64)
        self.values = np.asarray(self.values, dtype=np.float32)
        self.ts = np.asarray(self.ts, dtype=np.int64)
        n = len(self.user_ids)
        if not (len(self.movie_ids) == len(self.values) == len(self.ts) == n):
            raise ValueError("Ratings arrays differ in length")

    def __len__(self) -> int:
        return len(self.user_ids)

    def subset(self, mask_or_index: np.ndarray) -> Ratings:
        return Ratings(self.user_ids[mask_or_index], self.movie_ids[mask_or_index],
                       self.values[mask_or_index], self.ts[mask_or_index])

    @classmethod
    def empty(cls) -> Ratings:
        return cls(np.array([], dtype=object), np.array([], dtype=np.int64), np.array([], dtype=np.float32),
                   np.array([], dtype=np.int64))

    @classmethod
    def concat(cls, parts: list[Ratings]) -> Ratings:
        if not parts:
            return cls.empty()
        return cls(np.concatenate([p.user_ids for p in parts]), np.concatenate([p.movie_ids for p in parts]),
                   np.concatenate([p.values for p in parts]), np.concatenate([p.ts for p in parts]))

    def by_user(self) -> dict[str, np.ndarray]:
        """Row indices per user."""
        order = np.argsort(self.user_ids.astype(str), kind="stable")
        users = self.user_ids[order]
        out: dict[str, np.ndarray] = {}
        if len(order) == 0:
            return out
        cuts = np.flatnonzero(users[1:] != users[:-1]) + 1
        for chunk in np.split(order, cuts):
            out[str(self.user_ids[chunk[0]])] = chunk
        return out


async def load_ratings(users_addr: str, internal_token: str, batch_size: int = EXPORT_BATCH_SIZE) -> Ratings:
    """Every rating the users service holds (app users and imported MovieLens users)."""
    from movierec.users.v1 import users_pb2, users_pb2_grpc

    users: list[str] = []
    movies: list[int] = []
    values: list[float] = []
    ts: list[int] = []
    async with grpc.aio.insecure_channel(
        users_addr, options=[("grpc.max_receive_message_length", 64 * 1024 * 1024)]
    ) as channel:
        stub = users_pb2_grpc.UsersServiceStub(channel)
        call = stub.ExportRatings(users_pb2.ExportRatingsRequest(batch_size=batch_size),
                                  metadata=call_metadata(internal_token))
        async for batch in call:
            for r in batch.ratings:
                users.append(r.user_id)
                movies.append(r.movie_id)
                values.append(r.value)
                ts.append(r.rated_at.seconds)
    return Ratings(np.array(users, dtype=object), np.array(movies, dtype=np.int64),
                   np.array(values, dtype=np.float32), np.array(ts, dtype=np.int64))


def ratings_from_csv(path: str | Path, ml_to_tmdb: Mapping[int, int]) -> Ratings:
    """MovieLens ratings.csv -> Ratings on catalogue ids; films without a mapping are dropped. When two
    MovieLens films map to one TMDb film, the later rating wins (as the users service's import does)."""
    latest: dict[tuple[str, int], tuple[float, int]] = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            tmdb = ml_to_tmdb.get(int(row["movieId"]))
            if tmdb is None:
                continue
            key = (f"ml:{int(row['userId'])}", int(tmdb))
            value, ts = float(row["rating"]), int(row["timestamp"])
            old = latest.get(key)
            if old is None or ts >= old[1]:
                latest[key] = (value, ts)
    if not latest:
        return Ratings.empty()
    keys = list(latest)
    return Ratings(
        np.array([k[0] for k in keys], dtype=object), np.array([k[1] for k in keys], dtype=np.int64),
        np.array([latest[k][0] for k in keys], dtype=np.float32),
        np.array([latest[k][1] for k in keys], dtype=np.int64),
    )
