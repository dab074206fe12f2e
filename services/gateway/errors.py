"""Error codes of the GraphQL API and the mapping from everything a resolver can raise to them.

Every error in a response carries `extensions.code`, one of `ErrorCode`. Resolvers raise
`GatewayError` subclasses (or let a gRPC `AioRpcError` / `kit.errors.DomainError` escape); the
`ErrorCodes` schema extension rewrites each error of the result with its code and a message that
is safe to show. Anything unexpected becomes INTERNAL with a generic message (it is logged with its
traceback by `GatewaySchema.process_errors`, never sent to the caller).

Documents that do not parse get GRAPHQL_PARSE_FAILED (this includes the token limit), documents that
do not validate GRAPHQL_VALIDATION_FAILED, as Apollo does. Documents over a size, depth, alias or cost
limit (document_limits.py, checked before validation) get BAD_USER_INPUT: a validation-phase error that
already carries a code keeps it. Variables that do not coerce to their declared types get BAD_USER_INPUT.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from enum import StrEnum

import grpc
from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from kit.auth import TokenError
from kit.errors import RETRY_AFTER_KEY, DomainError


class ErrorCode(StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    NOT_FOUND = "NOT_FOUND"
    RATE_LIMITED = "RATE_LIMITED"
    UNAVAILABLE = "UNAVAILABLE"
    INTERNAL = "INTERNAL"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"


INTERNAL_MESSAGE = "Internal server error."
UNAVAILABLE_MESSAGE = "A backend service is unavailable; try again shortly."


class GatewayError(Exception):
    """An error with a code and a message safe to show to the caller."""

    code: ErrorCode = ErrorCode.INTERNAL

    def __init__(self, message: str, code: ErrorCode | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class BadUserInput(GatewayError):
    code = ErrorCode.BAD_USER_INPUT


class NotFound(GatewayError):
    code = ErrorCode.NOT_FOUND


class Unauthenticated(GatewayError):
    code = ErrorCode.UNAUTHENTICATED


class Forbidden(GatewayError):
    code = ErrorCode.FORBIDDEN


class RateLimited(GatewayError):
    code = ErrorCode.RATE_LIMITED


class Unavailable(GatewayError):
    code = ErrorCode.UNAVAILABLE


# gRPC status -> GraphQL code. Statuses not listed map to INTERNAL.
GRPC_STATUS_TO_CODE: dict[grpc.StatusCode, ErrorCode] = {
    grpc.StatusCode.INVALID_ARGUMENT: ErrorCode.BAD_USER_INPUT,
    # The users service: a taken username, an invite already used or expired, a link that exists.
    grpc.StatusCode.ALREADY_EXISTS: ErrorCode.BAD_USER_INPUT,
    grpc.StatusCode.FAILED_PRECONDITION: ErrorCode.BAD_USER_INPUT,
    grpc.StatusCode.NOT_FOUND: ErrorCode.NOT_FOUND,
    grpc.StatusCode.PERMISSION_DENIED: ErrorCode.FORBIDDEN,
    grpc.StatusCode.UNAUTHENTICATED: ErrorCode.UNAUTHENTICATED,
    grpc.StatusCode.RESOURCE_EXHAUSTED: ErrorCode.RATE_LIMITED,
    grpc.StatusCode.UNAVAILABLE: ErrorCode.UNAVAILABLE,
    grpc.StatusCode.DEADLINE_EXCEEDED: ErrorCode.UNAVAILABLE,
}

# Codes whose gRPC details are the callee's domain message (kit.errors: "safe to show to a caller").
# UNAVAILABLE / DEADLINE_EXCEEDED details come from the gRPC runtime (addresses, socket errors), so
# they get a fixed message instead.
_PASS_THROUGH = {
    ErrorCode.BAD_USER_INPUT,
    ErrorCode.NOT_FOUND,
    ErrorCode.FORBIDDEN,
    ErrorCode.UNAUTHENTICATED,
    ErrorCode.RATE_LIMITED,
}
_DEFAULT_MESSAGES = {
    ErrorCode.BAD_USER_INPUT: "Invalid input.",
    ErrorCode.NOT_FOUND: "Not found.",
    ErrorCode.FORBIDDEN: "Forbidden.",
    ErrorCode.UNAUTHENTICATED: "Authentication required.",
    ErrorCode.RATE_LIMITED: "Too many requests; slow down.",
    ErrorCode.UNAVAILABLE: UNAVAILABLE_MESSAGE,
    ErrorCode.INTERNAL: INTERNAL_MESSAGE,
}


def code_for_grpc_status(status: grpc.StatusCode | None) -> ErrorCode:
    return GRPC_STATUS_TO_CODE.get(status, ErrorCode.INTERNAL) if status is not None else ErrorCode.INTERNAL


def from_grpc_error(exc: grpc.RpcError) -> GatewayError:
    """A gRPC failure as a GatewayError with a caller-safe message."""
    status = exc.code() if hasattr(exc, "code") else None
    code = code_for_grpc_status(status)
    details = exc.details() if hasattr(exc, "details") else None
    if code in _PASS_THROUGH and details:
        return GatewayError(details, code)
    return GatewayError(_DEFAULT_MESSAGES[code], code)


def classify_exception(exc: BaseException | None) -> tuple[ErrorCode, str] | None:
    """(code, safe message) for an exception raised while resolving; None when it is not ours
    (the caller decides from the GraphQL phase)."""
    if exc is None:
        return None
    if isinstance(exc, GatewayError):
        return exc.code, exc.message
    if isinstance(exc, grpc.RpcError):
        err = from_grpc_error(exc)
        return err.code, err.message
    if isinstance(exc, DomainError):
        code = code_for_grpc_status(exc.status)
        return code, (exc.message if code in _PASS_THROUGH else _DEFAULT_MESSAGES[code])
    if isinstance(exc, TokenError):  # kit.auth: its messages are safe to show
        return ErrorCode.UNAUTHENTICATED, str(exc) or _DEFAULT_MESSAGES[ErrorCode.UNAUTHENTICATED]
    if isinstance(exc, TimeoutError):
        return ErrorCode.UNAVAILABLE, UNAVAILABLE_MESSAGE
    return ErrorCode.INTERNAL, INTERNAL_MESSAGE


def existing_code(error: GraphQLError) -> ErrorCode | None:
    code = (error.extensions or {}).get("code")
    try:
        return ErrorCode(code) if code else None
    except ValueError:
        return None


def classify_error(error: GraphQLError, *, validation_error_ids: frozenset[int] = frozenset()) -> tuple[ErrorCode, str]:
    """(code, safe message) for one error of a result."""
    if isinstance(error, GraphQLSyntaxError):
        return ErrorCode.GRAPHQL_PARSE_FAILED, error.message
    if id(error) in validation_error_ids:
        return ErrorCode.GRAPHQL_VALIDATION_FAILED, error.message
    original = error.original_error
    if isinstance(original, GraphQLError) and original is not error:
        # Raised as a GraphQLError: by graphql-core while coercing variables (no path), or as-is by a
        # resolver, which keeps its message only when it says which code it is.
        code = existing_code(original) or existing_code(error)
        if code is not None:
            return code, original.message
        if error.path is None:
            return ErrorCode.BAD_USER_INPUT, error.message
        return ErrorCode.INTERNAL, INTERNAL_MESSAGE
    if original is not None and original is not error:
        classified = classify_exception(original)
        assert classified is not None
        return classified
    if (code := existing_code(error)) is not None:
        return code, error.message
    if error.path is None:
        # Neither a resolver's nor validation's: graphql-core's variable coercion
        # ("Variable '$first' of required type 'Int!' was not provided."), i.e. the caller's input.
        return ErrorCode.BAD_USER_INPUT, error.message
    return ErrorCode.INTERNAL, INTERNAL_MESSAGE


# UNAVAILABLE always says when to try again: the callee's own `retry-after` (kit.grpc_server sends one
# when its database or Redis is down) or, for a service that did not answer at all (restarting), this.
DEFAULT_RETRY_AFTER_S = 1


def retry_after_hint(error: GraphQLError) -> int:
    """Whole seconds to wait before retrying an UNAVAILABLE answer."""
    original = error.original_error
    trailing = original.trailing_metadata() if isinstance(original, grpc.aio.AioRpcError) else None
    for key, value in trailing or ():
        if key == RETRY_AFTER_KEY:
            with contextlib.suppress(TypeError, ValueError):
                return max(1, math.ceil(float(value)))
    return DEFAULT_RETRY_AFTER_S


def with_code(error: GraphQLError, code: ErrorCode, message: str) -> GraphQLError:
    extensions = {**(error.extensions or {}), "code": code.value}
    if code is ErrorCode.UNAVAILABLE and "retryAfter" not in extensions:
        extensions["retryAfter"] = retry_after_hint(error)
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions=extensions,
    )


def apply_codes(errors: list[GraphQLError], validation_error_ids: frozenset[int] = frozenset()) -> list[GraphQLError]:
    return [with_code(e, *classify_error(e, validation_error_ids=validation_error_ids)) for e in errors]


class ErrorCodes(SchemaExtension):
    """Gives every error of the result an `extensions.code` and a caller-safe message.

    Pass the class (not an instance) to the schema: it keeps per-operation state.
    """

    def __init__(self, *, execution_context: ExecutionContext | None = None) -> None:
        super().__init__(execution_context=execution_context)
        self._validation_error_ids: frozenset[int] = frozenset()

    def on_validate(self) -> Iterator[None]:
        yield
        errors = self.execution_context.pre_execution_errors or []
        self._validation_error_ids = frozenset(id(e) for e in errors if existing_code(e) is None)

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is not None and errors:
            result.errors = apply_codes(list(errors), self._validation_error_ids)
