"""Embedder against the real stack and the real model: vectors in pgvector, event-driven
re-encoding, redelivery, dead letters, crash safety, EncodeText, and semantic sanity."""

from __future__ import annotations

import asyncio
import datetime as dt
import signal
import sys
import uuid

import grpc
import numpy as np
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from movierec.catalog.v1 import catalog_pb2 as pb
from movierec.catalog.v1 import catalog_pb2_grpc
from movierec.catalog.v1 import events_pb2 as catalog_events
from movierec.embedder.v1 import embedder_pb2, embedder_pb2_grpc
from movierec.embedder.v1 import events_pb2 as embedder_events
from nats.js.api import ConsumerConfig, DeliverPolicy

from devstack.procs import stop_pid
from devstack.stack import EMBEDDER
from kit.bus import CATALOG_MOVIE_UPSERTED, publish
from kit.config import REPO_ROOT
from kit.consumer import H_DELIVERIES, H_ERROR, H_MSG_ID, H_SUBJECT
from services.embedder import neighbours
from tests.conftest import TEST_MIN_VOTES
from tests.integration.conftest import eventually

# It kills the embedder mid-batch and swaps its model: runs after the browser flows, alone (tests/conftest.py).
pytestmark = pytest.mark.exclusive

HP_STONE, HP_CHAMBER = 671, 672
NOLAN = {11660, 320, 77, 1124, 272, 49026, 155, 157336, 27205}
INCEPTION = 27205
TEST_IDS = 990_000_000  # films made up by these tests live above this id


@pytest.fixture(scope="module")
async def embedder(stack):
    async with grpc.aio.insecure_channel(stack.addr("embedder")) as ch:
        yield embedder_pb2_grpc.EmbedderServiceStub(ch)


@pytest.fixture(scope="module", autouse=True)
async def _cleanup(pool):
    yield
    async with pool.acquire() as conn, conn.transaction():
        gone = [r[0] for r in await conn.fetch(
            "DELETE FROM embedder.movie_vectors WHERE movie_id >= $1 RETURNING movie_id", TEST_IDS)]
        await neighbours.update(conn, dict.fromkeys(neighbours.AXES, gone))  # out of every list too


def _event(movie: pb.Movie) -> catalog_events.MovieUpserted:
    ts = Timestamp()
    ts.GetCurrentTime()
    return catalog_events.MovieUpserted(event_id=str(uuid.uuid4()), kind=catalog_events.CHANGE_KIND_UPDATED,
                                        movie=movie, occurred_at=ts)


async def _send(nc, movie: pb.Movie) -> catalog_events.MovieUpserted:
    ev = _event(movie)
    await publish(nc.jetstream(), CATALOG_MOVIE_UPSERTED, ev, ev.event_id)
    return ev


async def _row(pool, movie_id: int):
    return await pool.fetchrow("SELECT * FROM embedder.movie_vectors WHERE movie_id = $1", movie_id)


async def test_every_backfilled_film_has_every_axis(pool):
    films = await pool.fetchval("SELECT count(*) FROM catalog.movies WHERE vote_count >= $1", TEST_MIN_VOTES)
    assert films > 1500
    counts = await pool.fetchrow(
        "SELECT count(*) AS n, count(story) AS s, count(people) AS p, count(style) AS st, count(combined) AS c,"
        " count(DISTINCT model) AS models FROM embedder.movie_vectors WHERE movie_id < $1", TEST_IDS)
    assert counts["n"] >= films and counts["n"] == counts["s"] == counts["p"] == counts["st"] == counts["c"]
    assert counts["models"] == 1
    v = (await _row(pool, INCEPTION))["combined"].to_numpy()
    assert v.shape == (384,) and abs(np.linalg.norm(v) - 1) < 1e-3


async def _neighbours(pool, axis: str, movie_id: int, k: int = 10) -> list[int]:
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL hnsw.ef_search = 100")
        rows = await conn.fetch(
            f"SELECT movie_id FROM embedder.movie_vectors WHERE movie_id <> $1"
            f" ORDER BY {axis} <=> (SELECT {axis} FROM embedder.movie_vectors WHERE movie_id = $1) LIMIT $2",
            movie_id, k)
    return [r["movie_id"] for r in rows]


async def test_story_neighbours_of_harry_potter_include_harry_potter(pool):
    hp = {r["id"] for r in await pool.fetch("SELECT id FROM catalog.movies WHERE title LIKE 'Harry Potter%'")}
    assert hp & set(await _neighbours(pool, "story", HP_STONE, 5))


async def test_people_neighbours_of_a_nolan_film_include_nolan(pool):
    assert NOLAN & set(await _neighbours(pool, "people", INCEPTION, 5))


async def assert_neighbour_lists_exact(pool) -> None:
    """Every film's list on every axis against the exact answer from all the vectors now stored: the
    similarities listed are the highest there are, in order, and each is the listed film's own."""
    rows = await pool.fetch("SELECT movie_id, story, people, style, has_people FROM embedder.movie_vectors")
    lists = {(r["movie_id"], r["axis"]): r for r in await pool.fetch("SELECT * FROM embedder.movie_neighbours")}
    for axis in neighbours.AXES:
        on_axis = [r for r in rows if axis != "people" or r["has_people"]]
        ids = np.array([r["movie_id"] for r in on_axis])
        m = neighbours.unit(np.stack([r[axis].to_numpy() for r in on_axis]))
        sims = m @ m.T
        np.fill_diagonal(sims, -np.inf)
        best = -np.sort(-sims, axis=1)
        where = {mid: i for i, mid in enumerate(ids.tolist())}
        assert {k[0] for k in lists if k[1] == axis} == set(where), f"{axis}: a film without a list, or a stray one"
        for mid, i in where.items():
            listed = lists[(mid, axis)]
            n = len(listed["ids"])
            assert n == min(neighbours.LIST_LENGTH, len(ids) - 1), (axis, mid, n)
            assert np.allclose(listed["sims"], best[i, :n], atol=1e-4), (axis, mid)
            assert np.allclose([sims[i, where[o]] for o in listed["ids"]], listed["sims"], atol=1e-4), (axis, mid)


async def test_the_nearest_film_lists_are_exact_and_follow_a_changed_film(stack, nc, pool):
    """The precomputed lists More like this reads: exact after the backfill; a copy of Inception joins the top
    of Inception's story list at once (and Inception tops the copy's), and leaves it when its story changes."""
    await assert_neighbour_lists_exact(pool)
    async with grpc.aio.insecure_channel(stack.addr("catalog")) as ch:
        found = await catalog_pb2_grpc.CatalogServiceStub(ch).BatchGetMovies(
            pb.BatchGetMoviesRequest(ids=[INCEPTION]), timeout=10)
    twin = pb.Movie()
    twin.CopyFrom(found.movies[0])
    twin.id = TEST_IDS + 8  # the same texts: the same vectors
    await _send(nc, twin)

    async def story_list(movie_id: int) -> list[int] | None:
        return await pool.fetchval("SELECT ids FROM embedder.movie_neighbours WHERE movie_id = $1 AND axis = 'story'",
                                   movie_id)

    own = await eventually(lambda: story_list(twin.id), timeout=15)
    assert own[0] == INCEPTION
    assert (await story_list(INCEPTION))[0] == twin.id
    first = (await _row(pool, twin.id))["story_hash"]
    twin.title, twin.tagline = "Nonna's Basil", "Not a dream."
    twin.overview = "Three grandmothers in Naples enter a televised pasta-making contest and bicker about basil."
    del twin.keywords[:]
    twin.keywords.extend(["cooking", "grandmother", "naples"])
    await _send(nc, twin)

    async def retold():
        return (await _row(pool, twin.id))["story_hash"] != first or None

    await eventually(retold, timeout=15)
    assert twin.id not in (await story_list(INCEPTION))[:50]
    await assert_neighbour_lists_exact(pool)


async def test_new_film_gets_vectors_within_seconds_even_without_overview_or_cast(nc, pool):
    movie = pb.Movie(id=TEST_IDS + 1, title="A Film Nobody Described", genres=["Drama"], year=2015,
                     popularity_percentile=3.0, vote_count=4)
    await _send(nc, movie)
    row = await eventually(lambda: _row(pool, movie.id), timeout=15)
    assert all(row[a] is not None for a in ("story", "people", "style", "combined"))
    assert (row["has_story"], row["has_people"]) == (False, False)
    assert row["popularity_percentile"] == 3.0 and row["year"] == 2015


async def test_changed_overview_reencodes_only_that_axis_of_that_film(nc, pool):
    movie = pb.Movie(id=TEST_IDS + 2, title="The Lighthouse Keeper", overview="A keeper tends a lighthouse.",
                     genres=["Drama"], directors=[pb.Person(id=1, name="Ann Director")], year=2001)
    # Subscribed before the first write: its event may be published after its row is visible (the outbox relay
    # runs after the commit), so it is read here first rather than mistaken for the second write's.
    sub = await nc.jetstream().subscribe("embedder.movie.embedded", stream="EMBEDDER",
                                         config=ConsumerConfig(deliver_policy=DeliverPolicy.NEW))

    async def next_event_of_this_film() -> embedder_events.MovieEmbedded:
        while True:
            ev = embedder_events.MovieEmbedded.FromString((await sub.next_msg(timeout=10)).data)
            if ev.movie_id == movie.id:
                return ev

    await _send(nc, movie)
    first = await eventually(lambda: _row(pool, movie.id), timeout=15)
    assert list((await next_event_of_this_film()).axes) == ["story", "people", "style"]  # a new film: every axis
    other_before = await pool.fetchval("SELECT updated_at FROM embedder.movie_vectors WHERE movie_id = $1", INCEPTION)
    movie.overview = "A keeper tends a lighthouse on a storm-battered island and finds a body."
    await _send(nc, movie)

    async def changed():
        r = await _row(pool, movie.id)
        return r if r["story_hash"] != first["story_hash"] else None

    second = await eventually(changed, timeout=15)
    assert (second["people_hash"], second["style_hash"]) == (first["people_hash"], first["style_hash"])
    assert np.allclose(second["people"].to_numpy(), first["people"].to_numpy())
    assert not np.allclose(second["story"].to_numpy(), first["story"].to_numpy())
    assert await pool.fetchval("SELECT updated_at FROM embedder.movie_vectors WHERE movie_id = $1",
                               INCEPTION) == other_before
    assert list((await next_event_of_this_film()).axes) == ["story"]  # the second write's event: only that axis
    await sub.unsubscribe()


async def _embedded_until_sentinel(nc, sub, sentinel_id: int) -> list[int]:
    """Film ids of every MovieEmbedded event up to and including the sentinel film's."""
    await _send(nc, pb.Movie(id=sentinel_id, title=f"Sentinel {sentinel_id}", genres=["Drama"]))
    seen = []
    while True:
        ev = embedder_events.MovieEmbedded.FromString((await sub.next_msg(timeout=20)).data)
        seen.append(ev.movie_id)
        if ev.movie_id == sentinel_id:
            return seen


async def test_redelivery_and_duplicates_do_not_duplicate(nc, pool):
    """The same event three times (under different message ids, as a redelivery would be): one
    write, one MovieEmbedded event."""
    movie = pb.Movie(id=TEST_IDS + 3, title="Twice Told", overview="Told twice.", genres=["Comedy"])
    ev = _event(movie)
    js = nc.jetstream()
    sub = await js.subscribe("embedder.movie.embedded", stream="EMBEDDER",
                             config=ConsumerConfig(deliver_policy=DeliverPolicy.NEW))
    for _ in range(3):
        await js.publish(CATALOG_MOVIE_UPSERTED, ev.SerializeToString(), headers={"Nats-Msg-Id": str(uuid.uuid4())})
    seen = await _embedded_until_sentinel(nc, sub, TEST_IDS + 6)
    await sub.unsubscribe()
    assert seen.count(movie.id) == 1
    assert await _row(pool, movie.id) is not None


async def test_an_older_event_never_overwrites_a_newer_one(nc, pool):
    movie = pb.Movie(id=TEST_IDS + 4, title="Version Two", overview="The newer text.", genres=["Drama"])
    newer = _event(movie)
    older = _event(pb.Movie(id=movie.id, title="Version One", overview="The older text.", genres=["Drama"]))
    older.occurred_at.FromDatetime(dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    js = nc.jetstream()
    await js.publish(CATALOG_MOVIE_UPSERTED, newer.SerializeToString(), headers={"Nats-Msg-Id": newer.event_id})
    row = await eventually(lambda: _row(pool, movie.id), timeout=15)
    sub = await js.subscribe("embedder.movie.embedded", stream="EMBEDDER",
                             config=ConsumerConfig(deliver_policy=DeliverPolicy.NEW))
    await js.publish(CATALOG_MOVIE_UPSERTED, older.SerializeToString(), headers={"Nats-Msg-Id": older.event_id})
    seen = await _embedded_until_sentinel(nc, sub, TEST_IDS + 7)  # the older event was handled before it
    await sub.unsubscribe()
    assert movie.id not in seen
    after = await _row(pool, movie.id)
    assert (after["story_hash"], after["updated_at"]) == (row["story_hash"], row["updated_at"])


async def test_poison_message_goes_to_dead_letter_and_the_service_goes_on(nc, pool):
    js = nc.jetstream()
    sub = await js.subscribe("deadletter.embedder", stream="DEADLETTER",
                             config=ConsumerConfig(deliver_policy=DeliverPolicy.NEW))
    msg_id = str(uuid.uuid4())
    await js.publish(CATALOG_MOVIE_UPSERTED, b"\xff\x00 not protobuf", headers={"Nats-Msg-Id": msg_id})
    dl = await sub.next_msg(timeout=15)
    assert dl.data == b"\xff\x00 not protobuf"   # on its first delivery: never retried
    assert dl.headers[H_SUBJECT] == CATALOG_MOVIE_UPSERTED and dl.headers[H_DELIVERIES] == "1"
    assert dl.headers[H_MSG_ID] == msg_id and "not a MovieUpserted" in dl.headers[H_ERROR]
    await sub.unsubscribe()
    movie = pb.Movie(id=TEST_IDS + 5, title="After The Poison", genres=["Horror"])
    await _send(nc, movie)
    await eventually(lambda: _row(pool, movie.id), timeout=15)


async def test_killed_mid_batch_loses_no_film(stack, nc, pool):
    ids = list(range(TEST_IDS + 100, TEST_IDS + 300))
    for i in ids:
        await _send(nc, pb.Movie(id=i, title=f"Crash Test {i}", overview=f"Film number {i} in a long series "
                                 "about a courier crossing a frozen sea.", genres=["Adventure"]))
    await asyncio.sleep(0.5)
    pid = int(stack.pidfile("embedder").read_text())
    await asyncio.to_thread(stop_pid, pid, 10, signal.SIGKILL)  # kill -9 mid-batch, wait until it is gone
    at_kill = await pool.fetchval(
        "SELECT count(*) FROM embedder.movie_vectors WHERE movie_id = ANY($1::bigint[])", ids)
    assert at_kill < len(ids)  # the kill landed before the work was done (600 texts take seconds)
    await asyncio.to_thread(stack.start_service, EMBEDDER)

    async def all_there():
        n = await pool.fetchval("SELECT count(*) FROM embedder.movie_vectors WHERE movie_id = ANY($1::bigint[])", ids)
        return n == len(ids)

    await eventually(all_there, timeout=120, interval=0.5)


async def test_encode_text_matches_the_film_space(embedder, pool):
    r = await embedder.EncodeText(embedder_pb2.EncodeTextRequest(
        texts=["a boy discovers he is a wizard and goes to a school of magic"]))
    assert r.dimensions == 384 and r.model.startswith("all-MiniLM-L6-v2")
    q = np.asarray(r.vectors[0].values, dtype=np.float32)
    assert abs(np.linalg.norm(q) - 1) < 1e-3
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL hnsw.ef_search = 100")
        top = await conn.fetch("SELECT movie_id FROM embedder.movie_vectors ORDER BY story <=> $1 LIMIT 5", q)
    hp = {r["id"] for r in await pool.fetch("SELECT id FROM catalog.movies WHERE title LIKE 'Harry Potter%'")}
    assert hp & {t["movie_id"] for t in top}


@pytest.mark.parametrize("texts,text", [
    ([], "between 1 and"), ([""], "empty"), (["   "], "empty"), (["x" * 2001], "longer"), (["a"] * 65, "between"),
])
async def test_encode_text_bad_input(embedder, texts, text):
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await embedder.EncodeText(embedder_pb2.EncodeTextRequest(texts=texts))
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT and text in err.value.details()


async def test_filtered_vector_query_returns_the_requested_count(pool):
    """A selective filter (5% of the films) on an HNSW query: without iterative scans pgvector
    filters the ef_search candidates after the scan and returns fewer rows than asked; with
    `hnsw.iterative_scan = relaxed_order`, which every connection gets, it returns them all."""
    ceiling = await pool.fetchval(
        "SELECT percentile_cont(0.05) WITHIN GROUP (ORDER BY popularity_percentile) FROM embedder.movie_vectors"
        " WHERE movie_id < $1", TEST_IDS)
    sql = ("SELECT movie_id, popularity_percentile FROM embedder.movie_vectors WHERE popularity_percentile <= $2"
           " ORDER BY story <=> (SELECT story FROM embedder.movie_vectors WHERE movie_id = $1) LIMIT 20")
    async with pool.acquire() as conn:
        assert await conn.fetchval("SHOW hnsw.iterative_scan") == "relaxed_order"
        # On a table this small the planner may prefer an exact scan (or the popularity index) and a
        # sort; with sorts off, the HNSW index, whose scan comes out ordered, is what answers.
        async with conn.transaction():
            await conn.execute("SET LOCAL enable_sort = off")
            plan = "\n".join(r[0] for r in await conn.fetch("EXPLAIN " + sql, INCEPTION, ceiling))
            rows = await conn.fetch(sql, INCEPTION, ceiling)
        async with conn.transaction():
            await conn.execute("SET LOCAL enable_sort = off;"
                               " SET LOCAL hnsw.iterative_scan = off")
            without = await conn.fetch(sql + " -- no iterative scan", INCEPTION, ceiling)
    assert "movie_vectors_story_hnsw" in plan, plan
    assert len(rows) == 20 and all(r["popularity_percentile"] <= ceiling for r in rows)
    assert len(without) < 20


async def test_the_backfill_leaves_the_migrations_hnsw_indexes(pool):
    """The session's backfill wrote into an empty table without its HNSW indexes and built them at the end
    (store.bulk_load): all four are there, valid, with migration 0001's definition."""
    defs = {r["indexname"]: r["indexdef"] for r in await pool.fetch(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'embedder' AND tablename = 'movie_vectors'")}
    for axis in ("story", "people", "style", "combined"):
        assert defs.get(f"movie_vectors_{axis}_hnsw", "").endswith(
            f"USING hnsw ({axis} vector_cosine_ops) WITH (m='16', ef_construction='64')"), defs
    assert await pool.fetchval("SELECT bool_and(indisvalid AND indisready) FROM pg_index"
                               " WHERE indrelid = 'embedder.movie_vectors'::regclass")


async def test_a_backfill_rebuilds_an_index_a_killed_one_left_missing(pool):
    """A backfill killed between dropping the indexes and building them leaves them missing: the next
    backfill into the (now non-empty) table builds them before it writes, and drops nothing."""
    from services.embedder import store

    async with pool.acquire() as conn:
        assert await store.create_vector_indexes(conn) == []   # all there: nothing to do
        await conn.execute("DROP INDEX embedder.movie_vectors_style_hnsw")
    try:
        async with store.bulk_load(pool) as dropped:
            assert dropped is False
            async with pool.acquire() as conn:
                assert await store.missing_vector_indexes(conn) == []
    finally:
        async with pool.acquire() as conn:
            await store.create_vector_indexes(conn)


async def test_a_backfill_over_current_vectors_computes_the_lists_that_are_missing(stack, pool):
    """A store from before the lists, or a rebuild killed midway: `backfill --if-missing` finds every film
    encoded, encodes nothing, and computes the lists again (what `make up` runs on such a store)."""
    await pool.execute("DELETE FROM embedder.movie_neighbours WHERE movie_id = $1", INCEPTION)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "services.embedder", "backfill", "--if-missing", "--min-votes", str(TEST_MIN_VOTES),
        env=stack.env(), cwd=REPO_ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert proc.returncode == 0, out[-3000:]
    assert b"skipping backfill" in out, out[-3000:]
    assert await pool.fetchval("SELECT count(*) FROM embedder.movie_neighbours WHERE movie_id = $1", INCEPTION) == 3
    await assert_neighbour_lists_exact(pool)
