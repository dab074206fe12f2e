"""Import MovieLens users as real rating history.

Each of the 610 users of `movielens-latest-small/ratings.csv` becomes an account `ml:<userId>`
(username the same, no password: it cannot log in). Their ratings of films the catalogue holds
(MovieLens movieId -> TMDb id through the catalogue's `MapMovieLensIds`) go into the same ratings
table app users write, with their original timestamps. When two MovieLens films map to one TMDb film,
the later rating wins.

Idempotent: a re-run inserts what is missing and updates what differs, and changes nothing else.
History is not an interaction: the import writes no events (the recommender trains from the table).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
from tqdm import tqdm

RATINGS_FILE = Path("movielens-latest-small") / "ratings.csv"
ML_PREFIX = "ml:"
BATCH = 20_000


@dataclass
class ImportStats:
    users: int = 0
    users_created: int = 0
    ratings_read: int = 0
    ratings_kept: int = 0          # on a catalogue film, after collapsing duplicates
    ratings_unmapped: int = 0      # film not linked to a catalogue film
    ratings_written: int = 0       # inserted or changed by this run
    bad_rows: int = 0


def ml_user_id(ml_user: int) -> str:
    return f"{ML_PREFIX}{ml_user}"


def read_ratings(path: Path, links: dict[int, int], stats: ImportStats) -> dict[tuple[str, int], tuple[float, int]]:
    """(user id, tmdb id) -> (rating, unix time), the latest rating per pair."""
    out: dict[tuple[str, int], tuple[float, int]] = {}
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        for row in reader:
            stats.ratings_read += 1
            try:
                user, movie = int(row["userId"]), int(row["movieId"])
                value, ts = float(row["rating"]), int(row["timestamp"])
            except (KeyError, TypeError, ValueError):
                stats.bad_rows += 1
                continue
            if user <= 0 or not 0.5 <= value <= 5 or value * 2 != round(value * 2):
                stats.bad_rows += 1
                continue
            tmdb = links.get(movie)
            if tmdb is None:
                stats.ratings_unmapped += 1
                continue
            key = (ml_user_id(user), tmdb)
            if key not in out or ts >= out[key][1]:
                out[key] = (value, ts)
    return out


async def import_movielens(pool: asyncpg.Pool, data_dir: Path, links: dict[int, int], progress: bool = False,
                           ) -> ImportStats:
    """`links`: MovieLens movieId -> TMDb id, only for films in the catalogue."""
    stats = ImportStats()
    ratings = read_ratings(data_dir / RATINGS_FILE, links, stats)
    stats.ratings_kept = len(ratings)
    users = sorted({u for u, _ in ratings}, key=lambda u: int(u[len(ML_PREFIX):]))
    stats.users = len(users)
    records = [(u, m, v, datetime.fromtimestamp(ts, UTC)) for (u, m), (v, ts) in ratings.items()]
    async with pool.acquire() as conn, conn.transaction():
        created = await conn.fetch(
            "INSERT INTO users.accounts (id, username, password_hash, created_at)"
            " SELECT u, u, NULL, now() FROM unnest($1::text[]) AS u ON CONFLICT DO NOTHING RETURNING id",
            users)
        stats.users_created = len(created)
        await conn.execute(
            "CREATE TEMP TABLE ml_import (user_id text, movie_id bigint, value real, rated_at timestamptz)"
            " ON COMMIT DROP")
        bar = tqdm(total=len(records), unit="rating", desc="movielens ratings", disable=not progress)
        for i in range(0, len(records), BATCH):
            chunk = records[i : i + BATCH]
            await conn.copy_records_to_table("ml_import", records=chunk)
            bar.update(len(chunk))
        bar.close()
        status = await conn.execute(
            "INSERT INTO users.ratings AS r (user_id, movie_id, value, rated_at)"
            " SELECT user_id, movie_id, value, rated_at FROM ml_import"
            " ON CONFLICT (user_id, movie_id) DO UPDATE SET value = EXCLUDED.value, rated_at = EXCLUDED.rated_at"
            " WHERE (r.value, r.rated_at) IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.rated_at)")
        stats.ratings_written = int(status.split()[-1])
    return stats


async def imported_users(pool: asyncpg.Pool) -> int:
    return await pool.fetchval("SELECT count(*) FROM users.accounts WHERE id LIKE 'ml:%'")
