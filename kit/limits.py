"""Request limits that the gateway and a backend service both check, defined once so the two cannot drift.

Each side refuses in its own words and codes (the gateway BAD_USER_INPUT before any call, the service
INVALID_ARGUMENT for any other caller); the numbers, and how a value is counted, live here. Characters are
Unicode code points (Python's `len`); the web client's `maxLength` counts UTF-16 units, never fewer, so
what it lets through fits.
"""

from __future__ import annotations

from collections.abc import Iterable

from kit.text import search_key

# Page size (`first`, `page_size`) of every list: catalogue search, the recommendation zones, comments.
# 0 or unset on the wire (omitted in GraphQL) means the default.
PAGE_SIZE_DEFAULT = 20
PAGE_SIZE_MAX = 100

# A search query, counted as the catalogue matches it (kit.text.search_key: whitespace runs collapsed to
# one space, the ends trimmed, lower-cased), so padding does not count.
SEARCH_QUERY_MAX_CHARS = 200

# Typeahead (catalogue Suggest, GraphQL `suggest`): the query, counted as a search query is; a shorter one
# than SUGGEST_QUERY_MIN_CHARS suggests nothing (every film has a word starting with one letter). `first` /
# `limit` is per kind (films, people).
SUGGEST_QUERY_MAX_CHARS = 100
SUGGEST_QUERY_MIN_CHARS = 2
SUGGEST_LIMIT_DEFAULT = 5
SUGGEST_LIMIT_MAX = 10

# A Vibe text (a mood description), counted after trimming whitespace off both ends; inner whitespace
# counts. Empty after trimming is refused too.
VIBE_TEXT_MAX_CHARS = 500

# Together: the people one list is for, the caller included (the caller and each distinct id named; the
# caller's own id named again counts once). 8 is what the recommender's group scoring is built and
# documented for (services/recommender/zones/together.py: least misery plus the mean, every pick's reason
# names every member's fit, so a larger group makes "fits everyone" rare and the reason unreadable).
TOGETHER_GROUP_MAX = 8
# Partner links per person (the users service): one fewer than a group, so a person can always watch with
# every partner at once (the web client ticks them all by default).
PARTNERS_MAX = TOGETHER_GROUP_MAX - 1

# More like this: each axis weight, 0 to this (recommender.proto AxisWeights).
AXIS_WEIGHT_MAX = 10.0

# Ids per batch call; the gateway cuts longer lists into calls of at most this many.
CATALOG_BATCH_GET_MAX_IDS = 500  # catalog.proto BatchGetMoviesRequest.ids
USERS_GET_USERS_MAX_IDS = 500  # users.proto GetUsersRequest.ids
# users.proto BatchListCommentsRequest: at most 500 films, and films x page size at most 5,000 comments
# (5,000 comments of 2,000 characters fit in one 16 MiB answer).
USERS_BATCH_LIST_COMMENTS_MAX_IDS = 500
USERS_BATCH_LIST_COMMENTS_MAX_COMMENTS = 5000


def search_query_length(query: str) -> int:
    return len(search_key(query))


def vibe_text(text: str) -> str:
    """The text that is counted (and matched): trimmed at both ends."""
    return text.strip()


def together_group(caller: str, user_ids: Iterable[str]) -> list[str]:
    """The people of a Together request: the caller first, then each other id once, in order."""
    return list(dict.fromkeys([caller, *user_ids]))

# History import (Letterboxd export zip, IMDb ratings CSV; services/users/import_files.py). The file as
# uploaded: a Letterboxd export of ~10,000 films zips to well under 1 MiB and an IMDb export of 10,000
# ratings is ~2 MiB of CSV, so 4 MiB fits the largest real histories with room and stays far below the
# 16 MiB gRPC message limit the gateway forwards it through. Rows: every CSV row read, all files together.
# Uncompressed: what a zip may unpack to (its CSVs that are read), counted while reading, so a zip bomb
# is stopped at this many bytes whatever its headers claim.
IMPORT_FILE_MAX_BYTES = 4 * 1024 * 1024
IMPORT_MAX_ROWS = 20_000
IMPORT_MAX_UNCOMPRESSED_BYTES = 32 * 1024 * 1024
# catalog.proto MatchFilmsRequest.queries: rows per call; the users service cuts an import into calls.
CATALOG_MATCH_FILMS_MAX_QUERIES = 5000
