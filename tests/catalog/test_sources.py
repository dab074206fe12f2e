"""Tests for services.catalog.ingest.sources against the real data files.

The data directory comes from ``DATA_DIR`` (default: ``../shared/data`` beside the
repository root).  Tests that need it are skipped when it is absent.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import os
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from services.catalog.ingest.sources import (
    FilmRecord,
    LoadResult,
    Problem,
    canonical_genre,
    load_catalogue,
    load_movielens_links,
    repair_text,
)

DATA_DIR = Path(
    os.environ.get("DATA_DIR", Path(__file__).resolve().parents[2] / ".." / "shared" / "data")
).resolve()

needs_data = pytest.mark.skipif(
    not (DATA_DIR / "tmdb-10k" / "tmdb-movies.zip").is_file(),
    reason=f"real data not found under {DATA_DIR} (set DATA_DIR)",
)

TEN_K = "tmdb-movies.csv"
FIVE_K = "tmdb_5000_movies.csv"
TOP_10K = "top10K-TMDB-movies.csv"


@pytest.fixture(scope="module")
def catalogue() -> LoadResult:
    return load_catalogue(DATA_DIR)


@pytest.fixture(scope="module")
def films(catalogue: LoadResult) -> dict[int, FilmRecord]:
    return {film.id: film for film in catalogue.films}


# ----------------------------------------------------------------- pure helpers


def test_repair_text_cp1252_round_trip() -> None:
    assert repair_text("Michael PeÃ±a") == "Michael Peña"
    assert repair_text("Alejandro GonzÃ¡lez IÃ±Ã¡rritu") == "Alejandro González Iñárritu"
    assert repair_text("  Ã“lafur Darri Ã“lafsson \r\n") == "Ólafur Darri Ólafsson"


def test_repair_text_leaves_good_text_alone() -> None:
    for good in ("Léa Seydoux", "Dude, Where’s My Car?", "L'Âge d'Or", "千と千尋の神隠し", "Åmål"):
        assert repair_text(good) == good
    assert repair_text("  plain  ") == "plain"


def test_repair_text_mixed_and_orphan_quote() -> None:
    # the round trip fails on the whole string (a dropped 0x9D byte); ftfy fixes the rest
    assert repair_text("“CÃ¡sese quien puedaâ€, is") == "“Cásese quien pueda”, is"
    assert repair_text("Jimmyâ€™s â€œThe Saintâ€ gangster") == "Jimmy’s “The Saint” gangster"


def test_canonical_genre() -> None:
    assert canonical_genre("science fiction") == "Science Fiction"
    assert canonical_genre("Sci-Fi") == "Science Fiction"
    assert canonical_genre("TV movie") == "TV Movie"
    assert canonical_genre(" Drama ") == "Drama"
    assert canonical_genre("Unknown Thing") == "Unknown Thing"


# ------------------------------------------------------------- full real load


@needs_data
def test_union_size_and_unique_sorted_ids(catalogue: LoadResult) -> None:
    ids = [film.id for film in catalogue.films]
    assert 15_700 <= len(ids) <= 15_900
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)
    assert catalogue.per_source_rows == {"tmdb10k": 10_865, "tmdb5000": 4_803, "top10k": 10_000}


@needs_data
def test_godfather(films: dict[int, FilmRecord]) -> None:
    godfather = films[238]
    assert godfather.title == "The Godfather"
    assert godfather.directors == ("Francis Ford Coppola",)
    assert godfather.year == 1972
    assert godfather.release_date == datetime.date(1972, 3, 14)
    assert "Crime" in godfather.genres
    assert godfather.cast[:2] == ("Marlon Brando", "Al Pacino")
    assert godfather.imdb_id == "tt0068646"
    assert godfather.original_language == "en"
    assert "US" in godfather.countries
    assert godfather.sources == ("tmdb10k", "tmdb5000", "top10k")


@needs_data
def test_mojibake_repaired_in_names_and_titles(films: dict[int, FilmRecord]) -> None:
    # The Martian: 10k cast has "Michael PeÃ±a"
    assert "Michael Peña" in films[286217].cast
    # The Revenant: 10k director "Alejandro GonzÃ¡lez IÃ±Ã¡rritu"
    assert films[281957].directors == ("Alejandro González Iñárritu",)
    # only in the 10k file, whose original_title is "CÃ¡sese quien pueda"
    assert films[252444].sources == ("tmdb10k",)
    assert films[252444].title == "Cásese quien pueda"
    assert films[252444].overview is not None
    assert films[252444].overview.startswith("“Cásese quien pueda”")


@needs_data
def test_no_cp1252_mojibake_left_in_titles(catalogue: LoadResult) -> None:
    for film in catalogue.films:
        assert "Ã©" not in film.title and "â€™" not in film.title, film


@needs_data
def test_duplicate_42194_once_and_reported(catalogue: LoadResult) -> None:
    assert sum(1 for film in catalogue.films if film.id == 42194) == 1
    duplicates = [p for p in catalogue.problems if p.reason.startswith("duplicate id: 42194")]
    assert duplicates == [Problem(TEN_K, 2094, "duplicate id: 42194 (first on line 2093)")]
    assert len(catalogue.problems) == 1  # the real files have no other bad rows


@needs_data
def test_top10k_only_recent_film(films: dict[int, FilmRecord]) -> None:
    parasite = films[496243]
    assert parasite.sources == ("top10k",)
    assert parasite.title == "Parasite"
    assert parasite.year == 2019
    assert parasite.original_language == "ko"
    assert parasite.genres == ("Comedy", "Thriller", "Drama")
    assert parasite.cast == () and parasite.directors == ()


@needs_data
def test_empty_overview_is_none(films: dict[int, FilmRecord]) -> None:
    assert films[355131].overview is None  # 10k only, empty
    assert films[43630].overview is None  # 5000 only, empty
    assert films[17413].overview is None  # top10k only, empty
    assert all(film.overview is None or film.overview for film in films.values())


@needs_data
def test_field_invariants(catalogue: LoadResult) -> None:
    canonical = {
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
    }
    for film in catalogue.films:
        assert film.title and film.title == film.title.strip()
        assert set(film.genres) <= canonical, film.genres
        assert len(set(film.genres)) == len(film.genres)
        assert film.runtime is None or film.runtime > 0
        assert film.vote_count >= 0
        assert film.imdb_id is None or film.imdb_id.startswith("tt")
        if film.release_date is not None:
            assert film.year == film.release_date.year
            assert 1900 <= film.year <= 2025
        assert film.sources


@needs_data
def test_votes_from_source_with_most_votes(films: dict[int, FilmRecord]) -> None:
    # Avatar: 10k 8458 votes, 5000 11800, top10k 25759 -> top10k values
    assert films[19995].vote_count == 25_759
    assert films[19995].vote_average == 7.5


@needs_data
def test_10k_century_from_release_year(films: dict[int, FilmRecord]) -> None:
    # 10k-only films: dates like "4/5/68" must land in 1968, not 2068
    old = [f for f in films.values() if f.sources == ("tmdb10k",) and f.year and f.year < 1970]
    assert old
    assert all(f.release_date is not None and f.release_date.year < 1970 for f in old)


# ------------------------------------------------------------- malformed rows


def _real_rows(data_dir: Path, folder: str, archive: str | None, member: str, n: int) -> list[list[str]]:
    """Header plus the first ``n`` records of a real source file."""
    if archive:
        with zipfile.ZipFile(data_dir / folder / archive) as zf:
            text = zf.read(member).decode("utf-8")
    else:
        text = (data_dir / folder / member).read_text(encoding="utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    return list(itertools.islice(reader, n + 1))


def _csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


@needs_data
def test_malformed_rows_reported_with_line_numbers(tmp_path: Path) -> None:
    header, good, other = _real_rows(DATA_DIR, "tmdb-10k", "tmdb-movies.zip", TEN_K, 2)
    col = {name: i for i, name in enumerate(header)}

    bad_id = list(good)
    bad_id[col["id"]] = "abc"
    multi_line = list(other)  # a good record spanning two physical lines
    multi_line[col["overview"]] = "First line of the overview,\nsecond line."
    bad_votes = list(other)
    bad_votes[col["id"]] = "999999999"
    bad_votes[col["vote_count"]] = "many"
    ten_k_rows = [
        header,  # line 1
        good,  # 2
        bad_id,  # 3
        multi_line,  # 4-5
        ["1", "2", "3"],  # 6: wrong field count
        good,  # 7: duplicate of line 2
        bad_votes,  # 8
    ]
    (tmp_path / "tmdb-10k").mkdir()
    with zipfile.ZipFile(tmp_path / "tmdb-10k" / "tmdb-movies.zip", "w") as zf:
        zf.writestr(TEN_K, _csv_text(ten_k_rows))

    five_k = _real_rows(DATA_DIR, "tmdb-5000", "tmdb_5000_movies.zip", FIVE_K, 1)
    (tmp_path / "tmdb-5000").mkdir()
    with zipfile.ZipFile(tmp_path / "tmdb-5000" / "tmdb_5000_movies.zip", "w") as zf:
        zf.writestr(FIVE_K, _csv_text(five_k))

    top_header, top_row = _real_rows(DATA_DIR, "tmdb-top10k", None, TOP_10K, 1)
    no_title = list(top_row)
    no_title[top_header.index("id")] = "123456789"
    no_title[top_header.index("title")] = "  "
    (tmp_path / "tmdb-top10k").mkdir()
    (tmp_path / "tmdb-top10k" / TOP_10K).write_text(
        _csv_text([top_header, no_title, top_row]), encoding="utf-8", newline=""
    )

    result = load_catalogue(tmp_path)

    # problems come in file order (10k, 5000, top10k), then by line
    found = [(p.source, p.line, p.reason.split(":")[0]) for p in result.problems]
    good_id = int(good[col["id"]])
    assert found == [
        (TEN_K, 3, "non-numeric id"),
        (TEN_K, 6, "wrong field count"),
        (TEN_K, 7, "duplicate id"),
        (TEN_K, 8, "non-numeric vote_count"),
        (TOP_10K, 2, "empty title"),
    ]
    assert result.problems[2].reason == f"duplicate id: {good_id} (first on line 2)"
    assert result.problems[1].reason == "wrong field count: 3 (expected 21)"
    assert result.per_source_rows == {"tmdb10k": 2, "tmdb5000": 1, "top10k": 1}
    loaded = {film.id: film for film in result.films}
    expected_ids = {
        good_id,
        int(other[col["id"]]),
        int(five_k[1][five_k[0].index("id")]),
        int(top_row[top_header.index("id")]),
    }
    assert set(loaded) == expected_ids
    assert loaded[int(other[col["id"]])].overview == "First line of the overview,\nsecond line."


def test_missing_source_file_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_catalogue(tmp_path)


def test_bare_csv_layout_and_progress(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The loader accepts bare CSVs in place of the zips; progress=True shows a bar."""
    ten_k_header = (
        "id,imdb_id,popularity,budget,revenue,original_title,cast,homepage,director,tagline,"
        "keywords,overview,runtime,genres,production_companies,release_date,vote_count,"
        "vote_average,release_year,budget_adj,revenue_adj"
    )
    ten_k_row = (
        '7,tt0000007,1.5,0,0,Sample Film,A|B|A,,Dir,,k1|k2,"Two\nlines",0,'
        "Science Fiction|Drama|Drama,Co,12/31/99,10,6.5,1999,0,0"
    )
    five_k_header = (
        "budget,genres,homepage,id,keywords,original_language,original_title,overview,"
        "popularity,production_companies,production_countries,release_date,revenue,runtime,"
        "spoken_languages,status,tagline,title,vote_average,vote_count"
    )
    top_header = "id,title,genre,original_language,overview,popularity,release_date,vote_average,vote_count"
    top_row = '7,Sample Film (EN),"Drama, Sci-Fi",fr,,2.5,1999-12-30,7.0,50'
    for folder, name, text in (
        ("tmdb-10k", TEN_K, f"{ten_k_header}\r\n{ten_k_row}\r\n"),
        ("tmdb-5000", FIVE_K, f"{five_k_header}\n"),
        ("tmdb-top10k", TOP_10K, f"{top_header}\r\n{top_row}\r\n"),
    ):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / name).write_text(text, encoding="utf-8", newline="")

    result = load_catalogue(tmp_path, progress=True)

    assert result.problems == []
    assert "top10k" in capsys.readouterr().err  # tqdm bar on stderr, last description
    (film,) = result.films
    assert film.title == "Sample Film (EN)"  # top10k title wins
    assert film.original_title == "Sample Film"
    assert film.cast == ("A", "B")  # deduplicated, order kept
    assert film.genres == ("Science Fiction", "Drama")  # 10k genres win, deduplicated
    assert film.runtime is None  # 0 = unknown
    assert film.release_date == datetime.date(1999, 12, 30)  # ISO (top10k) beats 10k m/d/yy
    assert film.year == 1999
    assert film.popularity == 1.5  # 10k popularity first
    assert (film.vote_count, film.vote_average) == (50, 7.0)  # most votes
    assert film.original_language == "fr"
    assert film.overview == "Two\nlines"
    assert film.sources == ("tmdb10k", "top10k")


# ------------------------------------------------------------------ movielens


@needs_data
def test_movielens_links() -> None:
    links, problems = load_movielens_links(DATA_DIR)
    assert 9_700 <= len(links) < 9_800
    assert all(isinstance(tmdb_id, int) and tmdb_id > 0 for _, _, tmdb_id in links)
    assert all(imdb is None or (imdb.startswith("tt") and len(imdb) >= 9) for _, imdb, _ in links)
    assert links[0] == (1, "tt0114709", 862)  # Toy Story
    assert len({movie_id for movie_id, _, _ in links}) == len(links)
    assert Counter(p.reason for p in problems) == {"empty tmdbId": 8}
    assert all(p.source == "links.csv" and p.line > 1 for p in problems)
    assert min(p.line for p in problems) == 626  # movieId 791


def test_movielens_links_bad_rows(tmp_path: Path) -> None:
    (tmp_path / "movielens-latest-small").mkdir()
    (tmp_path / "movielens-latest-small" / "links.csv").write_text(
        "movieId,imdbId,tmdbId\n1,0114709,862\nx,1,2\n3,0000003,\n4,5\n1,0000001,9\n6,,77\n",
        encoding="utf-8",
    )
    links, problems = load_movielens_links(tmp_path)
    assert links == [(1, "tt0114709", 862), (6, None, 77)]
    assert [(p.line, p.reason.split(":")[0]) for p in problems] == [
        (3, "non-numeric movieId"),
        (4, "empty tmdbId"),
        (5, "wrong field count"),
        (6, "duplicate movieId"),
    ]
