"""Text rules more than one service must agree on."""

from __future__ import annotations


def search_key(query: str) -> str:
    """A search query as the catalogue matches it: whitespace collapsed, lower-cased. The catalogue
    searches with it and the gateway keys its search cache by it, so two queries share a cache
    entry exactly when the catalogue treats them as the same query."""
    return " ".join(query.split()).lower()
