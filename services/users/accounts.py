"""Accounts and sessions: register, log in, refresh, log out, change password, delete account.

A session is a family of refresh tokens (one per login). Each refresh replaces the presented token
with a new one of the same family; presenting a replaced token again means it was copied, so the
whole family is revoked. Refresh tokens are random 256-bit strings stored only as SHA-256 hashes.
Login failures are uniform: an unknown name, an account without a password (imported MovieLens
users) and a wrong password all get the same message after the same amount of hashing work.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from movierec.users.v1 import events_pb2

from kit import auth, bus, limits, outbox
from kit.db import Conn, one_row
from kit.errors import AlreadyExists, InvalidArgument, NotFound, PermissionDenied, ResourceExhausted, Unauthenticated
from kit.logging import get_logger
from services.users.config import UsersConfig
from services.users.passwords import Passwords, validate_password
from services.users.throttle import LoginThrottle

log = get_logger(__name__)

USERNAME_RE = re.compile(r"[A-Za-z0-9_.-]{3,32}")
BAD_LOGIN = "Invalid username or password."
BAD_REFRESH = "Invalid or expired refresh token; log in again."
MAX_GET_USERS = limits.USERS_GET_USERS_MAX_IDS


@dataclass(frozen=True)
class Account:
    id: str
    username: str
    created_at: datetime
    can_log_in: bool


@dataclass(frozen=True)
class Session:
    access_token: str
    access_expires_at: datetime
    refresh_token: str
    account: Account


GUEST_PREFIX = "guest-"  # the usernames of Tonight's guests (evenings.py): not for accounts


def validate_username(username: str) -> str:
    if not USERNAME_RE.fullmatch(username):
        raise InvalidArgument("Username must be 3-32 characters: letters, digits, '_', '.', '-'.")
    if username.lower().startswith(GUEST_PREFIX):
        raise InvalidArgument(f"Usernames starting with '{GUEST_PREFIX}' are kept for guests; choose another.")
    return username


def _hash_token(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def _account(row: asyncpg.Record) -> Account:
    return Account(row["id"], row["username"], row["created_at"], row["password_hash"] is not None)


class Accounts:
    def __init__(self, pool: asyncpg.Pool, config: UsersConfig, passwords: Passwords, throttle: LoginThrottle,
                 signing_key: Ed25519PrivateKey) -> None:
        self.pool, self.config, self.passwords, self.throttle = pool, config, passwords, throttle
        self.signing_key = signing_key

    # ------------------------------------------------------------ sessions

    async def _new_session(self, conn: Conn, account: Account, family_id: uuid.UUID) -> Session:
        refresh = secrets.token_urlsafe(32)
        await conn.execute(
            "INSERT INTO users.refresh_tokens (token_hash, family_id, user_id, expires_at)"
            " VALUES ($1, $2, $3, now() + make_interval(secs => $4))",
            _hash_token(refresh), family_id, account.id, self.config.refresh_ttl_s,
        )
        access, exp = auth.sign_access_token(self.signing_key, account.id, timedelta(seconds=self.config.access_ttl_s))
        return Session(access, exp, refresh, account)

    async def register(self, username: str, password: str, address: str = "") -> Session:
        validate_username(username)
        validate_password(password, username)
        hashed = await self.passwords.hash(password, client=address)
        async with self.pool.acquire() as conn, conn.transaction():
            try:
                row = await conn.fetchrow(
                    "INSERT INTO users.accounts (id, username, password_hash) VALUES ($1, $2, $3)"
                    " RETURNING id, username, created_at, password_hash",
                    str(uuid.uuid4()), username, hashed,
                )
            except asyncpg.UniqueViolationError:
                raise AlreadyExists("That username is taken.") from None
            session = await self._new_session(conn, _account(one_row(row)), uuid.uuid4())
        log.info("account_registered", user_id=session.account.id)
        return session

    async def login(self, username: str, password: str, address: str) -> Session:
        if not username or len(username) > 64 or not password or len(password) > 256:
            raise Unauthenticated(BAD_LOGIN)
        await self.throttle.attempt(username, address)  # refused while this (account, address) must wait
        row = await self.pool.fetchrow(
            "SELECT id, username, created_at, password_hash FROM users.accounts WHERE lower(username) = lower($1)",
            username,
        )
        stored = row["password_hash"] if row is not None else None
        try:
            matches = await self.passwords.verify(stored, password, client=address)
        except ResourceExhausted:
            await self.throttle.give_back(username, address)  # no password was checked
            raise
        if not matches:
            log.info("login_failed", known=row is not None)  # never the name or the password
            raise Unauthenticated(BAD_LOGIN)
        await self.throttle.succeeded(username, address)
        assert row is not None and stored is not None
        async with self.pool.acquire() as conn, conn.transaction():
            if self.passwords.needs_rehash(stored):
                await conn.execute("UPDATE users.accounts SET password_hash = $2 WHERE id = $1",
                                   row["id"], await self.passwords.hash(password, client=address))
            session = await self._new_session(conn, _account(row), uuid.uuid4())
        log.info("logged_in", user_id=row["id"])
        return session

    async def refresh(self, refresh_token: str) -> Session:
        if not refresh_token or len(refresh_token) > 256:
            raise Unauthenticated(BAD_REFRESH)
        reuse_family: uuid.UUID | None = None
        async with self.pool.acquire() as conn, conn.transaction():
            tok = await conn.fetchrow(
                "SELECT t.family_id, t.expires_at, t.replaced_at, t.revoked_at,"
                " a.id, a.username, a.created_at, a.password_hash"
                " FROM users.refresh_tokens t JOIN users.accounts a ON a.id = t.user_id"
                " WHERE t.token_hash = $1 FOR UPDATE OF t",
                _hash_token(refresh_token),
            )
            if tok is None or tok["revoked_at"] is not None or tok["expires_at"] <= datetime.now(UTC):
                raise Unauthenticated(BAD_REFRESH)
            if tok["replaced_at"] is not None:
                # A token that was already exchanged: someone holds a copy. End the whole session.
                await conn.execute(
                    "UPDATE users.refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL",
                    tok["family_id"],
                )
                reuse_family = tok["family_id"]
            else:
                await conn.execute(
                    "UPDATE users.refresh_tokens SET replaced_at = now() WHERE token_hash = $1",
                    _hash_token(refresh_token),
                )
                session = await self._new_session(conn, _account(tok), tok["family_id"])
        if reuse_family is not None:  # raised after the commit, so the revocation stays
            log.warning("refresh_token_reused", family_id=str(reuse_family))
            raise Unauthenticated("This refresh token was already used; the session is revoked. Log in again.")
        return session

    async def logout(self, refresh_token: str) -> None:
        """Revoke the session (token family) of a refresh token. Unknown tokens are a no-op."""
        if not refresh_token or len(refresh_token) > 256:
            return
        await self.pool.execute(
            "UPDATE users.refresh_tokens SET revoked_at = now() WHERE revoked_at IS NULL AND family_id ="
            " (SELECT family_id FROM users.refresh_tokens WHERE token_hash = $1)",
            _hash_token(refresh_token),
        )

    # ------------------------------------------------------------ account changes

    async def _check_password(self, user_id: str, password: str) -> asyncpg.Record:
        row = await self.pool.fetchrow(
            "SELECT id, username, created_at, password_hash FROM users.accounts WHERE id = $1", user_id)
        if row is None:
            raise Unauthenticated("This account no longer exists.")
        if len(password) > 256 or not await self.passwords.verify(row["password_hash"], password,
                                                                  client=f"user:{user_id}"):
            raise PermissionDenied("The current password is wrong.")
        return row

    async def change_password(self, user_id: str, current: str, new: str) -> None:
        validate_password(new)
        row = await self._check_password(user_id, current)
        validate_password(new, row["username"])  # the username check needs the account
        hashed = await self.passwords.hash(new, client=f"user:{user_id}")
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute(
                "UPDATE users.accounts SET password_hash = $2, password_changed_at = now() WHERE id = $1",
                user_id, hashed)
            # Every session (refresh family) ends; access tokens run out within access_ttl_s.
            await conn.execute(
                "UPDATE users.refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL",
                user_id)
        log.info("password_changed", user_id=user_id)

    async def delete(self, user_id: str, password: str) -> None:
        """Delete the account and everything it owns (ratings, lists, comments, links, sessions)."""
        await self._check_password(user_id, password)
        now = datetime.now(UTC)
        event = events_pb2.AccountDeleted(event_id=str(uuid.uuid4()), user_id=user_id)
        event.occurred_at.FromDatetime(now)
        async with self.pool.acquire() as conn, conn.transaction():
            # The evenings this account hosts end with it, and their guests with them: announced too.
            guests = await conn.fetch(
                "SELECT a.id FROM users.accounts a JOIN users.evenings e ON e.id = a.guest_evening_id"
                " WHERE e.host_id = $1", user_id)
            deleted = await conn.execute("DELETE FROM users.accounts WHERE id = $1", user_id)
            if deleted == "DELETE 0":
                raise NotFound("This account no longer exists.")
            await outbox.enqueue(conn, "users", bus.USERS_ACCOUNT_DELETED, event, event.event_id)
            for g in guests:
                gone = events_pb2.AccountDeleted(event_id=str(uuid.uuid4()), user_id=g["id"])
                gone.occurred_at.FromDatetime(now)
                await outbox.enqueue(conn, "users", bus.USERS_ACCOUNT_DELETED, gone, gone.event_id)
        log.info("account_deleted", user_id=user_id)

    # ------------------------------------------------------------ look-ups

    async def get(self, ids: list[str]) -> list[Account]:
        if len(ids) > MAX_GET_USERS:
            raise InvalidArgument(f"At most {MAX_GET_USERS} ids per call.")
        # A Tonight guest is shown by the name they chose (evenings.py), everywhere others see them.
        rows = await self.pool.fetch(
            "SELECT id, coalesce(display_name, username) AS username, created_at, password_hash FROM users.accounts"
            " WHERE id = ANY($1::text[])", ids)
        by_id = {r["id"]: _account(r) for r in rows}
        return [by_id[i] for i in dict.fromkeys(ids) if i in by_id]

    async def require(self, user_id: str) -> Account:
        found = await self.get([user_id])
        if not found:
            raise Unauthenticated("This account no longer exists.")
        return found[0]
