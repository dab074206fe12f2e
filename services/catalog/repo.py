"""Reading films from the catalogue schema, as protobuf `Movie` messages (the contract type)."""

from __future__ import annotations

import json
from collections.abc import Sequence

import asyncpg
from movierec.catalog.v1 import catalog_pb2 as pb

from kit.db import Conn
from kit.limits import CATALOG_BATCH_GET_MAX_IDS

MAX_BATCH = CATALOG_BATCH_GET_MAX_IDS  # ids per BatchGetMovies (the gateway cuts its look-ups to fit)

_PEOPLE = """
    (SELECT coalesce(json_agg(json_build_array(p.id, p.name) ORDER BY mp.ord), '[]')
       FROM catalog.movie_people mp JOIN catalog.people p ON p.id = mp.person_id
      WHERE mp.movie_id = m.id AND mp.role = '{role}')
"""
_NAMES = """
    (SELECT coalesce(array_agg(t.name ORDER BY j.ord), '{{}}')
       FROM catalog.movie_{rel} j JOIN catalog.{table} t ON t.id = j.{fk}
      WHERE j.movie_id = m.id)
"""

MOVIES_SQL = f"""
SELECT m.id, m.title, m.original_title, m.overview, m.tagline, m.release_date, m.year, m.runtime_minutes,
       m.original_language, m.popularity, m.popularity_percentile, m.vote_count, m.vote_average,
       m.imdb_id, m.poster_path, m.countries, m.content_hash, m.rating_score,
       {_NAMES.format(rel="genres", table="genres", fk="genre_id")} AS genres,
       {_NAMES.format(rel="keywords", table="keywords", fk="keyword_id")} AS keywords,
       {_NAMES.format(rel="companies", table="companies", fk="company_id")} AS companies,
       {_PEOPLE.format(role="director")} AS directors,
       {_PEOPLE.format(role="cast")} AS cast_members
  FROM catalog.movies m
 WHERE m.id = ANY($1::bigint[])
"""


def row_to_movie(r: asyncpg.Record) -> pb.Movie:
    m = pb.Movie(
        id=r["id"], title=r["title"], original_title=r["original_title"] or "", overview=r["overview"] or "",
        tagline=r["tagline"] or "", release_date=r["release_date"].isoformat() if r["release_date"] else "",
        original_language=r["original_language"] or "", popularity=r["popularity"],
        popularity_percentile=r["popularity_percentile"], vote_count=r["vote_count"],
        vote_average=r["vote_average"], genres=r["genres"], keywords=r["keywords"], companies=r["companies"],
        countries=r["countries"], imdb_id=r["imdb_id"] or "", content_hash=r["content_hash"],
        rating_score=r["rating_score"],
        directors=[pb.Person(id=i, name=n) for i, n in json.loads(r["directors"])],
        cast=[pb.Person(id=i, name=n) for i, n in json.loads(r["cast_members"])],
    )
    if r["year"] is not None:
        m.year = r["year"]
    if r["runtime_minutes"] is not None:
        m.runtime_minutes = r["runtime_minutes"]
    if r["poster_path"] is not None:
        m.poster_path = r["poster_path"]
    return m


async def get_movies(conn: Conn | asyncpg.Pool, ids: Sequence[int]) -> dict[int, pb.Movie]:
    """Films by id (unknown ids are absent from the result)."""
    if not ids:
        return {}
    rows = await conn.fetch(MOVIES_SQL, list(ids))
    return {r["id"]: row_to_movie(r) for r in rows}


async def list_genres(conn: Conn | asyncpg.Pool) -> list[pb.Genre]:
    rows = await conn.fetch(
        "SELECT g.name, count(mg.movie_id)::int AS n FROM catalog.genres g"
        " LEFT JOIN catalog.movie_genres mg ON mg.genre_id = g.id GROUP BY g.name ORDER BY g.name"
    )
    return [pb.Genre(name=r["name"], movie_count=r["n"]) for r in rows]


async def movielens_links(conn: Conn | asyncpg.Pool, ml_ids: Sequence[int]) -> list[pb.MovieLensLink]:
    rows = await conn.fetch(
        "SELECT l.movielens_id, l.tmdb_id, (m.id IS NOT NULL) AS in_cat FROM catalog.movielens_links l"
        " LEFT JOIN catalog.movies m ON m.id = l.tmdb_id"
        " WHERE cardinality($1::bigint[]) = 0 OR l.movielens_id = ANY($1::bigint[]) ORDER BY l.movielens_id",
        list(ml_ids),
    )
    return [pb.MovieLensLink(movielens_id=r[0], tmdb_id=r[1], in_catalogue=r[2]) for r in rows]


_CREDITS_SQL = """
SELECT mp.movie_id, mp.role, mp.ord, m.year, m.vote_count, m.popularity
  FROM catalog.movie_people mp JOIN catalog.movies m ON m.id = mp.movie_id
 WHERE mp.person_id = $1
"""


def _credit_key(sort: pb.CreditSort.ValueType, year: int | None, votes: int, popularity: float, movie_id: int):
    if sort == pb.CREDIT_SORT_KNOWN:
        return (-votes, -popularity, movie_id)
    return (year is None, -(year or 0), -votes, movie_id)  # newest first, undated last


async def get_person(
    conn: Conn | asyncpg.Pool, person_id: int, sort: pb.CreditSort.ValueType
) -> pb.PersonDetail | None:
    """One person with every film they are credited on, as director and as cast, in `sort` order; None
    when there is no such person. Cast billing is 1-based (1 = top billed), as in `PersonMatch.billing`."""
    person = await conn.fetchrow("SELECT id, name FROM catalog.people WHERE id = $1", person_id)
    if person is None:
        return None
    rows = await conn.fetch(_CREDITS_SQL, person_id)
    movies = await get_movies(conn, list({r["movie_id"] for r in rows}))
    rows = sorted(rows, key=lambda r: _credit_key(sort, r["year"], r["vote_count"], r["popularity"], r["movie_id"]))
    detail = pb.PersonDetail(person=pb.Person(id=person["id"], name=person["name"]))
    for r in rows:
        if r["movie_id"] not in movies:
            continue
        if r["role"] == "director":
            detail.directed.append(pb.Credit(movie=movies[r["movie_id"]], role="director", billing=0))
        else:
            detail.acted.append(pb.Credit(movie=movies[r["movie_id"]], role="cast", billing=r["ord"]))
    return detail
