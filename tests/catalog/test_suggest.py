"""Typeahead's query handling: words, the prefix tsquery, the limits (no database needed)."""

from __future__ import annotations

import pytest

from kit.errors import InvalidArgument
from services.catalog import suggest


def test_words_are_runs_of_letters_and_digits_each_once():
    assert suggest.words("chris nol") == ["chris", "nol"]
    assert suggest.words("spider-man: no way") == ["spider", "man", "no", "way"]
    assert suggest.words("o'brien  o'brien") == ["o", "brien"]
    assert suggest.words("2001 a space") == ["2001", "a", "space"]
    assert suggest.words("!?  --") == []


def test_the_prefix_tsquery_quotes_every_word_and_needs_them_all():
    assert suggest.prefix_tsquery(["chris", "nol"]) == "'chris':* & 'nol':*"


@pytest.mark.parametrize("limit, expected", [(0, 5), (1, 1), (10, 10)])
def test_limit_defaults_to_five_and_goes_up_to_ten(limit, expected):
    assert suggest.check_limit(limit) == expected


@pytest.mark.parametrize("limit", [-1, 11])
def test_a_limit_out_of_range_is_refused(limit):
    with pytest.raises(InvalidArgument, match="between 1 and 10"):
        suggest.check_limit(limit)


def test_the_query_is_counted_as_search_counts_it():
    assert suggest.check_query("  Chris   NOL  " + " " * 200) == "chris nol"
    assert len(suggest.check_query("x" * 100)) == 100
    with pytest.raises(InvalidArgument, match="longer than 100"):
        suggest.check_query("x" * 101)
    with pytest.raises(InvalidArgument, match="control characters"):
        suggest.check_query("nol\x00an")
