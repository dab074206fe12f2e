"""Pure parts of catalogue search: person ranking, sorts, cursors, the migration chain."""

from __future__ import annotations

import base64
import importlib.util
import json

import pytest
from movierec.catalog.v1 import catalog_pb2 as pb

from kit.config import REPO_ROOT
from kit.errors import InvalidArgument
from services.catalog import search

MOST_VOTES = 35_000


def test_centrality_director_then_billing_order() -> None:
    assert search.centrality("director", 1) == search.centrality("director", 3) == 1.0
    billing = [search.centrality("cast", i) for i in range(1, 6)]
    assert billing[0] == 1.0 and billing == sorted(billing, reverse=True) and billing[-1] == 0.5


def test_person_score_ranks_lead_and_known_films_first() -> None:
    lead_famous = search.person_score(1.0, "cast", 1, 23_000)
    second_famous = search.person_score(1.0, "cast", 2, 12_700)
    lead_obscure = search.person_score(1.0, "cast", 1, 40)
    assert lead_famous > second_famous > lead_obscure
    # A weaker name match (one word of a longer name) scores below the exact name.
    assert search.person_score(0.55, "director", 1, 30_000) < search.person_score(1.0, "cast", 5, 100)


def test_an_exact_title_outranks_any_person() -> None:
    """TITLE_SQL gives an exact title at least 2 + 1 + 1.5 = 4.5; a person scores at most 4."""
    best_person = search.person_score(1.0, "director", 1, MOST_VOTES)
    assert best_person == pytest.approx(4.0)
    assert best_person < 2.0 + 1.0 + 1.5


def test_sort_keys_and_defaults() -> None:
    assert search.SORT_KEYS[pb.SORT_BY_RATING] == "m.rating_score"
    assert search.effective_sort("", pb.SORT_BY_UNSPECIFIED) == pb.SORT_BY_POPULARITY
    assert search.effective_sort("tom hanks", pb.SORT_BY_UNSPECIFIED) == pb.SORT_BY_RELEVANCE
    assert search.effective_sort("", pb.SORT_BY_RELEVANCE) == pb.SORT_BY_POPULARITY
    with pytest.raises(InvalidArgument):
        search.effective_sort("x", 99)


def test_normalise_query_keeps_accents_for_the_database_to_fold() -> None:
    # Folding happens in PostgreSQL (catalog.fold), so the query keeps its accents here.
    assert search.normalise_query("  Amélie   POULAIN ") == "amélie poulain"
    with pytest.raises(InvalidArgument):
        search.normalise_query("a\x00b")


def test_cursor_round_trip_and_fingerprint() -> None:
    fp = search.fingerprint("tom hanks", pb.MovieFilter(), pb.SORT_BY_RATING)
    token = search.encode_cursor(7.1234, 13, fp)
    assert search.decode_cursor(token, fp) == (7.1234, 13)
    with pytest.raises(InvalidArgument):
        search.decode_cursor(token, search.fingerprint("tom hank", pb.MovieFilter(), pb.SORT_BY_RATING))


@pytest.mark.parametrize("data", [
    {"k": 10**400, "i": 13},  # too large for a float: was OverflowError, INTERNAL (found by test_graphql_fuzz.py)
    {"k": -(10**400), "i": 13},
    {"k": 1.0, "i": 10**400},
    {"k": "7.1", "i": 13},
    {"k": True, "i": 13},
    {"k": 1.0, "i": 0},
    {"k": 1.0},
    [1, 2],
    "text",
])
def test_a_forged_cursor_is_invalid_argument(data) -> None:
    fp = search.fingerprint("love", pb.MovieFilter(), pb.SORT_BY_RATING)
    if isinstance(data, dict):
        data = {**data, "f": fp}
    token = base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
    with pytest.raises(InvalidArgument, match="malformed page token"):
        search.decode_cursor(token, fp)


def test_people_sql_uses_the_folded_query_everywhere() -> None:
    assert "m.title %" not in search.MATCH_SQL and "m.title_folded %" in search.MATCH_SQL
    assert "lower(m.title)" not in search.RELEVANCE_SQL
    assert "name_folded" in search.PEOPLE_CTES and "name_tsv" in search.PEOPLE_CTES


def test_migrations_form_one_chain() -> None:
    versions = REPO_ROOT / "services" / "catalog" / "migrations" / "versions"
    revs = {}
    for path in sorted(versions.glob("*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        revs[mod.revision] = mod.down_revision
    assert revs == {"0001": None, "0002": "0001", "0003": "0002"}
