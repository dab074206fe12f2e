"""The hidden-gems popularity ceiling each user gets by default, learnt from what they do with
hidden-gems picks: taking one (rating it 3.5+, favouriting, watchlisting, watching) pulls the ceiling
to just under that film's popularity, so someone who takes the obscure picks they are shown is shown
more obscure ones; skipping one (dismissing it, rating it 2.5 or less) pushes the ceiling up, towards
better-known films.

    take at percentile p:  c <- c + RATE * ((p - TAKE_MARGIN) - c)
    skip at percentile p:  c <- max(c, c + RATE * ((p + SKIP_MARGIN) - c))
    bounded to [MIN_CEILING, MAX_CEILING]

Each event is applied once (its idempotency key is stored in the same transaction).
"""

from __future__ import annotations

import asyncpg
from movierec.common.v1 import common_pb2 as c

from services.recommender import quality

# A user starts at the catalogue-wide default (quality.GEM_CEILING) and moves only inside the range
# where gems exist (never into the catalogue's top 10%, never below the trusted films).
DEFAULT_CEILING = quality.GEM_CEILING
MIN_CEILING, MAX_CEILING = quality.GEM_CEILING_MIN, quality.GEM_CEILING_MAX
RATE = 0.3
TAKE_MARGIN, SKIP_MARGIN = 5.0, 35.0

TAKES = {c.INTERACTION_KIND_FAVOURITED, c.INTERACTION_KIND_WATCHLISTED, c.INTERACTION_KIND_WATCHED}
SKIPS = {c.INTERACTION_KIND_DISMISSED}


def signal(kind: int, value: float | None) -> str | None:
    """'take', 'skip' or None for an interaction with a hidden-gems pick."""
    if kind == c.INTERACTION_KIND_RATED and value is not None:
        return "take" if value >= 3.5 else "skip" if value <= 2.5 else None
    if kind in TAKES:
        return "take"
    if kind in SKIPS:
        return "skip"
    return None


def next_ceiling(ceiling: float, percentile: float, what: str) -> float:
    if what == "take":
        new = ceiling + RATE * ((percentile - TAKE_MARGIN) - ceiling)
    else:
        new = max(ceiling, ceiling + RATE * ((percentile + SKIP_MARGIN) - ceiling))
    return min(MAX_CEILING, max(MIN_CEILING, new))


async def ceiling_of(pool: asyncpg.Pool, user_id: str) -> float:
    value = await pool.fetchval("SELECT ceiling FROM recommender.gem_prefs WHERE user_id = $1", user_id)
    return DEFAULT_CEILING if value is None else float(value)


async def learn(pool: asyncpg.Pool, key: str, user_id: str, percentile: float, what: str) -> float | None:
    """Apply one take/skip once; returns the new ceiling (None when the event was applied before)."""
    async with pool.acquire() as conn, conn.transaction():
        fresh = await conn.fetchval(
            "INSERT INTO recommender.applied_events (idempotency_key) VALUES ($1) ON CONFLICT DO NOTHING RETURNING 1",
            key)
        if not fresh:
            return None
        current = await conn.fetchval(
            "SELECT ceiling FROM recommender.gem_prefs WHERE user_id = $1 FOR UPDATE", user_id)
        new = next_ceiling(DEFAULT_CEILING if current is None else float(current), percentile, what)
        await conn.execute(
            "INSERT INTO recommender.gem_prefs (user_id, ceiling, takes, skips) VALUES ($1, $2, $3, $4)"
            " ON CONFLICT (user_id) DO UPDATE SET ceiling = $2, takes = gem_prefs.takes + $3,"
            " skips = gem_prefs.skips + $4, updated_at = now()",
            user_id, new, int(what == "take"), int(what == "skip"))
    return new


async def forget_user(pool: asyncpg.Pool, user_id: str) -> None:
    await pool.execute("DELETE FROM recommender.gem_prefs WHERE user_id = $1", user_id)


APPLIED_RETENTION_S = 8 * 24 * 3600  # longer than the FEEDBACK stream keeps events (7 days): no redelivery after


async def purge_applied(pool: asyncpg.Pool, older_than_s: float = APPLIED_RETENTION_S) -> int:
    status = await pool.execute(
        "DELETE FROM recommender.applied_events WHERE applied_at < now() - make_interval(secs => $1)", older_than_s)
    return int(status.split()[-1])
