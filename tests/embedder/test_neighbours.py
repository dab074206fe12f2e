"""The nearest-film lists' arithmetic (services/embedder/neighbours.py); against PostgreSQL, the lists are
checked in tests/integration/test_embedder.py."""

from __future__ import annotations

import numpy as np

from services.embedder import neighbours
from services.embedder.neighbours import LIST_LENGTH, top_similar, unit


def brute_force(m: np.ndarray, ids: np.ndarray, k: int) -> list[list[int]]:
    out = []
    for i in range(len(m)):
        sims = [(float(m[i] @ m[j]), int(ids[j])) for j in range(len(m)) if j != i]
        out.append([mid for _, mid in sorted(sims, key=lambda p: -p[0])[:k]])
    return out


def test_top_similar_is_the_exact_top_k_never_the_film_itself(monkeypatch):
    monkeypatch.setattr(neighbours, "BLOCK", 7)  # several blocks, the last one short
    rng = np.random.default_rng(1)
    m = unit(rng.normal(size=(30, 16)))
    ids = np.arange(100, 130)
    got = top_similar(m, ids, m, ids, k=5)
    assert [g[0].tolist() for g in got] == brute_force(m, ids, 5)
    for (nids, sims), i in zip(got, range(30), strict=True):
        assert ids[i] not in nids
        assert np.all(np.diff(sims) <= 0)
        assert np.allclose(sims, [m[i] @ m[np.flatnonzero(ids == n)[0]] for n in nids], atol=1e-6)


def test_top_similar_on_a_catalogue_smaller_than_the_list():
    m = unit(np.eye(3, 4) + 0.1)
    got = top_similar(m, np.array([1, 2, 3]), m, np.array([1, 2, 3]), k=LIST_LENGTH)
    assert [sorted(g[0].tolist()) for g in got] == [[2, 3], [1, 3], [1, 2]]
    alone = top_similar(m[:1], np.array([1]), m[:1], np.array([1]))
    assert [len(g[0]) for g in alone] == [0]


def test_the_lists_computed_again_are_all_that_a_change_can_alter():
    """After some films' vectors change, every list that differs from the one kept is among `affected`, and
    affected is not simply everything."""
    rng = np.random.default_rng(7)
    m = unit(rng.normal(size=(300, 24)))
    ids = np.arange(1000, 1300)
    k = 20
    before = {int(i): (n, s) for i, (n, s) in zip(ids, top_similar(m, ids, m, ids, k=k), strict=True)}
    changed_rows = np.array([3, 150, 299])
    m2 = m.copy()
    m2[changed_rows] = unit(rng.normal(size=(3, 24)))
    after = {int(i): n.tolist() for i, (n, _) in zip(ids, top_similar(m2, ids, m2, ids, k=k), strict=True)}
    changed = set(ids[changed_rows].tolist())
    kept = [(mid, bool(changed & set(n.tolist())), float(s[-1])) for mid, (n, s) in before.items()]
    redo = neighbours.affected(changed_rows, m2, ids, kept)
    differ = {mid for mid in after if after[mid] != before[mid][0].tolist()}
    assert changed <= redo and differ <= redo
    assert len(redo) < len(ids) / 2


def test_only_the_lists_naming_a_film_that_left_the_axis_are_computed_again():
    m = unit(np.eye(3, 8) + 0.05)
    on_axis = np.array([1, 2, 4])  # film 3 left the axis: no longer in the matrix
    kept = [(1, True, 0.1), (2, False, 0.1), (4, False, None), (3, True, 0.5)]
    assert neighbours.affected(np.array([], dtype=np.int64), m, on_axis, kept) == {1, 4}  # 4: an empty list
