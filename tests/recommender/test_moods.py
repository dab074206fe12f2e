"""The labelled mood set: big enough, split once, labelled with the catalogue's own genre names."""

from __future__ import annotations

from services.recommender.offline.moods import MOODS, REPORT, TUNE
from services.recommender.vibe_query import GENRE_WORDS

CATALOGUE_GENRES = set(GENRE_WORDS) | {"TV Movie", "Foreign"}


def test_at_least_forty_moods_split_into_two_disjoint_halves():
    assert len(MOODS) >= 40 and len({m.text for m in MOODS}) == len(MOODS)
    assert set(TUNE) | set(REPORT) == set(MOODS) and not set(TUNE) & set(REPORT)
    assert abs(len(TUNE) - len(REPORT)) <= 1


def test_every_mood_says_what_counts_and_uses_catalogue_genres():
    for m in MOODS:
        assert m.genres or m.keywords, m.text
        assert set(m.genres) | set(m.exclude) <= CATALOGUE_GENRES, m.text
        assert not set(m.genres) & set(m.exclude), m.text
        assert all(k == k.lower() for k in m.keywords), m.text
    assert sum(bool(m.exclude) for m in MOODS) >= 6   # enough stated exclusions to measure them
