"""Read the three public TMDb extracts and merge them into one film catalogue.

Input layout (relative to ``data_dir``; each CSV may be given either inside the
zip named here or as the bare CSV in the same folder)::

    tmdb-10k/tmdb-movies.zip          -> tmdb-movies.csv          source key 'tmdb10k'
    tmdb-5000/tmdb_5000_movies.zip    -> tmdb_5000_movies.csv     source key 'tmdb5000'
    tmdb-top10k/top10K-TMDB-movies.csv                            source key 'top10k'
    movielens-latest-small/links.csv  (see ``load_movielens_links``)

Row handling
------------
* Files are read as UTF-8 (a BOM is tolerated).  Physical line numbers count
  ``\\n``-terminated lines, header = line 1; a record spanning several lines is
  reported at the line where it starts.  Bare ``\\r`` inside quoted fields (the
  top10k file has a few) does not start a new line.
* Columns are looked up by header name; a file missing a required column raises
  ``ValueError`` (that is a wrong file, not a bad row).
* A row is skipped and reported as a ``Problem`` when it has the wrong number of
  fields, an id that is not a positive integer, an empty title, a non-numeric
  vote_count / vote_average / popularity / runtime / release_year, an unparseable
  non-empty release_date or a JSON-list column that is not a JSON list.
* Duplicate ids within one file: the first row wins, later ones are reported
  (the 10k file repeats 42194).  Ids shared *between* files are merged.
* Every text field and every list element goes through ``repair_text``.  Empty
  strings become ``None``; empty list elements are dropped and lists are
  de-duplicated keeping their first occurrence.  Typographic quotes are kept.
  About 30 names/titles keep a visible ``Ã``/``Å``/``Ä``: the file dropped the
  second UTF-8 byte (one cp1252 leaves undefined), so ``Ãngela`` could be
  Ángela or Íngela; ``repair_text`` does not guess.

Merge policy (union of the ids of the three files)
--------------------------------------------------
=================  ===========================================================
title              top10k ``title`` > 5000 ``title`` > 10k ``original_title``
original_title     5000 ``original_title`` > 10k ``original_title``
overview, tagline  10k > 5000 > top10k, first non-empty (overview: all three;
                   tagline: 10k and 5000 only).  A fixed order keeps the text of
                   a film from one curated source instead of mixing sources.
release_date       5000 (ISO) > top10k (ISO) > 10k (``m/d/yy``, century taken
                   from ``release_year``)
year               ``release_date.year``, else 10k ``release_year``
runtime            10k > 5000; 0 or empty means unknown (``None``)
original_language  5000 > top10k (10k has none)
popularity         10k > 5000 > top10k.  The dumps were scraped at different
                   times and TMDb popularity drifts; the 10k file covers most
                   of the catalogue, so preferring it keeps most values on one
                   scale.  Films it lacks take the 5000 value, then top10k.
vote_count/_avg    both from the one source with the largest vote_count (ties:
                   the newer file, top10k > 5000 > 10k): more votes = newer data.
imdb_id            10k only (``tt`` + digits), ``None`` when missing
genres             10k (``|``) > 5000 (JSON) > top10k (``,``), first non-empty
                   list, names mapped to canonical TMDb spellings (``GENRES``)
keywords           10k (``|``) > 5000 (JSON).  The 10k extract keeps at most 5
                   keywords (and 5 cast members); 5000 lists are longer.
directors, cast    10k only (5000 and top10k have no credits); cast in billing order
companies          10k (``|``) > 5000 (JSON)
countries          5000 ``production_countries`` ISO 3166-1 codes
spoken_languages   5000 ``spoken_languages`` ISO 639-1 codes
sources            the files that had a valid row for the id, in the order
                   'tmdb10k', 'tmdb5000', 'top10k'
=================  ===========================================================

``LoadResult.per_source_rows`` counts, per source key, the rows that were
accepted (well formed, first occurrence of their id) and so fed the merge.
"""

from __future__ import annotations

import csv
import datetime
import functools
import io
import json
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

import ftfy
from tqdm import tqdm

__all__ = [
    "GENRES",
    "FilmRecord",
    "LoadResult",
    "Problem",
    "SOURCE_KEYS",
    "canonical_genre",
    "load_catalogue",
    "load_movielens_links",
    "repair_text",
]

TMDB10K = "tmdb10k"
TMDB5000 = "tmdb5000"
TOP10K = "top10k"
SOURCE_KEYS: tuple[str, ...] = (TMDB10K, TMDB5000, TOP10K)

# Canonical TMDb movie genre names (the 19 current ones plus the retired "Foreign").
GENRES: tuple[str, ...] = (
    "Action",
    "Adventure",
    "Animation",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Family",
    "Fantasy",
    "Foreign",
    "History",
    "Horror",
    "Music",
    "Mystery",
    "Romance",
    "Science Fiction",
    "TV Movie",
    "Thriller",
    "War",
    "Western",
)


@dataclass(frozen=True, slots=True)
class FilmRecord:
    id: int
    title: str
    original_title: str | None
    overview: str | None
    tagline: str | None
    release_date: datetime.date | None
    year: int | None
    runtime: int | None
    original_language: str | None
    popularity: float
    vote_count: int
    vote_average: float
    imdb_id: str | None
    genres: tuple[str, ...]
    keywords: tuple[str, ...]
    directors: tuple[str, ...]
    cast: tuple[str, ...]
    companies: tuple[str, ...]
    countries: tuple[str, ...]
    spoken_languages: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """A skipped row.  ``reason`` is ``"<kind>"`` or ``"<kind>: <detail>"``, so
    ``reason.split(":")[0]`` groups problems (e.g. ``"duplicate id"``)."""

    source: str
    line: int
    reason: str


@dataclass
class LoadResult:
    films: list[FilmRecord]
    problems: list[Problem]
    per_source_rows: dict[str, int]


# --------------------------------------------------------------------------- text


# cp1252 characters whose byte is a UTF-8 continuation byte (0x80-0xBF).
_CONTINUATION = bytes(range(0x80, 0xC0)).decode("cp1252", errors="ignore")
# "”" is E2 80 9D; 0x9D is undefined in cp1252 and was dropped from the files,
# leaving an orphan "â€" that neither the round trip nor ftfy can place.
_ORPHAN_RIGHT_QUOTE = re.compile("â€(?![" + re.escape(_CONTINUATION) + "])")


def _fix(s: str) -> str:
    """cp1252 round trip where it is valid and changes the text, then ftfy."""
    s = _ORPHAN_RIGHT_QUOTE.sub("\u201d", s)
    try:
        round_trip = s.encode("cp1252").decode("utf-8")
    except UnicodeError:
        round_trip = s
    # Curly quotes are legitimate text, not mojibake: keep them.
    return ftfy.fix_text(round_trip, uncurl_quotes=False)


def repair_text(s: str) -> str:
    """Repair mojibake such as ``PeÃ±a`` -> ``Peña`` and strip surrounding whitespace.

    First ``s.encode('cp1252').decode('utf-8')`` when that succeeds (it only
    succeeds on text that was UTF-8 mis-decoded as cp1252), then
    ``ftfy.fix_text`` (with ``uncurl_quotes=False``: curly quotes are text,
    not damage) for what remains, e.g. strings mixing mojibake and good text.
    Before both, an orphan ``â€`` (what is left of ``”`` once its third byte,
    undefined in cp1252, was dropped) becomes ``”``.  Other characters whose
    UTF-8 form used a byte cp1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D,
    e.g. ``Á`` = C3 81 seen as ``Ã``) lost information that cannot be restored
    without guessing; they are left as they are.  Plain printable ASCII
    without ``&`` cannot change and skips all steps.
    """
    if s.isascii() and s.isprintable() and "&" not in s:
        return s.strip()
    return _fix(s).strip()


# Names, genres, keywords and companies repeat a lot: cache their repair.
_repair_cached: Callable[[str], str] = functools.lru_cache(maxsize=1 << 17)(repair_text)

_GENRE_BY_KEY: dict[str, str] = {re.sub(r"[^a-z0-9]", "", g.lower()): g for g in GENRES}
_GENRE_BY_KEY.update(
    {
        "scifi": "Science Fiction",
        "sf": "Science Fiction",
        "sciencefictionfantasy": "Science Fiction",
        "tv": "TV Movie",
        "tvfilm": "TV Movie",
        "televisionmovie": "TV Movie",
        "televisionfilm": "TV Movie",
        "musical": "Music",
    }
)


def canonical_genre(name: str) -> str:
    """Map a genre spelling ('science fiction', 'Sci-Fi', 'TV movie') to TMDb's name.

    Unknown names are returned repaired but otherwise unchanged.
    """
    name = _repair_cached(name)
    return _GENRE_BY_KEY.get(re.sub(r"[^a-z0-9]", "", name.lower()), name)


# ------------------------------------------------------------------ row parsing


class _RowError(ValueError):
    """A malformed row; the message becomes ``Problem.reason``."""


@dataclass(slots=True)
class _Row:
    """What one source knows about one film (``None`` / () = unknown)."""

    id: int
    title: str
    original_title: str | None = None
    overview: str | None = None
    tagline: str | None = None
    release_date: datetime.date | None = None
    release_year: int | None = None
    runtime: int | None = None
    original_language: str | None = None
    popularity: float = 0.0
    vote_count: int = 0
    vote_average: float = 0.0
    imdb_id: str | None = None
    genres: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    directors: tuple[str, ...] = ()
    cast: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    spoken_languages: tuple[str, ...] = ()


def _short(value: str, limit: int = 40) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "...")


def _id(value: str, name: str = "id") -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise _RowError(f"non-numeric {name}: {_short(value)}") from None
    if number <= 0:
        raise _RowError(f"non-positive {name}: {_short(value)}")
    return number


def _count(value: str, name: str) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise _RowError(f"non-numeric {name}: {_short(value)}") from None
    if number < 0:
        raise _RowError(f"negative {name}: {_short(value)}")
    return number


def _float(value: str, name: str) -> float:
    try:
        number = float(value.strip())
    except ValueError:
        raise _RowError(f"non-numeric {name}: {_short(value)}") from None
    if not math.isfinite(number):
        raise _RowError(f"non-finite {name}: {_short(value)}")
    return number


def _opt_int(value: str, name: str) -> int | None:
    """Integer or integral float ('94.0'); empty -> None."""
    if not value.strip():
        return None
    number = _float(value, name)
    if number != int(number):
        raise _RowError(f"non-integer {name}: {_short(value)}")
    return int(number)


def _runtime(value: str) -> int | None:
    minutes = _opt_int(value, "runtime")
    if minutes is not None and minutes < 0:
        raise _RowError(f"negative runtime: {_short(value)}")
    return minutes or None


def _text(value: str) -> str | None:
    return repair_text(value) or None


def _title(value: str, name: str = "title") -> str:
    title = repair_text(value)
    if not title:
        raise _RowError(f"empty {name}")
    return title


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def _split(value: str, sep: str) -> tuple[str, ...]:
    if not value.strip():
        return ()
    return _unique(_repair_cached(part) for part in value.split(sep))


def _json_list(value: str, name: str, key: str) -> tuple[str, ...]:
    if not value.strip():
        return ()
    try:
        items = json.loads(value)
    except json.JSONDecodeError:
        raise _RowError(f"invalid JSON in {name}") from None
    if not isinstance(items, list):
        raise _RowError(f"invalid JSON in {name}: not a list")
    out: list[str] = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get(key), str):
            raise _RowError(f"invalid JSON in {name}: item without string {key!r}")
        out.append(_repair_cached(item[key]))
    return _unique(out)


def _genres(names: tuple[str, ...]) -> tuple[str, ...]:
    return _unique(canonical_genre(name) for name in names)


def _iso_date(value: str) -> datetime.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise _RowError(f"invalid release_date: {_short(value)}") from None


_MDY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})")


def _mdy_date(value: str, release_year: int | None) -> datetime.date | None:
    """10k dates are ``m/d/yy``; the century comes from ``release_year``."""
    value = value.strip()
    if not value:
        return None
    match = _MDY.fullmatch(value)
    if match is None:
        raise _RowError(f"invalid release_date: {_short(value)}")
    month, day, yy = (int(g) for g in match.groups())
    if len(match.group(3)) == 4:
        year = yy
    elif release_year is not None:
        year = release_year - release_year % 100 + yy
        if year - release_year > 50:
            year -= 100
        elif release_year - year > 50:
            year += 100
    else:
        year = 1900 + yy if yy > 30 else 2000 + yy
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise _RowError(f"invalid release_date: {_short(value)}") from None


_IMDB = re.compile(r"tt\d{7,9}")


def _imdb(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    if _IMDB.fullmatch(value) is None:
        raise _RowError(f"invalid imdb_id: {_short(value)}")
    return value


def _parse_10k(r: Mapping[str, str]) -> _Row:
    release_year = _opt_int(r["release_year"], "release_year")
    return _Row(
        id=_id(r["id"]),
        title=_title(r["original_title"], "original_title"),
        original_title=_text(r["original_title"]),
        overview=_text(r["overview"]),
        tagline=_text(r["tagline"]),
        release_date=_mdy_date(r["release_date"], release_year),
        release_year=release_year,
        runtime=_runtime(r["runtime"]),
        popularity=_float(r["popularity"], "popularity"),
        vote_count=_count(r["vote_count"], "vote_count"),
        vote_average=_float(r["vote_average"], "vote_average"),
        imdb_id=_imdb(r["imdb_id"]),
        genres=_genres(_split(r["genres"], "|")),
        keywords=_split(r["keywords"], "|"),
        directors=_split(r["director"], "|"),
        cast=_split(r["cast"], "|"),
        companies=_split(r["production_companies"], "|"),
    )


def _parse_5000(r: Mapping[str, str]) -> _Row:
    return _Row(
        id=_id(r["id"]),
        title=_title(r["title"]),
        original_title=_text(r["original_title"]),
        overview=_text(r["overview"]),
        tagline=_text(r["tagline"]),
        release_date=_iso_date(r["release_date"]),
        runtime=_runtime(r["runtime"]),
        original_language=_text(r["original_language"]),
        popularity=_float(r["popularity"], "popularity"),
        vote_count=_count(r["vote_count"], "vote_count"),
        vote_average=_float(r["vote_average"], "vote_average"),
        genres=_genres(_json_list(r["genres"], "genres", "name")),
        keywords=_json_list(r["keywords"], "keywords", "name"),
        companies=_json_list(r["production_companies"], "production_companies", "name"),
        countries=_json_list(r["production_countries"], "production_countries", "iso_3166_1"),
        spoken_languages=_json_list(r["spoken_languages"], "spoken_languages", "iso_639_1"),
    )


def _parse_top10k(r: Mapping[str, str]) -> _Row:
    return _Row(
        id=_id(r["id"]),
        title=_title(r["title"]),
        overview=_text(r["overview"]),
        release_date=_iso_date(r["release_date"]),
        original_language=_text(r["original_language"]),
        popularity=_float(r["popularity"], "popularity"),
        vote_count=_count(r["vote_count"], "vote_count"),
        vote_average=_float(r["vote_average"], "vote_average"),
        genres=_genres(_split(r["genre"], ",")),
    )


# ------------------------------------------------------------------ file access


@dataclass(frozen=True, slots=True)
class _Source:
    key: str
    folder: str
    member: str  # CSV file name, also used as Problem.source
    archive: str | None  # zip holding ``member``; None when the CSV is shipped bare
    columns: Sequence[str]
    parse: Callable[[Mapping[str, str]], _Row]


_SOURCES: tuple[_Source, ...] = (
    _Source(
        TMDB10K,
        "tmdb-10k",
        "tmdb-movies.csv",
        "tmdb-movies.zip",
        (
            "id imdb_id popularity original_title cast director tagline keywords overview "
            "runtime genres production_companies release_date vote_count vote_average "
            "release_year"
        ).split(),
        _parse_10k,
    ),
    _Source(
        TMDB5000,
        "tmdb-5000",
        "tmdb_5000_movies.csv",
        "tmdb_5000_movies.zip",
        (
            "genres id keywords original_language original_title overview popularity "
            "production_companies production_countries release_date runtime spoken_languages "
            "tagline title vote_average vote_count"
        ).split(),
        _parse_5000,
    ),
    _Source(
        TOP10K,
        "tmdb-top10k",
        "top10K-TMDB-movies.csv",
        None,
        ("id title genre original_language overview popularity release_date vote_average vote_count").split(),
        _parse_top10k,
    ),
)


def _text_stream(binary: IO[bytes]) -> io.TextIOWrapper:
    # newline="\n": lines end at "\n" only ("\r\n" included), so line numbers are
    # physical lines and a bare "\r" inside a quoted field stays in the field.
    return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="\n")


@contextmanager
def _open_csv(folder: Path, member: str, archive: str | None) -> Iterator[io.TextIOWrapper]:
    """Open ``member`` from ``folder/archive`` if that zip exists, else ``folder/member``."""
    if archive is not None and (folder / archive).is_file():
        with zipfile.ZipFile(folder / archive) as zf:
            names = [n for n in zf.namelist() if n.rsplit("/", 1)[-1] == member]
            if not names:
                raise FileNotFoundError(f"{member} not found in {folder / archive}")
            with zf.open(names[0]) as binary, _text_stream(binary) as text:
                yield text
        return
    path = folder / member
    if not path.is_file():
        wanted = f"{folder / archive} or {path}" if archive else str(path)
        raise FileNotFoundError(f"missing catalogue source: {wanted}")
    with path.open("rb") as binary, _text_stream(binary) as text:
        yield text


def _records(
    stream: IO[str], source: str, problems: list[Problem]
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """Header and ``(start_line, fields)`` per record; csv syntax errors become Problems."""
    reader = csv.reader(stream, strict=False)
    try:
        header = next(reader)
    except StopIteration:
        raise ValueError(f"{source}: empty file, no header") from None
    header = [name.strip() for name in header]

    def rows() -> Iterator[tuple[int, list[str]]]:
        end = reader.line_num
        while True:
            start = end + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                problems.append(Problem(source, start, f"unreadable CSV record: {exc}"))
                end = reader.line_num
                continue
            end = reader.line_num
            if row:  # csv yields [] for a blank line
                yield start, row

    return header, rows()


def _read_source(data_dir: Path, source: _Source, problems: list[Problem], bar: tqdm[Any]) -> dict[int, _Row]:
    accepted: dict[int, _Row] = {}
    first_line: dict[int, int] = {}
    name = source.member
    with _open_csv(data_dir / source.folder, source.member, source.archive) as stream:
        header, rows = _records(stream, name, problems)
        missing = [c for c in source.columns if c not in header]
        if missing:
            raise ValueError(f"{name}: header lacks column(s) {', '.join(missing)}")
        bar.set_description_str(source.key)
        for line, fields in rows:
            bar.update()
            if len(fields) != len(header):
                problems.append(
                    Problem(name, line, f"wrong field count: {len(fields)} (expected {len(header)})")
                )
                continue
            try:
                row = source.parse(dict(zip(header, fields, strict=True)))
            except _RowError as exc:
                problems.append(Problem(name, line, str(exc)))
                continue
            if row.id in accepted:
                problems.append(
                    Problem(name, line, f"duplicate id: {row.id} (first on line {first_line[row.id]})")
                )
                continue
            accepted[row.id] = row
            first_line[row.id] = line
    return accepted


# ------------------------------------------------------------------------ merge

_T = TypeVar("_T")


def _first(*values: _T | None) -> _T | None:
    for value in values:
        if value is not None and value != ():
            return value
    return None


def _merge(film_id: int, k: _Row | None, f: _Row | None, t: _Row | None) -> FilmRecord:
    present = [row for row in (k, f, t) if row is not None]

    def pick(attr: str, *rows: _Row | None) -> Any:
        return _first(*(getattr(row, attr) for row in rows if row is not None))

    # Largest vote_count wins; ties go to the newer file (top10k > 5000 > 10k).
    votes = max((row for row in (t, f, k) if row is not None), key=lambda row: row.vote_count)
    release_date: datetime.date | None = pick("release_date", f, t, k)
    year = release_date.year if release_date is not None else pick("release_year", k)
    return FilmRecord(
        id=film_id,
        title=pick("title", t, f, k),
        original_title=pick("original_title", f, k),
        overview=pick("overview", k, f, t),
        tagline=pick("tagline", k, f),
        release_date=release_date,
        year=year,
        runtime=pick("runtime", k, f),
        original_language=pick("original_language", f, t),
        popularity=present[0].popularity,  # 10k > 5000 > top10k
        vote_count=votes.vote_count,
        vote_average=votes.vote_average,
        imdb_id=pick("imdb_id", k),
        genres=pick("genres", k, f, t) or (),
        keywords=pick("keywords", k, f) or (),
        directors=pick("directors", k) or (),
        cast=pick("cast", k) or (),
        companies=pick("companies", k, f) or (),
        countries=pick("countries", f) or (),
        spoken_languages=pick("spoken_languages", f) or (),
        sources=tuple(key for key, row in zip(SOURCE_KEYS, (k, f, t), strict=True) if row is not None),
    )


def load_catalogue(data_dir: Path, progress: bool = False) -> LoadResult:
    """Load and merge the three TMDb files under ``data_dir`` (see module docstring).

    Raises ``FileNotFoundError`` when a source file is missing and ``ValueError``
    when a file lacks a required column; bad rows never raise, they are reported
    in ``LoadResult.problems`` (ordered by source, then line).
    """
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    by_source: dict[str, dict[int, _Row]] = {}
    with tqdm(unit=" rows", disable=not progress, desc="catalogue") as bar:
        for source in _SOURCES:
            by_source[source.key] = _read_source(data_dir, source, problems, bar)
    ten, five, top = (by_source[key] for key in SOURCE_KEYS)
    ids = sorted(set(ten) | set(five) | set(top))
    films = [_merge(i, ten.get(i), five.get(i), top.get(i)) for i in ids]
    return LoadResult(
        films=films,
        problems=problems,
        per_source_rows={key: len(by_source[key]) for key in SOURCE_KEYS},
    )


# -------------------------------------------------------------------- movielens


def load_movielens_links(
    data_dir: Path,
) -> tuple[list[tuple[int, str | None, int]], list[Problem]]:
    """Read ``movielens-latest-small/links.csv`` as ``(movieId, imdb_id, tmdbId)``.

    ``imdb_id`` is ``'tt'`` + the zero-padded 7-digit imdbId, or ``None`` when
    empty.  Rows with an empty or non-numeric tmdbId, a non-numeric movieId or
    imdbId, the wrong field count, or a repeated movieId are reported and left
    out.  Rows keep the file's order.
    """
    name = "links.csv"
    folder = Path(data_dir) / "movielens-latest-small"
    problems: list[Problem] = []
    links: list[tuple[int, str | None, int]] = []
    seen: dict[int, int] = {}
    with _open_csv(folder, name, None) as stream:
        header, rows = _records(stream, name, problems)
        wanted = ("movieId", "imdbId", "tmdbId")
        missing = [c for c in wanted if c not in header]
        if missing:
            raise ValueError(f"{name}: header lacks column(s) {', '.join(missing)}")
        movie_col, imdb_col, tmdb_col = (header.index(c) for c in wanted)
        for line, fields in rows:
            if len(fields) != len(header):
                problems.append(
                    Problem(name, line, f"wrong field count: {len(fields)} (expected {len(header)})")
                )
                continue
            try:
                movie_id = _id(fields[movie_col], "movieId")
                if not fields[tmdb_col].strip():
                    raise _RowError("empty tmdbId")
                tmdb_id = _id(fields[tmdb_col], "tmdbId")
                imdb_raw = fields[imdb_col].strip()
                if imdb_raw and not imdb_raw.isdigit():
                    raise _RowError(f"non-numeric imdbId: {_short(imdb_raw)}")
            except _RowError as exc:
                problems.append(Problem(name, line, str(exc)))
                continue
            if movie_id in seen:
                problems.append(
                    Problem(name, line, f"duplicate movieId: {movie_id} (first on line {seen[movie_id]})")
                )
                continue
            seen[movie_id] = line
            imdb_id = f"tt{imdb_raw.zfill(7)}" if imdb_raw else None
            links.append((movie_id, imdb_id, tmdb_id))
    return links, problems
