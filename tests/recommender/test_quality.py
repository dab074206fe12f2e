"""quality.py: the one definition of good, trusted, hidden and junk, and the percentile <-> votes scale;
zone_quality.py's pure measures."""

from __future__ import annotations

import numpy as np
import pytest

from services.recommender import quality as q
from services.recommender.content import ContentIndex
from services.recommender.offline import zone_quality


def test_the_rating_is_pulled_to_the_mean_by_few_votes_only():
    assert q.bayes_rating(9.0, 0, 6.5) == pytest.approx(6.5)
    assert q.bayes_rating(9.0, 10_000, 6.5) == pytest.approx(9.0, abs=0.03)
    assert q.bayes_rating(9.0, q.PRIOR_VOTES, 6.5) == pytest.approx(7.75)   # prior votes: half way
    assert q.bayes_rating(8.0, 20, 6.5) < q.bayes_rating(7.5, 2000, 6.5)


@pytest.mark.parametrize(("avg", "votes", "junk", "good"), [
    (7.4, 12, True, False),       # twelve votes mean little
    (5.0, 5000, True, False),     # well known and poorly rated
    (5.5, 50, False, False),      # neither junk nor good
    (6.5, 50, False, True),       # at both floors
    (8.1, 49, True, False),
])
def test_junk_and_good(avg, votes, junk, good):
    assert q.is_junk(avg, votes) is junk
    assert q.is_good(avg, votes) is good
    assert not (q.is_junk(avg, votes) and q.is_good(avg, votes))


def test_a_gem_is_obscure_trusted_and_good_and_never_in_the_top_ten_percent():
    assert q.is_gem(7.4, 310, 55.0)
    assert not q.is_gem(7.4, 310, 80.0)               # above the default ceiling (75)
    assert q.is_gem(7.4, 310, 80.0, ceiling=85.0)
    assert q.is_gem(6.5, 50, 75.0) and not q.is_gem(6.5, 49, 75.0)      # both floors and the ceiling inclusive
    assert q.is_gem(7.0, 3000, 90.0, ceiling=95.0) and not q.is_gem(7.0, 3000, 90.01, ceiling=95.0)
    assert not q.is_gem(8.5, 20_000, 95.0, ceiling=100.0)   # held at 90 whatever is asked
    assert not q.is_gem(7.4, 30, 20.0)                # too few votes
    assert not q.is_gem(6.0, 400, 55.0)               # not good enough
    assert q.clamp_ceiling(None) == q.GEM_CEILING
    assert q.clamp_ceiling(5.0) == q.GEM_CEILING_MIN and q.clamp_ceiling(100.0) == q.GEM_CEILING_MAX
    rng = np.random.default_rng(3)
    avg, votes, pct = rng.uniform(3, 9, 500), rng.integers(0, 5000, 500), rng.uniform(0, 100, 500)
    mask = q.gem_mask(avg, votes, pct, 80.0)
    assert mask.tolist() == [q.is_gem(a, v, p, 80.0) for a, v, p in zip(avg, votes, pct, strict=True)]
    assert q.junk_mask(avg, votes).tolist() == [q.is_junk(a, v) for a, v in zip(avg, votes, strict=True)]


def test_the_vote_scale_reads_percentiles_in_votes():
    scale = q.VoteScale.of([(10.0, 12), (34.0, 50), (40.0, 219), (60.0, 414), (75.0, 829), (99.0, 12000)])
    assert scale.max_votes_at(60.0) == 414 and scale.max_votes_at(74.9) == 414 and scale.max_votes_at(5.0) == 0
    # mid-ingest a film's percentile can lag its votes: "at most N votes" still names the most at or under
    lagging = q.VoteScale.of([(10.0, 12), (20.0, 900), (40.0, 219), (60.0, 414)])
    assert lagging.max_votes_at(40.0) == 900 and lagging.max_votes_at(60.0) == 900
    assert scale.describe(75.0) == "at most 830 votes"   # 829, as a person says it (rounded up: still true)
    assert [q.round_votes(v) for v in (48, 219, 1234, 12345, 800)] == [48, 220, 1250, 12500, 800]


def test_list_quality_counts_junk_and_obscurity():
    content = ContentIndex(np.array([1, 2, 3, 4]), np.eye(4, dtype=np.float32), np.array([10.0, 50.0, 95.0, 99.0]),
                           vote_count=np.array([10, 300, 5000, 9000]), rating_score=np.array([6.0, 7.0, 7.5, 5.0]),
                           vote_average=np.array([8.0, 7.0, 7.5, 5.0]))
    r = zone_quality.list_quality([[1, 2], [3, 4]], content)
    assert r["slots"] == 4 and r["junk@10"] == 0.5          # 1: ten votes; 4: average 5.0
    assert r["median_popularity_percentile"] == 72.5 and r["share_above_p90"] == 0.5
    assert content.gem_mask(75.0).tolist() == [False, True, False, False]


def test_opposite_pairs_are_negatively_correlated_on_enough_shared_films():
    a = {m: float(v) for m, v in zip(range(6), (5, 4, 5, 1, 2, 1), strict=True)}
    b = {m: 6.0 - v for m, v in a.items()}          # the mirror image
    c = dict(a)                                     # the same taste
    d = {m: v for m, v in b.items() if m < 3}       # too few films in common
    pairs = zone_quality.opposite_pairs({"a": a, "b": b, "c": c, "d": d})
    assert [(x, y) for x, y, _ in pairs] == [("a", "b"), ("b", "c")]
    assert all(r <= zone_quality.OPPOSITE_MAX_PEARSON for _, _, r in pairs)
