"""The recommendation zones end to end: GraphQL -> gateway -> recommender -> pgvector, the users
service, the trained model; feedback through the real NATS path."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import grpc
import pytest
from movierec.recommender.v1 import recommender_pb2 as pb
from movierec.recommender.v1 import recommender_pb2_grpc

from kit import auth
from kit.config import REPO_ROOT
from services.embedder import neighbours
from services.recommender import gem_ceiling, quality
from tests.integration.conftest import FEEDBACK_S, eventually
from tests.integration.test_users_graphql import code, ok, register

# It stops and restarts the recommender, swaps its model under load:
# it runs after the browser flows, alone (tests/conftest.py).
pytestmark = pytest.mark.exclusive

GODFATHER, GODFATHER_II = 238, 240
REC = "movie { id title popularityPercentile } score zone reasons { kind text movies { id } people genres }"


async def _films(api, ids) -> dict[str, dict]:
    doc = "{ " + " ".join(f'm{i}: movie(id: "{i}") {{ id title genres directors {{ name }} cast {{ name }} }}'
                          for i in ids) + " }"
    data = ok(await api(doc))
    return {v["id"]: v for v in data.values()}


async def _rate(api, token, movie_id, value, zone="BROWSE"):
    ok(await api(f'mutation {{ rateMovie(movieId: "{movie_id}", value: {value}, zone: {zone}) {{ value }} }}',
                 token=token))


async def test_similar_names_real_shared_people(api):
    recs = ok(await api(f'{{ similar(movieId: "{GODFATHER}", first: 10) {{ {REC} }} }}'))["similar"]
    assert len(recs) == 10
    ids = [r["movie"]["id"] for r in recs]
    assert str(GODFATHER) not in ids and len(set(ids)) == 10
    assert str(GODFATHER_II) in ids[:5]
    assert all(r["zone"] == "SIMILAR" and r["reasons"] for r in recs)
    films = await _films(api, [GODFATHER, *ids])
    anchor = films[str(GODFATHER)]
    anchor_people = {p["name"] for p in anchor["directors"] + anchor["cast"]}
    checked = 0
    for r in recs:
        film = films[r["movie"]["id"]]
        for reason in r["reasons"]:
            if reason["kind"] == "SHARED_DIRECTOR":
                assert set(reason["people"]) <= {d["name"] for d in film["directors"]} & {
                    d["name"] for d in anchor["directors"]}
                checked += 1
            if reason["kind"] == "SHARED_CAST":
                assert set(reason["people"]) <= {c["name"] for c in film["cast"]} & anchor_people
                checked += 1
            if reason["kind"] == "SHARED_GENRES":
                assert set(reason["genres"]) <= set(film["genres"]) & set(anchor["genres"])
    assert checked >= 2  # Part II shares Coppola and the cast
    part2 = next(r for r in recs if r["movie"]["id"] == str(GODFATHER_II))
    assert {"SHARED_DIRECTOR", "SHARED_CAST"} <= {x["kind"] for x in part2["reasons"]}


async def test_similar_with_and_without_the_precomputed_lists(api, pool):
    """More like this and anchored Hidden gems read the anchor's precomputed nearest-film lists; an anchor whose
    lists are not there (yet) is answered from the HNSW index: the same kind of list, mostly the same films."""
    doc = f'query($n: Int) {{ similar(movieId: "{GODFATHER}", first: $n) {{ movie {{ id }} }} }}'
    gems = (f'query($n: Int) {{ hiddenGems(movieId: "{GODFATHER}", first: $n, maxPopularityPercentile: 80)'
            ' { movie { id popularityPercentile } } }')
    listed = [r["movie"]["id"] for r in ok(await api(doc, {"n": 12}))["similar"]]
    listed_gems = [r["movie"]["id"] for r in ok(await api(gems, {"n": 12}))["hiddenGems"]]
    async with pool.acquire() as conn:
        await conn.execute("DELETE FROM embedder.movie_neighbours WHERE movie_id = $1", GODFATHER)
    try:
        unlisted = [r["movie"]["id"] for r in ok(await api(doc, {"n": 13}))["similar"]]  # another cache key
        assert len(unlisted) == 13 and str(GODFATHER_II) in unlisted[:5]
        assert len(set(listed[:10]) & set(unlisted[:10])) >= 7, (listed, unlisted)
        unlisted_gems = ok(await api(gems, {"n": 13}))["hiddenGems"]
        assert len(unlisted_gems) == 13 and all(r["movie"]["popularityPercentile"] <= 80 for r in unlisted_gems)
        assert len(set(listed_gems[:10]) & {r["movie"]["id"] for r in unlisted_gems[:10]}) >= 7
    finally:
        async with pool.acquire() as conn, conn.transaction():
            await neighbours.update(conn, dict.fromkeys(neighbours.AXES, [GODFATHER]))
    assert await pool.fetchval("SELECT count(*) FROM embedder.movie_neighbours WHERE movie_id = $1", GODFATHER) == 3


async def test_similar_weights_change_the_list(api):
    doc = "query($w: AxisWeights) { similar(movieId: \"238\", first: 10, weights: $w) { movie { id } } }"
    story = [r["movie"]["id"] for r in ok(await api(doc, {"w": {"story": 1, "people": 0, "style": 0, "genre": 0}}))[
        "similar"]]
    people = [r["movie"]["id"] for r in ok(await api(doc, {"w": {"story": 0, "people": 1, "style": 0, "genre": 0}}))[
        "similar"]]
    assert story != people
    assert code(await api(doc, {"w": {"story": -1}})) == "BAD_USER_INPUT"
    assert code(await api(doc, {"w": {"people": 11}})) == "BAD_USER_INPUT"


async def test_zones_leave_out_what_the_user_has_seen(api):
    user = await register(api)
    t = user["accessToken"]
    first = [r["movie"]["id"] for r in ok(await api(
        '{ similar(movieId: "238", first: 10) { movie { id } } }', token=t))["similar"]]
    await _rate(api, t, first[0], 4)
    ok(await api(f'mutation {{ dismissMovie(movieId: "{first[1]}", zone: SIMILAR) }}', token=t))
    ok(await api(f'mutation {{ markWatched(movieId: "{first[2]}", zone: SIMILAR) }}', token=t))

    async def gone():
        now = [r["movie"]["id"] for r in ok(await api(
            '{ similar(movieId: "238", first: 20) { movie { id } } }', token=t))["similar"]]
        return now if not set(first[:3]) & set(now) else None

    await eventually(gone, timeout=FEEDBACK_S)
    both = [r["movie"]["id"] for r in ok(await api(
        '{ similar(movieId: "238", first: 10, includeSeen: true) { movie { id } } }', token=t))["similar"]]
    assert first[0] in both


async def test_hidden_gems_under_a_tight_ceiling(api):
    doc = ("query($p: Float, $n: Int) { hiddenGems(movieId: \"238\", first: $n, maxPopularityPercentile: $p) {"
           " movie { id popularityPercentile voteCount voteAverage } reasons { kind text } } }")
    for ceiling in (60.0, 42.0):
        recs = ok(await api(doc, {"p": ceiling, "n": 15}))["hiddenGems"]
        assert len(recs) == 15  # the band is inside the vector query: the count holds under it
        assert all(r["movie"]["popularityPercentile"] <= ceiling for r in recs)
        assert all(r["movie"]["voteCount"] >= quality.TRUST_MIN_VOTES for r in recs)
        assert all(r["reasons"][0]["kind"] == "LOW_POPULARITY" for r in recs)  # why it is a gem: always first
    recs = ok(await api(doc, {"p": 100.0, "n": 20}))["hiddenGems"]
    assert len(recs) == 20 and all(r["movie"]["popularityPercentile"] <= quality.GEM_CEILING_MAX for r in recs)
    assert code(await api(doc, {"p": 101.0, "n": 5})) == "BAD_USER_INPUT"
    assert code(await api('{ hiddenGems(first: 5) { score } }')) == "UNAUTHENTICATED"  # taste needs a user


async def test_for_you_follows_ratings_and_dismissals(api):
    user = await register(api)
    t = user["accessToken"]
    for mid in (238, 240, 680, 769, 311):  # Godfathers, Pulp Fiction, GoodFellas, Once Upon a Time in America
        await _rate(api, t, mid, 5)
    doc = f"{{ forYou(first: 20) {{ {REC} }} }}"
    recs = ok(await api(doc, token=t))["forYou"]
    assert len(recs) == 20 and all(r["zone"] == "FOR_YOU" for r in recs)
    ids = [r["movie"]["id"] for r in recs]
    assert not {"238", "240", "680", "769", "311"} & set(ids)
    because = [x for r in recs for x in r["reasons"] if x["kind"] == "BECAUSE_YOU_RATED"]
    assert because and all({m["id"] for m in x["movies"]} <= {"238", "240", "680", "769", "311"} for x in because)

    victim = ids[0]
    ok(await api(f'mutation {{ dismissMovie(movieId: "{victim}", zone: FOR_YOU) }}', token=t))

    async def vanished():
        return victim not in [r["movie"]["id"] for r in ok(await api(doc, token=t))["forYou"]]

    await eventually(vanished, timeout=FEEDBACK_S)

    before = [r["movie"]["id"] for r in ok(await api(doc, token=t))["forYou"]]
    for mid in (862, 863, 10193, 585, 12):  # Toy Story 1-3, Monsters Inc., Finding Nemo
        await _rate(api, t, mid, 5)

    async def moved():
        return [r["movie"]["id"] for r in ok(await api(doc, token=t))["forYou"]] != before

    await eventually(moved, timeout=FEEDBACK_S)


async def test_for_you_for_a_new_user_and_onboarding(api):
    user = await register(api)
    recs = ok(await api("{ forYou(first: 10) { movie { id } reasons { kind } } }", token=user["accessToken"]))
    assert len(recs["forYou"]) == 10 and all(r["reasons"] for r in recs["forYou"])
    start = ok(await api("{ onboarding(first: 12) { movie { id } reasons { kind } } }", token=user["accessToken"]))
    assert len(start["onboarding"]) == 12
    assert code(await api("{ forYou(first: 10) { score } }")) == "UNAUTHENTICATED"
    assert code(await api("{ forYou(first: 0) { score } }", token=user["accessToken"])) == "BAD_USER_INPUT"
    assert code(await api("{ forYou(first: 101) { score } }", token=user["accessToken"])) == "BAD_USER_INPUT"


async def test_vibe(api):
    recs = ok(await api('{ vibe(text: "a mafia family saga of crime, loyalty and betrayal", first: 10) { picks {'
                        ' movie { id title } zone reasons { kind } } reading { confident } } }'))["vibe"]
    assert recs["reading"]["confident"] is True
    recs = recs["picks"]
    assert len(recs) == 10 and all(r["zone"] == "VIBE" for r in recs)
    assert all(r["reasons"][0]["kind"] == "MATCHES_VIBE" for r in recs)
    films = await _films(api, [r["movie"]["id"] for r in recs])
    assert sum("Crime" in f["genres"] for f in films.values()) >= 5
    assert code(await api('{ vibe(text: "   ", first: 5) { picks { score } } }')) == "BAD_USER_INPUT"
    too_long = {"t": "x" * 501}
    assert code(await api("query($t: String!) { vibe(text: $t) { picks { score } } }", too_long)) == "BAD_USER_INPUT"


async def test_vibe_keeps_the_genre_and_length_a_text_asks_for(api):
    # The seed's own example: a sentence embedding alone ranks stories that contain "burn" first.
    recs = ok(await api('{ vibe(text: "slow-burn sci-fi with a twist, not too long", first: 10) { picks {'
                        ' movie { title genres runtime } reasons { kind text } } } }'))["vibe"]["picks"]
    assert len(recs) == 10
    for r in recs:
        assert "Science Fiction" in r["movie"]["genres"], r["movie"]
        assert r["movie"]["runtime"] is not None and r["movie"]["runtime"] <= 110, r["movie"]
        assert r["reasons"][0] == {"kind": "MATCHES_VIBE", "text": "Its story matches “slow-burn with a twist”."}
        asked = [x["text"] for x in r["reasons"] if x["text"].endswith("as asked.")]
        assert asked and asked[0].startswith("Science Fiction, "), r["reasons"]
    # What to avoid is kept too: no horror film in a "funny, no horror" list.
    recs = ok(await api('{ vibe(text: "something funny, no horror", first: 20) { picks { movie { genres } } } }'
                        ))["vibe"]["picks"]
    assert len(recs) == 20
    assert all("Comedy" in r["movie"]["genres"] and "Horror" not in r["movie"]["genres"] for r in recs)


VIBE_READ = """query($t: String!) { vibe(text: $t, first: 10) {
  picks { movie { title genres } }
  reading { confident message suggestions why genres avoidGenres avoidTopics mood } } }"""


@pytest.mark.parametrize("text", ["a thriller that isn't a horror film", "a thriller without any horror",
                                  "a thriller, nothing with horror in it", "a thriller, anything but horror"])
async def test_vibe_keeps_an_exclusion_however_it_is_said(api, text):
    v = ok(await api(VIBE_READ, {"t": text}))["vibe"]
    assert v["reading"]["confident"] and v["reading"]["avoidGenres"] == ["Horror"], v["reading"]
    assert v["reading"]["genres"] == ["Thriller"]
    assert len(v["picks"]) == 10
    assert all("Horror" not in p["movie"]["genres"] for p in v["picks"]), v["picks"]


@pytest.mark.parametrize("text", ["asdfgh jkl", "blorp zindle quav", "x7qz 99kk", "a film"])
async def test_vibe_says_when_it_cannot_read_a_text(api, text):
    v = ok(await api(VIBE_READ, {"t": text}))["vibe"]
    r = v["reading"]
    assert v["picks"] == [] and r["confident"] is False, v
    assert r["message"].startswith("We could not find a mood in that.") and len(r["suggestions"]) >= 3
    assert r["why"] in {"unknown_words", "no_words"}
    # each suggestion is itself answered with confidence
    s = ok(await api(VIBE_READ, {"t": r["suggestions"][0]}))["vibe"]
    assert s["reading"]["confident"] and s["reading"]["message"] is None and s["picks"]


async def _partners(api):
    alice, bob, carol = await register(api), await register(api), await register(api)
    invite = ok(await api("mutation { createInvite { code } }", token=alice["accessToken"]))["createInvite"]["code"]
    ok(await api("mutation($c: String!) { acceptInvite(code: $c) { linkedAt } }", {"c": invite},
                 token=bob["accessToken"]))
    return alice, bob, carol


async def test_together_fits_both_excludes_seen_refuses_strangers_and_reacts(api):
    alice, bob, carol = await _partners(api)
    for mid in (238, 240, 680):
        await _rate(api, alice["accessToken"], mid, 5)
    for mid in (862, 863, 585):
        await _rate(api, bob["accessToken"], mid, 5)
    await _rate(api, bob["accessToken"], 13, 3)  # Forrest Gump: seen by Bob
    doc = ("query($u: [ID!]!) { together(userIds: $u, first: 15) { movie { id } zone"
           " reasons { kind text users { id username } } } }")
    recs = ok(await api(doc, {"u": [bob["user"]["id"]]}, token=alice["accessToken"]))["together"]
    assert len(recs) == 15 and all(r["zone"] == "TOGETHER" for r in recs)
    ids = {r["movie"]["id"] for r in recs}
    assert not ids & {"238", "240", "680", "862", "863", "585", "13"}
    groups = [x for r in recs for x in r["reasons"] if x["kind"] in ("FITS_EVERYONE", "MAINLY_FOR")]
    assert len(groups) == 15  # one group reason per pick, naming the members it suits
    assert all({u["id"] for u in x["users"]} <= {alice["user"]["id"], bob["user"]["id"]} and x["users"]
               for x in groups)
    assert all(alice["user"]["username"] in x["text"] and bob["user"]["username"] in x["text"] for x in groups)

    assert code(await api(doc, {"u": [carol["user"]["id"]]}, token=alice["accessToken"])) == "FORBIDDEN"
    assert code(await api(doc, {"u": [bob["user"]["id"]]})) == "UNAUTHENTICATED"

    victim = next(iter(ids))
    ok(await api(f'mutation {{ dismissMovie(movieId: "{victim}", zone: TOGETHER) }}', token=bob["accessToken"]))

    async def gone():
        now = ok(await api(doc, {"u": [bob["user"]["id"]]}, token=alice["accessToken"]))["together"]
        return victim not in {r["movie"]["id"] for r in now}

    await eventually(gone, timeout=FEEDBACK_S)


async def test_hidden_gems_ceiling_learns_from_takes(api, pool):
    user = await register(api)
    t = user["accessToken"]
    for mid in (238, 240, 680):
        await _rate(api, t, mid, 5)
    doc = "{ hiddenGems(first: 10) { movie { id popularityPercentile voteCount } reasons { kind } } }"
    recs = ok(await api(doc, token=t))["hiddenGems"]
    assert len(recs) == 10 and all(r["reasons"][0]["kind"] == "LOW_POPULARITY" for r in recs)
    assert all(r["movie"]["popularityPercentile"] <= gem_ceiling.DEFAULT_CEILING for r in recs)
    # the user takes the most obscure pick: the ceiling moves down to just under it
    obscure = min(recs, key=lambda r: r["movie"]["popularityPercentile"])
    ok(await api(f'mutation {{ addToWatchlist(movieId: "{obscure["movie"]["id"]}", zone: HIDDEN_GEMS) }}', token=t))

    async def learnt():
        return await pool.fetchval("SELECT ceiling FROM recommender.gem_prefs WHERE user_id = $1", user["user"]["id"])

    ceiling = await eventually(learnt, timeout=2.0)
    assert ceiling < gem_ceiling.DEFAULT_CEILING
    recs = ok(await api(doc, token=t))["hiddenGems"]  # the next list uses the learnt ceiling
    assert recs and max(r["movie"]["popularityPercentile"] for r in recs) <= ceiling + 1e-4


async def test_model_swap_under_load_serves_without_errors(stack):
    internal = auth.load_internal_token(stack.base / "secrets")
    async with grpc.aio.insecure_channel(stack.addr("recommender")) as ch:
        stub = recommender_pb2_grpc.RecommenderServiceStub(ch)
        md = auth.call_metadata(internal, "ml:1")
        before = (await stub.ForYou(pb.ForYouRequest(first=10), metadata=md)).model_version
        errors: list[Exception] = []
        versions: set[str] = set()
        stop = asyncio.Event()

        async def load():
            while not stop.is_set():
                try:
                    versions.add((await stub.ForYou(pb.ForYouRequest(first=10), metadata=md)).model_version)
                except grpc.aio.AioRpcError as e:
                    errors.append(e)

        workers = [asyncio.create_task(load()) for _ in range(4)]
        try:
            await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "services.recommender", "train"],
                                    env=stack.env(), cwd=REPO_ROOT, check=True, capture_output=True)

            async def swapped():
                return (await stub.ForYou(pb.ForYouRequest(first=10), metadata=md)).model_version != before

            await eventually(swapped, timeout=30, interval=0.2)
        finally:
            stop.set()
            await asyncio.gather(*workers)
        assert errors == []
        assert before in versions and len(versions) >= 2


async def test_eval_scores_an_external_holdout_file(stack, pool, tmp_path):
    """`make eval HOLDOUT=file`: trains on what the database holds and scores against that file alone
    (MovieLens ids for users and films)."""
    rows = await pool.fetch(  # the films our viewers rate most (with vectors), as MovieLens ids
        "SELECT min(l.movielens_id) FROM users.ratings r JOIN catalog.movielens_links l ON l.tmdb_id = r.movie_id"
        " JOIN embedder.movie_vectors v ON v.movie_id = r.movie_id GROUP BY r.movie_id"
        " ORDER BY count(*) DESC, r.movie_id LIMIT 400")
    ml_films = [r[0] for r in rows]
    lines = ["userId,movieId,rating,timestamp"]
    for user in range(1, 21):  # 20 MovieLens users, films they have not rated in the database
        rated = {r[0] for r in await pool.fetch(
            "SELECT l.movielens_id FROM users.ratings r JOIN catalog.movielens_links l ON l.tmdb_id = r.movie_id"
            " WHERE r.user_id = $1", f"ml:{user}")}
        fresh = [m for m in ml_films if m not in rated][:3]
        lines += [f"{user},{m},4.5,1700000000" for m in fresh]
    holdout = tmp_path / "ratings.csv"
    holdout.write_text("\n".join(lines) + "\n")
    groups = tmp_path / "groups.csv"   # `make eval GROUPS=file`: pairs and a four of those users, one unknown member
    members = [(f"p{i}", "random2", u) for i in range(8) for u in (2 * i + 1, 2 * i + 2)]
    members += [("q", "random4", u) for u in (17, 18, 19, 20)] + [("x", "random2", 1), ("x", "random2", 99999)]
    groups.write_text("group_id,kind,user_id\n" + "".join(f"{g},{k},{u}\n" for g, k, u in members))
    out = tmp_path / "reports"
    await asyncio.to_thread(subprocess.run, [
        sys.executable, "-m", "services.recommender.offline.evaluation", "--holdout", str(holdout), "--out", str(out),
        "--groups", str(groups), "--no-docs"], env=stack.env(), cwd=REPO_ROOT, check=True, capture_output=True)
    report = json.loads((out / "eval.json").read_text())
    for method in ("popularity", "itemknn", "ease", "als", "content", "for_you", "hidden_gems"):
        assert set(report[method]) >= {"HR@10", "NDCG@10", "Recall@20", "coverage", "novelty", "longtail_share",
                                       "longtail_HR@10"}
        assert 0.0 <= report[method]["HR@10"] <= 1.0
    assert report["protocol"]["counts"]["users_evaluated"] == 20
    assert report["popularity"]["HR@10"] > 0.5  # the most-rated films a user has not rated: popularity's picks
    zones = report["zones"]   # through the running recommender, with the test stack's low-vote sample
    assert zones["similar"]["slots"] == 600 and zones["similar"]["junk@10"] <= 0.05
    assert zones["hidden_gems_anchored"]["slots"] == 600 and zones["hidden_gems_anchored"]["junk@10"] == 0.0
    mates = zones["collection_mates"]
    assert mates["franchises"] > 10 and mates["share_with_a_mate_in_top10"] > 0.8
    acc = zones["hidden_gems_taste"]["accuracy_on_gems"]
    assert acc["users_with_a_relevant_gem"] <= 20 and len(acc["NDCG@10_ci95"]) == 2
    labelled = zones["vibe_labelled"]
    assert labelled["tune"]["moods"] + labelled["report"]["moods"] >= 40
    assert 0.0 <= labelled["report"]["precision@10"] <= 1.0 and labelled["report"]["junk@10"] <= 0.05
    assert labelled["external"]["moods"] >= 40 and labelled["external"]["answered_confidently"] > 0.9
    assert labelled["gibberish"]["texts"] >= 20 and labelled["gibberish"]["answered_confidently"] == 0
    assert labelled["gibberish"]["with_picks"] == 0
    t = zones["together_opposite_pairs"]
    assert t["pairs"] > 0 and 0.0 <= t["lowest_member_fit@10_worst_pair"] <= t["lowest_member_fit@10_mean"] <= 1.0
    together, proto = report["together"], report["protocol"]["together"]
    assert proto["source"] == "file" and proto["skipped"]["unknown_member"] == 1
    scored = sum(together[k]["served"]["groups"] for k in together)
    assert scored + sum(proto["skipped"].values()) == 10 and set(together) <= {"random2", "random4"} and scored > 0
    for kind in together:
        for method in ("served", "average", "least_misery", "gfar", "individual"):
            r = together[kind][method]
            assert 0.0 <= r["min_NDCG@10"] <= r["mean_NDCG@10"] <= 1.0 and 0.0 <= r["all_hit@10"] <= 1.0
        assert set(report["together_comparisons"][kind]) == {"served_vs_average", "served_vs_least_misery",
                                                             "served_vs_gfar"}
    assert (out / "eval.md").exists() and (out / "eval.png").stat().st_size > 1000
    assert "## Together over synthetic groups" in (out / "eval.md").read_text()


async def test_feedback_sent_while_the_recommender_is_down_is_applied_after_it_restarts(api, stack, pool):
    """The durable consumer: an event published while no recommender runs is delivered when one starts."""
    from devstack.stack import RECOMMENDER

    user = await register(api)
    t, uid = user["accessToken"], user["user"]["id"]
    film = (await pool.fetchrow(
        "SELECT movie_id FROM embedder.movie_vectors WHERE popularity_percentile < 50 ORDER BY movie_id LIMIT 1"))[0]
    stack.stop_service(RECOMMENDER)
    try:
        ok(await api(f'mutation {{ addFavorite(movieId: "{film}", zone: HIDDEN_GEMS) }}', token=t))
        await asyncio.sleep(0.5)
        assert await pool.fetchval("SELECT ceiling FROM recommender.gem_prefs WHERE user_id = $1", uid) is None
    finally:
        await asyncio.to_thread(stack.start_service, RECOMMENDER)

    async def learnt():
        return await pool.fetchval("SELECT ceiling FROM recommender.gem_prefs WHERE user_id = $1", uid)

    assert await eventually(learnt, timeout=20) < gem_ceiling.DEFAULT_CEILING
    # and the restarted service serves
    recs = ok(await api('{ similar(movieId: "238", first: 3) { movie { id } } }'))["similar"]
    assert len(recs) == 3


async def test_feedback_still_reaches_the_zones_after_a_nats_restart(api, stack):
    user = await register(api)
    t = user["accessToken"]
    await _rate(api, t, 238, 5)
    stack.nats.stop()
    stack.nats.start()
    doc = "{ forYou(first: 10) { movie { id } } }"
    victim = ok(await api(doc, token=t))["forYou"][0]["movie"]["id"]
    ok(await api(f'mutation {{ dismissMovie(movieId: "{victim}", zone: FOR_YOU) }}', token=t))

    async def vanished():
        return victim not in [r["movie"]["id"] for r in ok(await api(doc, token=t))["forYou"]]

    await eventually(vanished, timeout=15)  # reconnection, then the relay and the consumer catch up
