"""Reading a Vibe text: genres, genres to avoid, length and era come out as constraints; the mood
(what is left) is what gets embedded; films are checked against the constraints."""

from __future__ import annotations

import pytest

from services.recommender.vibe_query import describe, fits, parse, relaxed


def test_the_seed_example():
    q = parse("slow-burn sci-fi with a twist, not too long")
    assert q.genres == ("Science Fiction",) and q.avoid == ()
    assert (q.min_runtime, q.max_runtime) == (None, 110)
    assert q.mood == "slow-burn with a twist"  # "burn" stays mood; "sci-fi" and the length are read out
    assert q.constrained


@pytest.mark.parametrize(("text", "genres", "avoid"), [
    ("a rom-com for a rainy sunday", ("Romance", "Comedy"), ()),
    ("romantic comedy", ("Romance", "Comedy"), ()),
    ("something funny, not too scary", ("Comedy",), ("Horror",)),
    ("no horror please, a heist", ("Crime",), ("Horror",)),
    ("science fiction with robots", ("Science Fiction",), ()),
    ("an animated family film", ("Animation", "Family"), ()),
    ("Star Wars vibes", (), ()),          # "wars" is not the genre "War"
    ("a 12-year-old in new york", (), ()),  # nor is "old" an era or "new" a date
])
def test_genres_and_genres_to_avoid(text, genres, avoid):
    q = parse(text)
    assert (q.genres, q.avoid) == (genres, avoid)


@pytest.mark.parametrize(("text", "length"), [
    ("not too long", (None, 110)),
    ("nothing too long, a thriller", (None, 110)),
    ("something short", (None, 100)),
    ("under 90 minutes", (None, 90)),
    ("under 2 hours, a thriller", (None, 120)),
    ("less than an hour", (None, 60)),
    ("not too short", (100, None)),
    ("a long movie for a lazy day", (140, None)),
    ("a long night in a diner", (None, None)),  # a bare "long" is mood
])
def test_lengths(text, length):
    q = parse(text)
    assert (q.min_runtime, q.max_runtime) == length


@pytest.mark.parametrize(("text", "years"), [
    ("an 80s adventure", (1980, 1989)),
    ("1990s crime", (1990, 1999)),
    ("a classic western", (None, 1975)),
    ("something recent", (2010, None)),
    ("slow, warm, rainy", (None, None)),
])
def test_eras(text, years):
    q = parse(text)
    assert (q.min_year, q.max_year) == years


def test_a_pure_mood_is_embedded_as_given():
    q = parse("  slow,   warm,\n rainy ")
    assert q.mood == "slow, warm, rainy" == q.text and not q.constrained


def test_when_only_filler_is_left_the_whole_text_is_embedded():
    assert parse("something scary").mood == "something scary"
    assert parse("a rom-com for a rainy sunday").mood == "rainy sunday"


def test_fits_checks_every_constraint():
    q = parse("slow-burn sci-fi with a twist, not too long")
    scifi = frozenset({"Science Fiction", "Thriller"})
    assert fits(q, scifi, 98, 2004)
    assert not fits(q, scifi, 130, 2004)                  # too long
    assert not fits(q, scifi, None, 2004)                 # unknown length cannot be promised
    assert fits(q, scifi, None, 2004, strict_length=False)
    assert not fits(q, frozenset({"Comedy"}), 86, 1998)   # "Burn, Hollywood, Burn" is no sci-fi
    avoid = parse("funny but no horror")
    assert fits(avoid, frozenset({"Comedy"}), 90, 2000)
    assert not fits(avoid, frozenset({"Comedy", "Horror"}), 90, 2000)
    era = parse("an 80s adventure")
    assert fits(era, frozenset({"Adventure"}), 100, 1985) and not fits(era, frozenset({"Adventure"}), 100, 1991)


def test_relaxing_keeps_what_to_avoid():
    q = parse("an 80s sci-fi, no horror, under 90 minutes")
    loose = relaxed(q, era=False, genres=False)
    assert loose.genres == () and loose.avoid == ("Horror",) and loose.min_year is None
    assert loose.max_runtime == 90  # the length is let go by fits(strict_length=False), not here


def test_reasons_name_only_what_a_film_meets():
    q = parse("slow-burn sci-fi with a twist, not too long")
    assert describe(q, frozenset({"Science Fiction", "Drama"}), 98, 2004) == "Science Fiction, 1 h 38 min, as asked."
    assert describe(q, frozenset({"Drama"}), None, 2004) is None
    assert describe(parse("funny, no horror"), frozenset({"Comedy"}), 95, 2001) == "Comedy, no horror, as asked."
    assert describe(parse("slow, warm, rainy"), frozenset({"Drama"}), 95, 2001) is None


def test_the_mood_keeps_the_requests_own_case():
    assert parse("cosy feel-good comedy for a rainy Sunday").mood == "cosy feel-good for a rainy Sunday"
    assert parse("Slow-burn Sci-Fi with a twist").genres == ("Science Fiction",)
