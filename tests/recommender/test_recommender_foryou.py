"""rank_for_you, hidden gems, onboarding and the artifact round trip on a small synthetic catalogue."""

from __future__ import annotations

import json

import numpy as np
import pytest

from services.recommender import quality
from services.recommender.content import ContentIndex
from services.recommender.models import EASE
from services.recommender.offline.training import CURRENT, load_latest, train_from_ratings
from services.recommender.ratings import Ratings
from services.recommender.zones.for_you import BlendParams, rank_for_you
from services.recommender.zones.for_you import onboarding_ids as onboarding
from services.recommender.zones.hidden_gems import liked_genres, rank_hidden_gems_for_taste

N = 40   # films 1..40: 1-20 cluster A (vector e0 + noise), 21-40 cluster B (e1 + noise)


def catalogue() -> ContentIndex:
    rng = np.random.default_rng(1)
    ids = np.arange(1, N + 1)
    vec = np.zeros((N, 8), dtype=np.float32)
    vec[:20, 0] = 1
    vec[20:, 1] = 1
    vec += 0.1 * rng.standard_normal(vec.shape).astype(np.float32)
    pct = np.linspace(100, 1, N).astype(np.float32) % 100        # mixed popularity
    genres = [["Drama"] if i % 3 == 0 else ["Comedy"] if i % 3 == 1 else ["Horror"] for i in range(N)]
    return ContentIndex(ids, vec, pct, vote_count=(pct * 10).astype(int), rating_score=rng.uniform(5, 8, N),
                        genres=genres)


def ratings() -> Ratings:
    rng = np.random.default_rng(2)
    users, movies, values = [], [], []
    for u in range(30):
        films = rng.choice(np.arange(1, 21) if u < 15 else np.arange(21, 41), size=8, replace=False)
        for f in films:
            users.append(f"u{u}")
            movies.append(int(f))
            values.append(float(rng.choice([4.0, 5.0])))
    n = len(users)
    return Ratings(np.array(users, dtype=object), np.array(movies), np.array(values, dtype=np.float32),
                   np.arange(n))


def fitted() -> EASE:
    r = ratings()
    from services.recommender.models import build_matrix

    m, _, items = build_matrix(r.user_ids, r.movie_ids, r.values)
    return EASE(lam=5.0).fit(m, items)


def test_for_you_follows_taste_excludes_and_respects_max_percentile():
    model, content = fitted(), catalogue()
    history = {1: 5.0, 2: 5.0, 3: 4.5, 4: 5.0, 5: 4.0, 30: 1.0}
    out = rank_for_you(model, content, history, exclude=set(history) | {6}, k=5)
    ids = [s.movie_id for s in out]
    assert len(ids) == 5 and not set(ids) & (set(history) | {6})
    assert all(m <= 20 for m in ids)                     # cluster A
    assert all(s.because and set(s.because) <= set(history) for s in out)
    assert [s.score for s in out] == sorted((s.score for s in out), reverse=True)
    capped = rank_for_you(model, content, history, exclude=set(history), k=5, max_percentile=40)
    for s in capped:
        assert content.popularity_percentile[content.index_of(s.movie_id)] <= 40


def test_a_new_rating_moves_for_you():
    model, content = fitted(), catalogue()
    a = [s.movie_id for s in rank_for_you(model, content, {1: 5.0, 2: 5.0, 3: 5.0, 4: 5.0, 5: 5.0}, set(), 5)]
    h = {1: 5.0, 2: 5.0, 3: 5.0, 4: 5.0, 5: 5.0, 21: 5.0, 22: 5.0, 23: 5.0, 24: 5.0, 25: 5.0, 26: 5.0}
    b = [s.movie_id for s in rank_for_you(model, content, h, set(h), 5)]
    assert a != b and any(m > 20 for m in b)


def test_fallbacks_for_few_and_no_ratings():
    model, content = fitted(), catalogue()
    few = rank_for_you(model, content, {25: 5.0, 26: 4.0}, exclude={25, 26}, k=4)
    assert all(s.movie_id > 20 for s in few[:2]) and all(s.cf == 0 for s in few)
    cold = rank_for_you(model, content, {}, exclude={1}, k=6)
    assert len(cold) == 6 and 1 not in {s.movie_id for s in cold}
    genres = {content.genres[content.index_of(s.movie_id)][0] for s in cold}
    assert len(genres) == 3                                     # spread across genres


def test_hidden_gems_are_obscure_trusted_and_good():
    model, content = fitted(), catalogue()
    history = {1: 5.0, 2: 5.0, 3: 4.5, 4: 5.0, 5: 4.0}
    out = rank_hidden_gems_for_taste(model, content, history, set(history), k=5, ceiling=60)
    assert out
    for s in out:
        i = content.index_of(s.movie_id)
        assert content.popularity_percentile[i] <= 60 and s.movie_id not in history
        assert content.vote_count[i] >= quality.TRUST_MIN_VOTES and content.vote_average[i] >= 6.5
    # a ceiling above the catalogue's top 10% is held at 90; none under the trust floor
    loose = rank_hidden_gems_for_taste(model, content, history, set(history), k=40, ceiling=100)
    assert loose and all(content.popularity_percentile[content.index_of(s.movie_id)] <= 90 for s in loose)
    # only gems with a genre the liked films share: liked = above the user's mean (films 1, 2, 4: Drama,
    # Comedy, Drama); a genre counts when at least 2 of them have it
    assert liked_genres(content, history) == {"Drama"}
    allowed = {int(m) for i, m in enumerate(content.movie_ids) if content.gem_mask(90)[i]
               and "Drama" in content.genres[i]}
    assert {s.movie_id for s in loose} == allowed - set(history)
    ungated = rank_hidden_gems_for_taste(model, content, history, set(history), k=40, ceiling=100,
                                         params=BlendParams(gem_genre_gate=False))
    assert {s.movie_id for s in ungated} == {int(m) for m in content.movie_ids[content.gem_mask(90)]} - set(history)


def test_together_fits_are_calibrated_for_every_member_and_film():
    from services.recommender.serving import ModelState
    from services.recommender.tastes import Taste
    from services.recommender.zones.together import together_picks

    model, content = fitted(), catalogue()
    st = ModelState(model=model, content=content, version="t")
    a = Taste("a", "a", {1: 5.0, 2: 5.0, 3: 4.5, 4: 5.0, 5: 4.0}, frozenset({1, 2, 3, 4, 5}), frozenset(), frozenset())
    b = Taste("b", "b", {21: 5.0, 22: 5.0, 23: 4.5, 24: 5.0, 25: 4.0}, frozenset({21, 22, 23, 24, 25}), frozenset(),
              frozenset())
    new = Taste("n", "n", {}, frozenset(), frozenset(), frozenset())
    picks, known = together_picks(st, [a, b], 6)
    assert known == [True, True] and len(picks) == 6
    assert not {m for m, _, _ in picks} & (a.seen | b.seen)
    for _, group, fits in picks:
        assert all(0.0 <= f <= 1.0 and f == round(f, 4) for f in fits)     # one rounded value for text and API
        assert group == pytest.approx(sum(fits) / 2, abs=1e-4)          # the group fit: the mean fit
    # the floor: two disjoint clusters, so no film is in both members' best 10%: the picks come from the 18
    # films (3 x 6) whose lower fit is highest
    lows = [min(fits) for _, _, fits in picks]
    _, _, everyone = zip(*together_picks(st, [a, b], 30)[0], strict=True)
    assert min(lows) >= sorted((min(f) for f in everyone), reverse=True)[17]
    _, known = together_picks(st, [a, new], 3)
    assert known == [True, False]


def test_onboarding_is_well_known_and_diverse():
    content = catalogue()
    ids = onboarding(content, 6, min_percentile=50)
    assert len(ids) == 6 and len(set(ids)) == 6
    assert len({content.genres[content.index_of(m)][0] for m in ids}) == 3


def test_content_profile_pulls_liked_and_pushes_disliked():
    content = catalogue()
    p = content.profile({1: 5.0, 2: 5.0, 21: 1.0})
    s = content.scores(p)
    assert s[:20].mean() > 0 > s[20:].mean()
    assert content.profile({}) is None


def test_artifact_round_trip_and_current_pointer(tmp_path):
    r = ratings()
    assert load_latest(tmp_path) is None
    v1 = train_from_ratings(r, tmp_path, kind="ease", params={"lam": 5.0, "signal": "binary"}, min_item_ratings=1)
    assert (tmp_path / CURRENT).read_text().strip() == v1.version
    manifest = json.loads((tmp_path / v1.version / "manifest.json").read_text())
    assert manifest["kind"] == "ease" and manifest["params"]["lam"] == 5.0 and manifest["counts"]["users"] == 30
    loaded = load_latest(tmp_path)
    assert loaded is not None and loaded.version == v1.version
    fresh = fitted()
    h = {1: 5.0, 2: 4.0}
    np.testing.assert_allclose(loaded.model.score_history(h), fresh.score_history(h), atol=1e-5)
    # a second version moves the pointer; the first stays on disk
    r2 = Ratings(r.user_ids[:-5], r.movie_ids[:-5], r.values[:-5], r.ts[:-5])
    v2 = train_from_ratings(r2, tmp_path, kind="ease", params={"lam": 5.0, "signal": "binary"}, min_item_ratings=1)
    assert v2.version != v1.version and load_latest(tmp_path).version == v2.version
    assert (tmp_path / v1.version / "arrays.npz").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    (tmp_path / CURRENT).write_text("missing-version\n")
    assert load_latest(tmp_path) is None


def test_ratings_from_csv_maps_ids_and_keeps_the_later_rating(tmp_path):
    from services.recommender.ratings import ratings_from_csv

    f = tmp_path / "ratings.csv"
    f.write_text("userId,movieId,rating,timestamp\n1,10,4.0,100\n1,11,2.0,200\n2,12,5.0,50\n2,99,3.0,10\n")
    r = ratings_from_csv(f, {10: 500, 11: 500, 12: 600})
    got = sorted(zip(r.user_ids, r.movie_ids.tolist(), r.values.tolist(), r.ts.tolist(), strict=True))
    assert got == [("ml:1", 500, 2.0, 200), ("ml:2", 600, 5.0, 50)]
