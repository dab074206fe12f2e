"""People in search, folded accents and monotonic sorts, through GraphQL on the real test stack.

The test stack loads the whole catalogue (15,834 films; only the encoding is limited to 100+ votes),
so search sees every film.
"""

from __future__ import annotations

import pytest

FORREST_GUMP, AMELIE, JURASSIC_PARK, TOM_HORN = 13, 194, 329, 5917
NOLAN_FILMS = {155: "The Dark Knight", 27205: "Inception", 157336: "Interstellar", 77: "Memento",
               1124: "The Prestige", 272: "Batman Begins", 49026: "The Dark Knight Rises", 320: "Insomnia"}
HANKS_BEST_KNOWN = {13: "Forrest Gump", 862: "Toy Story", 857: "Saving Private Ryan", 8358: "Cast Away",
                    497: "The Green Mile", 9800: "Philadelphia", 568: "Apollo 13"}

SEARCH = """
query($q: String!, $first: Int, $after: String, $sort: MovieSort) {
  searchMovies(query: $q, first: $first, after: $after, sort: $sort) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node { id title voteAverage rating voteCount popularityPercentile year directors { name } cast { name } }
      matchedPerson { person { id name } role billing }
    }
  }
}
"""


async def _search(api, q: str | None = None, first: int = 5, after: str | None = None, sort: str | None = None):
    body = await api(SEARCH, {"q": q or "", "first": first, "after": after, "sort": sort})
    assert "errors" not in body, body
    return body["data"]["searchMovies"]


def _ids(conn) -> list[int]:
    return [int(e["node"]["id"]) for e in conn["edges"]]


async def test_tom_hanks_leads_with_his_best_known_films(api):
    r = await _search(api, "tom hanks")
    ids = _ids(r)
    assert FORREST_GUMP in ids, [e["node"]["title"] for e in r["edges"]]
    assert len(set(ids) & set(HANKS_BEST_KNOWN)) >= 3, [e["node"]["title"] for e in r["edges"]]
    for e in r["edges"]:  # every one of them is a Tom Hanks film, not "Tom Horn"
        assert "Tom Hanks" in [p["name"] for p in e["node"]["cast"] + e["node"]["directors"]]


async def test_christopher_nolan_leads_with_his_films(api):
    r = await _search(api, "christopher nolan")
    assert len(set(_ids(r)) & set(NOLAN_FILMS)) >= 3, [e["node"]["title"] for e in r["edges"]]
    assert all("Christopher Nolan" in [p["name"] for p in e["node"]["directors"]] for e in r["edges"])


async def test_tom_hanks_hits_say_they_matched_through_him(api):
    """matchedPerson: the credit that ranked the film, Tom Hanks in the cast, his billing on the film."""
    r = await _search(api, "tom hanks")
    assert r["edges"][0]["node"]["id"] == str(FORREST_GUMP)
    assert r["edges"][0]["matchedPerson"] == {"person": {"id": r["edges"][0]["matchedPerson"]["person"]["id"],
                                                         "name": "Tom Hanks"}, "role": "cast", "billing": 1}
    for e in r["edges"]:
        mp, node = e["matchedPerson"], e["node"]
        assert mp is not None and mp["person"]["name"] == "Tom Hanks", (node["title"], mp)
        if mp["role"] == "cast":
            assert node["cast"][mp["billing"] - 1]["name"] == "Tom Hanks", (node["title"], mp)
        else:
            assert mp["role"] == "director" and mp["billing"] is None, (node["title"], mp)
            assert "Tom Hanks" in [p["name"] for p in node["directors"]]
    assert {e["matchedPerson"]["role"] for e in r["edges"]} == {"cast"}, [e["node"]["title"] for e in r["edges"]]


async def test_christopher_nolan_hits_say_he_directed_them(api):
    r = await _search(api, "christopher nolan")
    for e in r["edges"]:
        assert e["matchedPerson"]["person"]["name"] == "Christopher Nolan", e
        assert (e["matchedPerson"]["role"], e["matchedPerson"]["billing"]) == ("director", None), e
    # A typo still names him: the person score ranked the film.
    typo = await _search(api, "cristopher nolan", first=3)
    assert all(e["matchedPerson"]["person"]["name"] == "Christopher Nolan" for e in typo["edges"]), typo


@pytest.mark.parametrize("query,expected", [("jurassic park", JURASSIC_PARK), ("jurasic park", JURASSIC_PARK),
                                            ("amelie", AMELIE)])
async def test_a_title_match_has_no_matched_person(api, query, expected):
    r = await _search(api, query)
    assert _ids(r)[0] == expected and r["edges"][0]["matchedPerson"] is None, r["edges"][0]


async def test_browsing_names_no_person(api):
    r = await _search(api, None, first=10)
    assert all(e["matchedPerson"] is None for e in r["edges"])


async def test_person_typo_still_finds_the_films(api):
    r = await _search(api, "cristopher nolan")
    assert len(set(_ids(r)) & set(NOLAN_FILMS)) >= 3


@pytest.mark.parametrize("query", ["amelie", "Amélie", "AMELIE", "  amélie "])
async def test_accents_and_case_are_folded(api, query):
    r = await _search(api, query)
    assert _ids(r)[0] == AMELIE, [e["node"]["title"] for e in r["edges"]]


@pytest.mark.parametrize("query,expected", [("jurasic park", JURASSIC_PARK), ("tom horn", TOM_HORN)])
async def test_a_title_match_still_wins(api, query, expected):
    r = await _search(api, query)
    assert _ids(r)[0] == expected, [e["node"]["title"] for e in r["edges"]]


async def _two_pages(api, sort: str, q: str | None = None) -> list[dict]:
    first = await _search(api, q, first=20, sort=sort)
    assert first["pageInfo"]["hasNextPage"]
    second = await _search(api, q, first=20, sort=sort, after=first["pageInfo"]["endCursor"])
    nodes = [e["node"] for e in first["edges"] + second["edges"]]
    assert len({n["id"] for n in nodes}) == 40
    return nodes


async def _rating_scores(pool, ids: list[int]) -> list[float]:
    rows = await pool.fetch("SELECT id, rating_score FROM catalog.movies WHERE id = ANY($1::bigint[])", ids)
    by_id = {r["id"]: r["rating_score"] for r in rows}
    return [by_id[i] for i in ids]


@pytest.mark.parametrize("q", [None, "star"])
async def test_rating_sort_is_monotonic_over_two_pages(api, pool, q):
    """SORT_BY_RATING sorts by the vote-count-aware rating_score, never increasing from one film to the
    next, across pages; `Movie.rating` is that number, so what a card shows sorted by rating is monotonic."""
    nodes = await _two_pages(api, "RATING", q)
    scores = await _rating_scores(pool, [int(n["id"]) for n in nodes])
    assert scores == sorted(scores, reverse=True), scores
    shown = [n["rating"] for n in nodes]
    assert shown == [round(x, 2) for x in scores] and shown == sorted(shown, reverse=True)


async def test_popularity_and_year_sorts_are_monotonic_over_two_pages(api):
    pop = [n["popularityPercentile"] for n in await _two_pages(api, "POPULARITY")]
    assert pop == sorted(pop, reverse=True)
    years = [n["year"] or 0 for n in await _two_pages(api, "YEAR", "star")]
    assert years == sorted(years, reverse=True)


PERSON = """
query($id: ID!, $sort: CreditSort) {
  person(id: $id, sort: $sort) {
    person { id name }
    directed { role billing movie { id title year voteCount directors { id } } }
    acted { role billing movie { id title year voteCount cast { id name } } }
  }
}
"""


async def _person_id(api, query: str, name: str) -> str:
    """The catalogue id of `name`, as search reports the person a film matched through."""
    matched = (await _search(api, query))["edges"][0]["matchedPerson"]
    assert matched and matched["person"]["name"] == name, matched
    return matched["person"]["id"]


async def test_a_directors_page_lists_their_films_newest_first_and_by_how_known(api):
    nolan = await _person_id(api, "christopher nolan", "Christopher Nolan")
    by_year = await api(PERSON, {"id": nolan})
    assert "errors" not in by_year, by_year
    page = by_year["data"]["person"]
    assert page["person"] == {"id": nolan, "name": "Christopher Nolan"}
    directed = page["directed"]
    assert set(NOLAN_FILMS) <= {int(c["movie"]["id"]) for c in directed}, [c["movie"]["title"] for c in directed]
    assert all(c["role"] == "director" and c["billing"] == 0 for c in directed)
    assert all(nolan in [d["id"] for d in c["movie"]["directors"]] for c in directed)  # every one is truly his
    years = [c["movie"]["year"] for c in directed if c["movie"]["year"] is not None]
    assert years == sorted(years, reverse=True)

    known = (await api(PERSON, {"id": nolan, "sort": "KNOWN"}))["data"]["person"]["directed"]
    votes = [c["movie"]["voteCount"] for c in known]
    assert votes == sorted(votes, reverse=True)
    assert {c["movie"]["id"] for c in known} == {c["movie"]["id"] for c in directed}  # same films, other order


async def test_an_actors_page_gives_their_billing_on_each_film(api):
    hanks = await _person_id(api, "tom hanks", "Tom Hanks")
    page = (await api(PERSON, {"id": hanks, "sort": "KNOWN"}))["data"]["person"]
    acted = page["acted"]
    assert len(set(HANKS_BEST_KNOWN) & {int(c["movie"]["id"]) for c in acted[:15]}) >= 5, [
        c["movie"]["title"] for c in acted[:15]]
    for c in acted:
        names = [p["name"] for p in c["movie"]["cast"]]
        assert c["role"] == "cast" and names[c["billing"] - 1] == "Tom Hanks", (c["movie"]["title"], names)
    gump = next(c for c in acted if int(c["movie"]["id"]) == FORREST_GUMP)
    assert gump["billing"] == 1


@pytest.mark.parametrize("bad, code", [("0", "BAD_USER_INPUT"), ("abc", "BAD_USER_INPUT"),
                                       ("-3", "BAD_USER_INPUT"), ("999999999", "NOT_FOUND")])
async def test_a_bad_or_unknown_person_id_is_a_clear_error(api, bad, code):
    body = await api(PERSON, {"id": bad})
    assert body["data"] == {"person": None}, body
    assert [e["extensions"]["code"] for e in body["errors"]] == [code], body
