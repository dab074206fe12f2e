"""String inputs must be text every backend can store: no NUL, no unpaired UTF-16 surrogate.

JSON can carry both (`"\\u0000"`, `"\\ud800"`) and graphql-core's String and ID accept them, but a lone
surrogate cannot be encoded as UTF-8 (protobuf serialisation of the gRPC request fails: INTERNAL) and
PostgreSQL refuses NUL in text (the backend's query fails: INTERNAL). `InputStrings` checks, once per
operation and before anything resolves, every string (and object key) of the variables and every string
literal of the document, and answers BAD_USER_INPUT naming where, without echoing the value.

A GraphQL document itself cannot hold a lone surrogate (the lexer refuses it: GRAPHQL_PARSE_FAILED);
it can hold NUL through an escape (`"\\u0000"`, `"\\u{0}"`), so literals are walked only when the
document has a backslash.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from graphql import BREAK, DocumentNode, GraphQLError, StringValueNode, Visitor, visit
from graphql import ExecutionResult as GraphQLExecutionResult
from strawberry.extensions import SchemaExtension

from services.gateway.errors import ErrorCode

_INVALID = re.compile("[\x00\ud800-\udfff]")
INVALID_STRING = "NUL characters and unpaired surrogates are not allowed in strings"


def is_invalid_string(text: str) -> bool:
    return _INVALID.search(text) is not None


def invalid_variable(variables: dict[str, Any] | None) -> str | None:
    """The path (`$filter.genres[1]`) of the first invalid string or key in `variables`, or None.
    Iterative: the HTTP layer bounds the nesting, but this also runs for variables given in-process."""
    if not variables:
        return None
    if any(isinstance(name, str) and is_invalid_string(name) for name in variables):
        return "a variable name"
    stack: list[tuple[Any, str]] = [(value, f"${name}") for name, value in reversed(list(variables.items()))]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            if is_invalid_string(value):
                return path
        elif isinstance(value, dict):
            for key in value:
                if isinstance(key, str) and is_invalid_string(key):
                    return f"a key of {path}"
            stack.extend((v, f"{path}.{k}") for k, v in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend((v, f"{path}[{i}]") for i, v in reversed(list(enumerate(value))))
    return None


class _FirstInvalidLiteral(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.node: StringValueNode | None = None

    def enter_string_value(self, node: StringValueNode, *_: Any) -> Any:
        if is_invalid_string(node.value):
            self.node = node
            return BREAK
        return None


def invalid_literal(document: DocumentNode | None, query: str | None) -> StringValueNode | None:
    if document is None or (query is not None and "\\" not in query):
        return None  # without a backslash no literal can hold NUL (and none can hold a lone surrogate)
    finder = _FirstInvalidLiteral()
    visit(document, finder)
    return finder.node


class InputStrings(SchemaExtension):
    """Refuses an operation whose variables or string literals hold NUL or an unpaired surrogate."""

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        error: GraphQLError | None = None
        if (where := invalid_variable(ctx.variables)) is not None:
            error = GraphQLError(f"Invalid string in {where}: {INVALID_STRING}.",
                                 extensions={"code": ErrorCode.BAD_USER_INPUT.value})
        elif (node := invalid_literal(ctx.graphql_document, ctx.query)) is not None:
            error = GraphQLError(f"Invalid string literal: {INVALID_STRING}.", nodes=[node],
                                 extensions={"code": ErrorCode.BAD_USER_INPUT.value})
        if error is not None:
            ctx.result = GraphQLExecutionResult(data=None, errors=[error])  # nothing resolves
        yield
