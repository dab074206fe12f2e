"""Faults under a steady write load, and what must hold after them (`make chaos`, bench/chaos.py; the
fast cases run in make test, tests/integration/test_faults.py).

Writers are signed-in users writing through GraphQL as the web client does: ratings (each of a film of
its own, with a known value), watchlist adds from Hidden gems (each one a "take" the recommender learns
from), comments and partner invites (both with an idempotency key), invite acceptances. A write that
fails with a retryable error (UNAVAILABLE, RATE_LIMITED, a connection that broke) is sent again, the
same request with the same key, until it is acknowledged or `give_up_s` passes. Every attempt's outcome
is counted under the fault that was on at the time.

Afterwards `verify` reads the stores and the bus:
- every acknowledged write is in PostgreSQL exactly once (a comment once per key, a rating with its
  value, a watchlist row, a link both ways); nothing is there that was never sent;
- every outbox event was published, and the stream holds it once (its Nats-Msg-Id);
- the recommender's consumers have nothing pending, nothing went to the dead-letter stream, and each
  user's learnt hidden-gems "takes" equal their acknowledged Hidden-gems watchlist adds (applied once);
- every catalogue film has vectors.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import random
import signal
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
import nats
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from devstack.procs import wait_until
from devstack.stack import SERVICES, ServiceSpec, Stack

RETRYABLE = {"UNAVAILABLE", "RATE_LIMITED", "NETWORK"}
PASSWORD = "chaos-pass-word-1"

RATE = "mutation($m: ID!, $v: Float!) { rateMovie(movieId: $m, value: $v, zone: FOR_YOU) { value } }"
WATCH = "mutation($m: ID!) { addToWatchlist(movieId: $m, zone: HIDDEN_GEMS) }"
COMMENT = ("mutation($m: ID!, $b: String!, $k: String) { addComment(movieId: $m, body: $b, idempotencyKey: $k)"
           " { id body } }")
INVITE = "mutation($k: String) { createInvite(idempotencyKey: $k) { code } }"
ACCEPT = "mutation($c: String!) { acceptInvite(code: $c) { user { id } } }"
REGISTER = "mutation($u: String!, $p: String!) { register(username: $u, password: $p) { accessToken user { id } } }"
STATE = "{ me { id state { ratings { movieId value } watchlistIds } } }"
FOR_YOU = "{ forYou(first: 5) { movie { id } } }"


@dataclass
class Write:
    kind: str               # rating | watchlist | comment | invite | accept
    user_id: str
    movie_id: int = 0
    value: float = 0.0
    body: str = ""
    key: str = ""
    code: str = ""          # an invite's code (answer), an acceptance's code (request)
    partner_id: str = ""
    outcome: str = "sent"   # acked | refused | unknown (never acknowledged before give_up_s)
    attempts: int = 0


@dataclass
class Ledger:
    phase: str = "steady"
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC) - timedelta(seconds=1))
    writes: list[Write] = field(default_factory=list)
    attempts: Counter = field(default_factory=Counter)          # (phase, code)
    probes: Counter = field(default_factory=Counter)            # (phase, what, code)
    refusals: list[str] = field(default_factory=list)           # messages of non-retryable errors

    def summary(self) -> dict:
        by_kind: dict[str, Counter] = defaultdict(Counter)
        for w in self.writes:
            by_kind[w.kind][w.outcome] += 1
        return {kind: dict(c) for kind, c in sorted(by_kind.items())}


def _code(body: dict) -> str:
    errors = body.get("errors") or []
    if not errors:
        return "OK"
    return (errors[0].get("extensions") or {}).get("code", "NO_CODE")


class Client:
    """One signed-in user talking GraphQL to the gateway."""

    def __init__(self, base_url: str, ledger: Ledger, give_up_s: float) -> None:
        self.http = httpx.AsyncClient(base_url=base_url, timeout=10)
        self.ledger, self.give_up_s = ledger, give_up_s
        self.token, self.user_id = "", ""

    async def call(self, query: str, variables: dict | None = None) -> tuple[str, dict]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            r = await self.http.post("/graphql", json={"query": query, "variables": variables or {}},
                                     headers=headers)
        except httpx.HTTPError:
            return "NETWORK", {}
        if r.status_code >= 500:
            return f"HTTP_{r.status_code}", {}
        try:
            body = r.json()
        except ValueError:
            return f"HTTP_{r.status_code}_NOT_JSON", {}
        return _code(body), body

    async def until_acked(self, query: str, variables: dict, write: Write | None = None) -> dict | None:
        """Send until acknowledged (the data), refused (None) or give_up_s passed (None)."""
        deadline = time.monotonic() + self.give_up_s
        pause = 0.1
        while True:
            code, body = await self.call(query, variables)
            self.ledger.attempts[(self.ledger.phase, code)] += 1
            if write is not None:
                write.attempts += 1
            if code == "OK":
                if write is not None:
                    write.outcome = "acked"
                return body["data"]
            if code not in RETRYABLE:
                message = (body.get("errors") or [{}])[0].get("message", "")
                self.ledger.refusals.append(f"{self.ledger.phase}: {code}: {message}"[:300])
                if write is not None:
                    write.outcome = "refused"
                return None
            if time.monotonic() > deadline:
                if write is not None:
                    write.outcome = "unknown"
                return None
            await asyncio.sleep(pause)
            pause = min(2.0, pause * 2)

    async def sign_up(self) -> None:
        data = await self.until_acked(REGISTER, {"u": f"c{uuid.uuid4().hex[:12]}", "p": PASSWORD})
        if data is None:
            raise RuntimeError(f"a chaos writer could not sign up: {self.ledger.refusals[-1:]}")
        self.token, self.user_id = data["register"]["accessToken"], data["register"]["user"]["id"]

    async def close(self) -> None:
        await self.http.aclose()


class WriteLoad:
    """`writers` users writing in a loop, each paced at one write per `pause_s`, until stopped."""

    def __init__(self, stack: Stack, films: list[int], writers: int = 6, pause_s: float = 0.05,
                 give_up_s: float = 60.0, seed: int = 7) -> None:
        self.base_url = f"http://127.0.0.1:{stack.ports['gateway']}"
        self.films, self.writers, self.pause_s, self.give_up_s = films, writers, pause_s, give_up_s
        self.rng = random.Random(seed)
        self.ledger = Ledger()
        self.clients: list[Client] = []
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task] = []
        self._open_invites: list[tuple[Client, str]] = []
        self._linked: set[frozenset[str]] = set()

    async def start(self) -> None:
        self.clients = [Client(self.base_url, self.ledger, self.give_up_s) for _ in range(self.writers + 1)]
        for c in self.clients:
            await c.sign_up()
        self.prober = self.clients.pop()
        self._tasks = [asyncio.create_task(self._writer(i, c)) for i, c in enumerate(self.clients)]
        self._tasks.append(asyncio.create_task(self._probe()))

    async def stop(self) -> Ledger:
        self._stop.set()
        await asyncio.gather(*self._tasks)
        for c in [*self.clients, self.prober]:
            await c.close()
        return self.ledger

    def _film(self, writer: int, n: int) -> int:
        # each writer walks its own stride of the film list: a film per write, again only once it has been
        # round the list (verify checks the last rating of each film)
        return self.films[(writer + n * self.writers) % len(self.films)]

    async def _writer(self, index: int, c: Client) -> None:
        n = 0
        while not self._stop.is_set():
            kind = ("rating", "watchlist", "comment", "rating", "invite")[n % 5]
            movie = self._film(index, n)
            if kind == "rating":
                w = Write("rating", c.user_id, movie_id=movie, value=self.rng.choice((1.0, 2.5, 3.5, 4.5, 5.0)))
                self.ledger.writes.append(w)
                await c.until_acked(RATE, {"m": str(movie), "v": w.value}, w)
            elif kind == "watchlist":
                w = Write("watchlist", c.user_id, movie_id=movie)
                self.ledger.writes.append(w)
                await c.until_acked(WATCH, {"m": str(movie)}, w)
            elif kind == "comment":
                w = Write("comment", c.user_id, movie_id=movie, body=f"chaos {uuid.uuid4().hex}",
                          key=str(uuid.uuid4()))
                self.ledger.writes.append(w)
                await c.until_acked(COMMENT, {"m": str(movie), "b": w.body, "k": w.key}, w)
            else:
                await self._partner_step(c)
            n += 1
            await asyncio.sleep(self.pause_s)

    async def _partner_step(self, c: Client) -> None:
        """Accept the open invite of someone not yet a partner if there is one, else open an invite."""
        theirs = [(owner, code) for owner, code in self._open_invites
                  if owner is not c and frozenset((owner.user_id, c.user_id)) not in self._linked]
        if theirs:
            owner, code = theirs[0]
            self._open_invites.remove((owner, code))
            self._linked.add(frozenset((owner.user_id, c.user_id)))
            w = Write("accept", c.user_id, code=code, partner_id=owner.user_id)
            self.ledger.writes.append(w)
            await c.until_acked(ACCEPT, {"c": code}, w)
            return
        if sum(1 for owner, _ in self._open_invites if owner is c) >= 3:  # enough open; rate instead
            return
        w = Write("invite", c.user_id, key=str(uuid.uuid4()))
        self.ledger.writes.append(w)
        data = await c.until_acked(INVITE, {"k": w.key}, w)
        if data is not None:
            w.code = data["createInvite"]["code"]
            self._open_invites.append((c, w.code))

    async def _probe(self) -> None:
        """What a reader sees meanwhile: `me { state }` (users service only) and For you (recommender)."""
        while not self._stop.is_set():
            for what, query in (("me.state", STATE), ("forYou", FOR_YOU)):
                code, _ = await self.prober.call(query)
                self.ledger.probes[(self.ledger.phase, what, code)] += 1
            await asyncio.sleep(0.25)


# ---------------------------------------------------------------- faults

def kill9(stack: Stack, spec: ServiceSpec) -> None:
    pid = stack.service_pid(spec)
    if pid is None:
        raise RuntimeError(f"{spec.name} is not running")
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not stack.service_running(spec), 10, f"{spec.name} gone")


@contextlib.asynccontextmanager
async def phase(ledger: Ledger, name: str) -> AsyncIterator[None]:
    previous, ledger.phase = ledger.phase, name
    try:
        yield
    finally:
        ledger.phase = previous


# The backends the gateway reports on its /healthz (services/gateway/resources.py, check_health).
GATEWAY_CHECKS = ("catalog", "users", "recommender")


async def gateway_reaches(stack: Stack, name: str, timeout_s: float = 20.0) -> bool:
    """Whether the gateway's own channel to `name` answers its health check again within timeout_s. A
    restarted service listens before the gateway's channel has left its reconnect backoff (up to 5 s), so
    until then the gateway still answers UNAVAILABLE for what needs that service."""
    deadline = time.monotonic() + timeout_s
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{stack.ports['gateway']}", timeout=5) as client:
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError, ValueError):
                if (await client.get("/healthz")).json().get("checks", {}).get(name) == "ok":
                    return True
            await asyncio.sleep(0.1)
    return False


async def kill_and_restart(stack: Stack, ledger: Ledger, spec: ServiceSpec, down_s: float = 2.0) -> None:
    """The phase lasts until the gateway reaches the service again, so what the next phase's readers see
    is that phase's doing, not this one's reconnect backoff."""
    async with phase(ledger, f"kill -9 {spec.name}"):
        await asyncio.to_thread(kill9, stack, spec)
        await asyncio.sleep(down_s)
        await asyncio.to_thread(stack.start_service, spec)
        if spec.name in GATEWAY_CHECKS:
            await gateway_reaches(stack, spec.name)
        await asyncio.sleep(1.0)


async def outage(ledger: Ledger, name: str, stop: Callable[[], None], start: Callable[[], None],
                 down_s: float) -> None:
    async with phase(ledger, name):
        await asyncio.to_thread(stop)
        await asyncio.sleep(down_s)
        await asyncio.to_thread(start)
        await asyncio.sleep(1.0)


def scenario(stack: Stack, ledger: Ledger, outage_s: float = 10.0) -> list[Callable[[], Awaitable[None]]]:
    """The faults of `make chaos`, in order: every service killed and restarted, then each store down."""
    steps: list[Callable[[], Awaitable[None]]] = [
        functools.partial(kill_and_restart, stack, ledger, spec) for spec in SERVICES]
    steps += [
        lambda: outage(ledger, f"NATS stopped {outage_s:g} s", stack.nats.stop, stack.nats.start, outage_s),
        lambda: outage(ledger, "PostgreSQL restarted", stack.pg.stop, stack.pg.start, 1.0),
        lambda: outage(ledger, f"Redis stopped {outage_s:g} s", stack.redis.stop, stack.redis.start, outage_s),
    ]
    return steps


# ---------------------------------------------------------------- what must hold afterwards

async def catalogue_films(stack: Stack, limit: int) -> list[int]:
    """Films to write about: well-known ones with vectors, in a fixed order."""
    conn = await asyncpg.connect(stack.database_url)
    try:
        rows = await conn.fetch("SELECT id FROM catalog.movies ORDER BY vote_count DESC, id LIMIT $1", limit)
    finally:
        await conn.close()
    return [r["id"] for r in rows]


async def settled(stack: Stack, timeout_s: float = 90.0) -> dict:
    """Wait until the outboxes are published and the recommender's consumers have nothing pending."""
    deadline = time.monotonic() + timeout_s
    last: dict = {}
    while time.monotonic() < deadline:
        last = await _backlog(stack)
        if not any(last.values()):
            return last
        await asyncio.sleep(0.5)
    return last


async def _backlog(stack: Stack) -> dict:
    conn = await asyncpg.connect(stack.database_url)
    try:
        out = {f"{schema}.outbox unpublished": await conn.fetchval(
            f"SELECT count(*) FROM {schema}.outbox WHERE published_at IS NULL") for schema in ("users", "catalog")}
    finally:
        await conn.close()
    nc = await nats.connect(stack.nats_url)
    try:
        js = nc.jetstream()
        for stream, durable in (("FEEDBACK", "recommender-feedback"), ("USERS", "recommender-users")):
            info = await js.consumer_info(stream, durable)
            out[f"{durable} pending"] = info.num_pending + info.num_ack_pending
    finally:
        await nc.close()
    return out


async def _stream_msg_ids(js, stream: str, since: datetime) -> Counter:
    """Nats-Msg-Id of every message a stream took since `since` (an ephemeral pull consumer)."""
    ids: Counter = Counter()
    sub = await js.pull_subscribe("", stream=stream, config=ConsumerConfig(
        ack_policy=AckPolicy.NONE, deliver_policy=DeliverPolicy.BY_START_TIME,
        opt_start_time=since, inactive_threshold=30.0))
    try:
        while True:
            try:
                msgs = await sub.fetch(1000, timeout=2)
            except (TimeoutError, nats.errors.TimeoutError):
                return ids
            for m in msgs:
                ids[(m.headers or {}).get("Nats-Msg-Id", "")] += 1
    finally:
        await sub.unsubscribe()


async def verify(stack: Stack, ledger: Ledger, vector_min_votes: int = 0) -> dict:
    """The counts `make chaos` reports; `problems` lists every broken promise (empty when all held).
    `vector_min_votes`: the films the stack encodes (a stack started with backfill_min_votes)."""
    problems: list[str] = []
    acked = [w for w in ledger.writes if w.outcome == "acked"]
    unknown = [w for w in ledger.writes if w.outcome == "unknown"]
    users = sorted({w.user_id for w in ledger.writes})
    conn = await asyncpg.connect(stack.database_url)
    try:
        comments = Counter((r["author_id"], r["body"]) for r in await conn.fetch(
            "SELECT author_id, body FROM users.comments WHERE author_id = ANY($1)", users))
        ratings = {(r["user_id"], r["movie_id"]): r["value"] for r in await conn.fetch(
            "SELECT user_id, movie_id, value FROM users.ratings WHERE user_id = ANY($1)", users)}
        watchlist = {(r["user_id"], r["movie_id"]) for r in await conn.fetch(
            "SELECT user_id, movie_id FROM users.watchlist WHERE user_id = ANY($1)", users)}
        links = {(r["user_id"], r["partner_id"]) for r in await conn.fetch(
            "SELECT user_id, partner_id FROM users.partners WHERE user_id = ANY($1)", users)}
        invites = Counter(r["inviter_id"] for r in await conn.fetch(
            "SELECT inviter_id FROM users.invites WHERE inviter_id = ANY($1)", users))
        takes = {r["user_id"]: r["takes"] for r in await conn.fetch(
            "SELECT user_id, takes FROM recommender.gem_prefs WHERE user_id = ANY($1)", users)}
        outbox_ids = {r["event_id"] for r in await conn.fetch(
            "SELECT event_id FROM users.outbox WHERE created_at >= $1", ledger.started_at)}
        unpublished = await conn.fetchval("SELECT count(*) FROM users.outbox WHERE published_at IS NULL")
        films_without_vectors = await conn.fetchval(
            "SELECT count(*) FROM catalog.movies m WHERE m.vote_count >= $1 AND NOT EXISTS"
            " (SELECT 1 FROM embedder.movie_vectors v WHERE v.movie_id = m.id)", vector_min_votes)
    finally:
        await conn.close()

    found = lost = duplicated = 0

    def check(present: int, w: Write, what: str) -> None:
        nonlocal found, lost, duplicated
        if present == 0:
            lost += 1
            problems.append(f"lost: {what}")
        elif present > 1:
            duplicated += 1
            problems.append(f"{present} copies: {what}")
        else:
            found += 1

    # A film a writer rates again (its stride wraps round the film list in a long run) holds the later value:
    # only the last acknowledged rating of each (user, film) can be checked; the ones before it are superseded.
    last_rating = {(w.user_id, w.movie_id): w for w in acked if w.kind == "rating"}
    for w in acked:
        if w.kind == "rating" and last_rating[(w.user_id, w.movie_id)] is not w:
            continue
        if w.kind == "comment":
            check(comments[(w.user_id, w.body)], w, f"comment {w.key} of {w.user_id}")
        elif w.kind == "rating":
            same = ratings.get((w.user_id, w.movie_id)) == w.value
            got = ratings.get((w.user_id, w.movie_id))
            check(int(same), w, f"rating {w.value} of {w.movie_id} by {w.user_id} (found {got})")
        elif w.kind == "watchlist":
            check(int((w.user_id, w.movie_id) in watchlist), w, f"watchlist {w.movie_id} of {w.user_id}")
        elif w.kind == "accept":
            both = (w.user_id, w.partner_id) in links and (w.partner_id, w.user_id) in links
            check(int(both), w, f"link {w.user_id} <-> {w.partner_id}")
        elif w.kind == "invite":
            found += 1  # counted per inviter below: one row per acknowledged invite
    sent_invites = Counter(w.user_id for w in ledger.writes if w.kind == "invite" and w.outcome == "acked")
    maybe_invites = Counter(w.user_id for w in unknown if w.kind == "invite")
    for user, n in sent_invites.items():
        if not n <= invites[user] <= n + maybe_invites[user]:
            duplicated += 1
            problems.append(f"{invites[user]} invites stored for {user}, {n} acknowledged")
    sent_bodies = {(w.user_id, w.body) for w in ledger.writes if w.kind == "comment"}
    strangers = [k for k in comments if k not in sent_bodies]
    if strangers:
        problems.append(f"{len(strangers)} comments nobody sent")
    # applied once: each acknowledged Hidden-gems watchlist add is one "take" (unknown ones may count)
    for user in users:
        want = sum(1 for w in acked if w.kind == "watchlist" and w.user_id == user)
        maybe = sum(1 for w in unknown if w.kind == "watchlist" and w.user_id == user)
        if not want <= takes.get(user, 0) <= want + maybe:
            problems.append(f"{user}: {takes.get(user, 0)} takes learnt from {want} acknowledged gems watchlisted")

    nc = await nats.connect(stack.nats_url)
    try:
        js = nc.jetstream()
        in_streams: Counter = Counter()
        for stream in ("USERS", "FEEDBACK"):
            in_streams.update(await _stream_msg_ids(js, stream, ledger.started_at))
        dead = 0
        with contextlib.suppress(Exception):  # no dead-letter stream: nothing was dead-lettered
            # only this run's: a test before it may dead-letter a poison message on purpose
            dead = sum((await _stream_msg_ids(js, "DEADLETTER", ledger.started_at)).values())
    finally:
        await nc.close()
    missing_events = [e for e in outbox_ids if in_streams[e] == 0]
    doubled_events = [e for e in outbox_ids if in_streams[e] > 1]
    if unpublished or missing_events:
        problems.append(f"{unpublished} outbox rows unpublished, {len(missing_events)} events not in their stream")
    if doubled_events:
        problems.append(f"{len(doubled_events)} events twice in their stream")
    if dead:
        problems.append(f"{dead} messages dead-lettered")
    if films_without_vectors:
        problems.append(f"{films_without_vectors} catalogue films without vectors")
    internal = {k: v for k, v in ledger.attempts.items() if k[1] not in ("OK", *RETRYABLE)}
    internal.update({k: v for k, v in ledger.probes.items() if k[2] not in ("OK", *RETRYABLE)})
    if internal:
        problems.append(f"answers that were neither OK nor retryable: {internal}")
    # a part that is down fails only what needs it: `me { state }` needs the users service, not the recommender
    state_while_recommender_down = {k[2]: v for k, v in ledger.probes.items()
                                    if k[0] == "kill -9 recommender" and k[1] == "me.state"}
    if set(state_while_recommender_down) - {"OK"}:
        problems.append(f"me.state while the recommender was down: {state_while_recommender_down}")
    return {
        "writes": {"sent": len(ledger.writes), "acknowledged": len(acked), "found": found, "duplicated": duplicated,
                   "lost": lost, "unknown": len(unknown),
                   "refused": sum(1 for w in ledger.writes if w.outcome == "refused")},
        "by_kind": ledger.summary(),
        "events": {"outbox": len(outbox_ids), "in_streams_once": len(outbox_ids) - len(missing_events)
                   - len(doubled_events), "missing": len(missing_events), "twice": len(doubled_events),
                   "dead_lettered": dead},
        "films_without_vectors": films_without_vectors,
        "problems": problems,
    }


def attempts_by_phase(ledger: Ledger) -> dict:
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for (ph, code), n in sorted(ledger.attempts.items()):
        out[ph][code] = n
    return dict(out)


def probes_by_phase(ledger: Ledger) -> dict:
    out: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for (ph, what, code), n in sorted(ledger.probes.items()):
        out[ph][what][code] = n
    return {ph: dict(v) for ph, v in out.items()}
