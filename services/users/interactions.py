"""A user's film state (ratings, favourites, watchlist, watched marks, dismissals) and the
interaction stream.

Every change is one transaction: the row change and an `Interaction` event in the outbox, which the
relay publishes to `feedback.<zone>.<kind>` (stream FEEDBACK) with the event's idempotency key as
`Nats-Msg-Id`. A write that changes nothing (adding a favourite twice) emits nothing and reports
`changed = False`. Opening a film page writes only the outbox row.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeAlias

import asyncpg
from movierec.common.v1 import common_pb2
from movierec.users.v1 import events_pb2

from kit import bus, outbox
from kit.db import Conn, one_row
from kit.errors import InvalidArgument
from services.users.evening_events import evening_changed

K = common_pb2  # InteractionKind values
ZoneValue: TypeAlias = common_pb2.Zone.ValueType
KindValue: TypeAlias = common_pb2.InteractionKind.ValueType


@dataclass(frozen=True)
class RatingRow:
    movie_id: int
    value: float
    rated_at: datetime


@dataclass
class FilmState:
    ratings: list[RatingRow] = field(default_factory=list)
    favorites: list[int] = field(default_factory=list)
    watchlist: list[tuple[int, datetime]] = field(default_factory=list)
    watched: list[int] = field(default_factory=list)
    dismissed: list[int] = field(default_factory=list)


def validate_rating(value: float) -> float:
    if not math.isfinite(value) or not 0.5 <= value <= 5 or value * 2 != round(value * 2):
        raise InvalidArgument("Rating must be 0.5 to 5 in steps of 0.5.")
    return value


def validate_zone(zone: int) -> ZoneValue:
    if zone not in common_pb2.Zone.values():
        raise InvalidArgument(f"unknown zone {zone}")
    return common_pb2.Zone.ValueType(zone) or common_pb2.ZONE_BROWSE


async def emit(conn: Conn, user_id: str, movie_id: int, zone: ZoneValue, kind: KindValue,
               occurred_at: datetime, value: float | None = None) -> str:
    """Queue one Interaction in the caller's transaction; returns its idempotency key."""
    key = str(uuid.uuid4())
    event = events_pb2.Interaction(idempotency_key=key, user_id=user_id, movie_id=movie_id, zone=zone, kind=kind)
    if value is not None:
        event.value = value
    event.occurred_at.FromDatetime(occurred_at)
    await outbox.enqueue(conn, "users", bus.feedback_subject(zone, kind), event, key)
    return key


# (table, time column, kind when added, kind when removed)
_LISTS = {
    "favorites": ("added_at", K.INTERACTION_KIND_FAVOURITED, K.INTERACTION_KIND_UNFAVOURITED),
    "watchlist": ("added_at", K.INTERACTION_KIND_WATCHLISTED, K.INTERACTION_KIND_UNWATCHLISTED),
    "dismissals": ("dismissed_at", K.INTERACTION_KIND_DISMISSED, K.INTERACTION_KIND_UNDISMISSED),
}


class Interactions:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def rate(self, user_id: str, movie_id: int, value: float, zone: ZoneValue) -> tuple[RatingRow, bool]:
        """Set the rating; (the rating, whether it changed)."""
        validate_rating(value)
        async with self.pool.acquire() as conn, conn.transaction():
            row = await conn.fetchrow(
                "INSERT INTO users.ratings AS r (user_id, movie_id, value) VALUES ($1, $2, $3)"
                " ON CONFLICT (user_id, movie_id) DO UPDATE SET value = EXCLUDED.value, rated_at = clock_timestamp()"
                " WHERE r.value IS DISTINCT FROM EXCLUDED.value"
                " RETURNING value, rated_at",
                user_id, movie_id, value,
            )
            if row is None:  # same value as before: nothing changed, nothing to announce
                # the conflicting row, which the INSERT ... ON CONFLICT DO UPDATE locked
                row = one_row(await conn.fetchrow(
                    "SELECT value, rated_at FROM users.ratings WHERE user_id = $1 AND movie_id = $2",
                    user_id, movie_id))
                return RatingRow(movie_id, row["value"], row["rated_at"]), False
            await emit(conn, user_id, movie_id, zone, K.INTERACTION_KIND_RATED, row["rated_at"], value)
            # A Tonight guest rates to tell their evening their taste: the others' screens follow.
            evening_id = await conn.fetchval("SELECT guest_evening_id FROM users.accounts WHERE id = $1", user_id)
            if evening_id is not None:
                await evening_changed(conn, evening_id, user_id, "rated", movie_id)
        return RatingRow(movie_id, row["value"], row["rated_at"]), True

    async def clear_rating(self, user_id: str, movie_id: int, zone: ZoneValue) -> bool:
        async with self.pool.acquire() as conn, conn.transaction():
            at = await conn.fetchval(
                "DELETE FROM users.ratings WHERE user_id = $1 AND movie_id = $2 RETURNING now()", user_id, movie_id)
            if at is None:
                return False
            await emit(conn, user_id, movie_id, zone, K.INTERACTION_KIND_RATING_CLEARED, at)
        return True

    async def add(self, table: str, user_id: str, movie_id: int, zone: ZoneValue) -> bool:
        col, kind_added, _ = _LISTS[table]
        async with self.pool.acquire() as conn, conn.transaction():
            at = await conn.fetchval(
                f"INSERT INTO users.{table} (user_id, movie_id) VALUES ($1, $2)"
                f" ON CONFLICT DO NOTHING RETURNING {col}",
                user_id, movie_id,
            )
            if at is None:
                return False
            await emit(conn, user_id, movie_id, zone, kind_added, at)
        return True

    async def remove(self, table: str, user_id: str, movie_id: int, zone: ZoneValue) -> bool:
        _, _, kind_removed = _LISTS[table]
        async with self.pool.acquire() as conn, conn.transaction():
            at = await conn.fetchval(
                f"DELETE FROM users.{table} WHERE user_id = $1 AND movie_id = $2 RETURNING now()", user_id, movie_id)
            if at is None:
                return False
            await emit(conn, user_id, movie_id, zone, kind_removed, at)
        return True

    async def mark_watched(self, user_id: str, movie_id: int, zone: ZoneValue) -> bool:
        """Mark as watched; the film leaves the watchlist."""
        async with self.pool.acquire() as conn, conn.transaction():
            at = await conn.fetchval(
                "INSERT INTO users.watched (user_id, movie_id) VALUES ($1, $2)"
                " ON CONFLICT DO NOTHING RETURNING watched_at",
                user_id, movie_id,
            )
            left = await conn.execute("DELETE FROM users.watchlist WHERE user_id = $1 AND movie_id = $2",
                                      user_id, movie_id)
            if at is None and left == "DELETE 0":
                return False
            await emit(conn, user_id, movie_id, zone, K.INTERACTION_KIND_WATCHED,
                       at or await conn.fetchval("SELECT now()"))
        return True

    async def opened(self, user_id: str, movie_id: int, zone: ZoneValue) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
            await emit(conn, user_id, movie_id, zone, K.INTERACTION_KIND_OPENED, await conn.fetchval("SELECT now()"))

    async def state(self, user_id: str) -> FilmState:
        """Everything at one point in time (one repeatable-read snapshot)."""
        s = FilmState()
        async with self.pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
            s.ratings = [RatingRow(r["movie_id"], r["value"], r["rated_at"]) for r in await conn.fetch(
                "SELECT movie_id, value, rated_at FROM users.ratings WHERE user_id = $1 ORDER BY rated_at DESC,"
                " movie_id", user_id)]
            s.favorites = [r["movie_id"] for r in await conn.fetch(
                "SELECT movie_id FROM users.favorites WHERE user_id = $1 ORDER BY added_at DESC, movie_id", user_id)]
            s.watchlist = [(r["movie_id"], r["added_at"]) for r in await conn.fetch(
                "SELECT movie_id, added_at FROM users.watchlist WHERE user_id = $1 ORDER BY added_at DESC, movie_id",
                user_id)]
            s.watched = [r["movie_id"] for r in await conn.fetch(
                "SELECT movie_id FROM users.watched WHERE user_id = $1 ORDER BY watched_at DESC, movie_id", user_id)]
            s.dismissed = [r["movie_id"] for r in await conn.fetch(
                "SELECT movie_id FROM users.dismissals WHERE user_id = $1 ORDER BY dismissed_at DESC, movie_id",
                user_id)]
        return s

    async def export(self, batch_size: int):
        """Every rating but guests', in (user_id, movie_id) order, in batches (keyset pagination, no long
        transaction)."""
        after: tuple[str, int] = ("", 0)
        while True:
            # Guests' ratings (evenings.py) serve their evening only: never the trained model.
            rows = await self.pool.fetch(
                "SELECT r.user_id, r.movie_id, r.value, r.rated_at FROM users.ratings r"
                " JOIN users.accounts a ON a.id = r.user_id AND a.guest_evening_id IS NULL"
                " WHERE (r.user_id, r.movie_id) > ($1, $2) ORDER BY r.user_id, r.movie_id LIMIT $3",
                after[0], after[1], batch_size,
            )
            if not rows:
                return
            yield rows
            after = (rows[-1]["user_id"], rows[-1]["movie_id"])
            if len(rows) < batch_size:
                return
