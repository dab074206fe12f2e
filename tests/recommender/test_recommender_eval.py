"""Metrics on hand-computed examples, the holdout split."""

from __future__ import annotations

import math

import numpy as np
import pytest

from services.recommender.offline.evaluation import (
    coverage,
    head_items,
    hit_rate,
    holdout_split,
    longtail_share,
    ndcg,
    novelty,
    recall,
)
from services.recommender.ratings import Ratings


def test_hit_rate_and_ndcg():
    assert hit_rate([1, 2, 3], {3}, k=3) == 1.0
    assert hit_rate([1, 2, 3], {3}, k=2) == 0.0
    # hits at ranks 1 and 3 of 2 relevant: (1 + 1/log2(4)) / (1 + 1/log2(3))
    assert ndcg([7, 8, 9], {7, 9}, k=10) == pytest.approx((1 + 0.5) / (1 + 1 / math.log2(3)))
    assert ndcg([1, 2], {5}, k=10) == 0.0
    # 12 relevant films: the ideal DCG counts only 10 slots
    assert ndcg(list(range(10)), set(range(12)), k=10) == pytest.approx(1.0)


def test_recall():
    assert recall([1, 2, 3, 4], {2, 4, 9, 10}, k=20) == 0.5
    assert recall([1, 2, 3, 4], {4}, k=3) == 0.0


def test_coverage_novelty_longtail():
    lists = [[1, 2], [2, 3]]
    assert coverage(lists, catalogue_size=10, k=2) == pytest.approx(0.3)
    rated_by = {1: 3, 2: 1}   # of 3 users; film 3 unrated
    expected = np.mean([-math.log2(4 / 4), -math.log2(2 / 4), -math.log2(2 / 4), -math.log2(1 / 4)])
    assert novelty(lists, rated_by, n_users=3, k=2) == pytest.approx(expected)
    assert longtail_share(lists, tail={3}, k=2) == pytest.approx(0.25)


def test_head_items_is_the_top_share_of_rated_films():
    counts = {1: 50, 2: 40, 3: 5, 4: 3, 5: 1, 6: 0, 7: 1, 8: 1, 9: 1, 10: 1, 11: 1}
    assert head_items(counts, 0.2) == {1, 2}   # 10 rated films -> 2


def test_holdout_split_takes_the_latest_tenth_at_least_one():
    users = ["a"] * 20 + ["b"] * 3 + ["c"]
    movies = list(range(20)) + [1, 2, 3] + [1]
    ts = list(range(100, 120)) + [5, 9, 7] + [1]
    r = Ratings(np.array(users, dtype=object), np.array(movies), np.ones(24, dtype=np.float32), np.array(ts))
    train, test = holdout_split(r)
    got = sorted(zip(test.user_ids, test.movie_ids, strict=True))
    assert got == [("a", 18), ("a", 19), ("b", 2)]        # a: 2 of 20, b: 1 (its latest), c: only one rating
    assert len(train) == 21 and "c" in set(train.user_ids)
