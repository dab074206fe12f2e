"""The HTTP side of a GraphQL request, checked before strawberry reads it.

strawberry parses the body with a bare `json.loads`: a body that is not an object (`"hi"`, `42`, `null`),
one that is not UTF-8, or one nested about a thousand deep raised inside the view (AttributeError,
UnicodeDecodeError, RecursionError) and came back as HTTP 500 with a traceback in the log. Here:

- a request body must be UTF-8 (RFC 8259), JSON without `NaN`/`Infinity`, not empty, and an object
  (a list is a batch, which strawberry refuses itself: batching is off);
- the JSON (the body, or the `variables` / `extensions` query parameters of a GET) is nested at most
  `max_json_depth` levels, containers counted (`{"variables": {"f": {"genres": []}}}` is 4, the deepest
  input the schema takes); deeper JSON is refused, and so is JSON deep enough to exhaust Python's
  recursion limit while it is parsed;
- every refusal (these and strawberry's own: wrong content type, batch, `variables` not an object, no
  query, a mutation over GET) is HTTP 400 with a GraphQL-shaped JSON body,
  `{"errors": [{"message": ..., "extensions": {"code": "BAD_USER_INPUT"}}]}`, and one log line.

Strings inside a well-formed body (NUL, unpaired surrogates) are the schema's business:
`services.gateway.input_checks`.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from strawberry.fastapi import GraphQLRouter
from strawberry.types.unset import UNSET

from kit.logging import get_logger
from services.gateway.errors import ErrorCode
from services.gateway.metrics import GRAPHQL_ERRORS

log = get_logger(__name__)

DEFAULT_MAX_JSON_DEPTH = 16

_STATUS_CODES = {404: ErrorCode.NOT_FOUND}


class _NotJSON(ValueError):
    """A construct Python's json accepts but JSON does not (NaN, Infinity)."""


def _refuse_constant(name: str) -> Any:
    raise _NotJSON(f"{name} is not a JSON value")


def json_depth(value: object, limit: int) -> int:
    """The nesting depth of `value` (containers counted: `1` is 0, `[]` and `{"a": 1}` are 1), or
    `limit + 1` as soon as it is known to be deeper than `limit`. Iterative: no recursion limit."""
    if not isinstance(value, (dict, list)):
        return 0
    deepest = 0
    stack: list[tuple[dict[str, Any] | list[Any], int]] = [(value, 1)]
    while stack:
        container, depth = stack.pop()
        if depth > limit:
            return limit + 1
        deepest = max(deepest, depth)
        children = container.values() if isinstance(container, dict) else container
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def decode_request_json(data: str | bytes, max_depth: int) -> object:
    """Parse a request body (bytes) or a GET parameter (str) as strict JSON; HTTPException(400) when it
    is not. A body must also be a JSON object or list."""
    is_body = isinstance(data, (bytes, bytearray))
    what = "The request body" if is_body else "The `variables` or `extensions` parameter"
    if isinstance(data, (bytes, bytearray)):
        if not data.strip():
            raise HTTPException(400, "The request body is empty: send a JSON object with a `query`.")
        try:
            text = bytes(data).decode("utf-8")
        except UnicodeDecodeError as e:
            raise HTTPException(400, f"{what} is not valid UTF-8 (byte {e.start}).") from None
    else:
        text = data
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise HTTPException(400, f"{what} is nested too deeply (at most {max_depth} levels).") from None
    except json.JSONDecodeError as e:
        raise HTTPException(400, f"{what} is not valid JSON: {e.msg} at line {e.lineno} column {e.colno}.") from None
    except _NotJSON as e:
        raise HTTPException(400, f"{what} is not valid JSON: {e}.") from None
    except ValueError:  # an integer of more digits than int() converts (sys.get_int_max_str_digits)
        raise HTTPException(400, f"{what} holds a number too long to read.") from None
    if json_depth(value, max_depth) > max_depth:
        raise HTTPException(400, f"{what} is nested too deeply (at most {max_depth} levels).")
    if is_body and not isinstance(value, (dict, list)):
        raise HTTPException(
            400, f"The request body must be a JSON object with a `query`, not a JSON {_json_type(value)}."
        )
    return value


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "string" if isinstance(value, str) else type(value).__name__


def rejection(request: Request, exc: HTTPException) -> Response:
    """The answer to a request refused before GraphQL ran: its status, a GraphQL-shaped body, one log line."""
    code = _STATUS_CODES.get(exc.status_code, ErrorCode.BAD_USER_INPUT)
    GRAPHQL_ERRORS.labels(code.value).inc()
    log.info("graphql_request_refused", status=exc.status_code, reason=exc.reason, method=request.method)
    return JSONResponse(
        {"errors": [{"message": exc.reason, "extensions": {"code": code.value}}]}, status_code=exc.status_code
    )


ContextT = TypeVar("ContextT")
RootValueT = TypeVar("RootValueT")


class StrictRequestBody(GraphQLRouter[ContextT, RootValueT]):
    """strawberry's GraphQLRouter with strict JSON parsing and coded, logged refusals (the gateway's
    router subclasses it). `max_json_depth` is set by the app from GatewayConfig."""

    max_json_depth: int = DEFAULT_MAX_JSON_DEPTH

    def decode_json(self, data: str | bytes) -> object:
        return decode_request_json(data, self.max_json_depth)

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        try:
            return await super().run(request, context=context, root_value=root_value)
        except HTTPException as exc:
            if not isinstance(request, Request):  # a WebSocket: strawberry handles its own refusals
                raise
            return rejection(request, exc)
