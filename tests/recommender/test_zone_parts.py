"""Pure parts of the zones: the adaptive gem ceiling, reasons (shared metadata, quality, group fits),
axis weights, answer-cache keys."""

from __future__ import annotations

import pytest
from movierec.common.v1 import common_pb2 as c
from movierec.recommender.v1 import recommender_pb2 as pb

from kit.errors import InvalidArgument
from services.recommender import gem_ceiling, quality, reasons
from services.recommender.films import Film, Films
from services.recommender.generations import Generations
from services.recommender.zones import DEFAULT_WEIGHTS, normalise_weights


def film(id_, title, directors=(), cast=(), genres=(), keywords=(), companies=(), pct=50.0, votes=100, avg=7.0):
    return Film(id=id_, title=title, year=2000, genres=frozenset(genres), keywords=frozenset(keywords),
                directors=tuple(directors), cast=tuple(cast), companies=frozenset(companies), vote_average=avg,
                vote_count=votes, popularity_percentile=pct)


def test_takes_pull_the_ceiling_towards_obscure_films_and_skips_push_it_up():
    c0 = gem_ceiling.DEFAULT_CEILING
    took = gem_ceiling.next_ceiling(c0, 50.0, "take")
    assert took < c0 and took == pytest.approx(c0 + gem_ceiling.RATE * (45.0 - c0))
    assert gem_ceiling.next_ceiling(50.0, 80.0, "take") > 50.0         # taking a better-known pick raises it
    skipped = gem_ceiling.next_ceiling(50.0, 40.0, "skip")
    assert skipped > 50.0                                      # skipping an obscure pick: less obscure
    assert gem_ceiling.next_ceiling(70.0, 5.0, "skip") == 70.0        # a skip never lowers it
    low = c0
    for _ in range(50):
        low = gem_ceiling.next_ceiling(low, 0.0, "take")
    assert low == gem_ceiling.MIN_CEILING == quality.GEM_CEILING_MIN  # never below the trusted films
    high = 50.0
    for _ in range(50):
        high = gem_ceiling.next_ceiling(high, 100.0, "skip")
    assert high == gem_ceiling.MAX_CEILING == quality.GEM_CEILING_MAX  # never into the catalogue's top 10%


def test_gem_signals():
    assert gem_ceiling.signal(c.INTERACTION_KIND_RATED, 4.0) == "take"
    assert gem_ceiling.signal(c.INTERACTION_KIND_RATED, 2.0) == "skip"
    assert gem_ceiling.signal(c.INTERACTION_KIND_RATED, 3.0) is None
    assert gem_ceiling.signal(c.INTERACTION_KIND_WATCHLISTED, None) == "take"
    assert gem_ceiling.signal(c.INTERACTION_KIND_DISMISSED, None) == "skip"
    assert gem_ceiling.signal(c.INTERACTION_KIND_OPENED, None) is None


def test_reasons_name_only_what_is_shared():
    anchor = film(1, "Anchor", directors=["Ann Director"], cast=["Al", "Bo", "Cy"], genres=["Crime", "Drama"],
                  keywords=["mafia", "family"], companies=["Studio A"])
    other = film(2, "Other", directors=["Ann Director"], cast=["Bo", "Zed"], genres=["Crime", "Comedy"],
                 keywords=["family", "heist"], companies=["Studio B"])
    got = {r.kind: r for r in reasons.shared_with(anchor, other, story_similarity=0.7)}
    assert list(got[pb.REASON_KIND_SHARED_DIRECTOR].people) == ["Ann Director"]
    assert list(got[pb.REASON_KIND_SHARED_CAST].people) == ["Bo"]
    assert list(got[pb.REASON_KIND_SHARED_GENRES].genres) == ["Crime"]
    assert "family" in got[pb.REASON_KIND_SHARED_KEYWORDS].text
    assert pb.REASON_KIND_SHARED_STUDIO not in got
    assert list(got[pb.REASON_KIND_SIMILAR_STORY].movie_ids) == [1]
    assert pb.REASON_KIND_SIMILAR_STORY not in {r.kind for r in reasons.shared_with(anchor, other, 0.1)}
    ordered = reasons.ordered(list(got.values()), limit=2)
    assert [r.kind for r in ordered] == [pb.REASON_KIND_SHARED_DIRECTOR, pb.REASON_KIND_SHARED_CAST]


def test_quality_reasons_say_only_what_is_true():
    films = Films()
    little = film(3, "Little known", pct=20.0, votes=120, avg=8.1)
    hit = film(4, "Hit", pct=99.0, votes=20000, avg=6.0)
    untrusted = film(5, "Twelve votes", pct=10.0, votes=12, avg=9.5)
    films.put_all([little, hit, untrusted])
    got = {r.kind: r.text for r in reasons.quality(films, little)}
    assert set(got) == {pb.REASON_KIND_LOW_POPULARITY, pb.REASON_KIND_WELL_RATED}
    assert "120 votes" in got[pb.REASON_KIND_LOW_POPULARITY]
    assert reasons.quality(films, hit) == []
    assert reasons.quality(films, untrusted) == []      # twelve votes: neither "well rated" nor "lesser-known"
    (gem,) = reasons.hidden(little)
    assert gem.text == "A hidden gem: rated 8.1/10 by only 120 people."


def test_rating_is_vote_count_aware():
    films = Films()
    films.put_all([film(5, "Few votes", votes=3, avg=10.0), film(6, "Many votes", votes=5000, avg=8.0),
                   film(7, "Average", votes=5000, avg=6.0)])
    assert films.rating(6) > films.rating(5)
    assert films.rating(5) < films.mean_rating + 0.1   # three 10s are pulled almost all the way to the mean


def test_group_fit_says_fits_everyone_only_when_everyone_passes():
    from services.recommender.tastes import Taste

    ana, ben = (Taste(u, u, {}, frozenset(), frozenset(), frozenset()) for u in ("ana", "ben"))
    both = reasons.group_fit([ana, ben], [0.951, 0.996], 0.95, 1.0)
    assert both.kind == pb.REASON_KIND_FITS_EVERYONE and both.text == "Fits everyone: top 1% for ben, top 5% for ana."
    assert reasons.group_fit([ana, ben], [0.95, 0.95], 0.95, 1.0).kind == pb.REASON_KIND_FITS_EVERYONE  # at it
    one = reasons.group_fit([ana, ben], [0.40, 0.97], 0.95, 1.0)
    assert one.kind == pb.REASON_KIND_MAINLY_FOR and list(one.user_ids) == ["ben"]
    assert one.text == "Mainly for ben: top 3% for ben, top 60% for ana."
    # neither passes but one is far ahead: still whose it is, not a "middle ground"
    far = reasons.group_fit([ana, ben], [0.94, 0.30], 0.95, 1.0)
    assert far.text == "Mainly for ana: top 6% for ana, top 70% for ben." and list(far.user_ids) == ["ana"]
    # one passes by a hair: close fits are a middle ground, not "mainly for"
    close = reasons.group_fit([ana, ben], [0.951, 0.949], 0.95, 1.0)
    assert close.text == "A middle ground: top 5% for ana, top 6% for ben." and len(close.user_ids) == 2
    # a member without ratings never makes it "fits everyone"
    new = reasons.group_fit([ana, ben], [0.99, 0.99], 0.95, 1.0, known=[True, False])
    assert new.kind == pb.REASON_KIND_MAINLY_FOR
    assert new.text == "Mainly for ana: top 1% for ana, no ratings yet from ben."
    assert reasons.group_fit([ana, ben], [0.99, 0.99], 0.95, 1.0, known=[False, False]).text.startswith("Well liked")
    cy = Taste("cy", "cy", {}, frozenset(), frozenset(), frozenset())
    three = reasons.group_fit([ana, ben, cy], [0.96, 0.62, 0.93], 0.95, 1.0)
    assert three.text == "Mainly for ana and cy: top 4% for ana, top 7% for cy, top 38% for ben."
    assert reasons.top_share(1.0) == "top 1%" and reasons.top_share(0.0) == "top 100%"


def test_the_quality_re_rank_puts_junk_behind_a_less_similar_good_film():
    from services.recommender.zones.common import quality_adjusted

    films = Films()
    good, junk = film(1, "Good", votes=3000, avg=7.5), film(2, "Twelve votes", votes=12, avg=8.0)
    poor = film(3, "Poorly rated", votes=5000, avg=4.8)
    films.put_all([good, junk, poor])
    assert quality_adjusted(films, good, 0.60) > quality_adjusted(films, junk, 0.75)
    assert quality_adjusted(films, good, 0.60) > quality_adjusted(films, poor, 0.75)
    assert quality_adjusted(films, junk, 0.95) > quality_adjusted(films, good, 0.60)  # nothing else close: it shows


def test_old_manifests_keep_their_blend_and_take_todays_gem_rules():
    from services.recommender.zones.for_you import BlendParams

    old = {"cf_weight": 0.7, "quality_weight": 0.1, "norm": "z", "gem_cf_weight": 1.0, "gem_quality_weight": 0.2,
           "gem_max_percentile": 100.0, "gem_head_share": 0.2}
    b = BlendParams.from_dict(old)
    assert b.cf_weight == 0.7 and b.gem_cf_weight == BlendParams().gem_cf_weight
    assert b.gem_quality_weight == 0.0 and b.gem_obscurity_weight == BlendParams().gem_obscurity_weight
    new = BlendParams.from_dict({**BlendParams().to_dict(), "gem_obscurity_weight": 0.25, "unknown_key": 1})
    assert new.gem_obscurity_weight == 0.25


def test_answer_keys_carry_the_answer_schema():
    from services.recommender.generations import ANSWER_SCHEMA

    assert f"rec:ans:{ANSWER_SCHEMA}:gems:v1:" in Generations.answer_key("gems", "v1", [], [], "x")


def test_axis_weights():
    assert normalise_weights({}) == DEFAULT_WEIGHTS
    assert normalise_weights({"story": None, "people": None, "style": None, "genre": None}) == DEFAULT_WEIGHTS
    with pytest.raises(InvalidArgument, match="all axis weights are zero"):
        normalise_weights({"story": 0, "people": 0, "style": None, "genre": None})
    assert normalise_weights({"people": 2}) == {"story": 0.0, "people": 2.0, "style": 0.0, "genre": 0.0}
    for bad in ({"story": -1}, {"genre": 11}, {"style": float("nan")}):
        with pytest.raises(InvalidArgument):
            normalise_weights(bad)


def test_answer_keys_change_with_generation_model_and_args():
    base = Generations.answer_key("foryou", "v1", ["u1"], [3], "20|False")
    assert base != Generations.answer_key("foryou", "v1", ["u1"], [4], "20|False")
    assert base != Generations.answer_key("foryou", "v2", ["u1"], [3], "20|False")
    assert base != Generations.answer_key("foryou", "v1", ["u1"], [3], "10|False")
    assert base != Generations.answer_key("similar", "v1", ["u1"], [3], "20|False")
    assert Generations.answer_key("together", "v1", ["a", "b"], [1, 1], "5") != Generations.answer_key(
        "together", "v1", ["a", "b"], [1, 2], "5")
