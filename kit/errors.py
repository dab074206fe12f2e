"""Domain errors. Domain modules raise these; the service edges turn them into a gRPC status
(kit.grpc_server) or a GraphQL error code (the gateway). Messages are safe to show to a caller."""

from __future__ import annotations

import grpc

RETRY_AFTER_KEY = "retry-after"  # trailing metadata of a ResourceExhausted with retry_after_s: whole seconds


class DomainError(Exception):
    status: grpc.StatusCode = grpc.StatusCode.INTERNAL

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidArgument(DomainError):
    status = grpc.StatusCode.INVALID_ARGUMENT


class NotFound(DomainError):
    status = grpc.StatusCode.NOT_FOUND


class AlreadyExists(DomainError):
    status = grpc.StatusCode.ALREADY_EXISTS


class FailedPrecondition(DomainError):
    """The request is well formed but the state it needs is gone (an invite already used)."""

    status = grpc.StatusCode.FAILED_PRECONDITION


class PermissionDenied(DomainError):
    status = grpc.StatusCode.PERMISSION_DENIED


class Unauthenticated(DomainError):
    status = grpc.StatusCode.UNAUTHENTICATED


class ResourceExhausted(DomainError):
    """Over a limit. `retry_after_s`, when given, goes to the caller as the trailing metadata
    `retry-after` (whole seconds, rounded up; kit.grpc_server), so an edge can say when to retry."""

    status = grpc.StatusCode.RESOURCE_EXHAUSTED

    def __init__(self, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class Unavailable(DomainError):
    status = grpc.StatusCode.UNAVAILABLE
