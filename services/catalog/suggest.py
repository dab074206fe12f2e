"""Typeahead suggestions: films and people for a query being typed.

Matching is on word prefixes of the folded text (`catalog.fold`: lower-cased, accents removed, as
search folds): every word of the query must start a word of the film's title or of the person's name,
so `chris nol` suggests Christopher Nolan and `dark kni` The Dark Knight. Words are runs of letters and
digits (`\\w`); everything else in the query separates words.

- People: `people.name_tsv` (the `simple` full-text vector of the folded name) against a prefix
  tsquery (`'chris':* & 'nol':*`), through its GIN index.
- Films: the folded title against `LIKE '%<word>%'` and the `\\m<word>` regular expression (word
  start), which pg_trgm's GIN index on `title_folded` answers for words of 3+ characters; a query of
  only 1-2 letter words checks every title (15,834), the LIKE first.

Ranking is by how known, not by closeness (a typeahead is read as "which one did you mean"):
films by TMDb vote count; people by their best-known credit, the film's vote count x how central
they are to it (1 for a director, 1 / (1 + (billing - 1) / 4) for cast, as search's person score),
which is also the credit shown as what they are known for. Ties: lower id first.
"""

from __future__ import annotations

import re

import asyncpg
from movierec.catalog.v1 import catalog_pb2 as pb

from kit import limits
from kit.db import Conn
from kit.errors import InvalidArgument
from kit.text import search_key
from services.catalog import repo
from services.catalog.search import _connection

MAX_QUERY_CHARS = limits.SUGGEST_QUERY_MAX_CHARS
MIN_QUERY_CHARS = limits.SUGGEST_QUERY_MIN_CHARS
DEFAULT_LIMIT = limits.SUGGEST_LIMIT_DEFAULT
MAX_LIMIT = limits.SUGGEST_LIMIT_MAX
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WORD_RE = re.compile(r"\w+")

CENTRALITY_SQL = "CASE WHEN mp.role = 'director' THEN 1.0 ELSE 1.0 / (1 + (mp.ord - 1) / 4.0) END"

PEOPLE_SQL = f"""
WITH matched AS MATERIALIZED (
    SELECT p.id, p.name FROM catalog.people p WHERE p.name_tsv @@ to_tsquery('simple', $1)
),
best AS (
    SELECT DISTINCT ON (q.id) q.id, q.name, mp.movie_id, mp.role, mp.ord,
           m.vote_count * {CENTRALITY_SQL} AS known
      FROM matched q
      JOIN catalog.movie_people mp ON mp.person_id = q.id
      JOIN catalog.movies m ON m.id = mp.movie_id
     ORDER BY q.id, known DESC, mp.movie_id, mp.role DESC
)
SELECT b.id, b.name, b.movie_id, b.role, b.ord,
       (SELECT count(DISTINCT movie_id)::int FROM catalog.movie_people WHERE person_id = b.id) AS films
  FROM best b
 ORDER BY b.known DESC, b.id
 LIMIT $2
"""


def check_query(query: str) -> str:
    """The query as matched (kit.text.search_key); INVALID_ARGUMENT for control characters or over the limit."""
    if _CONTROL_RE.search(query):
        raise InvalidArgument("query contains control characters")
    key = search_key(query)
    if len(key) > MAX_QUERY_CHARS:
        raise InvalidArgument(f"query is longer than {MAX_QUERY_CHARS} characters")
    return key


def check_limit(limit: int) -> int:
    limit = limit or DEFAULT_LIMIT
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidArgument(f"limit must be between 1 and {MAX_LIMIT}")
    return limit


def words(folded: str) -> list[str]:
    """The query's words (runs of letters and digits), each matched as the start of a word."""
    return list(dict.fromkeys(_WORD_RE.findall(folded)))


def prefix_tsquery(ws: list[str]) -> str:
    """`'chris':* & 'nol':*`: words are \\w runs, so they hold no quote or tsquery operator."""
    return " & ".join(f"'{w}':*" for w in ws)


async def suggest(conn: Conn | asyncpg.Pool, req: pb.SuggestRequest) -> pb.SuggestResponse:
    query = check_query(req.query)
    limit = check_limit(req.limit)
    if len(query) < MIN_QUERY_CHARS:
        return pb.SuggestResponse()
    async with _connection(conn) as c, c.transaction(readonly=True, isolation="repeatable_read"):
        ws = words(await c.fetchval("SELECT catalog.fold($1)", query))
        if not ws:  # only punctuation
            return pb.SuggestResponse()
        # Per word: a substring LIKE first (cheap, and all a 1-2 letter word gets: 4x faster than the
        # regular expression alone on every title), then the word start. `_` in a word widens the LIKE only.
        conds = " AND ".join(f"m.title_folded LIKE ${2 * i + 1} AND m.title_folded ~ ${2 * i + 2}"
                             for i in range(len(ws)))
        film_ids = [r["id"] for r in await c.fetch(
            f"SELECT m.id FROM catalog.movies m WHERE {conds}"
            f" ORDER BY m.vote_count DESC, m.id LIMIT ${2 * len(ws) + 1}",
            *[p for w in ws for p in (f"%{w}%", rf"\m{w}")], limit)]
        people = await c.fetch(PEOPLE_SQL, prefix_tsquery(ws), limit)
        movies = await repo.get_movies(c, list(dict.fromkeys([*film_ids, *(r["movie_id"] for r in people)])))
    resp = pb.SuggestResponse(movies=[movies[i] for i in film_ids if i in movies])
    for r in people:
        if r["movie_id"] not in movies:
            continue
        director = r["role"] == "director"
        resp.people.append(pb.PersonSuggestion(
            person=pb.Person(id=r["id"], name=r["name"]),
            known_for=pb.Credit(movie=movies[r["movie_id"]], role=r["role"], billing=0 if director else r["ord"]),
            film_count=r["films"]))
    return resp
