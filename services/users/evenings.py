"""Tonight: an evening for two or more people, its share link, its guests and its votes.

- A signed-in account starts an evening (optionally with a mood) and is its host. The share link is
  `/join/<token>`: the token is 128 bits of HMAC-SHA256 of the evening's id under a key only this service
  holds, so any member can be shown it again without it being stored; only its SHA-256 is stored, for the
  look-up. It stops working when the evening ends (`evening_ttl_s` after the start).
- Anyone with the link joins: an account by signing in, anyone else as a guest, who picks a name and gets
  an account without a password tied to the evening (`accounts.guest_evening_id`) and an access token that
  ends with the evening and names it (claim `evening`: the gateway lets it act only there). When the
  evening is swept (`sweep_expired`), its guests are deleted with everything they wrote, announced as
  `users.account.deleted` like any deletion.
- Each member says yes / no / seen to a pick (a film), or takes it back. Every join and vote adds 1 to the
  evening's `version` (the row lock also orders concurrent votes) and is announced on
  `users.evening.changed` through the outbox, which the gateways push to the members' subscriptions.
- At most `limits.TOGETHER_GROUP_MAX` people, the host included (one Together list fits that many).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import secrets
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from movierec.users.v1 import events_pb2

from kit import auth, bus, limits, outbox
from kit.db import Conn
from kit.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied, Unauthenticated
from kit.logging import get_logger
from services.users.config import UsersConfig
from services.users.evening_events import evening_changed

log = get_logger(__name__)

MAX_MEMBERS = limits.TOGETHER_GROUP_MAX
GUEST_PREFIX = "guest-"          # guests' usernames; register refuses names that start with it
NAME_MAX = 24
TOKEN_CHARS = 22                 # base64url of 16 bytes
YES, NO, SEEN = 1, 2, 3
VOTES = (YES, NO, SEEN)
ENDED = "This evening has ended or the link is not valid; ask for a new link."


@dataclass(frozen=True)
class Member:
    user_id: str
    username: str
    name: str
    guest: bool
    created_at: datetime
    joined_at: datetime


@dataclass(frozen=True)
class Vote:
    user_id: str
    movie_id: int
    vote: int
    voted_at: datetime


@dataclass(frozen=True)
class EveningRow:
    id: str
    mood: str
    host_id: str
    members: list[Member]
    votes: list[Vote]
    created_at: datetime
    expires_at: datetime
    version: int
    join_token: str


@dataclass(frozen=True)
class Preview:
    evening_id: str
    host_name: str
    mood: str
    member_count: int
    expires_at: datetime


@dataclass(frozen=True)
class GuestSession:
    access_token: str
    access_expires_at: datetime
    member: Member
    evening: EveningRow


def token_key_from(secret: bytes) -> bytes:
    """The share-link key, derived from the service's signing key under its own label."""
    return hmac.new(secret, b"movierec evening links v1", hashlib.sha256).digest()


def _hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def validate_mood(mood: str) -> str:
    mood = " ".join(mood.split())
    if len(mood) > limits.VIBE_TEXT_MAX_CHARS:
        raise InvalidArgument(f"A mood is at most {limits.VIBE_TEXT_MAX_CHARS} characters.")
    return mood


def validate_guest_name(name: str) -> str:
    """A guest's name as the others will see it: 1-24 characters after trimming, no control characters."""
    name = " ".join(unicodedata.normalize("NFC", name).split())
    if not name:
        raise InvalidArgument("Say what the others should call you.")
    if len(name) > NAME_MAX:
        raise InvalidArgument(f"A name is at most {NAME_MAX} characters.")
    if any(unicodedata.category(ch)[0] == "C" for ch in name):
        raise InvalidArgument("A name cannot hold control characters.")
    return name


def validate_evening_id(evening_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(evening_id)
    except (ValueError, TypeError, AttributeError):
        raise InvalidArgument("evening_id is not a valid id.") from None


def validate_token(token: str) -> str:
    token = token.strip()
    if len(token) != TOKEN_CHARS or any(not (ch.isascii() and (ch.isalnum() or ch in "-_")) for ch in token):
        raise NotFound(ENDED)
    return token


class Evenings:
    def __init__(self, pool: asyncpg.Pool, config: UsersConfig, token_key: bytes,
                 signing_key: Ed25519PrivateKey) -> None:
        self.pool, self.config, self.token_key, self.signing_key = pool, config, token_key, signing_key

    def token_for(self, evening_id: str) -> str:
        digest = hmac.new(self.token_key, f"evening\0{evening_id}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")

    # ------------------------------------------------------------ reads

    async def _load(self, conn: Conn, evening_id: uuid.UUID) -> EveningRow:
        ev = await conn.fetchrow(
            "SELECT id, host_id, mood, version, created_at, expires_at FROM users.evenings"
            " WHERE id = $1 AND expires_at > now()", evening_id)
        if ev is None:
            raise NotFound(ENDED)
        members = await conn.fetch(
            "SELECT a.id, a.username, coalesce(a.display_name, a.username) AS name,"
            " a.guest_evening_id IS NOT NULL AS guest, a.created_at, m.joined_at"
            " FROM users.evening_members m JOIN users.accounts a ON a.id = m.user_id"
            " WHERE m.evening_id = $1 ORDER BY m.joined_at, a.id", evening_id)
        votes = await conn.fetch(
            "SELECT user_id, movie_id, vote, voted_at FROM users.evening_votes WHERE evening_id = $1"
            " ORDER BY voted_at, user_id, movie_id", evening_id)
        return EveningRow(
            id=str(ev["id"]), mood=ev["mood"], host_id=ev["host_id"],
            members=[Member(r["id"], r["username"], r["name"], r["guest"], r["created_at"], r["joined_at"])
                     for r in members],
            votes=[Vote(r["user_id"], r["movie_id"], r["vote"], r["voted_at"]) for r in votes],
            created_at=ev["created_at"], expires_at=ev["expires_at"], version=ev["version"],
            join_token=self.token_for(str(ev["id"])))

    async def get(self, user_id: str, evening_id: str) -> EveningRow:
        eid = validate_evening_id(evening_id)
        async with self.pool.acquire() as conn:
            row = await self._load(conn, eid)
        if all(m.user_id != user_id for m in row.members):
            raise PermissionDenied("Only the evening's members can see it; open its link to join.")
        return row

    async def peek(self, token: str) -> Preview:
        token = validate_token(token)
        row = await self.pool.fetchrow(
            "SELECT e.id, e.mood, e.expires_at, coalesce(a.display_name, a.username) AS host_name,"
            " (SELECT count(*) FROM users.evening_members m WHERE m.evening_id = e.id) AS n"
            " FROM users.evenings e JOIN users.accounts a ON a.id = e.host_id"
            " WHERE e.token_hash = $1 AND e.expires_at > now()", _hash(token))
        if row is None:
            raise NotFound(ENDED)
        return Preview(str(row["id"]), row["host_name"], row["mood"], row["n"], row["expires_at"])

    # ------------------------------------------------------------ writes

    async def start(self, host_id: str, mood: str) -> EveningRow:
        mood = validate_mood(mood)
        eid = uuid.uuid4()
        async with self.pool.acquire() as conn, conn.transaction():
            host = await conn.fetchrow(
                "SELECT guest_evening_id FROM users.accounts WHERE id = $1 FOR UPDATE", host_id)
            if host is None:
                raise Unauthenticated("This account no longer exists.")
            if host["guest_evening_id"] is not None:
                raise PermissionDenied("A guest can only take part in the evening they joined.")
            n = await conn.fetchval(
                "SELECT count(*) FROM users.evenings WHERE host_id = $1 AND expires_at > now()", host_id)
            if n >= self.config.max_open_evenings:
                raise FailedPrecondition(f"At most {self.config.max_open_evenings} evenings at once; "
                                         "wait for one to end.")
            await conn.execute(
                "INSERT INTO users.evenings (id, host_id, mood, token_hash, expires_at)"
                " VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))",
                eid, host_id, mood, _hash(self.token_for(str(eid))), self.config.evening_ttl_s)
            await conn.execute("INSERT INTO users.evening_members (evening_id, user_id) VALUES ($1, $2)", eid, host_id)
            row = await self._load(conn, eid)
        log.info("evening_started", evening_id=str(eid), host_id=host_id)
        return row

    async def _join_locked(self, conn: Conn, token: str) -> asyncpg.Record:
        ev = await conn.fetchrow(
            "SELECT id, expires_at FROM users.evenings WHERE token_hash = $1 AND expires_at > now() FOR UPDATE",
            _hash(validate_token(token)))
        if ev is None:
            raise NotFound(ENDED)
        return ev

    async def join(self, user_id: str, token: str) -> EveningRow:
        """Join as the signed-in account; joining an evening one is already in changes nothing."""
        async with self.pool.acquire() as conn, conn.transaction():
            ev = await self._join_locked(conn, token)
            who = await conn.fetchrow("SELECT guest_evening_id FROM users.accounts WHERE id = $1", user_id)
            if who is None:
                raise Unauthenticated("This account no longer exists.")
            if who["guest_evening_id"] is not None and who["guest_evening_id"] != ev["id"]:
                raise PermissionDenied("A guest can only take part in the evening they joined.")
            if not await conn.fetchval("SELECT 1 FROM users.evening_members WHERE evening_id = $1 AND user_id = $2",
                                       ev["id"], user_id):
                await self._check_room(conn, ev["id"])
                await conn.execute("INSERT INTO users.evening_members (evening_id, user_id) VALUES ($1, $2)",
                                   ev["id"], user_id)
                await evening_changed(conn, ev["id"], user_id, "joined")
            row = await self._load(conn, ev["id"])
        return row

    async def _check_room(self, conn: Conn, evening_id: uuid.UUID) -> None:
        n = await conn.fetchval("SELECT count(*) FROM users.evening_members WHERE evening_id = $1", evening_id)
        if n >= MAX_MEMBERS:
            raise FailedPrecondition(f"This evening is full: at most {MAX_MEMBERS} people.")

    async def join_as_guest(self, token: str, name: str) -> GuestSession:
        name = validate_guest_name(name)
        async with self.pool.acquire() as conn, conn.transaction():
            ev = await self._join_locked(conn, token)
            await self._check_room(conn, ev["id"])
            guest_id = str(uuid.uuid4())
            username = GUEST_PREFIX + secrets.token_hex(6)
            await conn.execute(
                "INSERT INTO users.accounts (id, username, password_hash, guest_evening_id, display_name)"
                " VALUES ($1, $2, NULL, $3, $4)", guest_id, username, ev["id"], name)
            await conn.execute("INSERT INTO users.evening_members (evening_id, user_id) VALUES ($1, $2)",
                               ev["id"], guest_id)
            await evening_changed(conn, ev["id"], guest_id, "joined")
            row = await self._load(conn, ev["id"])
        member = next(m for m in row.members if m.user_id == guest_id)
        # The token ends with the evening (at most evening_ttl_s): a guest has no refresh token to renew it.
        ttl = max(row.expires_at - datetime.now(row.expires_at.tzinfo), timedelta(seconds=1))
        token_str, exp = auth.sign_access_token(self.signing_key, guest_id, ttl, evening_id=row.id)
        log.info("evening_guest_joined", evening_id=row.id, user_id=guest_id)
        return GuestSession(token_str, exp, member, row)

    async def vote(self, user_id: str, evening_id: str, movie_id: int, vote: int) -> EveningRow:
        eid = validate_evening_id(evening_id)
        if movie_id <= 0:
            raise InvalidArgument("movie_id must be positive.")
        if vote not in (0, *VOTES):
            raise InvalidArgument("vote must be yes, no, seen or unset.")
        async with self.pool.acquire() as conn, conn.transaction():
            locked = await conn.fetchval(
                "SELECT 1 FROM users.evenings WHERE id = $1 AND expires_at > now() FOR UPDATE", eid)
            if locked is None:
                raise NotFound(ENDED)
            if not await conn.fetchval("SELECT 1 FROM users.evening_members WHERE evening_id = $1 AND user_id = $2",
                                       eid, user_id):
                raise PermissionDenied("Only the evening's members can vote in it.")
            if vote == 0:
                status = await conn.execute(
                    "DELETE FROM users.evening_votes WHERE evening_id = $1 AND user_id = $2 AND movie_id = $3",
                    eid, user_id, movie_id)
                changed = status != "DELETE 0"
            else:
                status = await conn.execute(
                    "INSERT INTO users.evening_votes (evening_id, user_id, movie_id, vote) VALUES ($1, $2, $3, $4)"
                    " ON CONFLICT (evening_id, user_id, movie_id) DO UPDATE"
                    " SET vote = excluded.vote, voted_at = clock_timestamp()"
                    " WHERE users.evening_votes.vote <> excluded.vote", eid, user_id, movie_id, vote)
                changed = status != "INSERT 0 0"
            if changed:  # a repeat of the same vote changes nothing and announces nothing
                await evening_changed(conn, eid, user_id, "voted", movie_id)
            row = await self._load(conn, eid)
        return row

    # ------------------------------------------------------------ expiry

    async def run_sweeper(self) -> None:
        """Sweep every `evening_sweep_interval_s` until cancelled (a failed sweep is logged and retried)."""
        while True:
            try:
                while await self.sweep_expired():
                    pass
            except (asyncpg.PostgresError, OSError) as e:
                log.warning("evening_sweep_failed", error=str(e))
            await asyncio.sleep(self.config.evening_sweep_interval_s)

    async def sweep_expired(self) -> int:
        """Delete the evenings that have ended, their guests with them (each announced as an account
        deletion, so the recommender forgets them too). Returns how many evenings went."""
        async with self.pool.acquire() as conn, conn.transaction():
            gone = await conn.fetch(
                "SELECT id FROM users.evenings WHERE expires_at <= now() ORDER BY expires_at LIMIT 500"
                " FOR UPDATE SKIP LOCKED")
            if not gone:
                return 0
            ids = [r["id"] for r in gone]
            guests = await conn.fetch(
                "SELECT id FROM users.accounts WHERE guest_evening_id = ANY($1::uuid[])", ids)
            now = await conn.fetchval("SELECT now()")
            rows = []
            for g in guests:
                event = events_pb2.AccountDeleted(event_id=str(uuid.uuid4()), user_id=g["id"])
                event.occurred_at.FromDatetime(now)
                rows.append((event.event_id, bus.USERS_ACCOUNT_DELETED, event))
            await outbox.enqueue_many(conn, "users", rows)
            await conn.execute("SELECT pg_notify($1, '')", outbox.notify_channel("users"))
            await conn.execute("DELETE FROM users.evenings WHERE id = ANY($1::uuid[])", ids)
        log.info("evenings_swept", evenings=len(ids), guests=len(guests))
        return len(ids)
