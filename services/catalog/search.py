"""Catalogue search and browse.

Folding: the query and every searched name are compared lower-cased and without accents
(`catalog.fold`, PostgreSQL's `unaccent`; migration 0002), so `amelie` finds Amélie.

Matching: a film matches a query through its title (PostgreSQL full text, `websearch_to_tsquery`
over folded title, original title, tagline and overview, weighted A-D, OR trigram similarity on the
folded title (pg_trgm), so typos such as `jurasic park` still find Jurassic Park) OR through one of
its people: a director or billed cast member whose folded name contains every word of the query
(full text, `simple` configuration) or is trigram-close to it (`tom hnks`). An empty query browses.

Relevance = the larger of
- title closeness (trigram similarity + word similarity, an exact-title bonus) + full-text rank + a
  small prior on the number of votes, so that among equally close titles the film people actually
  mean comes first (`godfather` -> The Godfather before Part II); and
- the person score: how well the name matches x (1.5 + how central the person is to the film +
  1.5 x how known the film is). Centrality is 1 for a director and 1 / (1 + (billing - 1) / 4) for cast
  (1, 0.8, 0.67, ...); known-ness is log(1 + votes) / log(1 + 35,000). An exact title (>= 4.5) always
  outranks a person (<= 4), so a title query still leads with its film.

Why a film matched: when the person score is what ranked a film (it is >= the title score), the hit
carries that credit (`SearchHit.matched_person`: the person, "director" or "cast", and the billing,
0 for a director): the most central credit of a matching person, the one the person score counts.

Pagination is keyset ("cursor") based on (sort key, id), both descending; a cursor is opaque
base64url JSON and carries a fingerprint of the query, filter and sort it belongs to. Every sort is
monotonic in its key: relevance in `score`, popularity in `popularity_percentile`, rating in
`rating_score` (the vote-count-aware rating, not the raw `vote_average`; see docs/catalogue.md),
year in `year` (unknown years last).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import math
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Literal

import asyncpg
from movierec.catalog.v1 import catalog_pb2 as pb

from kit import limits
from kit.db import Conn
from kit.errors import InvalidArgument
from kit.text import search_key
from services.catalog import repo

# Checked by the gateway too: one value for both (kit/limits.py).
MAX_QUERY_CHARS = limits.SEARCH_QUERY_MAX_CHARS  # counted on the search key (whitespace collapsed)
DEFAULT_PAGE_SIZE = limits.PAGE_SIZE_DEFAULT
MAX_PAGE_SIZE = limits.PAGE_SIZE_MAX
_LANG_RE = re.compile(r"^[a-z]{2}$")

# $1 is the folded query (catalog.fold of the normalised query).
TITLE_SQL = """(
    2.0 * similarity(m.title_folded, $1) + 1.0 * word_similarity($1, m.title_folded)
  + 1.5 * (m.title_folded = $1)::int
  + 0.5 * ts_rank_cd(m.search_tsv, websearch_to_tsquery('english', $1), 32)
  + 0.35 * ln(1 + m.vote_count) / ln(1 + 35000.0)
)"""
KNOWN_SQL = "(ln(1 + m.vote_count) / ln(1 + 35000.0))"
PERSON_SQL = f"(cr.strength * (1.5 + cr.centrality + 1.5 * {KNOWN_SQL}))"
RELEVANCE_SQL = f"greatest({TITLE_SQL}, coalesce({PERSON_SQL}, 0))"
MATCH_SQL = ("(m.search_tsv @@ websearch_to_tsquery('english', $1)"
             " OR m.title_folded % $1 OR m.title_folded %> $1)")
# How well a person's name matches: every query word in the name -> 0.3 + 0.7 x similarity (an exact name
# is 1); otherwise the trigram similarity (typos). Names below MIN_PERSON_STRENGTH are ignored.
MIN_PERSON_STRENGTH = 0.5
PEOPLE_CTES = f"""
    q_people AS MATERIALIZED (
        SELECT id, name, strength FROM (
            SELECT p.id, p.name,
                   CASE WHEN p.name_tsv @@ plainto_tsquery('simple', $1)
                        THEN 0.3 + 0.7 * similarity(p.name_folded, $1)
                        ELSE similarity(p.name_folded, $1) END AS strength
              FROM catalog.people p
             WHERE p.name_tsv @@ plainto_tsquery('simple', $1) OR p.name_folded % $1
        ) s WHERE strength >= {MIN_PERSON_STRENGTH}
    ),
    credits AS MATERIALIZED (
        SELECT DISTINCT ON (mp.movie_id) mp.movie_id, qp.strength,
               CASE WHEN mp.role = 'director' THEN 1.0 ELSE 1.0 / (1 + (mp.ord - 1) / 4.0) END AS centrality,
               qp.id AS person_id, qp.name AS person_name, mp.role AS person_role,
               CASE WHEN mp.role = 'director' THEN 0 ELSE mp.ord END AS person_billing
          FROM q_people qp JOIN catalog.movie_people mp ON mp.person_id = qp.id
         ORDER BY mp.movie_id,
                  qp.strength * (1.5 + CASE WHEN mp.role = 'director' THEN 1.0
                                            ELSE 1.0 / (1 + (mp.ord - 1) / 4.0) END) DESC, qp.strength DESC,
                  mp.role DESC, mp.ord, qp.id  -- ties (a director who also leads the cast): the director credit
    ),
    candidates AS (
        SELECT m.id FROM catalog.movies m WHERE {MATCH_SQL}
        UNION
        SELECT movie_id FROM credits
    ),"""


def centrality(role: str, ord_: int) -> float:
    """How central a credited person is to a film (mirrors the SQL in PEOPLE_CTES)."""
    return 1.0 if role == "director" else 1.0 / (1 + (ord_ - 1) / 4.0)


def person_score(strength: float, role: str, ord_: int, vote_count: int) -> float:
    """A film's relevance through one of its people (mirrors PERSON_SQL)."""
    return strength * (1.5 + centrality(role, ord_) + 1.5 * math.log1p(vote_count) / math.log1p(35000.0))


SORT_KEYS = {
    pb.SORT_BY_RELEVANCE: RELEVANCE_SQL,
    pb.SORT_BY_POPULARITY: "m.popularity_percentile",  # vote-count based, one scale (see ingest.loader)
    pb.SORT_BY_RATING: "m.rating_score",
    pb.SORT_BY_YEAR: "coalesce(m.year, 0)",
}


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1


def normalise_query(q: str) -> str:
    """Collapse whitespace and lower-case (the gateway's cache key uses the same function)."""
    if _CONTROL_RE.search(q):
        raise InvalidArgument("query contains control characters")
    q = search_key(q)
    if len(q) > MAX_QUERY_CHARS:
        raise InvalidArgument(f"query is longer than {MAX_QUERY_CHARS} characters")
    return q


def effective_sort(query: str, sort: int) -> pb.SortBy.ValueType:
    if sort == pb.SORT_BY_UNSPECIFIED:
        return pb.SORT_BY_RELEVANCE if query else pb.SORT_BY_POPULARITY
    if sort not in SORT_KEYS:
        raise InvalidArgument(f"unknown sort {sort}")
    if sort == pb.SORT_BY_RELEVANCE and not query:
        return pb.SORT_BY_POPULARITY
    return pb.SortBy.ValueType(sort)


def fingerprint(query: str, flt: pb.MovieFilter, sort: int) -> str:
    blob = query.encode() + b"\0" + flt.SerializeToString(deterministic=True) + b"\0" + str(sort).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def encode_cursor(key: float | int, movie_id: int, fp: str) -> str:
    raw = json.dumps({"k": key, "i": movie_id, "f": fp}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str, fp: str, integer_key: bool = False) -> tuple[float | int, int]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = json.loads(raw)
        key, movie_id, tfp = data["k"], data["i"], data["f"]
        if isinstance(key, bool) or isinstance(movie_id, bool) or not isinstance(movie_id, int):
            raise ValueError
        if not 0 < movie_id <= INT64_MAX or not isinstance(key, int | float) or not math.isfinite(key):
            raise ValueError
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError, OverflowError):
        # OverflowError: an integer key too large for a float (math.isfinite), e.g. {"k": 1e400 as digits}
        raise InvalidArgument("malformed page token") from None
    if tfp != fp:
        raise InvalidArgument("page token belongs to a different query, filter or sort")
    if integer_key and (not isinstance(key, int) or abs(key) > INT32_MAX):
        raise InvalidArgument("malformed page token")
    return key, movie_id


@contextlib.asynccontextmanager
async def _connection(conn: Conn | asyncpg.Pool) -> AsyncIterator[Conn]:
    if isinstance(conn, asyncpg.Pool):
        async with conn.acquire() as c:
            yield c
    else:
        yield conn


@dataclass
class _Sql:
    params: list = field(default_factory=list)
    conds: list[str] = field(default_factory=list)

    def param(self, value: object) -> str:
        self.params.append(value)
        return f"${len(self.params)}"


async def _resolve_genres(conn: Conn | asyncpg.Pool, names: list[str]) -> list[int]:
    if any(_CONTROL_RE.search(n) or len(n) > 100 for n in names):
        raise InvalidArgument("malformed genre name")
    wanted = {n.strip().lower(): n for n in names}
    rows = await conn.fetch("SELECT id, lower(name) AS n FROM catalog.genres WHERE lower(name) = ANY($1)",
                            list(wanted))
    found = {r["n"]: r["id"] for r in rows}
    unknown = [orig for low, orig in wanted.items() if low not in found]
    if unknown:
        raise InvalidArgument(f"unknown genre(s): {', '.join(sorted(unknown))}")
    return list(found.values())


# MovieFilter's optional range fields (HasField takes only these names)
_RangeField = Literal["year_from", "year_to", "runtime_min", "runtime_max", "min_votes"]


async def _filter_sql(conn, flt: pb.MovieFilter, sql: _Sql) -> None:
    if flt.genres:
        ids = await _resolve_genres(conn, list(flt.genres))
        p = sql.param(ids)
        sql.conds.append(
            f"(SELECT count(*) FROM catalog.movie_genres mg WHERE mg.movie_id = m.id AND mg.genre_id = ANY({p}))"
            f" = cardinality({p}::int[])"
        )
    ranges: tuple[tuple[_RangeField, str, str, int, int], ...] = (
        ("year_from", ">=", "m.year", 1800, 2200), ("year_to", "<=", "m.year", 1800, 2200),
        ("runtime_min", ">=", "m.runtime_minutes", 0, 2000), ("runtime_max", "<=", "m.runtime_minutes", 0, 2000),
        ("min_votes", ">=", "m.vote_count", 0, 10_000_000),
    )
    for fld, op, col, lo, hi in ranges:
        if flt.HasField(fld):
            v = getattr(flt, fld)
            if not lo <= v <= hi:
                raise InvalidArgument(f"{fld} must be between {lo} and {hi}")
            sql.conds.append(f"{col} {op} {sql.param(v)}")
    if flt.HasField("year_from") and flt.HasField("year_to") and flt.year_from > flt.year_to:
        raise InvalidArgument("year_from is after year_to")
    if flt.HasField("runtime_min") and flt.HasField("runtime_max") and flt.runtime_min > flt.runtime_max:
        raise InvalidArgument("runtime_min is above runtime_max")
    if flt.language:
        lang = flt.language.strip().lower()  # the regex below also rejects control characters
        if not _LANG_RE.match(lang):
            raise InvalidArgument("language must be a two-letter ISO 639-1 code")
        sql.conds.append(f"m.original_language = {sql.param(lang)}")


async def search(conn: Conn | asyncpg.Pool, req: pb.SearchMoviesRequest) -> pb.SearchMoviesResponse:
    query = normalise_query(req.query)
    sort = effective_sort(query, req.sort)
    page_size = req.page_size or DEFAULT_PAGE_SIZE
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidArgument(f"page_size must be between 1 and {MAX_PAGE_SIZE}")
    fp = fingerprint(query, req.filter, sort)
    after = decode_cursor(req.page_token, fp, integer_key=sort == pb.SORT_BY_YEAR) if req.page_token else None

    sql = _Sql()
    if query:
        sql.param(query)  # $1, used by RELEVANCE_SQL and PEOPLE_CTES; replaced by its folded form below
        score = RELEVANCE_SQL
        # The film's best credit of a matching person and its score (NULL: no person matched).
        person = (f"{PERSON_SQL} AS person_score,"
                  " cr.person_id, cr.person_name, cr.person_role, cr.person_billing")
        source = """candidates c JOIN catalog.movies m ON m.id = c.id
                    LEFT JOIN credits cr ON cr.movie_id = m.id"""
    else:
        score = "0.0::float8"
        person = ("NULL::float8 AS person_score, NULL::bigint AS person_id, NULL::text AS person_name,"
                  " NULL::text AS person_role, NULL::int AS person_billing")
        source = "catalog.movies m"
    await _filter_sql(conn, req.filter, sql)
    key = SORT_KEYS[sort]
    where = " AND ".join(sql.conds) or "TRUE"
    page_cond = ""
    if after is not None:
        cast = "::int" if sort == pb.SORT_BY_YEAR else "::float8"
        page_cond = f"WHERE (k, id) < ({sql.param(after[0])}{cast}, {sql.param(after[1])}::bigint)"
    limit = sql.param(page_size + 1)
    # One round trip: the total over every match, LEFT JOINed to the page (one null row when empty).
    # A page row names its person (person_id not NULL) only where the person score is its relevance
    # (person >= title; greatest() returns that very value): where the person is what ranked the film.
    stmt = f"""
        WITH {PEOPLE_CTES if query else ""}
        matched AS MATERIALIZED (
            SELECT m.id, {score} AS score, {key} AS k, {person}
              FROM {source}
             WHERE {where}
        )
        SELECT c.total, p.id, p.score, p.k, p.person_id, p.person_name, p.person_role, p.person_billing
          FROM (SELECT count(*)::int AS total FROM matched) c
          LEFT JOIN LATERAL (
                SELECT id, score, k, CASE WHEN person_score >= score THEN person_id END AS person_id,
                       person_name, person_role, person_billing
                  FROM matched {page_cond} ORDER BY k DESC, id DESC LIMIT {limit}
          ) p ON TRUE
    """
    # Repeatable read: the page and the films fetched for it come from one snapshot.
    async with _connection(conn) as c, c.transaction(readonly=True, isolation="repeatable_read"):
        if query:
            # pg_trgm's functions are costed as cheap, so the planner prefers a sequential scan that
            # computes similarity for every film (~70 ms); the three bitmap index scans take ~10 ms.
            await c.execute("SET LOCAL enable_seqscan = off")
            sql.params[0] = await c.fetchval("SELECT catalog.fold($1)", query)
        rows = await c.fetch(stmt, *sql.params)
        total = rows[0]["total"]
        rows = [r for r in rows if r["id"] is not None]
        movies = await repo.get_movies(c, [r["id"] for r in rows[:page_size]])
    has_next = len(rows) > page_size
    rows = rows[:page_size]
    resp = pb.SearchMoviesResponse(total_count=total, has_next_page=has_next)
    for r in rows:
        cursor = encode_cursor(r["k"], r["id"], fp)
        hit = pb.SearchHit(movie=movies[r["id"]], score=r["score"], cursor=cursor)
        if r["person_id"] is not None:
            hit.matched_person.CopyFrom(pb.PersonMatch(
                person=pb.Person(id=r["person_id"], name=r["person_name"]),
                role=r["person_role"], billing=r["person_billing"]))
        resp.hits.append(hit)
    if has_next and resp.hits:
        resp.next_page_token = resp.hits[-1].cursor
    return resp
