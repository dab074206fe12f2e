"""Films.with_genres: the films Vibe's exact scan tests one by one when a text names genres (zones/mood.py).
Every film that has all the genres asked for is among them, and a film put later is found."""

from __future__ import annotations

import random

from services.recommender.films import Film, Films

GENRES = ("Drama", "Comedy", "Horror", "Science Fiction", "Romance", "Western")


def film(i: int, genres: tuple[str, ...]) -> Film:
    return Film(id=i, title=f"Film {i}", year=2000, genres=frozenset(genres), keywords=frozenset(), directors=(),
                cast=(), companies=frozenset(), vote_average=7.0, vote_count=100, popularity_percentile=50.0,
                genres_ordered=genres)


def test_every_film_with_all_the_genres_is_found_and_fewer_are_read():
    rng = random.Random(7)
    films = Films()
    films.put_all(film(i, tuple(rng.sample(GENRES, rng.randint(0, 3)))) for i in range(1, 2001))
    for asked in (("Western",), ("Drama", "Horror"), ("Science Fiction", "Romance", "Comedy"), ("Musical",)):
        found = list(films.with_genres(asked))
        meeting = {f.id for f in films.by_id.values() if set(asked) <= f.genres}
        assert meeting <= {f.id for f in found}
        assert len(found) < len(films)  # only one genre's films are read, not the catalogue
    assert len(list(films.with_genres(()))) == len(films)  # no genre asked: every film


def test_a_film_put_after_the_index_was_built_is_found():
    films = Films()
    films.put_all([film(1, ("Drama",)), film(2, ("Western",))])
    assert [f.id for f in films.with_genres(["Western"])] == [2]
    films.put(film(3, ("Western", "Drama")))
    films.put(film(1, ("Western",)))  # a film whose genres changed
    assert sorted(f.id for f in films.with_genres(["Western"])) == [1, 2, 3]
    assert [f.id for f in films.with_genres(["Drama"])] == [3]
