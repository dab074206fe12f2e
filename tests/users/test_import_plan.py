"""What a preview shows and a confirm writes (services/users/history_import.plan), without a database."""

from __future__ import annotations

from datetime import date

from movierec.catalog.v1 import catalog_pb2 as cpb
from movierec.users.v1 import users_pb2 as pb

from services.users.history_import import Current, plan
from services.users.import_files import Action, FileRow, RowStatus


def row(action: Action, title: str, rating: float | None = None, line: int = 2, file: str = "ratings.csv",
        status: RowStatus = RowStatus.OK) -> FileRow:
    return FileRow(file=file, line=line, action=action, title=title, year=2000, rating=rating, on=date(2020, 5, 6),
                   status=status, problem="Bad row: x." if status is RowStatus.BAD_ROW else "")


def matched(mid: int) -> cpb.FilmMatch:
    return cpb.FilmMatch(outcome=cpb.MATCH_OUTCOME_MATCHED, movie_id=mid, matched_by="title", reason="Matched.")


def test_new_changed_unchanged_and_what_is_written():
    rows = [row(Action.RATE, "A", 4.0), row(Action.RATE, "B", 3.0, 3), row(Action.RATE, "C", 5.0, 4),
            row(Action.WATCHED, "A", file="watched.csv"), row(Action.WATCHLIST, "D", file="watchlist.csv")]
    current = Current(ratings={2: 2.5, 3: 5.0}, watchlist={4})
    out, actions, counts = plan(rows, [matched(1), matched(2), matched(3), matched(1), matched(4)], current)
    assert [r.change for r in out] == [pb.IMPORT_CHANGE_NEW, pb.IMPORT_CHANGE_CHANGED, pb.IMPORT_CHANGE_UNCHANGED,
                                       pb.IMPORT_CHANGE_NEW, pb.IMPORT_CHANGE_UNCHANGED]
    assert out[1].current_rating == 2.5
    assert [(a.action, a.movie_id, a.rating) for a in actions] == [
        (Action.RATE, 1, 4.0), (Action.RATE, 2, 3.0), (Action.WATCHED, 1, None)]
    assert actions[0].at is not None and actions[0].at.hour == 12
    assert (counts.matched, counts.ratings_new, counts.ratings_changed, counts.watched_new, counts.watchlist_new,
            counts.unchanged) == (5, 1, 1, 1, 0, 2)


def test_duplicates_skips_and_rows_that_did_not_match():
    rows = [row(Action.RATE, "A", 4.0), row(Action.RATE, "A again", 3.0, 3),
            row(Action.WATCHED, "E", file="watched.csv"), row(Action.WATCHLIST, "E", file="watchlist.csv"),
            row(Action.RATE, "?", 1.0, 5), row(Action.RATE, "bad", None, 6, status=RowStatus.BAD_ROW),
            row(Action.RATE, "series", 1.0, 7, status=RowStatus.NOT_A_FILM)]
    nf = cpb.FilmMatch(outcome=cpb.MATCH_OUTCOME_NOT_FOUND, reason="Not in the catalogue.")
    out, actions, counts = plan(rows, [matched(1), matched(1), matched(5), matched(5), nf, None, None], Current())
    assert out[1].change == pb.IMPORT_CHANGE_DUPLICATE and "line 2 of ratings.csv" in out[1].reason
    assert out[3].change == pb.IMPORT_CHANGE_SKIPPED and "stays off your watchlist" in out[3].reason
    assert [r.status for r in out[4:]] == [pb.IMPORT_ROW_STATUS_NOT_IN_CATALOGUE, pb.IMPORT_ROW_STATUS_BAD_ROW,
                                            pb.IMPORT_ROW_STATUS_NOT_A_FILM]
    assert [(a.action, a.movie_id) for a in actions] == [(Action.RATE, 1), (Action.WATCHED, 5)]
    assert (counts.rows, counts.matched, counts.not_in_catalogue, counts.bad_rows, counts.not_a_film,
            counts.unchanged) == (7, 4, 1, 1, 1, 2)


def test_watched_leaving_the_watchlist_is_a_change():
    out, actions, _ = plan([row(Action.WATCHED, "A", file="watched.csv")], [matched(1)],
                           Current(watched={1}, watchlist={1}))
    assert out[0].change == pb.IMPORT_CHANGE_CHANGED and len(actions) == 1
