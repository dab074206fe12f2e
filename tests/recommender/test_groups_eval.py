"""The Together evaluation's parts (offline/groups.py): the group sampler, the aggregations, the metrics,
the bootstrap and the groups CSV reader."""

from __future__ import annotations

import numpy as np
import pytest

from services.recommender.content import ContentIndex
from services.recommender.offline import groups as G
from services.recommender.zones import together


def _taste_world(n_users: int = 40, n_films: int = 60, seed: int = 3):
    """Two camps of users with opposite tastes over the same films, plus held-out relevant films."""
    rng = np.random.default_rng(seed)
    hist: dict[str, dict[int, float]] = {}
    relevant: dict[str, set[int]] = {}
    base = rng.uniform(1, 5, n_films)
    for u in range(n_users):
        camp = u % 2
        films = rng.choice(n_films, size=20, replace=False)
        vals = base[films] if camp == 0 else 6 - base[films]
        noisy = np.clip(vals + rng.normal(0, 0.3, len(vals)), 0.5, 5)
        hist[f"u{u}"] = {int(f): float(v) for f, v in zip(films, noisy, strict=True)}
        relevant[f"u{u}"] = {int(x) for x in rng.choice(np.arange(100, 140), size=3, replace=False)}
    return hist, relevant


def test_pearson_pairs_matches_numpy_on_the_co_rated_films():
    hist = {"a": {1: 5, 2: 4, 3: 1, 4: 2, 5: 3, 9: 4}, "b": {1: 4, 2: 5, 3: 2, 4: 1, 5: 3},
            "c": {1: 1, 2: 2, 3: 5, 4: 4, 5: 3}, "d": {1: 3, 2: 3}}
    pairs = G.pearson_pairs(hist, ["a", "b", "c", "d"])
    a, b, c = [1 * v for v in (5, 4, 1, 2, 3)], [4, 5, 2, 1, 3], [1, 2, 5, 4, 3]
    assert pairs[("a", "b")] == pytest.approx(np.corrcoef(a, b)[0, 1])
    assert pairs[("a", "c")] == pytest.approx(np.corrcoef(a, c)[0, 1])
    assert not any("d" in p for p in pairs)  # two co-rated films: no correlation taken


def test_sampler_is_deterministic_and_respects_each_kind():
    hist, relevant = _taste_world()
    kinds = {"random2": (2, 30), "similar2": (2, 30), "divergent2": (2, 30), "random4": (4, 10)}
    one = G.sample_groups(hist, relevant, kinds, seed=5)
    assert one == G.sample_groups(hist, relevant, kinds, seed=5)
    assert one != G.sample_groups(hist, relevant, kinds, seed=6)
    pairs = G.pearson_pairs(hist, sorted(hist))
    by_kind: dict[str, list[G.Group]] = {}
    for g in one:
        by_kind.setdefault(g.kind, []).append(g)
        assert len(set(g.members)) == len(g.members) == kinds[g.kind][0]
        rated = set().union(*(hist[u] for u in g.members))
        assert all(relevant[u] - rated for u in g.members)   # every member has something to find
    assert {k: len(v) for k, v in by_kind.items()} == {"random2": 30, "similar2": 30, "divergent2": 30, "random4": 10}
    assert all(pairs[g.members] >= G.SIMILAR_MIN_PEARSON for g in by_kind["similar2"])
    assert all(pairs[g.members] < G.DIVERGENT_MAX_PEARSON for g in by_kind["divergent2"])
    assert len({g.members for g in by_kind["random2"]}) == 30   # no pair twice


def test_sampler_skips_a_group_whose_relevant_films_another_member_rated():
    hist = {"a": {1: 5.0, 2: 4.0}, "b": {3: 5.0, 4: 2.0}}
    relevant = {"a": {3}, "b": {9}}   # a's only relevant film is one b rated: not a usable group
    assert G.sample_groups(hist, relevant, {"random2": (2, 5)}) == []
    relevant["a"] = {3, 7}
    assert [g.members for g in G.sample_groups(hist, relevant, {"random2": (2, 5)})] == [("a", "b")]


def test_aggregations_on_a_known_case():
    # film 0: great for A, awful for B; film 1: good for both; film 2: great for B, awful for A
    fits = np.array([[1.0, 0.7, 0.0, 0.1], [0.0, 0.7, 1.0, 0.2]])
    assert G.average(fits, 2) == [1, 0]                  # mean 0.5 ties films 0 and 2: the lower index first
    assert G.least_misery(fits, 2) == [1, 3]
    assert G.gfar(fits, 2, n=2)[:2] in ([0, 2], [2, 0])  # each member's favourite: both are served
    assert together.select(fits, 3)[0] == 1              # the served list leads with the film both like


def test_gfar_serves_the_member_nobody_else_serves():
    rng = np.random.default_rng(0)
    fits = rng.uniform(0, 0.5, (3, 200))
    fits[0, :10] = fits[1, :10] = 0.99   # two members agree on ten films
    fits[2, 50] = 1.0                    # the third has one clear favourite
    assert 50 in G.gfar(fits, 10, n=20)
    assert 50 not in G.average(fits, 10)


def test_group_metrics():
    mean, low, all_hit = G.group_metrics([5, 6, 7], [{5}, {7}])
    assert low == pytest.approx(0.5) and mean == pytest.approx(0.75) and all_hit == 1.0
    assert G.group_metrics([5, 6, 7], [{5}, {99}]) == (0.5, 0.0, 0.0)


def test_paired_bootstrap_sees_a_real_difference_and_not_a_null_one():
    rng = np.random.default_rng(1)
    base = rng.uniform(0, 1, 500)
    up = G.paired_bootstrap(base + 0.05, base, np.random.default_rng(2))
    assert up["diff"] == pytest.approx(0.05) and up["diff_ci95"][0] > 0 and up["rel_ci95"][0] > 0
    same = G.paired_bootstrap(base, rng.permutation(base), np.random.default_rng(2))
    assert same["diff_ci95"][0] < 0 < same["diff_ci95"][1]


def test_evaluate_groups_scores_every_method_and_compares_served():
    n = 30
    content = ContentIndex(np.arange(1, n + 1), np.eye(n, dtype=np.float32), np.linspace(1, 99, n),
                           vote_count=np.full(n, 500), rating_score=np.full(n, 7.0))
    ids = [int(m) for m in content.movie_ids]
    hist = {"a": {ids[0]: 5.0}, "b": {ids[1]: 5.0}}
    relevant = {"a": {ids[2]}, "b": {ids[-1]}}
    fits = {"a": np.linspace(1, 0, len(ids)), "b": np.linspace(0, 1, len(ids))}
    groups = [G.Group("g1", "random2", ("a", "b"))]
    res = G.evaluate_groups(groups, hist, relevant, fits.__getitem__, content,
                            {"served": G.gfar, "average": G.average})
    r = res["methods"]["random2"]
    assert set(r) == {"served", "average", "individual"} and r["served"]["groups"] == 1
    assert r["individual"]["all_hit@10"] == 1.0   # alone, each finds their film
    assert r["served"]["all_hit@10"] == 1.0       # GFAR puts both favourites in
    assert set(res["comparisons"]["random2"]) == {"served_vs_average"}


def test_read_groups(tmp_path):
    f = tmp_path / "groups.csv"
    f.write_text("group_id,kind,user_id\n1,random2,414\n1,random2,68\n2,random4,1\n2,random4,2\n2,random4,3\n")
    assert G.read_groups(f) == [G.Group("1", "random2", ("ml:414", "ml:68")),
                                G.Group("2", "random4", ("ml:1", "ml:2", "ml:3"))]


@pytest.mark.parametrize(("text", "message"), [
    ("group_id,user_id\n1,414\n", "missing column(s) kind"),
    ("group_id,kind,user_id\n1,random2,\n", ":2: empty"),
    ("group_id,kind,user_id\n1,random2,abc\n1,random2,4\n", "not a MovieLens user id"),
    ("group_id,kind,user_id\n1,random2,1\n1,random4,2\n", "has two kinds"),
    ("group_id,kind,user_id\n1,random2,1\n", "fewer than two members"),
])
def test_read_groups_errors(tmp_path, text, message):
    f = tmp_path / "groups.csv"
    f.write_text(text)
    with pytest.raises(G.GroupFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        G.read_groups(f)
    with pytest.raises(G.GroupFileError, match="cannot read"):
        G.read_groups(tmp_path / "missing.csv")


def test_unknown_members_are_skipped_and_counted():
    hist = {"ml:1": {1: 5.0}, "ml:2": {2: 4.0}}
    relevant = {"ml:1": {5}, "ml:2": {6}}
    groups = [G.Group("a", "random2", ("ml:1", "ml:2")), G.Group("b", "random2", ("ml:1", "ml:999")),
              G.Group("c", "random2", ("ml:1", "ml:3"))]
    kept, skipped = G.known_groups(groups, hist, relevant)
    assert [g.group_id for g in kept] == ["a"] and skipped == {"unknown_member": 2,
                                                               "member_without_relevant_film": 0}


def test_served_select_serves_each_member_and_leads_with_shared_films():
    rng = np.random.default_rng(4)
    n = 500
    a, b = rng.permutation(n) / (n - 1), rng.permutation(n) / (n - 1)   # unrelated tastes, calibrated fits
    fits = np.vstack([a, b])
    order = together.select(fits, 10, floor=0.0)   # without the floor: proportional fairness alone
    assert len(order) == len(set(order)) == 10
    best_a, best_b = int(np.argmax(a)), int(np.argmax(b))
    assert {best_a, best_b} <= set(order[:4])           # each member's favourite comes early
    shared = int(np.argmax(np.minimum(a, b)))
    if min(a[shared], b[shared]) > 0.98:                 # a film both rank in their top 2%: it comes first
        assert order[0] == shared
    # a member without a film of theirs gets the next pick: after b's favourite, a's best left is next
    assert together.select(fits, 1, n_films=n, floor=0.0) in ([best_a], [best_b], [shared])
    # the bonus multiplies every member's chance: a middling film with a large bonus moves to the front
    mid = int(np.argsort(a + b)[n // 2])
    bonus = np.zeros(n)
    bonus[mid] = 5.0
    assert together.select(fits, 10, bonus, floor=0.0)[0] == mid
    # the floor: every pick is in both members' best 10% while ten films are; else least misery fills the rest
    lowest = fits.min(axis=0)
    clear = int((lowest >= together.FIT_FLOOR).sum())
    assert 1 <= clear < 10
    floored = together.select(fits, 10)           # too few clear it: from the 30 films with the highest lowest fit
    assert len(floored) == len(set(floored)) == 10
    assert lowest[floored].min() >= np.sort(lowest)[-3 * 10]
    many = together.select(fits, 2)               # enough clear it for two picks (3 x 2 <= clear): only those
    assert clear < 6 or lowest[many].min() >= together.FIT_FLOOR
    assert lowest[together.select(fits, 1)].min() >= together.FIT_FLOOR
    assert together.select(np.zeros((0, 5)), 3) == [] and together.select(fits, 0) == []


def test_eval_refuses_a_bad_groups_file_before_loading_anything(tmp_path):
    from services.recommender.offline import evaluation

    f = tmp_path / "groups.csv"
    f.write_text("group,kind,user\n1,random2,4\n")
    with pytest.raises(SystemExit, match=r"--groups: .*missing column\(s\) group_id, user_id"):
        evaluation.main(["--groups", str(f), "--no-docs", "--out", str(tmp_path)])


def test_a_film_on_a_members_watchlist_is_lifted_for_that_member():
    rng = np.random.default_rng(9)
    n = 2000
    base = rng.uniform(0.9, 1.0, n)
    fits = np.vstack([base, np.clip(base + rng.normal(0, 0.02, n), 0, 1)])
    plain = together.select(fits, 10)
    wanted = int(np.argsort(-fits.min(axis=0))[40])   # clears the floor, not in the plain top 10
    assert wanted not in plain
    lift = np.ones_like(fits)
    lift[1, wanted] = together.WATCHLIST_LIFT
    assert wanted in together.select(fits, 10, lift=lift)


def test_on_watchlist_reason_names_the_members():
    from services.recommender import reasons
    from services.recommender.tastes import Taste

    ana = Taste("u1", "ana", {}, frozenset(), frozenset(), frozenset())
    ben = Taste("u2", "ben", {}, frozenset(), frozenset(), frozenset())
    one = reasons.on_watchlist([ana], 1.5)
    assert one.text == "On ana's watchlist." and list(one.user_ids) == ["u1"]
    assert reasons.on_watchlist([ana, ben], 1.5).text == "On the watchlists of ana and ben."
