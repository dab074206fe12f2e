"""Reading Letterboxd and IMDb exports (services/users/import_files.py): formats, spellings, bad files."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from kit.limits import IMPORT_FILE_MAX_BYTES, IMPORT_MAX_ROWS
from services.users.import_files import Action, BadFile, RowStatus, read_export

IMDB_NEW = (
    "Const,Your Rating,Date Rated,Title,Original Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,"
    "Num Votes,Release Date,Directors\r\n"
    'tt0133093,9,2021-03-04,The Matrix,The Matrix,https://www.imdb.com/title/tt0133093/,Movie,8.7,136,1999,'
    '"Action, Sci-Fi",2000000,1999-03-31,"Lana Wachowski, Lilly Wachowski"\r\n'
    'tt0903747,10,2020-01-02,Breaking Bad,Breaking Bad,https://www.imdb.com/title/tt0903747/,TV Series,9.5,49,2008,'
    '"Crime, Drama",2100000,2008-01-20,\r\n'
    'tt0211915,7,2019-05-06,"Amélie","Le fabuleux destin d\'Amélie Poulain",https://x,movie,8.3,122,2001,'
    '"Comedy, Romance",800000,2001-04-25,Jean-Pierre Jeunet\r\n'
)
IMDB_OLD = (
    "position,const,created,modified,description,Title,Title type,Directors,You rated,IMDb Rating,Runtime (mins),"
    "Year,Genres,Num. Votes,Release Date (month/day/year),URL\n"
    '1,tt0133093,Sat Mar 14 00:00:00 2015,Sat Mar 14 00:00:00 2015,,The Matrix,Feature Film,"Lana Wachowski",8,'
    '8.7,136,1999,"action, sci_fi",1000000,1999-03-31,http://www.imdb.com/title/tt0133093/\n'
)


def lb_zip(files: dict[str, str], folder: str = "") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(folder + name, text)
    return buf.getvalue()


def test_imdb_current_export_with_a_bom():
    ex = read_export(b"\xef\xbb\xbf" + IMDB_NEW.encode(), "ratings.csv")
    assert ex.source == "imdb"
    matrix, series, amelie = ex.rows
    assert (matrix.imdb_id, matrix.title, matrix.year, matrix.rating, matrix.action) == (
        "tt0133093", "The Matrix", 1999, 4.5, Action.RATE)
    assert matrix.on == date(2021, 3, 4) and matrix.status is RowStatus.OK and matrix.line == 2
    assert series.status is RowStatus.NOT_A_FILM and "TV Series" in series.problem
    assert amelie.original_title == "Le fabuleux destin d'Amélie Poulain" and amelie.rating == 3.5


def test_imdb_older_export_spellings_and_windows_1252():
    ex = read_export(IMDB_OLD.replace(",The Matrix,", ',"Matrix, Thé",').encode("cp1252"), "ratings.csv")
    (row,) = ex.rows
    assert (row.imdb_id, row.title, row.rating, row.on) == ("tt0133093", "Matrix, Thé", 4.0, date(2015, 3, 14))
    assert row.status is RowStatus.OK  # "Feature Film" is a film


def test_imdb_list_without_ratings_is_a_watchlist():
    text = ("Position,Const,Created,Modified,Description,Title,URL,Title Type,IMDb Rating,Year\n"
            "1,tt0133093,2020-01-01,,,The Matrix,u,movie,8.7,1999\n")
    (row,) = read_export(text.encode(), "watchlist.csv").rows
    assert row.action is Action.WATCHLIST and row.rating is None


def test_imdb_bad_rows_are_kept_with_a_reason():
    text = IMDB_NEW.split("\r\n")[0] + "\r\n" + "\r\n".join([
        "tt1,9,2021-01-01,Short Id,,u,movie,1,1,1999,,,,",
        "tt0000001,11,2021-01-01,Too High,,u,movie,1,1,1999,,,,",
        "tt0000002,8,2021-01-01,,,u,movie,1,1,1999,,,,",
        "tt0000003,8,2021-01-01,Year,,u,movie,1,1,19x9,,,,",
    ]) + "\r\n"
    rows = read_export(text.encode(), "ratings.csv").rows
    assert [r.status for r in rows] == [RowStatus.BAD_ROW] * 4
    assert "not an IMDb title id" in rows[0].problem
    assert "not 1 to 10" in rows[1].problem
    assert "no title" in rows[2].problem
    assert "not a year" in rows[3].problem
    assert all(r.rating is None for r in rows)


def test_quoted_fields_with_commas_quotes_and_line_breaks():
    text = ('Const,Your Rating,Date Rated,Title,Title Type,Year\n'
            'tt0000004,6,2021-01-01,"Crouching Tiger, ""Hidden"" Dragon\nPart",movie,2000\n'
            'tt0000005,6,2021-01-01,Next,movie,2001\n')
    a, b = read_export(text.encode(), "ratings.csv").rows
    assert a.title == 'Crouching Tiger, "Hidden" Dragon\nPart' and (a.line, b.line) == (2, 4)


def test_letterboxd_zip():
    data = lb_zip({
        "ratings.csv": "Date,Name,Year,Letterboxd URI,Rating\n2022-01-01,The Matrix,1999,https://boxd.it/a,4.5\n"
                       "2022-01-02,Bad,1999,https://boxd.it/b,6\n",
        "watched.csv": "Date,Name,Year,Letterboxd URI\n2022-01-01,The Matrix,1999,https://boxd.it/a\n",
        "watchlist.csv": "Date,Name,Year,Letterboxd URI\n2022-02-01,Amélie,2001,https://boxd.it/c\n",
        "diary.csv": "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n",
        "lists/ratings.csv": "not,read\n",
    }, folder="letterboxd-me-2022-02-02/")
    ex = read_export(data, "letterboxd-me.zip")
    assert ex.source == "letterboxd"
    assert [(r.file, r.action, r.title, r.rating, r.status) for r in ex.rows] == [
        ("ratings.csv", Action.RATE, "The Matrix", 4.5, RowStatus.OK),
        ("ratings.csv", Action.RATE, "Bad", None, RowStatus.BAD_ROW),
        ("watched.csv", Action.WATCHED, "The Matrix", None, RowStatus.OK),
        ("watchlist.csv", Action.WATCHLIST, "Amélie", None, RowStatus.OK),
    ]
    assert "not 0.5 to 5" in ex.rows[1].problem


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    (b"PK\x03\x04not really a zip", "not a readable zip"),
    (lb_zip({"profile.csv": "Date Joined,Username\n"}), "no ratings.csv, watched.csv or watchlist.csv"),
    (lb_zip({"ratings.csv": "Date,Title,Stars\n"}), "not Letterboxd's"),
    (b"Date,Name,Year,Letterboxd URI,Rating\n2022-01-01,X,1999,u,4\n", "upload the whole export zip"),
    (b"name,score\nx,1\n", "not an IMDb export"),
    (b"Const,Title\n\x00\x01\x02", "NUL"),
    (b'Const,Title\n"tt0000001,unterminated\n', "not a readable CSV"),
    (b"x" * (IMPORT_FILE_MAX_BYTES + 1), "at most 4 MiB"),
])
def test_bad_files_are_refused_with_the_reason(data: bytes, message: str):
    with pytest.raises(BadFile, match=message):
        read_export(data, "upload.csv")


def test_too_many_rows_and_a_zip_bomb_are_refused():
    many = "Const,Title\n" + "tt0000001,X\n" * (IMPORT_MAX_ROWS + 1)
    with pytest.raises(BadFile, match="more than 20,000 rows"):
        read_export(many.encode(), "ratings.csv")
    bomb = lb_zip({"watched.csv": "Date,Name,Year,Letterboxd URI\n" + " " * (40 * 2**20)})
    assert len(bomb) < IMPORT_FILE_MAX_BYTES
    with pytest.raises(BadFile, match="unpacks to more than 32 MiB"):
        read_export(bomb, "bomb.zip")
