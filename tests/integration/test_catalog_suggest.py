"""Typeahead (`suggest`): word-prefix matching of films and people, best known first, through GraphQL and the
catalogue's gRPC edge on the real test stack (the whole catalogue is loaded)."""

from __future__ import annotations

import re

import grpc
import pytest
from movierec.catalog.v1 import catalog_pb2 as pb

THE_DARK_KNIGHT, AMELIE, INCEPTION = 155, 194, 27205

SUGGEST = """
query($q: String!, $first: Int) {
  suggest(query: $q, first: $first) {
    movies { id title year voteCount }
    people { person { id name } filmCount knownFor { role billing movie { id title year voteCount } } }
  }
}
"""


async def _suggest(api, q: str, first: int | None = None) -> dict:
    body = await api(SUGGEST, {"q": q, "first": first})
    assert "errors" not in body, body
    return body["data"]["suggest"]


def _starts_every_word(text: str, query: str) -> bool:
    words = re.findall(r"\w+", text.lower())
    return all(any(w.startswith(q) for w in words) for q in re.findall(r"\w+", query.lower()))


async def test_a_directors_name_prefix_suggests_him_known_for_a_film_he_directed(api):
    r = await _suggest(api, "chris nol")
    top = r["people"][0]
    assert top["person"]["name"] == "Christopher Nolan", r["people"]
    assert top["knownFor"]["role"] == "director" and top["knownFor"]["billing"] == 0, top
    assert int(top["knownFor"]["movie"]["id"]) in {THE_DARK_KNIGHT, INCEPTION}, top
    assert top["filmCount"] >= 8, top
    for p in r["people"]:
        assert _starts_every_word(p["person"]["name"], "chris nol"), p


async def test_people_come_best_known_first(api):
    r = await _suggest(api, "tom", first=10)
    names = [p["person"]["name"] for p in r["people"]]
    assert len(names) == 10 and "Tom Hanks" in names[:3], names
    assert all(_starts_every_word(n, "tom") for n in names), names
    # Known-ness is the best credit's votes x centrality: a top-billed star before a bit part in a hit.
    hanks = next(p for p in r["people"] if p["person"]["name"] == "Tom Hanks")
    assert hanks["knownFor"]["role"] == "cast" and hanks["knownFor"]["billing"] <= 2, hanks


async def test_film_titles_match_on_word_starts_most_voted_first(api):
    r = await _suggest(api, "dark kni", first=10)
    assert int(r["movies"][0]["id"]) == THE_DARK_KNIGHT, r["movies"]
    assert all(_starts_every_word(m["title"], "dark kni") for m in r["movies"]), r["movies"]
    votes = [m["voteCount"] for m in r["movies"]]
    assert votes == sorted(votes, reverse=True)
    # A word start, not any substring: "ark" does not match "Dark".
    assert all(_starts_every_word(m["title"], "ark") for m in (await _suggest(api, "ark", first=10))["movies"])


async def test_accents_and_case_are_folded(api):
    r = await _suggest(api, "AMEL", first=10)
    assert AMELIE in [int(m["id"]) for m in r["movies"]], r["movies"]
    assert any(p["person"]["name"].startswith("Am") for p in r["people"]), r["people"]


@pytest.mark.parametrize("q", ["", " ", "a", "  b  ", "!?", "-- ''"])
async def test_too_short_or_wordless_queries_suggest_nothing(api, q):
    assert await _suggest(api, q) == {"movies": [], "people": []}


async def test_first_is_per_kind(api):
    r = await _suggest(api, "star", first=3)
    assert len(r["movies"]) == 3 and len(r["people"]) == 3, r
    default = await _suggest(api, "star")
    assert len(default["movies"]) == 5 and len(default["people"]) == 5, default
    assert default["movies"][:3] == r["movies"]  # the same order whatever the size (and the cache agrees)


@pytest.mark.parametrize("q, first, text", [
    ("x" * 101, None, "at most 100 characters"),
    ("star", 0, "between 1 and 10"),
    ("star", 11, "between 1 and 10"),
])
async def test_bad_input_is_a_coded_error(api, q, first, text):
    body = await api(SUGGEST, {"q": q, "first": first})
    assert body["data"] is None, body
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"], body
    assert text in body["errors"][0]["message"], body


async def test_padding_does_not_count_towards_the_length(api):
    r = await _suggest(api, "   chris    nol   " + " " * 150)
    assert r["people"][0]["person"]["name"] == "Christopher Nolan"


@pytest.mark.parametrize("request_msg, text", [
    (pb.SuggestRequest(query="x" * 101), "longer than 100"),
    (pb.SuggestRequest(query="star", limit=11), "limit"),
    (pb.SuggestRequest(query="star", limit=-1), "limit"),
    (pb.SuggestRequest(query="st\x00ar"), "control characters"),
])
async def test_the_catalogue_refuses_bad_requests_with_a_message(catalog, request_msg, text):
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await catalog.Suggest(request_msg)
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert text in err.value.details()
