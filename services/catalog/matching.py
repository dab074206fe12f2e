"""Match the films of an imported history (a Letterboxd or IMDb export) to catalogue films.

One SQL statement finds, for every query, the films with its IMDb id and the films whose title key
(`catalog.title_key`, migration 0003: folded case and accents, `&` as `and`, a leading or trailing
English article off, punctuation as spaces) equals the key of the query's title or original title,
on the film's title or original title. `decide` then picks, per query, in this order:

1. the film with the query's IMDb id (ids are exact: "matched by IMDb id");
2. else the films with the same title key, leaving out any whose own IMDb id differs from the query's
   (a different title with the same name): one of the same year matches; several of the same year are
   ambiguous; none of the same year, then one of the year one off (release years differ between
   sources by a festival or a country) matches and says so; several one off are ambiguous;
3. no year in the file: one film of that title matches, several are ambiguous;
4. else not in the catalogue (naming the years of films with that title, when there are some).

Ambiguous answers list their candidates, most voted first. `decide` is plain Python over rows, so the
rules are unit-tested without a database (tests/catalog/test_matching.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg
from movierec.catalog.v1 import catalog_pb2 as pb

from kit.db import Conn
from kit.limits import CATALOG_MATCH_FILMS_MAX_QUERIES

MAX_QUERIES = CATALOG_MATCH_FILMS_MAX_QUERIES
MAX_CANDIDATES_LISTED = 10


@dataclass(frozen=True)
class Candidate:
    movie_id: int
    title: str
    year: int | None
    imdb_id: str
    vote_count: int
    by_imdb_id: bool = False
    by_title: bool = False           # the query's key equals the film's title key
    by_original_title: bool = False  # ... its original title key


def _years(cands: Sequence[Candidate]) -> str:
    ys = sorted({c.year for c in cands if c.year is not None})
    return ", ".join(str(y) for y in ys) if ys else "no year"


def _ambiguous(query: pb.FilmQuery, cands: Sequence[Candidate], what: str) -> pb.FilmMatch:
    ranked = sorted(cands, key=lambda c: (-c.vote_count, c.movie_id))
    return pb.FilmMatch(
        outcome=pb.MATCH_OUTCOME_AMBIGUOUS,
        reason=f"Ambiguous: {len(cands)} films titled \u201c{query.title}\u201d {what}.",
        candidate_ids=[c.movie_id for c in ranked[:MAX_CANDIDATES_LISTED]],
    )


def _matched(c: Candidate, reason: str, *, off_by_one: bool = False) -> pb.FilmMatch:
    by = "title" if c.by_title else "original_title"
    return pb.FilmMatch(outcome=pb.MATCH_OUTCOME_MATCHED, movie_id=c.movie_id, matched_by=by, reason=reason,
                        year_off_by_one=off_by_one)


def decide(query: pb.FilmQuery, candidates: Sequence[Candidate]) -> pb.FilmMatch:
    """The match for one query among the films the SQL found for it (any order, no duplicates needed)."""
    by_id = [c for c in candidates if c.by_imdb_id]
    if by_id:
        c = min(by_id, key=lambda c: c.movie_id)
        return pb.FilmMatch(outcome=pb.MATCH_OUTCOME_MATCHED, movie_id=c.movie_id, matched_by="imdb_id",
                            reason=f"Matched by IMDb id {query.imdb_id}.")
    seen: dict[int, Candidate] = {}
    namesakes: set[str] = set()
    for c in candidates:
        if not (c.by_title or c.by_original_title):
            continue
        if query.imdb_id and c.imdb_id and c.imdb_id != query.imdb_id:
            namesakes.add(c.imdb_id)  # the catalogue knows this film under another IMDb id: a namesake
            continue
        prev = seen.get(c.movie_id)
        if prev is None or (c.by_title and not prev.by_title):
            seen[c.movie_id] = c
    titled = list(seen.values())
    how = lambda c: "original title" if not c.by_title else "title"  # noqa: E731
    id_note = f" (IMDb id {query.imdb_id} is not in the catalogue)" if query.imdb_id else ""
    if not titled and namesakes:
        return pb.FilmMatch(outcome=pb.MATCH_OUTCOME_NOT_FOUND, reason=(
            f"Not in the catalogue: its films titled \u201c{query.title}\u201d have other IMDb ids"
            f" ({', '.join(sorted(namesakes)[:3])}) than {query.imdb_id}."))
    if not titled:
        return pb.FilmMatch(outcome=pb.MATCH_OUTCOME_NOT_FOUND,
                            reason=f"Not in the catalogue: no film titled \u201c{query.title}\u201d.")
    if not query.HasField("year"):
        if len(titled) == 1:
            c = titled[0]
            return _matched(c, f"Matched by {how(c)} (the file gives no year){id_note}.")
        return _ambiguous(query, titled, "and the file gives no year")
    year = query.year
    same = [c for c in titled if c.year == year]
    if len(same) == 1:
        c = same[0]
        return _matched(c, f"Matched by {how(c)} and year{id_note}.")
    if len(same) > 1:
        return _ambiguous(query, same, f"from {year}")
    near = [c for c in titled if c.year is not None and abs(c.year - year) == 1]
    if len(near) == 1:
        c = near[0]
        return _matched(c, f"Matched by {how(c)}, year one off: {year} in the file, {c.year} in the catalogue"
                           f" (the only film of that title within a year){id_note}.", off_by_one=True)
    if len(near) > 1:
        return _ambiguous(query, near, f"within a year of {year}")
    return pb.FilmMatch(
        outcome=pb.MATCH_OUTCOME_NOT_FOUND,
        reason=f"Not in the catalogue: no film titled \u201c{query.title}\u201d from {year}"
               f" (the catalogue has that title from {_years(titled)}).",
    )


_SQL = """
WITH q AS (
    SELECT i, nullif(imdb, '') AS imdb, catalog.title_key(title) AS k1, catalog.title_key(nullif(orig, '')) AS k2
    FROM unnest($1::int[], $2::text[], $3::text[], $4::text[]) AS u(i, imdb, title, orig)
)
SELECT q.i, m.id, m.title, m.year, coalesce(m.imdb_id, '') AS imdb_id, m.vote_count,
       coalesce(m.imdb_id = q.imdb, false) AS by_imdb_id,
       coalesce(m.title_key IN (q.k1, q.k2), false) AS by_title,
       coalesce(m.original_title_key IN (q.k1, q.k2), false) AS by_original_title
FROM q JOIN catalog.movies m
  ON m.imdb_id = q.imdb OR m.title_key IN (q.k1, q.k2) OR m.original_title_key IN (q.k1, q.k2)
"""


async def match_films(conn: Conn | asyncpg.Pool, queries: Sequence[pb.FilmQuery]) -> list[pb.FilmMatch]:
    """One FilmMatch per query, in order (the caller checks the count against MAX_QUERIES)."""
    if not queries:
        return []
    rows = await conn.fetch(
        _SQL, list(range(len(queries))), [q.imdb_id for q in queries], [q.title for q in queries],
        [q.original_title for q in queries],
    )
    found: dict[int, list[Candidate]] = {}
    for r in rows:
        found.setdefault(r["i"], []).append(Candidate(
            movie_id=r["id"], title=r["title"], year=r["year"], imdb_id=r["imdb_id"], vote_count=r["vote_count"],
            by_imdb_id=r["by_imdb_id"], by_title=r["by_title"], by_original_title=r["by_original_title"],
        ))
    return [decide(q, found.get(i, [])) for i, q in enumerate(queries)]
