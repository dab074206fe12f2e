"""vibe_evidence: genre and keyword centroids as soft evidence, and the keywords a mood names."""

from __future__ import annotations

import numpy as np

from services.recommender import vibe_evidence as ve
from services.recommender.films import Film


def film(i: int, genres: set[str], keywords: set[str]) -> Film:
    return Film(id=i, title=str(i), year=2000, genres=frozenset(genres), keywords=frozenset(keywords), directors=(),
                cast=(), companies=frozenset(), vote_average=7.0, vote_count=500, popularity_percentile=50.0)


def unit(*xs: float) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


# Three genres and three keywords in a 3-d space: the mood points along the first axis.
EVIDENCE = ve.VibeEvidence(["Comedy", "Horror", "Romance"], np.stack([unit(1, 0, 0), unit(0, 1, 0), unit(0, 0, 1)]),
                           ["dog", "gore", "paris"], np.stack([unit(1, .1, 0), unit(0, 1, 0), unit(0, 0, 1)]),
                           nameable=frozenset({"dog", "gore", "paris", "time travel", "vampire"}))
MOOD = unit(1, 0, 0)


def test_a_film_in_genres_close_to_the_mood_gains_and_one_far_from_it_loses():
    gz, kz = EVIDENCE.affinities(MOOD)
    comedy = EVIDENCE.of(film(1, {"Comedy"}, set()), gz, kz)
    horror = EVIDENCE.of(film(2, {"Horror"}, set()), gz, kz)
    assert comedy.genre > 0 > horror.genre
    assert comedy.keyword == horror.keyword == 0.0 and comedy.best_keyword == ""   # no keywords: no term


def test_only_a_keyword_closer_than_average_adds_and_it_is_named():
    gz, kz = EVIDENCE.affinities(MOOD)
    dog = EVIDENCE.of(film(1, set(), {"dog", "paris"}), gz, kz)
    assert dog.best_keyword == "dog" and dog.keyword == ve.KEYWORD_WEIGHT * dog.best_keyword_z > 0
    far = EVIDENCE.of(film(2, set(), {"gore"}), gz, kz)
    assert far.keyword == 0.0 and far.best_keyword == ""


def test_keywords_the_mood_names_outright():
    assert EVIDENCE.named_in("a heartwarming dog movie") == {"dog"}
    assert EVIDENCE.named_in("Vampires!") == {"vampire"}                  # plural and case folded
    assert EVIDENCE.named_in("a time travel story in Paris") == {"time travel", "paris"}
    assert EVIDENCE.named_in("a timetravel story") == frozenset()          # whole words only
    assert EVIDENCE.named_in("gores") == {"gore"} and EVIDENCE.named_in("dogs") == {"dog"}


def test_a_named_keyword_adds_the_mention_weight():
    gz, kz = EVIDENCE.affinities(MOOD)
    named = EVIDENCE.named_in("paris")
    a = EVIDENCE.of(film(1, set(), {"paris"}), gz, kz, named)
    b = EVIDENCE.of(film(2, set(), {"paris"}), gz, kz)
    assert a.named == "paris" and b.named == ""
    assert abs((a.bonus - b.bonus) - ve.MENTION_WEIGHT) < 1e-9


def test_no_centroids_means_no_evidence():
    empty = ve.VibeEvidence([], np.zeros((0, 3)), [], np.zeros((0, 3)))
    gz, kz = empty.affinities(MOOD)
    e = empty.of(film(1, {"Comedy"}, {"dog"}), gz, kz)
    assert e.bonus == 0.0
