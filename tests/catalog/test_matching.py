"""MatchFilms' decision rules (services/catalog/matching.py), over candidate rows as the SQL returns them."""

from __future__ import annotations

from movierec.catalog.v1 import catalog_pb2 as pb

from services.catalog.matching import Candidate, decide


def q(title: str, year: int | None = None, imdb: str = "") -> pb.FilmQuery:
    query = pb.FilmQuery(title=title, imdb_id=imdb)
    if year is not None:
        query.year = year
    return query


def c(mid: int, year: int | None, *, imdb: str = "", votes: int = 10, by_id: bool = False, title: bool = True,
      original: bool = False) -> Candidate:
    return Candidate(movie_id=mid, title="T", year=year, imdb_id=imdb, vote_count=votes, by_imdb_id=by_id,
                     by_title=title, by_original_title=original)


def test_the_imdb_id_wins_over_titles():
    m = decide(q("The Matrix", 1999, "tt0133093"), [c(603, 1999, imdb="tt0133093", by_id=True), c(9, 1999)])
    assert (m.outcome, m.movie_id, m.matched_by) == (pb.MATCH_OUTCOME_MATCHED, 603, "imdb_id")
    assert "IMDb id tt0133093" in m.reason


def test_one_film_of_that_title_and_year_matches():
    m = decide(q("Matrix, The", 1999), [c(603, 1999), c(604, 2003)])
    assert (m.outcome, m.movie_id, m.matched_by) == (pb.MATCH_OUTCOME_MATCHED, 603, "title")
    assert not m.year_off_by_one


def test_the_original_title_is_said():
    m = decide(q("Le fabuleux destin d'Amélie Poulain", 2001), [c(194, 2001, title=False, original=True)])
    assert (m.outcome, m.movie_id, m.matched_by) == (pb.MATCH_OUTCOME_MATCHED, 194, "original_title")
    assert "original title" in m.reason


def test_two_films_of_that_title_and_year_are_ambiguous_most_voted_first():
    m = decide(q("Crash", 2004), [c(1, 2004, votes=5), c(2, 2004, votes=500)])
    assert m.outcome == pb.MATCH_OUTCOME_AMBIGUOUS
    assert list(m.candidate_ids) == [2, 1]
    assert "2 films" in m.reason


def test_year_one_off_matches_only_when_unique_and_says_so():
    m = decide(q("Solaris", 1973), [c(593, 1972), c(2103, 2002)])
    assert (m.outcome, m.movie_id, m.year_off_by_one) == (pb.MATCH_OUTCOME_MATCHED, 593, True)
    assert "year one off" in m.reason and "1973" in m.reason and "1972" in m.reason
    two = decide(q("X", 2000), [c(1, 1999), c(2, 2001)])
    assert two.outcome == pb.MATCH_OUTCOME_AMBIGUOUS and "within a year" in two.reason


def test_the_same_year_beats_one_off():
    m = decide(q("X", 2000), [c(1, 1999), c(2, 2000)])
    assert (m.outcome, m.movie_id, m.year_off_by_one) == (pb.MATCH_OUTCOME_MATCHED, 2, False)


def test_other_years_are_not_in_the_catalogue_and_named():
    m = decide(q("Solaris", 1990), [c(593, 1972), c(2103, 2002)])
    assert m.outcome == pb.MATCH_OUTCOME_NOT_FOUND
    assert "1972, 2002" in m.reason
    none = decide(q("Nothing Like It", 1990), [])
    assert none.outcome == pb.MATCH_OUTCOME_NOT_FOUND and "no film titled" in none.reason


def test_no_year_matches_a_unique_title_only():
    assert decide(q("Amelie"), [c(194, 2001)]).movie_id == 194
    assert decide(q("Crash"), [c(1, 1996), c(2, 2004)]).outcome == pb.MATCH_OUTCOME_AMBIGUOUS


def test_a_namesake_with_another_imdb_id_is_left_out():
    m = decide(q("Heat", 1995, "tt0113277"), [c(5, 1995, imdb="tt9999999")])
    assert m.outcome == pb.MATCH_OUTCOME_NOT_FOUND and "other IMDb ids (tt9999999)" in m.reason
    kept = decide(q("Heat", 1995, "tt0113277"), [c(949, 1995, imdb="")])
    assert kept.outcome == pb.MATCH_OUTCOME_MATCHED and "IMDb id tt0113277 is not in the catalogue" in kept.reason


def test_a_film_found_through_both_keys_counts_once():
    m = decide(q("Amelie", 2001), [c(194, 2001, original=True, title=False), c(194, 2001)])
    assert (m.outcome, m.movie_id, m.matched_by) == (pb.MATCH_OUTCOME_MATCHED, 194, "title")
