"""The CF models on a tiny synthetic matrix with two disjoint taste clusters."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from services.recommender.models import (
    ALS,
    EASE,
    Ensemble,
    ItemKNN,
    Popularity,
    apply_signal,
    build_matrix,
    model_from_arrays,
)

ITEMS = np.array([101, 102, 103, 104, 201, 202, 203, 204], dtype=np.int64)   # A: 10x, B: 20x


def clusters() -> sp.csr_matrix:
    """12 users: 6 rate only A films, 6 only B films (each misses one film of their cluster); all 4-5 stars."""
    rng = np.random.default_rng(0)
    rows = []
    for u in range(12):
        base = 0 if u < 6 else 4
        films = [base + j for j in range(4) if j != u % 4]
        rows.append({f: float(rng.choice([4.0, 4.5, 5.0])) for f in films})
    data, r, c = [], [], []
    for u, films in enumerate(rows):
        for f, v in films.items():
            r.append(u)
            c.append(f)
            data.append(v)
    return sp.csr_matrix((np.array(data, dtype=np.float32), (r, c)), shape=(12, 8))


MODELS = [
    lambda: ItemKNN(k=5, shrink=0.0),
    lambda: EASE(lam=1.0),
    lambda: ALS(factors=2, regularization=0.1, alpha=5.0, iterations=30),
    lambda: Ensemble({"ease": {"lam": 1.0}, "itemknn": {"k": 5, "shrink": 0.0},
                      "als": {"factors": 2, "regularization": 0.1, "alpha": 5.0, "iterations": 30}},
                     {"ease": 1.0, "itemknn": 0.5, "als": 0.5}),
]
IDS = ["itemknn", "ease", "als", "ensemble"]


@pytest.mark.parametrize("make", MODELS, ids=IDS)
def test_cluster_a_user_gets_cluster_a_films(make):
    model = make().fit(clusters(), ITEMS)
    s = model.score_history({101: 5.0, 102: 4.0})
    unrated = {103: s[2], 104: s[3]}
    b_films = s[4:]
    assert min(unrated.values()) > b_films.max()
    s_b = model.score_history({201: 5.0, 203: 5.0})
    assert min(s_b[5], s_b[7]) > s_b[:4].max()


@pytest.mark.parametrize("make", MODELS, ids=IDS)
def test_fold_in_moves_scores_when_history_changes(make):
    model = make().fit(clusters(), ITEMS)
    before = model.score_history({101: 5.0})
    after = model.score_history({101: 5.0, 201: 5.0})
    assert not np.allclose(before, after)
    assert after[5] > before[5]     # rating a B film raises the other B films


@pytest.mark.parametrize("make", MODELS, ids=IDS)
def test_round_trip_through_arrays_gives_the_same_scores(make):
    model = make().fit(clusters(), ITEMS)
    again = model_from_arrays(model.kind, model.params(), model.arrays())
    h = {101: 5.0, 104: 3.0}
    np.testing.assert_allclose(model.score_history(h), again.score_history(h), rtol=1e-5, atol=1e-6)


def test_popularity_counts_raters_and_ignores_history():
    m = sp.csr_matrix(np.array([[5, 0, 1], [4, 3, 0], [2, 0, 0]], dtype=np.float32))
    model = Popularity().fit(m, np.array([1, 2, 3]))
    np.testing.assert_array_equal(model.score_history({}), [3, 1, 1])
    np.testing.assert_array_equal(model.score_history({1: 5.0}), [3, 1, 1])


def test_ease_matches_closed_form_and_has_zero_diagonal():
    x = clusters()
    model = EASE(lam=2.0).fit(x, ITEMS)
    g = (apply_signal(x, "binary").T @ apply_signal(x, "binary")).toarray() + 2.0 * np.eye(8)
    p = np.linalg.inv(g)
    expected = -p / np.diag(p)
    np.fill_diagonal(expected, 0.0)
    np.testing.assert_allclose(model.B, expected, atol=1e-5)
    assert model.explain(model.history_row({101: 5.0, 201: 5.0}), model.index_of(102)) == [0]


def test_als_fold_in_matches_implicit_recalculate_user():
    from implicit.cpu.als import AlternatingLeastSquares

    x = clusters()
    model = ALS(factors=4, regularization=0.01, alpha=5.0, iterations=10).fit(x, ITEMS)
    ref = AlternatingLeastSquares(factors=4, regularization=0.01, alpha=1.0)
    ref.item_factors = model.item_factors
    ref.user_factors = np.zeros((1, model.item_factors.shape[1]), dtype=np.float32)
    row = model.history_row({101: 5.0, 103: 4.0})
    c = apply_signal(row, "binary")
    c.data *= model.alpha
    np.testing.assert_allclose(model.user_factor(row), np.asarray(ref.recalculate_user(0, c)).ravel(), rtol=1e-3,
                               atol=1e-4)


def test_signals():
    m = sp.csr_matrix(np.array([[5.0, 3.0, 0.5]], dtype=np.float32))
    assert apply_signal(m, "binary").toarray().tolist() == [[1, 1, 1]]
    assert apply_signal(m, "liked").toarray().tolist() == [[1, 0, 0]]
    np.testing.assert_allclose(apply_signal(m, "graded").toarray(), [[1.0, 0.6, 0.1]])


def test_build_matrix_drops_rarely_rated_films():
    users = np.array(["a", "a", "b", "c"], dtype=object)
    movies = np.array([1, 2, 1, 1])
    m, order, items = build_matrix(users, movies, np.array([5, 4, 3, 2], dtype=np.float32), min_item_ratings=2)
    assert order == ["a", "b", "c"] and items.tolist() == [1]
    assert m.toarray().ravel().tolist() == [5, 3, 2]


def _z(x):
    return (x - x.mean()) / x.std()


def test_ensemble_is_the_weighted_sum_of_its_members_z_scores():
    x = clusters()
    ens = Ensemble({"ease": {"lam": 2.0}, "itemknn": {"k": 5, "shrink": 0.0}}, {"ease": 1.0, "itemknn": 0.5})
    ens.fit(x, ITEMS)
    ease, knn = EASE(lam=2.0).fit(x, ITEMS), ItemKNN(k=5, shrink=0.0).fit(x, ITEMS)
    h = {101: 5.0, 102: 4.0, 201: 2.0}
    expected = _z(ease.score_history(h)) + 0.5 * _z(knn.score_history(h))
    np.testing.assert_allclose(ens.score_history(h), expected, rtol=1e-5, atol=1e-5)
    # a weight of 0 leaves a member out: EASE alone, z-scored (same order as EASE)
    ens.weights = {"ease": 1.0, "itemknn": 0.0}
    np.testing.assert_allclose(ens.score_history(h), _z(ease.score_history(h)), rtol=1e-5, atol=1e-5)
    # explanations come from EASE's item-item weights
    row = ens.history_row({101: 5.0, 201: 5.0})
    assert ens.explain(row, ens.index_of(102)) == ease.explain(row, ease.index_of(102)) == [0]


def test_ensemble_round_trip_keeps_members_and_weights():
    ens = MODELS[-1]().fit(clusters(), ITEMS)
    ens.set_rated_counts(ITEMS, np.arange(8))
    again = model_from_arrays(ens.kind, ens.params(), ens.arrays())
    assert again.weights == ens.weights and set(again.members) == {"ease", "itemknn", "als"}
    assert again.params() == ens.params()
    np.testing.assert_array_equal(again.rated_counts, np.arange(8))
    np.testing.assert_array_equal(again.members["ease"].B, ens.members["ease"].B)
