"""Catalogue service against the real stack: ingestion, outbox delivery, search, gRPC errors."""

from __future__ import annotations

import asyncio
import csv
import shutil
import uuid
from pathlib import Path

import asyncpg
import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from movierec.catalog.v1 import catalog_pb2 as pb
from movierec.catalog.v1 import events_pb2
from nats.js.api import ConsumerConfig, DeliverPolicy

from kit import db, outbox
from kit.bus import CATALOG_MOVIE_UPSERTED
from kit.migrate import upgrade
from services.catalog import search
from services.catalog.ingest.loader import ingest
from tests.integration.conftest import eventually

# It re-ingests and changes films, stops NATS: runs after the browser flows, alone (tests/conftest.py).
pytestmark = pytest.mark.exclusive

GODFATHER, GODFATHER_II, JURASSIC_PARK = 238, 240, 329


async def test_catalogue_is_loaded(pool):
    assert await pool.fetchval("SELECT count(*) FROM catalog.movies") >= 15_000
    assert await pool.fetchval("SELECT count(*) FROM catalog.movielens_links") > 9_700
    # People, genres, keywords and companies are normalised, each film links to them in order.
    row = await pool.fetchrow(
        "SELECT array_agg(p.name ORDER BY mp.ord) AS cast FROM catalog.movie_people mp"
        " JOIN catalog.people p ON p.id = mp.person_id WHERE mp.movie_id = $1 AND mp.role = 'cast'", GODFATHER)
    assert row["cast"][:2] == ["Marlon Brando", "Al Pacino"]
    pcts = await pool.fetchrow(
        "SELECT min(popularity_percentile) lo, max(popularity_percentile) hi FROM catalog.movies")
    assert (pcts["lo"], pcts["hi"]) == (0, 100)
    runs = await pool.fetchval("SELECT count(*) FROM catalog.ingest_runs")
    assert runs >= 1


async def test_reingest_changes_nothing(pool, data_dir):
    before = await pool.fetch("SELECT id, content_hash, updated_at FROM catalog.movies ORDER BY id")
    outbox_before = await pool.fetchval("SELECT count(*) FROM catalog.outbox")
    stats = await ingest(pool, data_dir)
    assert (stats.created, stats.updated) == (0, 0)
    assert stats.unchanged == stats.films_in_sources
    assert stats.links_changed == 0
    assert await pool.fetch("SELECT id, content_hash, updated_at FROM catalog.movies ORDER BY id") == before
    assert await pool.fetchval("SELECT count(*) FROM catalog.outbox") == outbox_before


async def test_every_film_event_reaches_jetstream(pool, nc):
    films = await pool.fetchval("SELECT count(*) FROM catalog.movies")

    async def drained():
        return await pool.fetchval("SELECT count(*) = 0 FROM catalog.outbox WHERE published_at IS NULL")

    await eventually(drained, timeout=60)
    js = nc.jetstream()
    info = await js.stream_info("CATALOG", subjects_filter=CATALOG_MOVIE_UPSERTED)
    assert info.state.subjects[CATALOG_MOVIE_UPSERTED] >= films
    # One message is a well-formed protobuf event carrying a whole film.
    sub = await js.pull_subscribe(CATALOG_MOVIE_UPSERTED, durable=None, stream="CATALOG",
                                  config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL))
    msg = (await sub.fetch(1, timeout=5))[0]
    ev = events_pb2.MovieUpserted.FromString(msg.data)
    assert ev.movie.id > 0 and ev.movie.title and ev.event_id == msg.headers["Nats-Msg-Id"]
    assert msg.headers["Content-Type"].endswith("movierec.catalog.v1.MovieUpserted")
    await sub.unsubscribe()


def _copy_data_with_vote_change(src: Path, dst: Path, movie_id: int, vote_count: int) -> None:
    shutil.copytree(src, dst)
    top = dst / "tmdb-top10k" / "top10K-TMDB-movies.csv"
    with open(top, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    id_col, votes_col = header.index("id"), header.index("vote_count")
    for r in rows[1:]:
        if r[id_col] == str(movie_id):
            r[votes_col] = str(vote_count)
    with open(top, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


async def test_changed_film_is_updated_and_published(pool, nc, data_dir, tmp_path):
    old_votes = await pool.fetchval("SELECT vote_count FROM catalog.movies WHERE id = $1", GODFATHER)
    changed_dir = tmp_path / "data"
    _copy_data_with_vote_change(data_dir, changed_dir, GODFATHER, old_votes + 1)
    js = nc.jetstream()
    # Read the stream itself, not through a consumer: an ephemeral push consumer once received nothing
    # for 30 s while the outbox row was marked published 3 s after the ingest (the ingest blocks this
    # event loop for seconds, during which the consumer's interest may lapse).
    before = (await js.stream_info("CATALOG")).state.last_seq

    async def published_event():
        last = await js.get_last_msg("CATALOG", CATALOG_MOVIE_UPSERTED)
        return events_pb2.MovieUpserted.FromString(last.data) if last.seq > before else None
    try:
        stats = await ingest(pool, changed_dir)
        assert (stats.created, stats.updated) == (0, 1)
        ev = await eventually(published_event, timeout=30)
        assert ev.kind == events_pb2.CHANGE_KIND_UPDATED
        assert (ev.movie.id, ev.movie.vote_count) == (GODFATHER, old_votes + 1)
    finally:
        restored = await ingest(pool, data_dir)
    assert (restored.created, restored.updated) == (0, 1)
    assert await pool.fetchval("SELECT vote_count FROM catalog.movies WHERE id = $1", GODFATHER) == old_votes


async def test_failed_ingest_leaves_no_partial_catalogue(stack, data_dir):
    """A failure half-way (here: a trigger that rejects the 5,000th film) rolls everything back."""
    name = f"atomic_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(stack.database_url.rsplit("/", 1)[0] + "/postgres")
    await admin.execute(f"CREATE DATABASE {name}")
    url = stack.database_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        await asyncio.to_thread(upgrade, "catalog", url)
        p = await db.create_pool(url, 1, 2)
        try:
            await p.execute(
                """CREATE FUNCTION catalog.fail_late() RETURNS trigger LANGUAGE plpgsql AS $$
                   BEGIN
                     IF (SELECT count(*) FROM catalog.movies) >= 5000 THEN RAISE EXCEPTION 'disk full'; END IF;
                     RETURN NEW;
                   END $$;
                   CREATE TRIGGER fail_late AFTER INSERT ON catalog.movie_genres
                     FOR EACH STATEMENT EXECUTE FUNCTION catalog.fail_late();"""
            )
            with pytest.raises(asyncpg.RaiseError, match="disk full"):
                await ingest(p, data_dir)
            assert await p.fetchval("SELECT count(*) FROM catalog.movies") == 0
            assert await p.fetchval("SELECT count(*) FROM catalog.outbox") == 0
            assert await p.fetchval("SELECT count(*) FROM catalog.ingest_runs") == 0
        finally:
            await p.close()
    finally:
        await admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
        await admin.close()


async def test_outbox_survives_a_nats_outage(stack, pool, nc, catalog):
    """Events written while NATS is down are published once it is back, exactly once."""
    event_id = f"test-{uuid.uuid4()}"
    ev = events_pb2.MovieUpserted(event_id=event_id, kind=events_pb2.CHANGE_KIND_UPDATED,
                                  movie=pb.Movie(id=GODFATHER, title="The Godfather"))
    stack.nats.stop()
    try:
        async with pool.acquire() as conn, conn.transaction():
            await outbox.enqueue(conn, "catalog", "catalog.movie.test", ev, event_id)
        await asyncio.sleep(1.5)  # the relay tries and fails meanwhile
        pending = await pool.fetchval("SELECT published_at IS NULL FROM catalog.outbox WHERE event_id = $1", event_id)
        assert pending
        # The catalogue keeps answering reads while the bus is down.
        assert (await catalog.GetMovie(pb.GetMovieRequest(id=GODFATHER))).id == GODFATHER
    finally:
        stack.nats.start()

    async def published():
        return await pool.fetchval("SELECT published_at IS NOT NULL FROM catalog.outbox WHERE event_id = $1", event_id)

    await eventually(published, timeout=30)
    js = nc.jetstream()

    async def stream_has_it():
        info = await js.stream_info("CATALOG", subjects_filter="catalog.movie.test")
        return info.state.subjects and info.state.subjects.get("catalog.movie.test")

    assert await eventually(stream_has_it, timeout=10) == 1
    msg = await js.get_last_msg("CATALOG", "catalog.movie.test")
    assert msg.headers["Nats-Msg-Id"] == event_id
    # Publishing the same event id again (a relay crash after publish, before marking) is de-duplicated.
    ack = await js.publish("catalog.movie.test", ev.SerializeToString(), headers={"Nats-Msg-Id": event_id})
    assert ack.duplicate
    await js.purge_stream("CATALOG", subject="catalog.movie.test")


# --- search quality -----------------------------------------------------------------------

async def _search(catalog, query="", **kw) -> pb.SearchMoviesResponse:
    return await catalog.SearchMovies(pb.SearchMoviesRequest(query=query, **kw))


@pytest.mark.parametrize("query", ["godfather", "the godfather", "The Godfather", "  GODFATHER "])
async def test_godfather_first(catalog, query):
    r = await _search(catalog, query, page_size=5)
    assert r.hits[0].movie.id == GODFATHER
    assert GODFATHER_II in [h.movie.id for h in r.hits]


@pytest.mark.parametrize("query,expected", [
    ("jurasic park", JURASSIC_PARK),          # missing letter
    ("jurassic prak", JURASSIC_PARK),         # swapped letters
    ("godfathr", GODFATHER),
    ("shawshank redemtion", 278),
    ("interstelar", 157336),
])
async def test_typos_still_find_the_film(catalog, query, expected):
    r = await _search(catalog, query, page_size=3)
    assert r.hits and r.hits[0].movie.id == expected, [(h.movie.id, h.movie.title) for h in r.hits]


@pytest.mark.parametrize("sort", [pb.SORT_BY_UNSPECIFIED, pb.SORT_BY_RATING])
async def test_person_hits_name_the_credit_that_ranked_them(catalog, pool, sort):
    """SearchHit.matched_person: Tom Hanks's own credit on each film (role, billing as in movie_people, 0 for
    a director), and the hit's score is that credit's person score (an exact name: strength 1), in any sort."""
    r = await _search(catalog, "tom hanks", page_size=10, sort=sort)
    hanks = await pool.fetchval("SELECT id FROM catalog.people WHERE name = 'Tom Hanks'")
    assert len(r.hits) == 10
    for h in r.hits:
        assert h.HasField("matched_person"), h.movie.title
        mp = h.matched_person
        assert (mp.person.id, mp.person.name) == (hanks, "Tom Hanks")
        credits = {row["role"]: row["ord"] for row in await pool.fetch(
            "SELECT role, ord FROM catalog.movie_people WHERE movie_id = $1 AND person_id = $2", h.movie.id, hanks)}
        assert mp.role in credits and mp.billing == (0 if mp.role == "director" else credits["cast"])
        assert h.score == pytest.approx(search.person_score(1.0, mp.role, mp.billing or 1, h.movie.vote_count))


async def test_title_hits_name_no_person(catalog):
    for query in ("godfather", "jurassic park", "tom horn"):
        r = await _search(catalog, query, page_size=3)
        assert not r.hits[0].HasField("matched_person"), (query, r.hits[0])
    browse = await _search(catalog, "", page_size=5)
    assert not any(h.HasField("matched_person") for h in browse.hits)


async def test_overview_words_match(catalog):
    r = await _search(catalog, "corleone crime family", page_size=10)
    assert GODFATHER in [h.movie.id for h in r.hits]


async def test_browse_with_filters_and_sorts(catalog):
    flt = pb.MovieFilter(genres=["Horror"], year_from=1980, year_to=1989, min_votes=100)
    r = await _search(catalog, filter=flt, sort=pb.SORT_BY_RATING, page_size=20)
    assert r.total_count > 20
    for h in r.hits:
        assert "Horror" in h.movie.genres and 1980 <= h.movie.year <= 1989 and h.movie.vote_count >= 100
    ids = [h.movie.id for h in r.hits]
    by_year = await _search(catalog, filter=flt, sort=pb.SORT_BY_YEAR, page_size=20)
    years = [h.movie.year for h in by_year.hits]
    assert years == sorted(years, reverse=True)
    lang = await _search(catalog, filter=pb.MovieFilter(language="ko"), page_size=10)
    assert lang.total_count > 10 and all(h.movie.original_language == "ko" for h in lang.hits)
    short = await _search(catalog, filter=pb.MovieFilter(runtime_max=80, runtime_min=60), page_size=10)
    assert all(60 <= h.movie.runtime_minutes <= 80 for h in short.hits)
    assert ids  # non-empty page


async def test_browse_by_popularity_starts_with_the_most_voted(catalog, pool):
    r = await _search(catalog, sort=pb.SORT_BY_POPULARITY, page_size=5)
    top = await pool.fetch("SELECT id FROM catalog.movies ORDER BY vote_count DESC, id DESC LIMIT 5")
    assert [h.movie.id for h in r.hits][0] == top[0]["id"]
    pcts = [h.movie.popularity_percentile for h in r.hits]
    assert pcts == sorted(pcts, reverse=True) and pcts[0] == 100


async def test_cursor_pagination_walks_every_result_once(catalog):
    flt = pb.MovieFilter(genres=["Western"], year_from=1960, year_to=1969)
    first = await _search(catalog, filter=flt, page_size=7)
    seen, token, pages = [h.movie.id for h in first.hits], first.next_page_token, 1
    while token:
        page = await _search(catalog, filter=flt, page_size=7, page_token=token)
        seen += [h.movie.id for h in page.hits]
        token, pages = page.next_page_token, pages + 1
        assert page.total_count == first.total_count
    assert len(seen) == len(set(seen)) == first.total_count and pages > 2
    # Relevance-sorted pages too.
    q1 = await _search(catalog, "star", page_size=10)
    q2 = await _search(catalog, "star", page_size=10, page_token=q1.next_page_token)
    assert not {h.movie.id for h in q1.hits} & {h.movie.id for h in q2.hits}
    assert q2.hits[0].score <= q1.hits[-1].score


async def test_batch_get_keeps_order_and_reports_missing(catalog):
    r = await catalog.BatchGetMovies(pb.BatchGetMoviesRequest(ids=[JURASSIC_PARK, 999_999_999, GODFATHER]))
    assert [m.id for m in r.movies] == [JURASSIC_PARK, GODFATHER]
    assert list(r.missing_ids) == [999_999_999]


async def test_genres_listed_with_counts(catalog):
    r = await catalog.ListGenres(pb.ListGenresRequest())
    genres = {g.name: g.movie_count for g in r.genres}
    assert genres["Drama"] > 5000 and "Science Fiction" in genres and len(genres) >= 19


async def test_movielens_mapping(catalog):
    r = await catalog.MapMovieLensIds(pb.MapMovieLensIdsRequest(movielens_ids=[1, 858]))
    assert {(link.movielens_id, link.tmdb_id) for link in r.links} == {(1, 862), (858, GODFATHER)}
    assert all(link.in_catalogue for link in r.links)


@pytest.mark.parametrize("call,request_msg,code,text", [
    ("GetMovie", pb.GetMovieRequest(id=999_999_999), grpc.StatusCode.NOT_FOUND, "no film"),
    ("GetMovie", pb.GetMovieRequest(id=-3), grpc.StatusCode.INVALID_ARGUMENT, "positive"),
    ("SearchMovies", pb.SearchMoviesRequest(page_token="not-a-cursor!"), grpc.StatusCode.INVALID_ARGUMENT, "malformed"),
    ("SearchMovies", pb.SearchMoviesRequest(page_size=101), grpc.StatusCode.INVALID_ARGUMENT, "page_size"),
    ("SearchMovies", pb.SearchMoviesRequest(page_size=-1), grpc.StatusCode.INVALID_ARGUMENT, "page_size"),
    ("SearchMovies", pb.SearchMoviesRequest(query="x" * 201), grpc.StatusCode.INVALID_ARGUMENT, "longer"),
    ("SearchMovies", pb.SearchMoviesRequest(filter=pb.MovieFilter(genres=["Nope"])),
     grpc.StatusCode.INVALID_ARGUMENT, "unknown genre"),
    ("SearchMovies", pb.SearchMoviesRequest(filter=pb.MovieFilter(language="english")),
     grpc.StatusCode.INVALID_ARGUMENT, "ISO 639-1"),
    ("SearchMovies", pb.SearchMoviesRequest(filter=pb.MovieFilter(year_from=2000, year_to=1990)),
     grpc.StatusCode.INVALID_ARGUMENT, "after"),
    ("BatchGetMovies", pb.BatchGetMoviesRequest(ids=list(range(1, 502))), grpc.StatusCode.INVALID_ARGUMENT, "500"),
])
async def test_bad_requests_get_clear_statuses(catalog, call, request_msg, code, text):
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await getattr(catalog, call)(request_msg)
    assert err.value.code() == code
    assert text in err.value.details()


async def test_cursor_from_another_query_is_rejected(catalog):
    r = await _search(catalog, "star", page_size=2)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await _search(catalog, "alien", page_size=2, page_token=r.next_page_token)
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_health_and_reflection(stack):
    async with grpc.aio.insecure_channel(stack.addr("catalog")) as ch:
        health = health_pb2_grpc.HealthStub(ch)
        for svc in ("", "movierec.catalog.v1.CatalogService"):
            r = await health.Check(health_pb2.HealthCheckRequest(service=svc))
            assert r.status == health_pb2.HealthCheckResponse.SERVING
