"""The load test's users (`make loadtest`, run by bench/load.py): each a distinct account that signs up,
rates a few films, links with another load-test user as partners, then does what a person does in the web
client, with 1-3 s between actions. Every request is one of the web client's own documents
(bench/loadtest/documents.py) and is named after its operation, so the report has one row per operation.
A GraphQL answer with `errors` counts as a failure, whatever its HTTP status.

The shape: 10 users, ramping to 100 over 60 s, then 60 s at 100 (LOAD_RAMP_S, LOAD_HOLD_S, LOAD_USERS).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
import time
import uuid
from collections import deque

from locust import HttpUser, LoadTestShape, between, events, task

from bench.loadtest.documents import documents
from bench.loadtest.moods import MOODS

DOCS = documents()
PASSWORD = "load test password, long enough"
START_USERS = int(os.environ.get("LOAD_START_USERS", "10"))
USERS = int(os.environ.get("LOAD_USERS", "100"))
RAMP_S = float(os.environ.get("LOAD_RAMP_S", "60"))
HOLD_S = float(os.environ.get("LOAD_HOLD_S", "60"))

SEARCHES = ["love", "the", "war", "night", "amelie", "godfather", "star", "nolan", "miyazaki", "city", "dead", "blue"]

_films: list[str] = []            # well-known films' ids, filled by the first user
_films_lock = threading.Lock()
_open_invites: deque[tuple[str, str]] = deque()  # (code, inviter id) waiting for a partner
_counter = itertools.count()


class GraphQLError(Exception):
    pass


class Person(HttpUser):
    wait_time = between(1, 3)

    # ---------------------------------------------------------------- plumbing

    def gql(self, op: str, variables: dict | None = None, auth: bool = True) -> dict:
        if auth and not self.token and op != "Register":
            self.arrive()  # its sign-up was refused: try again, as a person would, before doing anything else
            if not self.token:
                raise GraphQLError(op)
        headers = {"Authorization": f"Bearer {self.token}"} if auth and self.token else {}
        with self.client.post("/graphql", json={"query": DOCS[op], "variables": variables or {}, "operationName": op},
                              headers=headers, name=op, catch_response=True) as r:
            try:
                body = r.json()
            except ValueError:
                r.failure(f"HTTP {r.status_code}, not JSON")
                raise GraphQLError(op) from None
            if body.get("errors"):
                code = (body["errors"][0].get("extensions") or {}).get("code", "?")
                r.failure(f"{code}: {body['errors'][0].get('message', '')[:120]}")
                raise GraphQLError(op)
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
                raise GraphQLError(op)
            r.success()
            return body["data"]

    def film(self) -> str:
        return random.choice(_films)

    # ---------------------------------------------------------------- a person arrives

    def on_start(self) -> None:
        self.token = ""
        self.partner: str | None = None
        self.arrive()

    def arrive(self) -> None:
        self.username = f"load_{next(_counter)}_{uuid.uuid4().hex[:8]}"
        try:
            session = self.gql("Register", {"username": self.username, "password": PASSWORD})["register"]
            self.token = session["accessToken"]
            self.user_id = session["user"]["id"]
            with _films_lock:
                if not _films:
                    found = self.gql("SearchMovies", {"query": "", "sort": "POPULARITY",
                                                      "first": 100})["searchMovies"]
                    _films.extend(e["node"]["id"] for e in found["edges"])
            picks = self.gql("Onboarding", {"first": 12})["onboarding"]
            for p in random.sample(picks, min(5, len(picks))):
                self.gql("RateMovie", {"movieId": p["movie"]["id"], "value": random.choice([2.0, 3.5, 4.0, 4.5, 5.0]),
                                       "zone": "BROWSE"})
            self.pair_up()
        except GraphQLError:
            pass  # counted as a failure of that operation; the user goes on with what it has

    def pair_up(self) -> None:
        """Every other user opens an invite; the next one accepts it: pairs for Together."""
        try:
            code, inviter = _open_invites.popleft()
        except IndexError:
            code = self.gql("CreateInvite", {"idempotencyKey": uuid.uuid4().hex})["createInvite"]["code"]
            _open_invites.append((code, self.user_id))
            return
        self.gql("AcceptInvite", {"code": code})
        self.partner = inviter

    # ---------------------------------------------------------------- what a person does

    @task(4)
    def my_state(self) -> None:
        me = self.gql("Me")["me"]
        if self.partner is None and me["partners"]:
            self.partner = me["partners"][0]["user"]["id"]

    @task(4)
    def for_you(self) -> None:
        self.gql("ForYou", {"first": 20})

    @task(3)
    def more_like_this(self) -> None:
        weights = random.choice([None, {"story": 1.0, "people": 0.5, "style": 0.5, "genre": 0.3},
                                 {"story": 0.4, "people": 1.0, "style": 0.2, "genre": 0.6}])
        self.gql("Similar", {"movieId": self.film(), "first": 20, "weights": weights})

    @task(3)
    def hidden_gems(self) -> None:
        anchored = random.random() < 0.6
        self.gql("HiddenGems", {"movieId": self.film() if anchored else None, "first": 20,
                                "maxPopularityPercentile": random.choice([None, 0.5, 0.75])})

    @task(3)
    def vibe(self) -> None:
        self.gql("Vibe", {"text": random.choice(MOODS), "first": 20})

    @task(2)
    def together(self) -> None:
        if self.partner is None:
            return
        if random.random() < 0.7:
            self.gql("Together", {"userIds": [self.user_id, self.partner], "first": 20})
        else:
            self.gql("TogetherWithMood", {"userIds": [self.user_id, self.partner], "vibe": random.choice(MOODS),
                                          "first": 20})

    @task(3)
    def search(self) -> None:
        self.gql("SearchMovies", {"query": random.choice(SEARCHES), "first": 24})

    @task(4)
    def film_page(self) -> None:
        film = self.film()
        self.gql("Movie", {"id": film})
        self.gql("Comments", {"movieId": film, "first": 10})
        self.gql("OpenMovie", {"movieId": film, "zone": "BROWSE"})

    @task(3)
    def rate(self) -> None:
        self.gql("RateMovie", {"movieId": self.film(), "value": random.choice([1.0, 2.5, 3.0, 4.0, 4.5, 5.0]),
                               "zone": random.choice(["FOR_YOU", "SIMILAR", "HIDDEN_GEMS", "VIBE"])})

    @task(2)
    def watchlist(self) -> None:
        film = self.film()
        self.gql("AddToWatchlist", {"movieId": film, "zone": "FOR_YOU"})
        if random.random() < 0.3:
            self.gql("RemoveFromWatchlist", {"movieId": film, "zone": "FOR_YOU"})

    @task(1)
    def comment(self) -> None:
        self.gql("AddComment", {"movieId": self.film(), "body": random.choice(["Loved it.", "Too long for me.",
                                                                               "Watch it with someone."]),
                                "idempotencyKey": uuid.uuid4().hex})

    @task(1)
    def sign_in_again(self) -> None:
        self.token = self.gql("Login", {"username": self.username, "password": PASSWORD}, auth=False)["login"][
            "accessToken"]


class RampThenHold(LoadTestShape):
    """START_USERS, ramping linearly to USERS over RAMP_S, then USERS for HOLD_S; then stop."""

    def tick(self):
        t = self.get_run_time()
        if t < RAMP_S:
            users = START_USERS + (USERS - START_USERS) * t / RAMP_S
            return max(1, round(users)), max(1.0, (USERS - START_USERS) / RAMP_S * 2)
        if t < RAMP_S + HOLD_S:
            return USERS, 10.0
        return None


# ---------------------------------------------------------------- per-phase samples for bench/load.py

_samples: dict[str, dict[str, list[list[float]]]] = {"ramp": {}, "hold": {}}
_t0: list[float] = []


@events.test_start.add_listener
def _started(environment, **kw) -> None:
    _t0.append(time.time())


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, context=None, **kw) -> None:
    """Every response, by phase (ramp: the first RAMP_S seconds; hold: after), as [ms, failed]."""
    phase = "ramp" if not _t0 or time.time() - _t0[0] < RAMP_S else "hold"
    _samples[phase].setdefault(name, []).append([round(response_time, 2), 1.0 if exception else 0.0])


@events.quitting.add_listener
def _write_samples(environment, **kw) -> None:
    out = os.environ.get("LOAD_SAMPLES")
    if out:
        with open(out, "w") as f:
            json.dump(_samples, f)
