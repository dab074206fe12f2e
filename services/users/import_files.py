"""Reading an exported film history: a Letterboxd export (zip) or an IMDb ratings (or watchlist) CSV.

Plain functions over bytes, no I/O: `read_export(data, file_name)` returns the rows of the file, or
raises `BadFile` with a sentence for a person when the file as a whole cannot be read (then nothing
is imported). A row that cannot be read (no title, a rating off the scale, a year that is no year) is
kept as a row with status BAD_ROW and its reason; an IMDb row of a TV series, an episode, a game ...
gets NOT_A_FILM. Only OK rows go on to be matched.

Formats (checked against real exports' headers; column names are compared case- and
punctuation-insensitively, so `Your Rating`, `your rating` and `YourRating` are one column):

- Letterboxd export zip (`letterboxd-<user>-<date>.zip`): `ratings.csv` (Date, Name, Year, Letterboxd
  URI, Rating: 0.5-5 stars in halves), `watched.csv` and `watchlist.csv` (Date, Name, Year, Letterboxd
  URI); its other files (diary, reviews, likes, lists, profile ...) are not read. The files may sit at
  the top of the zip or in one folder. No IMDb ids. Stars map straight to our 0.5-5 scale.
- IMDb ratings export (`ratings.csv`): Const (tt id), Your Rating (1-10), Date Rated, Title, Original
  Title (newer exports only), URL, Title Type, IMDb Rating, Runtime (mins), Year, Genres, Num Votes,
  Release Date, Directors. Older exports spell some differently (`You rated`, `created`, `Title type`,
  `Num. Votes`) and were written in Windows-1252; both are read. A rating n/10 is n/2 on our scale.
  A CSV with Const but no rating column is an IMDb list or watchlist export: its films go to the
  watchlist.

Text: UTF-8 with or without a byte order mark, else Windows-1252 (which decodes any byte). Quoting:
RFC 4180 (`csv` module: commas, quotes and line breaks inside quoted fields).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from enum import StrEnum

from kit.limits import IMPORT_FILE_MAX_BYTES, IMPORT_MAX_ROWS, IMPORT_MAX_UNCOMPRESSED_BYTES


class BadFile(ValueError):
    """The file cannot be imported at all; the message says why, for the person who uploaded it."""


class RowStatus(StrEnum):
    OK = "ok"
    BAD_ROW = "bad_row"
    NOT_A_FILM = "not_a_film"


class Action(StrEnum):
    RATE = "rate"
    WATCHED = "watched"
    WATCHLIST = "watchlist"


@dataclass(frozen=True)
class FileRow:
    file: str            # "ratings.csv", "watched.csv", ... as named in the export
    line: int            # the row's line in its file (the header is line 1)
    action: Action
    title: str
    year: int | None = None
    imdb_id: str = ""
    original_title: str = ""
    rating: float | None = None   # on our scale, 0.5-5 in halves (RATE rows)
    on: date | None = None        # when the person rated / watched / listed it, when the file says
    status: RowStatus = RowStatus.OK
    problem: str = ""             # why it is not OK


@dataclass(frozen=True)
class Export:
    source: str                   # "letterboxd" or "imdb"
    rows: list[FileRow]


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


# our field -> the header keys (_key) that name it, in either the current or an older export
_IMDB_COLUMNS = {
    "const": ("const",),
    "rating": ("yourrating", "yourated"),
    "date": ("daterated", "created"),
    "title": ("title",),
    "original_title": ("originaltitle",),
    "type": ("titletype",),
    "year": ("year",),
}
_LETTERBOXD_COLUMNS = {"date": ("date",), "name": ("name",), "year": ("year",), "rating": ("rating",),
                       "uri": ("letterboxduri",)}

# IMDb title types that are films (current spellings, then the older export's); anything else named is not.
_FILM_TYPES = {"movie", "tvmovie", "video", "short", "featurefilm", "documentary", "shortfilm"}
_IMDB_ID = re.compile(r"^tt\d{7,10}$")


def _decode(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise BadFile(f"The file {name} is not a text file (it holds NUL bytes).")
    return text


def _table(text: str, name: str) -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    """(header key -> column, [(line, cells)]) of a CSV text; BadFile when it is no CSV at all."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise BadFile(f"The file {name} is empty.")
        columns: dict[str, int] = {}
        for i, h in enumerate(header):
            columns.setdefault(_key(h), i)
        rows: list[tuple[int, list[str]]] = []
        start = reader.line_num + 1
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((start, cells))
            if len(rows) > IMPORT_MAX_ROWS:
                raise BadFile(f"The file {name} has more than {IMPORT_MAX_ROWS:,} rows,"
                              " more than one import takes.")
            start = reader.line_num + 1
    except csv.Error as e:
        raise BadFile(f"The file {name} is not a readable CSV file (line {reader.line_num}: {e}).") from None
    return columns, rows


def _col(columns: dict[str, int], names: tuple[str, ...]) -> int | None:
    for n in names:
        if n in columns:
            return columns[n]
    return None


def _cell(cells: list[str], i: int | None) -> str:
    return cells[i].strip() if i is not None and i < len(cells) else ""


def _year(text: str) -> tuple[int | None, str]:
    if not text:
        return None, ""
    if not re.fullmatch(r"\d{4}", text) or not 1870 <= int(text) <= 2100:
        return None, f"the year \u201c{text[:20]}\u201d is not a year"
    return int(text), ""


def _date(text: str) -> date | None:
    """ISO dates (both exports today); older IMDb exports wrote e.g. `Sat Mar 14 00:00:00 2015`."""
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%a %b %d %H:%M:%S %Y", "%m/%d/%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text[:24] if fmt != "%Y-%m-%d" else text[:10], fmt).date()
        except ValueError:
            continue
    return None


def _stars(text: str, scale_max: float) -> tuple[float | None, str]:
    """A rating as our 0.5-5: Letterboxd's stars as they are (scale 5), IMDb's 1-10 halved (scale 10)."""
    try:
        v = float(text.replace(",", "."))
    except ValueError:
        return None, f"the rating \u201c{text[:20]}\u201d is not a number" if text else "it has no rating"
    ours = v if scale_max == 5 else v / 2
    low = 0.5 if scale_max == 5 else 1
    if not low <= v <= scale_max or ours * 2 != round(ours * 2):
        step = "0.5 to 5 in half stars" if scale_max == 5 else "1 to 10"
        return None, f"the rating {text} is not {step}"
    return ours, ""


def read_imdb(text: str, name: str) -> Export:
    columns, table = _table(text, name)
    c = {f: _col(columns, keys) for f, keys in _IMDB_COLUMNS.items()}
    if c["const"] is None or c["title"] is None:
        raise BadFile(f"The file {name} is not an IMDb export: its first line has no Const and Title columns.")
    action = Action.RATE if c["rating"] is not None else Action.WATCHLIST
    rows: list[FileRow] = []
    for line, cells in table:
        title, const = _cell(cells, c["title"]), _cell(cells, c["const"])
        year, year_problem = _year(_cell(cells, c["year"]))
        rating, problem = (None, "")
        if action is Action.RATE:
            rating, problem = _stars(_cell(cells, c["rating"]), 10)
        row = FileRow(file=name, line=line, action=action, title=title, year=year, imdb_id=const,
                      original_title=_cell(cells, c["original_title"]), rating=rating,
                      on=_date(_cell(cells, c["date"])))
        kind = _cell(cells, c["type"])
        if not title and not const:
            problem = "it has neither a title nor an IMDb id"
        elif const and not _IMDB_ID.match(const):
            problem = f"\u201c{const[:20]}\u201d is not an IMDb title id (tt and digits)"
        elif not title:
            problem = "it has no title"
        problem = problem or year_problem
        if problem:
            row = replace(row, rating=None, status=RowStatus.BAD_ROW, problem=f"Bad row: {problem}.")
        elif kind and _key(kind) not in _FILM_TYPES:
            row = replace(row, status=RowStatus.NOT_A_FILM, problem=f"Not a film: IMDb lists it as \u201c{kind}\u201d.")
        rows.append(row)
    return Export("imdb", rows)


_NOT_OURS = {"lists", "likes", "deleted", "orphaned"}
_LETTERBOXD_FILES = {"ratings.csv": Action.RATE, "watched.csv": Action.WATCHED, "watchlist.csv": Action.WATCHLIST}


def _letterboxd_rows(text: str, name: str, action: Action) -> list[FileRow]:
    columns, table = _table(text, name)
    c = {f: _col(columns, keys) for f, keys in _LETTERBOXD_COLUMNS.items()}
    if c["name"] is None or (action is Action.RATE and c["rating"] is None):
        need = "Name and Rating columns" if action is Action.RATE else "a Name column"
        raise BadFile(f"The zip's {name} is not Letterboxd's: its first line has no {need}.")
    rows: list[FileRow] = []
    for line, cells in table:
        title = _cell(cells, c["name"])
        year, problem = _year(_cell(cells, c["year"]))
        rating = None
        if action is Action.RATE:
            rating, rating_problem = _stars(_cell(cells, c["rating"]), 5)
            problem = problem or rating_problem
        if not title:
            problem = "it has no film name"
        row = FileRow(file=name, line=line, action=action, title=title, year=year, rating=rating,
                      on=_date(_cell(cells, c["date"])))
        if problem:
            row = replace(row, rating=None, status=RowStatus.BAD_ROW, problem=f"Bad row: {problem}.")
        rows.append(row)
    return rows


def read_letterboxd(data: bytes, name: str) -> Export:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as e:
        raise BadFile(f"The file {name} is not a readable zip file ({e}).") from None
    chosen: dict[str, zipfile.ZipInfo] = {}
    for m in members:
        parts = m.filename.strip("/").split("/")
        base = parts[-1].lower()
        if m.is_dir() or len(parts) > 2 or base not in _LETTERBOXD_FILES or parts[0].lower() in _NOT_OURS:
            continue  # lists/*.csv, likes/films.csv, deleted/..., orphaned/...: not the account's own lists
        if base not in chosen or len(parts) < len(chosen[base].filename.strip("/").split("/")):
            chosen[base] = m
    if not chosen:
        raise BadFile(f"The file {name} is not a Letterboxd export: it holds no ratings.csv, watched.csv"
                      " or watchlist.csv.")
    budget = IMPORT_MAX_UNCOMPRESSED_BYTES
    rows: list[FileRow] = []
    for base, action in _LETTERBOXD_FILES.items():
        if base not in chosen:
            continue
        try:
            with archive.open(chosen[base]) as f:
                data_in = f.read(budget + 1)  # never more than the budget, whatever the header claims
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as e:
            raise BadFile(f"The file {base} in {name} cannot be unpacked ({e}).") from None
        budget -= len(data_in)
        if budget < 0:
            raise BadFile(f"The file {name} unpacks to more than {IMPORT_MAX_UNCOMPRESSED_BYTES // 2**20} MiB of CSV,"
                          " more than one import takes.")
        rows.extend(_letterboxd_rows(_decode(data_in, base), base, action))
        if len(rows) > IMPORT_MAX_ROWS:
            raise BadFile(f"The file {name} has more than {IMPORT_MAX_ROWS:,} rows, more than one import takes.")
    return Export("letterboxd", rows)


def read_export(data: bytes, file_name: str) -> Export:
    """The rows of an uploaded export (a Letterboxd zip or an IMDb CSV, told apart by their bytes)."""
    name = file_name.strip() or "you sent"
    if not data:
        raise BadFile(f"The file {name} is empty.")
    if len(data) > IMPORT_FILE_MAX_BYTES:
        raise BadFile(f"The file {name} is {len(data) / 2**20:.1f} MiB; an import takes at most"
                      f" {IMPORT_FILE_MAX_BYTES // 2**20} MiB.")
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        return read_letterboxd(data, name)
    text = _decode(data, name)
    first = text.split("\n", 1)[0]
    keys = {_key(h) for h in first.split(",")}
    if "letterboxduri" in keys:
        raise BadFile(f"The file {name} is one file of a Letterboxd export: upload the whole export zip"
                      " (Settings > Import & Export > Export your data on Letterboxd).")
    return read_imdb(text, name)


def noon_utc(d: date | None) -> datetime | None:
    """A file's date as a time: noon UTC of that day (the same calendar day in most of the world)."""
    return None if d is None else datetime(d.year, d.month, d.day, 12, tzinfo=UTC)
