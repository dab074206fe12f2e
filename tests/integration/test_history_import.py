"""Importing a Letterboxd export or an IMDb CSV, end to end: a GraphQL multipart upload to
/graphql/upload -> gateway -> users service (reading, preview) -> catalogue MatchFilms -> confirm in one
transaction -> the outbox -> JetStream."""

from __future__ import annotations

import io
import json
import uuid
import zipfile

from movierec.catalog.v1 import catalog_pb2
from movierec.users.v1 import events_pb2

from kit.limits import IMPORT_FILE_MAX_BYTES
from tests.integration.conftest import eventually, feedback_events
from tests.integration.test_users_graphql import ok, register

MATRIX, AMELIE = 603, 194
ROWS = ("file line action title year imdbId rating status reason change currentRating movieId"
        " movie { id title year } candidates { id year }")
PREVIEW = ("mutation($f: Upload!) { previewImport(file: $f) { id source fileName counts { rows matched"
           " notInCatalogue ambiguous notAFilm badRows ratingsNew ratingsChanged watchedNew watchlistNew unchanged }"
           f" rows {{ {ROWS} }} }} }}")
CONFIRM = ("mutation($id: ID!) { confirmImport(previewId: $id) { previewId ratingsWritten watchedWritten"
           " watchlistWritten unchanged alreadyConfirmed } }")
STATE = "{ me { state { ratings { movieId value } watchlistIds watchedIds } } }"

IMDB_HEADER = ("Const,Your Rating,Date Rated,Title,Original Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,"
               "Genres,Num Votes,Release Date,Directors")


def imdb_csv(rows: list[str]) -> bytes:
    return ("\ufeff" + IMDB_HEADER + "\r\n" + "\r\n".join(rows) + "\r\n").encode()


def letterboxd_zip(ratings: list[str], watched: list[str], watchlist: list[str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("ratings.csv", "Date,Name,Year,Letterboxd URI,Rating\n" + "".join(r + "\n" for r in ratings))
        z.writestr("watched.csv", "Date,Name,Year,Letterboxd URI\n" + "".join(r + "\n" for r in watched))
        z.writestr("watchlist.csv", "Date,Name,Year,Letterboxd URI\n" + "".join(r + "\n" for r in watchlist))
        z.writestr("profile.csv", "Date Joined,Username\n2020-01-01,someone\n")
    return buf.getvalue()


async def upload(gql, token: str | None, data: bytes, name: str, query: str = PREVIEW,
                 path: str = "/graphql/upload", expect_status: int = 200) -> dict:
    """A GraphQL multipart request (the spec's operations + map + one file)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    r = await gql.client.post(path, headers=headers, data={
        "operations": json.dumps({"query": query, "variables": {"f": None}}),
        "map": json.dumps({"0": ["variables.f"]}),
    }, files={"0": (name, data, "application/octet-stream")})
    assert r.status_code == expect_status, r.text
    if not r.headers.get("content-type", "").startswith("application/json"):
        return {"status": r.status_code, "text": r.text}
    return r.json()


def code(body: dict) -> str:
    assert body.get("errors"), body
    return body["errors"][0]["extensions"]["code"]


async def films_titled(pool, key: str) -> list[tuple[int, int | None]]:
    return [(r["id"], r["year"]) for r in await pool.fetch(
        "SELECT id, year FROM catalog.movies WHERE title_key = catalog.title_key($1) ORDER BY id", key)]


async def an_ambiguous_pair(pool) -> tuple[str, int]:
    """A title and year the catalogue has twice (two films of one title in one year)."""
    row = await pool.fetchrow(
        "SELECT min(title) AS title, year FROM catalog.movies WHERE year IS NOT NULL GROUP BY title_key, year"
        " HAVING count(*) = 2 ORDER BY max(vote_count) DESC LIMIT 1")
    assert row is not None, "the catalogue has no two films of one title in one year"
    return row["title"], row["year"]


async def feedback(nc, user_id: str) -> list[tuple[str, events_pb2.Interaction]]:
    return [(subject, ev) for subject, ev, _ in await feedback_events(nc, {user_id})]


async def test_match_films_folds_titles_articles_accents_and_years(catalog):
    def q(title: str, year: int | None = None, imdb: str = "", original: str = "") -> catalog_pb2.FilmQuery:
        f = catalog_pb2.FilmQuery(title=title, imdb_id=imdb, original_title=original)
        if year is not None:
            f.year = year
        return f

    resp = await catalog.MatchFilms(catalog_pb2.MatchFilmsRequest(queries=[
        q("Whatever", 1990, "tt0133093"), q("The Matrix", 1999), q("Matrix, The", 1999), q("THE  MATRIX!", 1999),
        q("Amelie", 2001), q("Amélie", 2001), q("Amélie", 2000), q("Le Fabuleux Destin d'Amélie Poulain", 2001),
        q("No Such Film Anywhere", 2001), q("The Matrix", 1980),
    ]))
    m = resp.matches
    assert (m[0].movie_id, m[0].matched_by) == (MATRIX, "imdb_id")
    assert [x.movie_id for x in m[1:4]] == [MATRIX] * 3 and m[2].matched_by == "title"
    assert [x.movie_id for x in m[4:8]] == [AMELIE] * 4
    assert m[6].year_off_by_one and "year one off" in m[6].reason
    assert m[7].matched_by == "original_title"
    assert m[8].outcome == catalog_pb2.MATCH_OUTCOME_NOT_FOUND
    assert m[9].outcome == catalog_pb2.MATCH_OUTCOME_NOT_FOUND and "1999" in m[9].reason


async def test_imdb_preview_then_confirm_then_reimport_changes_nothing(api, gql, pool, nc):
    reg = await register(api)
    t, uid = reg["accessToken"], reg["user"]["id"]
    data = imdb_csv([
        "tt0133093,9,2021-03-04,The Matrix,The Matrix,https://www.imdb.com/title/tt0133093/,movie,8.7,136,1999,"
        '"Action, Sci-Fi",2000000,1999-03-31,"Lana Wachowski, Lilly Wachowski"',
        "tt9999991,7,2021-03-05,Amelie,,https://www.imdb.com/title/tt9999991/,movie,8.3,122,2001,Comedy,1,2001-04-25,",
        "tt9999992,6,2021-03-06,No Such Film Anywhere,,u,movie,5,90,2001,Drama,1,,",
        "tt0903747,10,2020-01-02,Breaking Bad,,u,tvSeries,9.5,49,2008,Drama,2100000,2008-01-20,",
        "tt0000001,15,2020-01-02,Too High,,u,movie,5,90,2008,Drama,1,,",
    ])
    before = await feedback(nc, uid)
    p = ok(await upload(gql, t, data, "ratings.csv"))["previewImport"]
    assert p["source"] == "imdb" and p["fileName"] == "ratings.csv"
    assert p["counts"] == {"rows": 5, "matched": 2, "notInCatalogue": 1, "ambiguous": 0, "notAFilm": 1, "badRows": 1,
                           "ratingsNew": 2, "ratingsChanged": 0, "watchedNew": 0, "watchlistNew": 0, "unchanged": 0}
    matrix, amelie, missing, series, bad = p["rows"]
    assert (matrix["status"], matrix["movieId"], matrix["rating"], matrix["change"]) == ("MATCHED", "603", 4.5, "NEW")
    assert "IMDb id" in matrix["reason"] and matrix["movie"]["title"] == "The Matrix"
    assert (amelie["status"], amelie["movieId"], amelie["rating"]) == ("MATCHED", str(AMELIE), 3.5)
    assert "not in the catalogue" in amelie["reason"]
    assert missing["status"] == "NOT_IN_CATALOGUE" and missing["change"] is None
    assert series["status"] == "NOT_A_FILM" and "tvSeries" in series["reason"]
    assert bad["status"] == "BAD_ROW" and bad["line"] == 6
    # a preview writes nothing
    assert ok(await api(STATE, token=t))["me"]["state"]["ratings"] == []

    s = ok(await api(CONFIRM, {"id": p["id"]}, token=t))["confirmImport"]
    assert (s["ratingsWritten"], s["watchedWritten"], s["watchlistWritten"], s["alreadyConfirmed"]) == (2, 0, 0, False)
    ratings = ok(await api(STATE, token=t))["me"]["state"]["ratings"]
    assert sorted((r["movieId"], r["value"]) for r in ratings) == [(str(AMELIE), 3.5), ("603", 4.5)]
    rated_at = await pool.fetchval("SELECT rated_at FROM users.ratings WHERE user_id = $1 AND movie_id = 603", uid)
    assert rated_at.isoformat().startswith("2021-03-04T12:00")  # the file's date
    # the same events as two rateMovie calls
    evs = await eventually(lambda: _more(nc, uid, len(before) + 2))
    new = evs[len(before):]
    assert sorted((s, e.movie_id, e.value) for s, e in new) == [
        ("feedback.browse.rated", AMELIE, 3.5), ("feedback.browse.rated", MATRIX, 4.5)]

    # the same preview again: the first summary, nothing written
    again = ok(await api(CONFIRM, {"id": p["id"]}, token=t))["confirmImport"]
    assert again["alreadyConfirmed"] is True and again["ratingsWritten"] == 2
    # the same file again: every matched row unchanged, nothing written, no event
    p2 = ok(await upload(gql, t, data, "ratings.csv"))["previewImport"]
    assert p2["counts"]["ratingsNew"] == 0 and p2["counts"]["unchanged"] == 2
    assert [r["change"] for r in p2["rows"][:2]] == ["UNCHANGED", "UNCHANGED"]
    s2 = ok(await api(CONFIRM, {"id": p2["id"]}, token=t))["confirmImport"]
    assert (s2["ratingsWritten"], s2["unchanged"]) == (0, 0)
    assert len(await feedback(nc, uid)) == len(before) + 2


async def _more(nc, uid: str, n: int):
    evs = await feedback(nc, uid)
    return evs if len(evs) >= n else None


async def test_letterboxd_zip_ratings_watched_watchlist(api, gql, pool, nc):
    reg = await register(api)
    t, uid = reg["accessToken"], reg["user"]["id"]
    ok(await api(f'mutation {{ addToWatchlist(movieId: "{MATRIX}") }}', token=t))
    ok(await api('mutation { rateMovie(movieId: "194", value: 2) { value } }', token=t))
    title, year = await an_ambiguous_pair(pool)
    data = letterboxd_zip(
        ratings=["2022-01-01,\"Matrix, The\",1999,https://boxd.it/a,5", "2022-01-02,Amélie,2001,https://boxd.it/b,4.5",
                 "2022-01-03,Nobody Made This One,1999,https://boxd.it/c,3",
                 f'2022-01-04,"{title}",{year},https://boxd.it/e,2'],
        watched=["2022-01-01,\"Matrix, The\",1999,https://boxd.it/a", "2022-01-02,Amelie,2001,https://boxd.it/b"],
        watchlist=["2022-01-05,Fight Club,1999,https://boxd.it/d", "2022-01-05,The Matrix,1999,https://boxd.it/a"],
    )
    before = await eventually(lambda: _more(nc, uid, 2))  # the two clicks' events are out
    p = ok(await upload(gql, t, data, "letterboxd-someone-2022.zip"))["previewImport"]
    assert p["source"] == "letterboxd"
    c = p["counts"]
    assert (c["rows"], c["matched"], c["notInCatalogue"], c["ratingsNew"], c["ratingsChanged"], c["watchedNew"],
            c["watchlistNew"], c["ambiguous"]) == (8, 6, 1, 1, 1, 2, 1, 1)
    by = {(r["file"], r["title"]): r for r in p["rows"]}
    amb = by[("ratings.csv", title)]
    assert amb["status"] == "AMBIGUOUS" and len(amb["candidates"]) == 2 and amb["change"] is None
    assert by[("ratings.csv", "Amélie")]["change"] == "CHANGED" and by[("ratings.csv", "Amélie")]["currentRating"] == 2
    assert by[("watchlist.csv", "The Matrix")]["change"] == "SKIPPED"
    s = ok(await api(CONFIRM, {"id": p["id"]}, token=t))["confirmImport"]
    assert (s["ratingsWritten"], s["watchedWritten"], s["watchlistWritten"]) == (2, 2, 1)
    st = ok(await api(STATE, token=t))["me"]["state"]
    assert sorted((r["movieId"], r["value"]) for r in st["ratings"]) == [(str(AMELIE), 4.5), ("603", 5.0)]
    assert sorted(st["watchedIds"]) == sorted([str(MATRIX), str(AMELIE)])
    assert st["watchlistIds"] == ["550"]  # the Matrix left it: watched
    evs = (await eventually(lambda: _more(nc, uid, len(before) + 5)))[len(before):]
    assert sorted(s for s, _ in evs) == ["feedback.browse.rated"] * 2 + ["feedback.browse.watched"] * 2 + [
        "feedback.browse.watchlisted"]
    # re-import: nothing
    p2 = ok(await upload(gql, t, data, "letterboxd-someone-2022.zip"))["previewImport"]
    assert p2["counts"]["ratingsNew"] + p2["counts"]["ratingsChanged"] + p2["counts"]["watchedNew"] + \
        p2["counts"]["watchlistNew"] == 0
    s2 = ok(await api(CONFIRM, {"id": p2["id"]}, token=t))["confirmImport"]
    assert (s2["ratingsWritten"], s2["watchedWritten"], s2["watchlistWritten"]) == (0, 0, 0)
    assert len(await feedback(nc, uid)) == len(before) + 5


async def test_bad_files_are_refused_and_write_nothing(api, gql, pool):
    reg = await register(api)
    t, uid = reg["accessToken"], reg["user"]["id"]
    bad_zip = await upload(gql, t, b"PK\x03\x04 this is no zip", "export.zip")
    assert code(bad_zip) == "BAD_USER_INPUT" and "not a readable zip" in bad_zip["errors"][0]["message"]
    bad_csv = await upload(gql, t, b"name,score\nx,1\n", "ratings.csv")
    assert code(bad_csv) == "BAD_USER_INPUT" and "not an IMDb export" in bad_csv["errors"][0]["message"]
    no_export = await upload(gql, t, letterboxd_zip([], [], [])[:0] or b"PK\x05\x06" + b"\x00" * 18, "empty.zip")
    assert code(no_export) == "BAD_USER_INPUT"
    big = await upload(gql, t, b"x" * (IMPORT_FILE_MAX_BYTES + 1), "big.csv")
    assert code(big) == "BAD_USER_INPUT"
    assert big["errors"][0]["extensions"]["limit"] == "importFileBytes"
    assert big["errors"][0]["extensions"]["allowed"] == IMPORT_FILE_MAX_BYTES
    huge = await upload(gql, t, b"x" * (IMPORT_FILE_MAX_BYTES + 200_000), "huge.csv", expect_status=413)
    assert huge == {"status": 413, "text": "Content Too Large"}  # refused before any GraphQL work
    # the upload route takes only multipart; /graphql takes no upload
    r = await gql.client.post("/graphql/upload", json={"query": "{ __typename }"})
    assert r.status_code == 400 and r.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    not_here = await upload(gql, t, b"Const,Title\n", "ratings.csv", path="/graphql", expect_status=400)
    assert code(not_here) == "BAD_USER_INPUT"  # /graphql takes no multipart
    as_json = await api(PREVIEW, {"f": "Const,Title"}, token=t)
    assert code(as_json) == "BAD_USER_INPUT" and "multipart" in as_json["errors"][0]["message"]
    anonymous = await upload(gql, None, imdb_csv([]), "ratings.csv")
    assert code(anonymous) == "UNAUTHENTICATED"
    unknown = await api(CONFIRM, {"id": str(uuid.uuid4())}, token=t)
    assert code(unknown) == "NOT_FOUND"
    assert code(await api(CONFIRM, {"id": "nope"}, token=t)) == "BAD_USER_INPUT"
    assert await pool.fetchval("SELECT count(*) FROM users.import_previews WHERE user_id = $1", uid) == 0
    st = ok(await api(STATE, token=t))["me"]["state"]
    assert st == {"ratings": [], "watchlistIds": [], "watchedIds": []}


async def test_someone_elses_preview_is_not_found(api, gql):
    a, b = await register(api), await register(api)
    p = ok(await upload(gql, a["accessToken"], imdb_csv([
        "tt0133093,9,2021-03-04,The Matrix,,u,movie,8.7,136,1999,,1,,"]), "ratings.csv"))["previewImport"]
    assert code(await api(CONFIRM, {"id": p["id"]}, token=b["accessToken"])) == "NOT_FOUND"
    assert ok(await api(STATE, token=b["accessToken"]))["me"]["state"]["ratings"] == []


async def interactions_in_outbox_since(pool, last_id: int, user_id: str) -> list[events_pb2.Interaction]:
    """The user's Interaction events the outbox gained after row `last_id`."""
    rows = await pool.fetch("SELECT payload FROM users.outbox WHERE id > $1 AND proto_type = $2",
                            last_id, events_pb2.Interaction.DESCRIPTOR.full_name)
    found = [events_pb2.Interaction.FromString(r["payload"]) for r in rows]
    return [e for e in found if e.user_id == user_id]


async def test_a_confirm_that_fails_half_way_writes_nothing(api, gql, pool, nc):
    """All or nothing: a preview whose last action cannot be written (made so in the database: a film id
    the watchlist's CHECK refuses) leaves no rating, no watched mark, no event and the preview open."""
    reg = await register(api)
    t, uid = reg["accessToken"], reg["user"]["id"]
    data = letterboxd_zip(ratings=["2022-01-01,The Matrix,1999,https://boxd.it/a,4"],
                          watched=["2022-01-01,The Matrix,1999,https://boxd.it/a"],
                          watchlist=["2022-01-05,Fight Club,1999,https://boxd.it/d"])
    p = ok(await upload(gql, t, data, "export.zip"))["previewImport"]
    await pool.execute(
        "UPDATE users.import_previews SET actions = actions || '[[\"watchlist\", -5, null, null]]'::jsonb"
        " WHERE id = $1", uuid.UUID(p["id"]))
    # the browser flows write to the same outbox meanwhile: only this user's events count
    outbox_last = await pool.fetchval("SELECT coalesce(max(id), 0) FROM users.outbox")
    failed = await api(CONFIRM, {"id": p["id"]}, token=t)
    assert code(failed) == "INTERNAL"
    st = ok(await api(STATE, token=t))["me"]["state"]
    assert st == {"ratings": [], "watchlistIds": [], "watchedIds": []}
    assert await interactions_in_outbox_since(pool, outbox_last, uid) == []
    assert await pool.fetchval("SELECT confirmed_at FROM users.import_previews WHERE id = $1",
                               uuid.UUID(p["id"])) is None
    assert await feedback(nc, uid) == []
