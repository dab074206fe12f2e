"""`users.evening.changed`: an evening's version goes up by one and the change is announced through the
outbox, inside the caller's transaction (evenings.py: joins and votes; interactions.py: a guest's rating).
The UPDATE's row lock orders concurrent changes of one evening."""

from __future__ import annotations

import uuid

from movierec.users.v1 import events_pb2

from kit import bus, outbox
from kit.db import Conn, one_row


async def evening_changed(conn: Conn, evening_id: uuid.UUID, user_id: str, what: str, movie_id: int = 0) -> int:
    """Bump the evening's version and enqueue the event; returns the new version. `what`: "joined",
    "voted" or "rated"."""
    row = one_row(await conn.fetchrow(
        "UPDATE users.evenings SET version = version + 1 WHERE id = $1 RETURNING version, clock_timestamp() AS at",
        evening_id))
    event = events_pb2.EveningChanged(event_id=str(uuid.uuid4()), evening_id=str(evening_id), version=row["version"],
                                      user_id=user_id, what=what, movie_id=movie_id)
    event.occurred_at.FromDatetime(row["at"])
    await outbox.enqueue(conn, "users", bus.USERS_EVENING_CHANGED, event, event.event_id)
    return int(row["version"])
