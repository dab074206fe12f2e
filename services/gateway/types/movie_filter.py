from __future__ import annotations

from typing import Any

import strawberry
from movierec.catalog.v1 import catalog_pb2
from strawberry import UNSET

from services.gateway.errors import BadUserInput
from services.gateway.validation import MAX_FILTER_GENRES, check_non_negative, check_range


@strawberry.input(description="Search filters; every given one must hold.")
class MovieFilter:
    # UNSET (omitted) and null mean the same: no such filter.
    genres: list[str] | None = strawberry.field(default=UNSET, description="A film must have all of them.")
    year_from: int | None = UNSET
    year_to: int | None = UNSET
    language: str | None = strawberry.field(default=UNSET, description="Original language, ISO 639-1.")
    runtime_min: int | None = UNSET
    runtime_max: int | None = UNSET
    min_votes: int | None = UNSET

    def _get(self, name: str) -> Any:
        value = getattr(self, name)
        return None if value is UNSET else value

    def to_proto(self) -> catalog_pb2.MovieFilter:
        year_from, year_to = self._get("year_from"), self._get("year_to")
        runtime_min, runtime_max = self._get("runtime_min"), self._get("runtime_max")
        min_votes = self._get("min_votes")
        genres = sorted({g.strip() for g in self._get("genres") or [] if g.strip()})
        if len(genres) > MAX_FILTER_GENRES:
            raise BadUserInput(f"At most {MAX_FILTER_GENRES} genres may be given.")
        check_range("yearFrom", year_from, "yearTo", year_to)
        check_range("runtimeMin", runtime_min, "runtimeMax", runtime_max)
        check_non_negative("runtimeMin", runtime_min)
        check_non_negative("runtimeMax", runtime_max)
        check_non_negative("minVotes", min_votes)
        return catalog_pb2.MovieFilter(
            genres=genres,
            language=(self._get("language") or "").strip().lower(),
            year_from=year_from,
            year_to=year_to,
            runtime_min=runtime_min,
            runtime_max=runtime_max,
            min_votes=min_votes,
        )
