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
    one = reasons.group_fit([ana, ben], [0.40, 0.97], 0.95, 1.0)
    assert one.kind == pb.REASON_KIND_MAINLY_FOR and list(one.user_ids) == ["ben"]
    assert one.text == "Mainly for ben: top 3% for ben, top 60% for ana."
    mid = reasons.group_fit([ana, ben], [0.80, 0.85], 0.95, 1.0)
    assert mid.kind == pb.REASON_KIND_MAINLY_FOR and mid.text == "A middle ground: top 15% for ben, top 20% for ana."
    assert reasons.top_share(1.0) == "top 1%" and reasons.top_share(0.0) == "top 100%"


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
