"""Partners for Together: single-use invite codes, links stored in both directions, unlinking.

Codes are 10 characters from an alphabet without look-alikes (about 50 bits), valid for a day,
stored only as SHA-256 hashes. Link changes are announced on users.partner.linked / .unlinked.

A createInvite with a client idempotency key gets a code derived from the key instead of a random
one (HMAC-SHA256 of the inviter and the key under a key only this service holds), so a repeat of the
call recomputes the same code, finds its row by hash and answers it: one invite, no plaintext code
stored, and nobody without the service's key can compute a code from a guessed idempotency key.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

import asyncpg
from movierec.users.v1 import events_pb2

from kit import bus, idempotency, outbox
from kit.db import Conn, one_row
from kit.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound
from services.users.config import UsersConfig

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LEN = 10


@dataclass(frozen=True)
class PartnerRow:
    user_id: str
    username: str
    created_at: datetime
    can_log_in: bool
    linked_at: datetime


def normalize_code(code: str) -> str:
    cleaned = "".join(ch for ch in code.upper() if ch not in " -")
    if len(cleaned) != CODE_LEN or any(ch not in ALPHABET for ch in cleaned):
        raise InvalidArgument(f"An invite code is {CODE_LEN} letters and digits.")
    return cleaned


def _hash(code: str) -> bytes:
    return hashlib.sha256(code.encode()).digest()


def keyed_code(code_key: bytes, user_id: str, idempotency_key: str) -> str:
    """The invite code of (inviter, idempotency key): 50 bits of HMAC-SHA256, 5 bits per character."""
    digest = hmac.new(code_key, f"invite\0{user_id}\0{idempotency_key}".encode(), hashlib.sha256).digest()
    bits = int.from_bytes(digest[:8], "big")
    return "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(CODE_LEN))


def code_key_from(secret: bytes) -> bytes:
    """The invite-code key derived from the service's signing key (one secret to provision, not two;
    a different label keeps the two uses apart)."""
    return hmac.new(secret, b"movierec invite codes v1", hashlib.sha256).digest()


async def _announce(conn: Conn, user_id: str, partner_id: str, linked: bool, at: datetime) -> None:
    for a, b in ((user_id, partner_id), (partner_id, user_id)):  # each side learns of the change
        event = events_pb2.PartnerLinkChanged(event_id=str(uuid.uuid4()), user_id=a, partner_id=b, linked=linked)
        event.occurred_at.FromDatetime(at)
        subject = bus.USERS_PARTNER_LINKED if linked else bus.USERS_PARTNER_UNLINKED
        await outbox.enqueue(conn, "users", subject, event, event.event_id)


class Partners:
    def __init__(self, pool: asyncpg.Pool, config: UsersConfig, code_key: bytes) -> None:
        self.pool, self.config, self.code_key = pool, config, code_key

    async def create_invite(self, user_id: str, idempotency_key: str = "") -> tuple[str, datetime]:
        key = idempotency.check_key(idempotency_key)
        if key is None:
            code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LEN))
        else:
            code = keyed_code(self.code_key, user_id, key)
        async with self.pool.acquire() as conn, conn.transaction():
            # The inviter's row lock serialises concurrent createInvite calls, so the limit holds (and
            # two concurrent repeats of one key: the second sees the first's row).
            await conn.execute("SELECT 1 FROM users.accounts WHERE id = $1 FOR UPDATE", user_id)
            if key is not None:
                first = await conn.fetchrow(
                    "SELECT inviter_id, expires_at, accepted_at, expires_at <= now() AS expired"
                    " FROM users.invites WHERE code_hash = $1", _hash(code))
                if first is not None:
                    if first["inviter_id"] != user_id:  # 50 bits: a collision with another's code
                        raise FailedPrecondition("This idempotency key cannot be used; make a new key.")
                    if first["accepted_at"] is not None:
                        raise FailedPrecondition("The invite made with this idempotency key was already "
                                                 "used; make a new key for a new invite.")
                    if first["expired"]:
                        raise FailedPrecondition("The invite made with this idempotency key has expired; "
                                                 "make a new key for a new invite.")
                    return code, first["expires_at"]
            open_count = await conn.fetchval(
                "SELECT count(*) FROM users.invites WHERE inviter_id = $1 AND accepted_at IS NULL"
                " AND expires_at > now()", user_id)
            if open_count >= self.config.max_open_invites:
                # a quota, not a rate: waiting does not help, so not RESOURCE_EXHAUSTED (-> RATE_LIMITED)
                raise FailedPrecondition(f"At most {self.config.max_open_invites} open invites; use one first.")
            expires = await conn.fetchval(
                "INSERT INTO users.invites (code_hash, inviter_id, expires_at)"
                " VALUES ($1, $2, now() + make_interval(secs => $3)) RETURNING expires_at",
                _hash(code), user_id, self.config.invite_ttl_s)
        return code, expires

    async def accept(self, user_id: str, code: str) -> PartnerRow:
        code_hash = _hash(normalize_code(code))
        async with self.pool.acquire() as conn, conn.transaction():
            inv = await conn.fetchrow(
                "SELECT inviter_id FROM users.invites WHERE code_hash = $1 AND accepted_at IS NULL"
                " AND expires_at > now() FOR UPDATE", code_hash)
            if inv is None:
                raise NotFound("This invite code is not valid, already used or expired.")
            inviter = inv["inviter_id"]
            if inviter == user_id:
                raise InvalidArgument("That is your own invite; send it to your partner.")
            # Lock both accounts in id order: concurrent links of the same two people (or of one person
            # with several) are serialised, so the checks below see each other's results.
            await conn.execute("SELECT 1 FROM users.accounts WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE",
                               [user_id, inviter])
            if await conn.fetchval("SELECT 1 FROM users.partners WHERE user_id = $1 AND partner_id = $2",
                                   user_id, inviter):
                raise AlreadyExists("You are already linked with this person.")
            for who in (user_id, inviter):
                n = await conn.fetchval("SELECT count(*) FROM users.partners WHERE user_id = $1", who)
                if n >= self.config.max_partners:
                    raise FailedPrecondition(f"At most {self.config.max_partners} partners per person.")
            at = await conn.fetchval("SELECT now()")
            await conn.executemany(
                "INSERT INTO users.partners (user_id, partner_id, linked_at) VALUES ($1, $2, $3)",
                [(user_id, inviter, at), (inviter, user_id, at)])
            await conn.execute(
                "UPDATE users.invites SET accepted_by = $2, accepted_at = $3 WHERE code_hash = $1",
                code_hash, user_id, at)
            await _announce(conn, user_id, inviter, True, at)
            # the inviter's account: the partners rows just inserted reference it, so it is locked
            row = one_row(await conn.fetchrow(
                "SELECT id, username, created_at, password_hash IS NOT NULL AS can_log_in FROM users.accounts"
                " WHERE id = $1", inviter))
        return PartnerRow(row["id"], row["username"], row["created_at"], row["can_log_in"], at)

    async def unlink(self, user_id: str, partner_id: str) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
            removed = await conn.execute(
                "DELETE FROM users.partners WHERE (user_id, partner_id) IN (($1, $2), ($2, $1))", user_id, partner_id)
            if removed == "DELETE 0":
                raise NotFound("You are not linked with that user.")
            await _announce(conn, user_id, partner_id, False, await conn.fetchval("SELECT now()"))

    async def list(self, user_id: str) -> list[PartnerRow]:
        rows = await self.pool.fetch(
            "SELECT a.id, a.username, a.created_at, a.password_hash IS NOT NULL AS can_log_in, p.linked_at"
            " FROM users.partners p JOIN users.accounts a ON a.id = p.partner_id"
            " WHERE p.user_id = $1 ORDER BY p.linked_at, a.id", user_id)
        return [PartnerRow(r["id"], r["username"], r["created_at"], r["can_log_in"], r["linked_at"]) for r in rows]
