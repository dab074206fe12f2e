"""`Movie.comments` over many films: the first pages of a request's films are one BatchListComments
per page size (loaders.comments_loader), each film gets its own page back in order, a failed call
fails only its own films with a coded error, and pages after the first stay per-film ListComments.
Executed directly against the schema with fake catalogue and users clients (no servers)."""

from __future__ import annotations

from datetime import timedelta

import grpc
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from google.protobuf.timestamp_pb2 import Timestamp
from graphql import parse
from movierec.catalog.v1 import catalog_pb2
from movierec.users.v1 import users_pb2

from kit.auth import sign_access_token
from services.gateway.context import GatewayContext
from services.gateway.document_limits import DEFAULT_MAX_COST, measure_document
from services.gateway.errors import GatewayError
from services.gateway.loaders import comment_batches, load_first_comment_pages
from services.gateway.schema import build_schema

SCHEMA = build_schema()
AUTHOR = users_pb2.User(id="6f1c2b9e-5d4a-4c3b-9a8e-7f6d5c4b3a21", username="ann")


def rpc_error(status: grpc.StatusCode, details: str = "users at 10.1.2.3 is down") -> grpc.aio.AioRpcError:
    return grpc.aio.AioRpcError(status, grpc.aio.Metadata(), grpc.aio.Metadata(), details=details)


def page_of(movie_id: int, size: int, token: str = "") -> users_pb2.ListCommentsResponse:
    """A film's page as the users service would answer it: film m has m % 7 comments, newest first."""
    total = movie_id % 7
    start = 0 if not token else int(token)
    shown = list(range(start, min(total, start + size)))
    more = start + size < total
    return users_pb2.ListCommentsResponse(
        comments=[
            users_pb2.Comment(
                id=f"{movie_id}-{i}", movie_id=movie_id, author=AUTHOR, body=f"on {movie_id}, #{i}",
                created_at=Timestamp(seconds=1_700_000_000 - i),
            )
            for i in shown
        ],
        has_next_page=more,
        next_page_token=str(start + size) if more else "",
        total_count=total,
    )  # fmt: skip


class FakeUsers:
    """The users client's comment reads; `fail_for`: a batch holding that id fails with UNAVAILABLE."""

    def __init__(self, fail_for: int | None = None, drop: int | None = None) -> None:
        self.batches: list[tuple[list[int], int]] = []
        self.lists: list[tuple[int, int, str]] = []
        self.fail_for, self.drop = fail_for, drop

    async def batch_list_comments(self, movie_ids, first_per_movie):
        self.batches.append((list(movie_ids), first_per_movie))
        if self.fail_for in movie_ids:
            raise rpc_error(grpc.StatusCode.UNAVAILABLE)
        return [
            users_pb2.MovieComments(movie_id=m, page=page_of(m, first_per_movie))
            for m in dict.fromkeys(movie_ids) if m != self.drop
        ]  # fmt: skip

    async def list_comments(self, movie_id, page_size, page_token):
        self.lists.append((movie_id, page_size, page_token))
        return page_of(movie_id, page_size, page_token)

    async def rate_movie(self, user_id, movie_id, value, zone):
        return users_pb2.Rating(movie_id=movie_id, value=value, rated_at=Timestamp(seconds=1_700_000_000))

    async def add_comment(self, user_id, movie_id, body, idempotency_key=""):
        return users_pb2.Comment(id="new", movie_id=movie_id, author=AUTHOR, body=body)


class FakeCatalog:
    """search_movies answers films 1..first (first 100: ids 1-100); films by id likewise."""

    def __init__(self) -> None:
        self.searches = 0

    async def search_movies(self, request):
        self.searches += 1
        n = request.page_size
        hits = [catalog_pb2.SearchHit(movie=catalog_pb2.Movie(id=i, title=f"film {i}"), cursor=str(i))
                for i in range(1, n + 1)]  # fmt: skip
        return catalog_pb2.SearchMoviesResponse(hits=hits, total_count=n)

    async def batch_get_movies(self, ids):
        return [catalog_pb2.Movie(id=i, title=f"film {i}") for i in ids]

    async def list_genres(self):
        return catalog_pb2.ListGenresResponse()


KEY = Ed25519PrivateKey.generate()


async def run(query: str, users: FakeUsers, variables: dict | None = None):
    token, _ = sign_access_token(KEY, AUTHOR.id, timedelta(minutes=5))
    ctx = GatewayContext(FakeCatalog(), users=users, public_key=KEY.public_key(), authorization=f"Bearer {token}")
    return await SCHEMA.execute(query, variable_values=variables, context_value=ctx)


def codes(result) -> list[str]:
    return [e.extensions["code"] for e in result.errors or []]


COMMENTS = "comments(first: $n) { totalCount nodes { id body } pageInfo { hasNextPage endCursor } }"


def expected(movie_id: int, size: int) -> dict:
    page = page_of(movie_id, size)
    return {
        "totalCount": page.total_count,
        "nodes": [{"id": c.id, "body": c.body} for c in page.comments],
        "pageInfo": {"hasNextPage": page.has_next_page, "endCursor": page.next_page_token or None},
    }


async def test_comments_of_a_hundred_films_are_one_batch_call():
    users = FakeUsers()
    doc = f"query($n: Int) {{ searchMovies(query: \"x\", first: 100) {{ edges {{ node {{ id {COMMENTS} }} }} }} }}"
    result = await run(doc, users, {"n": 5})
    assert result.errors is None
    nodes = [e["node"] for e in result.data["searchMovies"]["edges"]]
    assert [n["id"] for n in nodes] == [str(i) for i in range(1, 101)]
    assert [n["comments"] for n in nodes] == [expected(i, 5) for i in range(1, 101)]  # each its own, in order
    assert users.batches == [(list(range(1, 101)), 5)] and users.lists == []


async def test_aliases_of_the_same_films_share_the_batch():
    users = FakeUsers()
    # Only the count: the issue's document within the cost limit (document_limits.py).
    search = 'searchMovies(query: "x", first: 100) { edges { node { comments { totalCount } } } }'
    doc = "{ " + " ".join(f"a{i}: {search}" for i in range(30)) + " }"
    result = await run(doc, users)
    assert result.errors is None
    totals = [page_of(i, 20).total_count for i in range(1, 101)]
    assert all([e["node"]["comments"]["totalCount"] for e in result.data[f"a{i}"]["edges"]] == totals
               for i in range(30))  # fmt: skip
    # 3,000 comment fields, 100 distinct films: one call (it was 3,000 ListComments).
    assert [(sorted(ids), n) for ids, n in users.batches] == [(list(range(1, 101)), 20)]


async def test_a_later_page_stays_a_per_film_call():
    users = FakeUsers()
    first = await run('{ movie(id: "6") { comments(first: 2) { pageInfo { endCursor hasPreviousPage } } } }', users)
    cursor = first.data["movie"]["comments"]["pageInfo"]["endCursor"]
    assert cursor and first.data["movie"]["comments"]["pageInfo"]["hasPreviousPage"] is False
    doc = 'query($a: String) { movie(id: "6") { comments(first: 2, after: $a) { nodes { id } pageInfo {' \
          " hasPreviousPage } } } }"  # fmt: skip
    later = await run(doc, users, {"a": cursor})
    assert later.data["movie"]["comments"] == {"nodes": [{"id": "6-2"}, {"id": "6-3"}],
                                               "pageInfo": {"hasPreviousPage": True}}  # fmt: skip
    assert users.lists == [(6, 2, cursor)] and len(users.batches) == 1
    empty_after = await run('{ movie(id: "6") { comments(first: 2, after: "") { totalCount } } }', users)
    assert empty_after.data["movie"]["comments"]["totalCount"] == 6 and len(users.batches) == 2  # "": first page


async def test_a_failed_batch_is_a_coded_error_on_each_film():
    users = FakeUsers(fail_for=3)
    doc = '{ a: movie(id: "3") { title comments { totalCount } } b: movie(id: "4") { title comments { totalCount } } }'
    result = await run(doc, users)
    assert result.data == {"a": None, "b": None}  # comments is non-null: the film's field is null, as before
    assert codes(result) == ["UNAVAILABLE", "UNAVAILABLE"]
    assert "10.1.2.3" not in str([e.formatted for e in result.errors])
    assert len(users.batches) == 1


async def test_a_comment_written_in_the_request_is_read_after_it():
    users = FakeUsers()
    rated = 'rateMovie(movieId: "6", value: 4) { movie { comments { totalCount } } }'
    doc = f'mutation {{ a: {rated} add: addComment(movieId: "6", body: "hi") {{ id }} b: {rated} }}'
    result = await run(doc, users)
    assert result.errors is None
    assert len(users.batches) == 2  # the comments loader forgot film 6 after the write


async def test_bad_arguments_are_refused_before_any_call():
    users = FakeUsers()
    result = await run('{ movie(id: "3") { comments(first: 101) { totalCount } } }', users)
    assert codes(result) == ["BAD_USER_INPUT"] and users.batches == []


# ---------------------------------------------------------------- the loader itself


async def test_pages_come_back_per_key_in_order_one_call_per_page_size():
    users = FakeUsers()
    keys = [(9, 20), (2, 5), (9, 20), (4, 20), (2, 5)]
    pages = await load_first_comment_pages(users, keys)
    assert pages == [page_of(9, 20), page_of(2, 5), page_of(9, 20), page_of(4, 20), page_of(2, 5)]
    assert sorted(users.batches) == [([2], 5), ([9, 4], 20)]


def test_batches_keep_within_the_users_service_limits():
    ids = list(range(1, 101))
    assert comment_batches(ids, 20) == [ids]  # the default page size: 100 films, one call
    assert comment_batches(ids, 50) == [ids]
    assert comment_batches(ids, 100) == [ids[:50], ids[50:]]  # 5,000 comments per call at most
    assert comment_batches(list(range(1, 1201)) + [1], 1) == [list(range(1, 501)), list(range(501, 1001)),
                                                               list(range(1001, 1201))]  # fmt: skip


async def test_a_failed_call_fails_only_its_own_films():
    users = FakeUsers(fail_for=60)
    keys = [(i, 100) for i in range(1, 101)]  # two calls: 1-50 and 51-100
    pages = await load_first_comment_pages(users, keys)
    assert pages[:50] == [page_of(i, 100) for i in range(1, 51)]
    assert all(isinstance(p, grpc.aio.AioRpcError) and p.code() is grpc.StatusCode.UNAVAILABLE for p in pages[50:])
    assert len(users.batches) == 2


async def test_a_film_missing_from_the_answer_is_an_internal_error():
    pages = await load_first_comment_pages(FakeUsers(drop=7), [(6, 20), (7, 20)])
    assert pages[0] == page_of(6, 20)
    assert isinstance(pages[1], GatewayError) and pages[1].code == "INTERNAL"


@pytest.mark.parametrize("n", [1, 20, 100])
async def test_every_film_of_a_search_gets_its_page_at_any_size(n):
    users = FakeUsers()
    doc = f"query($n: Int) {{ searchMovies(query: \"x\", first: 100) {{ edges {{ node {{ id {COMMENTS} }} }} }} }}"
    result = await run(doc, users, {"n": n})
    assert [e["node"]["comments"] for e in result.data["searchMovies"]["edges"]] == [
        expected(i, n) for i in range(1, 101)
    ]
    assert len(users.batches) == (2 if n == 100 else 1)


# ---------------------------------------------------------------- the cost limit weighs comments


@pytest.mark.parametrize("first,cost", [(5, 3 + 5 * 2), (50, 3 + 50 * 2), (None, 3 + 20 * 2)])
def test_the_cost_limit_weighs_a_films_comments_by_their_page(first, cost):
    # movie 1 + comments 1 + nodes (1 + first x (id 1 + body 1)): comments is a list the cost limit weighs.
    arg = f"(first: {first})" if first else ""
    doc = f'{{ movie(id: "1") {{ comments{arg} {{ nodes {{ id body }} }} }} }}'
    assert measure_document(SCHEMA._schema, parse(doc)).cost == cost


def test_the_issues_document_is_over_the_cost_limit_its_count_only_variant_is_batched():
    node = "edges { node { id comments { totalCount nodes { id body } } } }"
    issue = "{ " + " ".join(f'a{i}: searchMovies(query: "q{i}", first: 100) {{ {node} }}' for i in range(30)) + " }"
    assert measure_document(SCHEMA._schema, parse(issue)).cost > DEFAULT_MAX_COST
    # Counts only: within the budget (1 per film's comments), so it runs, and batching is what keeps it
    # from being 3,000 ListComments (test_aliases_of_the_same_films_share_the_batch).
    count_only = issue.replace(" nodes { id body }", "")
    assert measure_document(SCHEMA._schema, parse(count_only)).cost < DEFAULT_MAX_COST
