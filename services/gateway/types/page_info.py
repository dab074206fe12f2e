from __future__ import annotations

import strawberry


@strawberry.type(description="Relay pagination state of a connection (forward pagination with first/after).")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool = strawberry.field(description="True when the page was requested with `after`.")
    start_cursor: str | None
    end_cursor: str | None = strawberry.field(description="Pass as `after` to get the next page.")
