"""Picks a person trusts, through GraphQL on the real stack: no junk in More like this, hidden gems that
are obscure, trusted and good with reasons that are true, Together fits that are exposed and honest.

The test stack encodes the films with 100+ votes plus a fixed sample of low-vote films (tests/conftest.py:
every 10th by id, and the little-known, poorly rated films that once led these lists), so junk is there to
be picked."""

from __future__ import annotations

import math
import re

from services.recommender import quality
from services.recommender.reasons import MIDDLE_GROUND_GAP
from services.recommender.zones.together import FIT_THRESHOLD
from tests.integration.conftest import eventually
from tests.integration.test_recommender import _partners, _rate
from tests.integration.test_users_graphql import code, ok, register

BLADE_RUNNER, AMELIE, THE_MATRIX = 78, 194, 603
MOVIE = "movie { id title voteCount voteAverage popularityPercentile genres }"
# A sci-fi lover and a romance lover (TMDb ids of well-known films, all with 100+ votes).
SCIFI = {78: 5, 62: 5, 348: 5, 603: 4.5, 157336: 4.5, 782: 4.5, 264660: 4.5, 329865: 5, 114: 1.5, 509: 1.5}
ROMANCE = {4348: 5, 509: 5, 76: 5, 194: 4.5, 38: 4.5, 313369: 5, 114: 4.5, 639: 5, 348: 1.5, 176: 1}


def _junk(m: dict) -> bool:
    return quality.is_junk(m["voteAverage"], m["voteCount"])


async def test_the_low_vote_sample_is_encoded(pool):
    """Without it no junk test below could fail: the sample's films have vectors."""
    n = await pool.fetchval("SELECT count(*) FROM embedder.movie_vectors v JOIN catalog.movies m ON m.id = v.movie_id"
                            " WHERE m.vote_count < $1", quality.TRUST_MIN_VOTES)
    assert n >= 300
    named = await pool.fetchval("SELECT count(*) FROM embedder.movie_vectors WHERE movie_id = ANY($1::bigint[])",
                                [24230, 13559, 21874])   # Nemesis, The Mangler, Looker: once in Blade Runner's top 10
    assert named == 3


async def test_more_like_blade_runner_has_no_junk(api):
    recs = ok(await api(f'{{ similar(movieId: "{BLADE_RUNNER}", first: 10) {{ {MOVIE} reasons {{ kind text }} }} }}'))[
        "similar"]
    assert len(recs) == 10
    films = [r["movie"] for r in recs]
    assert all(f["voteCount"] >= quality.TRUST_MIN_VOTES for f in films), [(f["title"], f["voteCount"]) for f in films]
    assert not [f["title"] for f in films if _junk(f)]
    for r in recs:  # "well rated" and "lesser-known" only when true
        m = r["movie"]
        for reason in r["reasons"]:
            if reason["kind"] == "WELL_RATED":
                assert f"{m['voteAverage']:.1f}/10" in reason["text"] and f"{m['voteCount']:,} votes" in reason["text"]
            if reason["kind"] == "LOW_POPULARITY":
                assert m["popularityPercentile"] <= 50 and f"{m['voteCount']:,} votes" in reason["text"]


async def test_more_like_the_first_film_of_a_franchise_keeps_its_sequels(api):
    doc = f'{{ similar(movieId: "{THE_MATRIX}", first: 10) {{ movie {{ id }} }} }}'
    ids = [r["movie"]["id"] for r in ok(await api(doc))["similar"]]
    assert {"604", "605"} <= set(ids)   # The Matrix Reloaded, The Matrix Revolutions


async def test_all_axis_weights_at_zero_is_a_clear_error(api):
    doc = "query($w: AxisWeights) { similar(movieId: \"78\", first: 5, weights: $w) { movie { id } } }"
    resp = await api(doc, {"w": {"story": 0, "people": 0, "style": 0, "genre": 0}})
    assert code(resp) == "BAD_USER_INPUT" and "all axis weights are zero" in resp["errors"][0]["message"]
    assert len(ok(await api(doc, {"w": {}}))["similar"]) == 5             # none given: the defaults
    assert len(ok(await api(doc, {"w": {"genre": 1}}))["similar"]) == 5   # one axis is enough


def _check_gem(r: dict, ceiling: float) -> None:
    m = r["movie"]
    assert m["popularityPercentile"] <= ceiling, m
    assert m["voteCount"] >= quality.TRUST_MIN_VOTES and m["voteAverage"] >= quality.GOOD_MIN_AVERAGE, m
    first = r["reasons"][0]
    assert first["kind"] == "LOW_POPULARITY"
    assert first["text"] == f"A hidden gem: rated {m['voteAverage']:.1f}/10 by only {m['voteCount']:,} people."


async def test_hidden_gems_like_amelie_are_obscure_trusted_and_good(api):
    doc = ("query($p: Float) { hiddenGems(movieId: \"194\", first: 10, maxPopularityPercentile: $p) {"
           f" {MOVIE} reasons {{ kind text }} }} }}")
    recs = ok(await api(doc, {"p": None}))["hiddenGems"]
    assert len(recs) == 10
    for r in recs:
        _check_gem(r, quality.GEM_CEILING)
    # a ceiling over the catalogue's top 10% is held at 90; one below the trusted films is raised to 40
    for asked, held in ((100.0, quality.GEM_CEILING_MAX), (5.0, quality.GEM_CEILING_MIN)):
        recs = ok(await api(doc, {"p": asked}))["hiddenGems"]
        assert recs
        for r in recs:
            _check_gem(r, held)


async def test_a_sci_fi_taste_gets_gems_under_the_ceiling_and_above_the_floors(api):
    user = await register(api)
    t = user["accessToken"]
    for mid, v in SCIFI.items():
        await _rate(api, t, mid, v)
    recs = ok(await api(f"{{ hiddenGems(first: 20) {{ {MOVIE} reasons {{ kind text }} }} }}", token=t))["hiddenGems"]
    assert len(recs) == 20
    for r in recs:
        _check_gem(r, quality.GEM_CEILING)
        assert str(r["movie"]["id"]) not in {str(m) for m in SCIFI}
    pct = sorted(r["movie"]["popularityPercentile"] for r in recs)
    assert pct[len(pct) // 2] <= 75.0


async def test_gem_ceiling_scale_speaks_in_votes(api):
    doc = ("{ gemCeilingScale { min { percentile maxVotes text } max { percentile maxVotes text }"
           " default { percentile maxVotes text } steps { percentile maxVotes text } yours { percentile text }"
           " trustedMinVotes goodMinAverage } }")
    s = ok(await api(doc))["gemCeilingScale"]
    assert (s["min"]["percentile"], s["max"]["percentile"], s["default"]["percentile"]) == (
        quality.GEM_CEILING_MIN, quality.GEM_CEILING_MAX, quality.GEM_CEILING)
    assert s["trustedMinVotes"] == quality.TRUST_MIN_VOTES and s["goodMinAverage"] == quality.GOOD_MIN_AVERAGE
    steps = s["steps"]
    assert steps[0] == s["min"] and steps[-1] == s["max"] and len(steps) == 12
    votes = [x["maxVotes"] for x in steps]
    assert votes == sorted(votes) and votes[0] >= quality.TRUST_MIN_VOTES   # gems exist from the lowest step
    assert all(re.fullmatch(r"at most [\d,]+ votes", x["text"]) for x in steps)
    assert s["yours"]["percentile"] == quality.GEM_CEILING                 # anonymous: the default
    # a user who takes an obscure gem has a ceiling of their own, and sees it
    user = await register(api)
    t = user["accessToken"]
    for mid, v in SCIFI.items():
        await _rate(api, t, mid, v)
    gem = min(ok(await api("{ hiddenGems(first: 10) { movie { id popularityPercentile } } }", token=t))["hiddenGems"],
              key=lambda r: r["movie"]["popularityPercentile"])
    ok(await api(f'mutation {{ addToWatchlist(movieId: "{gem["movie"]["id"]}", zone: HIDDEN_GEMS) }}', token=t))

    async def moved():
        return ok(await api(doc, token=t))["gemCeilingScale"]["yours"]["percentile"] < quality.GEM_CEILING

    await eventually(moved, timeout=5)


async def test_together_fits_are_exposed_and_honest_for_opposite_tastes(api):
    alice, bob, _ = await _partners(api)
    for mid, v in SCIFI.items():
        await _rate(api, alice["accessToken"], mid, v)
    for mid, v in ROMANCE.items():
        await _rate(api, bob["accessToken"], mid, v)
    doc = ("query($u: [ID!]!) { together(userIds: $u, first: 20) { movie { id }"
           " fits { user { id username } score tasteKnown } reasons { kind text users { id } } } }")
    recs = ok(await api(doc, {"u": [bob["user"]["id"]]}, token=alice["accessToken"]))["together"]
    assert len(recs) == 20
    ids = (alice["user"]["id"], bob["user"]["id"])
    lowest = []
    for r in recs:
        fits = r["fits"]
        assert [f["user"]["id"] for f in fits] == list(ids)     # every member, the caller first
        assert all(0.0 <= f["score"] <= 1.0 and f["tasteKnown"] for f in fits)
        scores = [f["score"] for f in fits]
        lowest.append(min(scores))
        (group,) = [x for x in r["reasons"] if x["kind"] in ("FITS_EVERYONE", "MAINLY_FOR")]
        named = {u["id"] for u in group["users"]}
        if group["kind"] == "FITS_EVERYONE":
            assert min(scores) >= FIT_THRESHOLD and group["text"].startswith("Fits everyone") and named == set(ids)
        elif group["text"].startswith("Mainly for"):
            assert min(scores) < FIT_THRESHOLD and max(scores) - min(scores) >= MIDDLE_GROUND_GAP
            assert named == {f["user"]["id"] for f in fits if f["score"] >= (max(scores) + min(scores)) / 2}
        else:
            assert group["text"].startswith("A middle ground") and max(scores) - min(scores) < MIDDLE_GROUND_GAP
        for f in fits:   # the text's "top X%" is each member's own fit, rounded up
            share = max(1, math.ceil(round(100 * (1 - f["score"]), 6)))
            assert f"top {share}% for {f['user']['username']}" in group["text"]
    assert min(lowest[:10]) >= 0.3
    others = ok(await api('{ similar(movieId: "78", first: 3) { fits { score } } }'))["similar"]
    assert all(r["fits"] == [] for r in others)
