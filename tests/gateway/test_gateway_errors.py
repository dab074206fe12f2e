"""Error mapping: gRPC status / domain errors / GraphQL phases -> extensions.code."""

from __future__ import annotations

import grpc
import pytest
from graphql import GraphQLError, GraphQLSyntaxError, Source

from kit import errors as kit_errors
from kit.auth import TokenExpired
from services.gateway.errors import (
    DEFAULT_RETRY_AFTER_S,
    INTERNAL_MESSAGE,
    UNAVAILABLE_MESSAGE,
    BadUserInput,
    ErrorCode,
    apply_codes,
    classify_error,
    classify_exception,
    code_for_grpc_status,
    from_grpc_error,
)


def rpc_error(code: grpc.StatusCode, details: str = "details from the callee") -> grpc.aio.AioRpcError:
    return grpc.aio.AioRpcError(code, grpc.aio.Metadata(), grpc.aio.Metadata(), details=details)


@pytest.mark.parametrize(
    "status,code",
    [
        (grpc.StatusCode.INVALID_ARGUMENT, ErrorCode.BAD_USER_INPUT),
        (grpc.StatusCode.NOT_FOUND, ErrorCode.NOT_FOUND),
        (grpc.StatusCode.PERMISSION_DENIED, ErrorCode.FORBIDDEN),
        (grpc.StatusCode.UNAUTHENTICATED, ErrorCode.UNAUTHENTICATED),
        (grpc.StatusCode.RESOURCE_EXHAUSTED, ErrorCode.RATE_LIMITED),
        (grpc.StatusCode.UNAVAILABLE, ErrorCode.UNAVAILABLE),
        (grpc.StatusCode.DEADLINE_EXCEEDED, ErrorCode.UNAVAILABLE),
        (grpc.StatusCode.INTERNAL, ErrorCode.INTERNAL),
        (grpc.StatusCode.UNKNOWN, ErrorCode.INTERNAL),
        (grpc.StatusCode.FAILED_PRECONDITION, ErrorCode.BAD_USER_INPUT),
        (grpc.StatusCode.ALREADY_EXISTS, ErrorCode.BAD_USER_INPUT),
        (grpc.StatusCode.DATA_LOSS, ErrorCode.INTERNAL),
        (grpc.StatusCode.CANCELLED, ErrorCode.INTERNAL),
        (None, ErrorCode.INTERNAL),
    ],
)
def test_grpc_status_maps_to_code(status, code):
    assert code_for_grpc_status(status) is code


@pytest.mark.parametrize(
    "status",
    [
        grpc.StatusCode.INVALID_ARGUMENT,
        grpc.StatusCode.ALREADY_EXISTS,
        grpc.StatusCode.FAILED_PRECONDITION,
        grpc.StatusCode.NOT_FOUND,
        grpc.StatusCode.PERMISSION_DENIED,
        grpc.StatusCode.UNAUTHENTICATED,
        grpc.StatusCode.RESOURCE_EXHAUSTED,
    ],
)
def test_domain_statuses_pass_the_callees_message_through(status):
    err = from_grpc_error(rpc_error(status, "invalid page token"))
    assert err.message == "invalid page token"


@pytest.mark.parametrize(
    "status,message",
    [
        (grpc.StatusCode.INTERNAL, INTERNAL_MESSAGE),
        (grpc.StatusCode.UNKNOWN, INTERNAL_MESSAGE),
        (grpc.StatusCode.UNAVAILABLE, UNAVAILABLE_MESSAGE),
        (grpc.StatusCode.DEADLINE_EXCEEDED, UNAVAILABLE_MESSAGE),
    ],
)
def test_other_statuses_never_show_internals(status, message):
    err = from_grpc_error(rpc_error(status, "failed to connect to 10.0.0.7:50051; stack: ..."))
    assert err.message == message
    assert "10.0.0.7" not in err.message


def test_exceptions_classify():
    assert classify_exception(BadUserInput("first must be 1..100")) == (
        ErrorCode.BAD_USER_INPUT,
        "first must be 1..100",
    )
    assert classify_exception(kit_errors.NotFound("no such film")) == (ErrorCode.NOT_FOUND, "no such film")
    assert classify_exception(kit_errors.Unauthenticated("authentication required")) == (
        ErrorCode.UNAUTHENTICATED,
        "authentication required",
    )
    assert classify_exception(kit_errors.AlreadyExists("username taken")) == (
        ErrorCode.BAD_USER_INPUT,
        "username taken",
    )
    assert classify_exception(kit_errors.PermissionDenied("not your comment")) == (
        ErrorCode.FORBIDDEN,
        "not your comment",
    )
    assert classify_exception(kit_errors.ResourceExhausted("too many attempts")) == (
        ErrorCode.RATE_LIMITED,
        "too many attempts",
    )
    assert classify_exception(kit_errors.Unavailable("db at 10.0.0.1 down")) == (
        ErrorCode.UNAVAILABLE,
        UNAVAILABLE_MESSAGE,
    )
    assert classify_exception(TokenExpired("Access token expired; refresh it.")) == (
        ErrorCode.UNAUTHENTICATED,
        "Access token expired; refresh it.",
    )
    assert classify_exception(TimeoutError()) == (ErrorCode.UNAVAILABLE, UNAVAILABLE_MESSAGE)
    assert classify_exception(RuntimeError("password=hunter2")) == (ErrorCode.INTERNAL, INTERNAL_MESSAGE)


def test_graphql_errors_classify_by_phase():
    syntax = GraphQLSyntaxError(Source("{"), 1, "Unexpected <EOF>.")
    assert classify_error(syntax)[0] is ErrorCode.GRAPHQL_PARSE_FAILED

    validation = GraphQLError("Cannot query field 'x' on type 'Query'.")
    assert classify_error(validation, validation_error_ids=frozenset({id(validation)}))[0] is (
        ErrorCode.GRAPHQL_VALIDATION_FAILED
    )

    # No path, no original error, not from validation: graphql-core's variable coercion.
    coercion = GraphQLError("Variable '$n' of required type 'Int!' was not provided.")
    assert classify_error(coercion)[0] is ErrorCode.BAD_USER_INPUT

    leaked = GraphQLError("boom", path=["movie"], original_error=ValueError("secret"))
    assert classify_error(leaked) == (ErrorCode.INTERNAL, INTERNAL_MESSAGE)

    from_rpc = GraphQLError("<AioRpcError ...>", path=["movie"], original_error=rpc_error(grpc.StatusCode.NOT_FOUND))
    assert classify_error(from_rpc) == (ErrorCode.NOT_FOUND, "details from the callee")


def test_apply_codes_sets_extensions_and_keeps_location():
    err = GraphQLError("boom", path=["genres"], original_error=RuntimeError("db at 10.0.0.1"))
    (out,) = apply_codes([err])
    assert out.extensions == {"code": "INTERNAL"}
    assert out.message == INTERNAL_MESSAGE
    assert out.path == ["genres"]
    assert out.original_error is None


@pytest.mark.parametrize(("trailing", "expected"), [
    (grpc.aio.Metadata(("retry-after", "2")), 2),    # a service whose database is down says so (kit.grpc_server)
    (grpc.aio.Metadata(("retry-after", "0.3")), 1),  # whole seconds, at least 1
    (grpc.aio.Metadata(), DEFAULT_RETRY_AFTER_S),    # a service that did not answer (restarting)
])
def test_unavailable_always_says_when_to_retry(trailing, expected):
    rpc_error = grpc.aio.AioRpcError(grpc.StatusCode.UNAVAILABLE, grpc.aio.Metadata(), trailing, "db down")
    error = GraphQLError("x", path=["me"], original_error=rpc_error)
    [coded] = apply_codes([error])
    assert coded.extensions == {"code": "UNAVAILABLE", "retryAfter": expected}
    assert coded.message == UNAVAILABLE_MESSAGE
