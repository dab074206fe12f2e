from __future__ import annotations

import strawberry
from movierec.users.v1 import users_pb2


@strawberry.type(description="How the rows of an imported file came out.")
class ImportCounts:
    rows: int
    matched: int
    not_in_catalogue: int
    ambiguous: int
    not_a_film: int
    bad_rows: int
    ratings_new: int
    ratings_changed: int
    watched_new: int
    watchlist_new: int
    unchanged: int = strawberry.field(description="Matched rows that change nothing (unchanged, duplicate, skipped).")

    @classmethod
    def from_proto(cls, c: users_pb2.ImportCounts) -> ImportCounts:
        return cls(rows=c.rows, matched=c.matched, not_in_catalogue=c.not_in_catalogue, ambiguous=c.ambiguous,
                   not_a_film=c.not_a_film, bad_rows=c.bad_rows, ratings_new=c.ratings_new,
                   ratings_changed=c.ratings_changed, watched_new=c.watched_new, watchlist_new=c.watchlist_new,
                   unchanged=c.unchanged)
