"""Importing a film history (a Letterboxd export or an IMDb CSV): preview, then confirm.

- `preview`: the file is read (`import_files.read_export`: a bad file raises InvalidArgument with
  the reason and nothing is stored), its readable rows are matched to catalogue films by the catalogue's
  `MatchFilms` (IMDb id, else folded title and year), and `plan` compares them with the user's ratings
  and lists as they are now. What a confirm would write is stored as a preview (an hour), and every row
  comes back with its status, reason and change. Nothing of the user's state is written.
- `confirm`: one transaction writes the preview's ratings, watched marks and watchlist entries with
  set-based statements that change only what differs (a rating equal to the current one, a film
  already watched or listed: no change, no event), and queues for each change the same `Interaction`
  the single action emits (RATED with its value, WATCHED, WATCHLISTED on `feedback.browse.<kind>`),
  so the zones follow as they do after a click. The preview is marked confirmed in that transaction:
  a second confirm answers the stored summary and writes nothing. Re-importing the same file makes a
  new preview whose rows are all UNCHANGED, and its confirm writes and emits nothing.

Times: a row's date from the file (the day it was rated / watched / listed) becomes noon UTC of that
day; a row without one gets the time of the confirm. A changed rating takes the file's date.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import asyncpg
import grpc
from movierec.catalog.v1 import catalog_pb2, catalog_pb2_grpc
from movierec.common.v1 import common_pb2
from movierec.users.v1 import events_pb2
from movierec.users.v1 import users_pb2 as pb

from kit import bus, outbox
from kit.db import Conn
from kit.errors import InvalidArgument, NotFound, PermissionDenied, Unauthenticated, Unavailable
from kit.limits import CATALOG_MATCH_FILMS_MAX_QUERIES
from services.users.import_files import Action, BadFile, Export, FileRow, RowStatus, noon_utc, read_export

PREVIEW_TTL = timedelta(hours=1)
PREVIEWS_KEPT_PER_USER = 5
ZONE = common_pb2.ZONE_BROWSE  # an import names no zone: the default of every mutation

S = pb.ImportRowStatus
C = pb.ImportChange
_MATCH_STATUS = {
    catalog_pb2.MATCH_OUTCOME_MATCHED: S.IMPORT_ROW_STATUS_MATCHED,
    catalog_pb2.MATCH_OUTCOME_NOT_FOUND: S.IMPORT_ROW_STATUS_NOT_IN_CATALOGUE,
    catalog_pb2.MATCH_OUTCOME_AMBIGUOUS: S.IMPORT_ROW_STATUS_AMBIGUOUS,
}


@dataclass
class Current:
    """The user's state that an import compares with."""
    ratings: dict[int, float] = field(default_factory=dict)
    watched: set[int] = field(default_factory=set)
    watchlist: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Planned:
    action: Action
    movie_id: int
    rating: float | None
    at: datetime | None


def plan(rows: Sequence[FileRow], matches: Sequence[catalog_pb2.FilmMatch | None], current: Current,
         ) -> tuple[list[pb.ImportRow], list[Planned], pb.ImportCounts]:
    """Every row as shown in the preview, what a confirm writes, and the counts. `matches[i]` is row i's
    match (None for rows that were not matched: bad rows and not-films). Pure: unit-tested."""
    out: list[pb.ImportRow] = []
    actions: list[Planned] = []
    counts = pb.ImportCounts(rows=len(rows))
    first_line: dict[tuple[Action, int], FileRow] = {}
    watched_in_file = {m.movie_id for r, m in zip(rows, matches, strict=True)
                       if m is not None and m.outcome == catalog_pb2.MATCH_OUTCOME_MATCHED
                       and r.action is Action.WATCHED}
    for row, match in zip(rows, matches, strict=True):
        ir = pb.ImportRow(file=row.file, line=row.line, action=row.action.value, title=row.title,
                          imdb_id=row.imdb_id, reason=row.problem)
        if row.year is not None:
            ir.year = row.year
        if row.rating is not None:
            ir.rating = row.rating
        if row.status is RowStatus.BAD_ROW:
            ir.status = S.IMPORT_ROW_STATUS_BAD_ROW
            counts.bad_rows += 1
        elif row.status is RowStatus.NOT_A_FILM:
            ir.status = S.IMPORT_ROW_STATUS_NOT_A_FILM
            counts.not_a_film += 1
        elif match is None:
            raise ValueError("a readable row without a match")
        else:
            ir.status = _MATCH_STATUS[match.outcome]
            ir.reason = match.reason
            ir.candidate_ids.extend(match.candidate_ids)
            if ir.status == S.IMPORT_ROW_STATUS_NOT_IN_CATALOGUE:
                counts.not_in_catalogue += 1
            elif ir.status == S.IMPORT_ROW_STATUS_AMBIGUOUS:
                counts.ambiguous += 1
            else:
                counts.matched += 1
                ir.movie_id = mid = match.movie_id
                key = (row.action, mid)
                if key in first_line:
                    ir.change = C.IMPORT_CHANGE_DUPLICATE
                    first = first_line[key]
                    ir.reason += f" The same film is on line {first.line} of {first.file}: that row counts."
                    counts.unchanged += 1
                else:
                    first_line[key] = row
                    ir.change = _change(row, mid, current, watched_in_file, ir)
                    if ir.change in (C.IMPORT_CHANGE_NEW, C.IMPORT_CHANGE_CHANGED):
                        actions.append(Planned(row.action, mid, row.rating, noon_utc(row.on)))
                        if row.action is Action.RATE:
                            if ir.change == C.IMPORT_CHANGE_NEW:
                                counts.ratings_new += 1
                            else:
                                counts.ratings_changed += 1
                        elif row.action is Action.WATCHED:
                            counts.watched_new += 1
                        else:
                            counts.watchlist_new += 1
                    else:
                        counts.unchanged += 1
        out.append(ir)
    return out, actions, counts


def _change(row: FileRow, mid: int, current: Current, watched_in_file: set[int], ir: pb.ImportRow
            ) -> pb.ImportChange.ValueType:
    if row.action is Action.RATE:
        now = current.ratings.get(mid)
        if now is not None:
            ir.current_rating = now
        if now is None:
            return C.IMPORT_CHANGE_NEW
        return C.IMPORT_CHANGE_UNCHANGED if now == row.rating else C.IMPORT_CHANGE_CHANGED
    if row.action is Action.WATCHED:
        if mid not in current.watched:
            return C.IMPORT_CHANGE_NEW
        return C.IMPORT_CHANGE_CHANGED if mid in current.watchlist else C.IMPORT_CHANGE_UNCHANGED
    if mid in watched_in_file:
        ir.reason += " Watched in the same export, so it stays off your watchlist."
        return C.IMPORT_CHANGE_SKIPPED
    return C.IMPORT_CHANGE_UNCHANGED if mid in current.watchlist else C.IMPORT_CHANGE_NEW


def _ts(at: datetime):
    from google.protobuf.timestamp_pb2 import Timestamp
    t = Timestamp()
    t.FromDatetime(at)
    return t


def _summary(preview_id: str, s: dict[str, int], at: datetime) -> pb.ImportSummary:
    return pb.ImportSummary(preview_id=preview_id, ratings_written=s["ratings_written"],
                            watched_written=s["watched_written"], watchlist_written=s["watchlist_written"],
                            unchanged=s["unchanged"], confirmed_at=_ts(at))


def _event(user_id: str, movie_id: int, kind: common_pb2.InteractionKind.ValueType, at: datetime,
           value: float | None = None) -> tuple[str, str, events_pb2.Interaction]:
    key = str(uuid.uuid4())
    ev = events_pb2.Interaction(idempotency_key=key, user_id=user_id, movie_id=movie_id, zone=ZONE, kind=kind)
    if value is not None:
        ev.value = value
    ev.occurred_at.FromDatetime(at)
    return key, bus.feedback_subject(ZONE, kind), ev


class HistoryImports:
    def __init__(self, pool: asyncpg.Pool, catalog: grpc.aio.Channel, timeout_s: float = 30.0) -> None:
        self.pool = pool
        self.catalog = catalog_pb2_grpc.CatalogServiceStub(catalog)
        self.timeout_s = timeout_s

    async def _match(self, rows: Sequence[FileRow]) -> list[catalog_pb2.FilmMatch | None]:
        readable = [i for i, r in enumerate(rows) if r.status is RowStatus.OK]
        out: list[catalog_pb2.FilmMatch | None] = [None] * len(rows)
        step = CATALOG_MATCH_FILMS_MAX_QUERIES
        for start in range(0, len(readable), step):
            part = readable[start:start + step]
            queries = []
            for i in part:
                q = catalog_pb2.FilmQuery(imdb_id=rows[i].imdb_id, title=rows[i].title,
                                          original_title=rows[i].original_title)
                year = rows[i].year
                if year is not None:
                    q.year = year
                queries.append(q)
            try:
                resp = await self.catalog.MatchFilms(catalog_pb2.MatchFilmsRequest(queries=queries),
                                                     timeout=self.timeout_s)
            except grpc.aio.AioRpcError as e:
                raise Unavailable(f"the catalogue is unavailable ({e.code().name}); try again") from None
            for i, m in zip(part, resp.matches, strict=True):
                out[i] = m
        return out

    async def _current(self, conn: Conn, user_id: str) -> Current:
        c = Current()
        c.ratings = {r["movie_id"]: r["value"] for r in await conn.fetch(
            "SELECT movie_id, value FROM users.ratings WHERE user_id = $1", user_id)}
        c.watched = {r["movie_id"] for r in await conn.fetch(
            "SELECT movie_id FROM users.watched WHERE user_id = $1", user_id)}
        c.watchlist = {r["movie_id"] for r in await conn.fetch(
            "SELECT movie_id FROM users.watchlist WHERE user_id = $1", user_id)}
        return c

    async def _require_member(self, conn: Conn, user_id: str) -> None:
        guest = await conn.fetchval("SELECT guest_evening_id IS NOT NULL FROM users.accounts WHERE id = $1", user_id)
        if guest is None:
            raise Unauthenticated("This account no longer exists.")
        if guest:
            raise PermissionDenied("A guest of an evening cannot import a history: create an account first.")

    async def preview(self, user_id: str, data: bytes, file_name: str) -> pb.ImportPreview:
        async with self.pool.acquire() as conn:
            await self._require_member(conn, user_id)
        try:
            export: Export = read_export(data, file_name)
        except BadFile as e:
            raise InvalidArgument(str(e)) from None
        matches = await self._match(export.rows)
        async with self.pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
            current = await self._current(conn, user_id)
            rows, actions, counts = plan(export.rows, matches, current)
            preview_id = uuid.uuid4()
            expires = await conn.fetchval("SELECT now() + $1::interval", PREVIEW_TTL)
            stored = [[a.action.value, a.movie_id, a.rating, a.at.isoformat() if a.at else None] for a in actions]
            await conn.execute(
                "DELETE FROM users.import_previews WHERE user_id = $1 AND (expires_at < now() OR id IN ("
                " SELECT id FROM users.import_previews WHERE user_id = $1 ORDER BY created_at DESC OFFSET $2))",
                user_id, PREVIEWS_KEPT_PER_USER - 1)
            await conn.execute(
                "INSERT INTO users.import_previews (id, user_id, source, file_name, file_sha256, actions, expires_at)"
                " VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)",
                preview_id, user_id, export.source, file_name[:200], hashlib.sha256(data).hexdigest(),
                json.dumps(stored), expires)
        return pb.ImportPreview(id=str(preview_id), source=export.source, file_name=file_name[:200], rows=rows,
                                counts=counts, expires_at=_ts(expires))

    async def confirm(self, user_id: str, preview_id: str) -> pb.ImportSummary:
        try:
            pid = uuid.UUID(preview_id)
        except ValueError:
            raise InvalidArgument("preview id must be the id previewImport answered") from None
        async with self.pool.acquire() as conn, conn.transaction():
            await self._require_member(conn, user_id)
            p = await conn.fetchrow(
                "SELECT actions, confirmed_at, summary FROM users.import_previews"
                " WHERE id = $1 AND user_id = $2 AND (expires_at > now() OR confirmed_at IS NOT NULL) FOR UPDATE",
                pid, user_id)
            if p is None:
                raise NotFound("This import preview has expired or does not exist: upload the file again.")
            if p["confirmed_at"] is not None:
                done = _summary(preview_id, json.loads(p["summary"]), p["confirmed_at"])
                done.already_confirmed = True
                return done
            actions = json.loads(p["actions"])
            summary = await self._apply(conn, user_id, actions)
            at = await conn.fetchval(
                "UPDATE users.import_previews SET confirmed_at = now(), summary = $2::jsonb WHERE id = $1"
                " RETURNING confirmed_at", pid, json.dumps(summary))
        return _summary(preview_id, summary, at)

    async def _apply(self, conn: Conn, user_id: str, actions: list[list]) -> dict[str, int]:
        def times(rows: list[list]) -> list[datetime | None]:
            return [datetime.fromisoformat(a[3]) if a[3] else None for a in rows]

        rates = [a for a in actions if a[0] == Action.RATE.value]
        watched = [a for a in actions if a[0] == Action.WATCHED.value]
        listed = [a for a in actions if a[0] == Action.WATCHLIST.value]
        events: list[tuple[str, str, events_pb2.Interaction]] = []
        now = await conn.fetchval("SELECT now()")
        # ratings: only rows whose value differs (or is new) come back, as rate() does for one
        changed = await conn.fetch(
            "INSERT INTO users.ratings AS r (user_id, movie_id, value, rated_at)"
            " SELECT $1, u.m, u.v, coalesce(u.t, $5) FROM unnest($2::bigint[], $3::real[], $4::timestamptz[])"
            " AS u(m, v, t)"
            " ON CONFLICT (user_id, movie_id) DO UPDATE SET value = EXCLUDED.value, rated_at = EXCLUDED.rated_at"
            " WHERE r.value IS DISTINCT FROM EXCLUDED.value RETURNING movie_id, value, rated_at",
            user_id, [a[1] for a in rates], [a[2] for a in rates], times(rates), now)
        for r in changed:
            events.append(_event(user_id, r["movie_id"], common_pb2.INTERACTION_KIND_RATED, r["rated_at"], r["value"]))
        # watched: new marks, and films that leave the watchlist (mark_watched's rule)
        wids = [a[1] for a in watched]
        marked = {r["movie_id"]: r["watched_at"] for r in await conn.fetch(
            "INSERT INTO users.watched (user_id, movie_id, watched_at)"
            " SELECT $1, u.m, coalesce(u.t, $4) FROM unnest($2::bigint[], $3::timestamptz[]) AS u(m, t)"
            " ON CONFLICT DO NOTHING RETURNING movie_id, watched_at", user_id, wids, times(watched), now)}
        left = {r["movie_id"] for r in await conn.fetch(
            "DELETE FROM users.watchlist WHERE user_id = $1 AND movie_id = ANY($2::bigint[]) RETURNING movie_id",
            user_id, wids)}
        for mid in wids:
            if mid in marked or mid in left:
                events.append(_event(user_id, mid, common_pb2.INTERACTION_KIND_WATCHED, marked.get(mid, now)))
        # watchlist: new entries only
        added = await conn.fetch(
            "INSERT INTO users.watchlist (user_id, movie_id, added_at)"
            " SELECT $1, u.m, coalesce(u.t, $4) FROM unnest($2::bigint[], $3::timestamptz[]) AS u(m, t)"
            " ON CONFLICT DO NOTHING RETURNING movie_id, added_at",
            user_id, [a[1] for a in listed], times(listed), now)
        for r in added:
            events.append(_event(user_id, r["movie_id"], common_pb2.INTERACTION_KIND_WATCHLISTED, r["added_at"]))
        await outbox.enqueue_many(conn, "users", events)
        n_watched = sum(1 for mid in wids if mid in marked or mid in left)
        return {"ratings_written": len(changed), "watched_written": n_watched, "watchlist_written": len(added),
                "unchanged": len(actions) - len(changed) - n_watched - len(added)}
