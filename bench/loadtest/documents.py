"""The web client's own GraphQL documents, read from its generated client (web/src/gql/graphql.ts), so the
load test sends exactly what the browser sends: the same selections, fragments included."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from kit.config import REPO_ROOT

GENERATED = REPO_ROOT / "web" / "src" / "gql" / "graphql.ts"
_DOCUMENT = re.compile(r"export const (\w+)Document = new TypedDocumentString\(`(.*?)`", re.DOTALL)


@cache
def documents(path: Path = GENERATED) -> dict[str, str]:
    """Operation name -> document text (fragments appended, as codegen writes them)."""
    found = {name: text.strip() for name, text in _DOCUMENT.findall(path.read_text())}
    if not found:
        raise RuntimeError(f"no documents in {path}: run `make web-client`")
    return found
