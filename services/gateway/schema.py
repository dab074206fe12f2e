"""The GraphQL schema, assembled in one place: types, limits, error codes, error logging."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, Iterator
from functools import partial
from typing import Any

import grpc
import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaxTokensLimiter, ParserCache, ValidationCache
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.execution import PreExecutionError

from kit.logging import get_logger
from services.gateway.document_limits import (
    DEFAULT_MAX_COST,
    DEFAULT_MAX_FIELDS,
    DocumentLimits,
    DocumentLimitsExtension,
)
from services.gateway.errors import ErrorCode, ErrorCodes, apply_codes, classify_error
from services.gateway.input_checks import InputStrings
from services.gateway.introspection import NoIntrospection
from services.gateway.operations.mutation import Mutation
from services.gateway.operations.query import Query
from services.gateway.operations.subscription import Subscription

log = get_logger(__name__)

DEFAULT_MAX_DEPTH = 10
DEFAULT_MAX_TOKENS = 2000
DEFAULT_MAX_ALIASES = 30
# Parsed and validated documents kept (LRU, per process): the web client sends about 50 distinct ones, so
# each is parsed and validated once, not on every request (30% of the gateway's CPU under the load
# test, docs/performance.md). Bounded, so documents sent once each cannot grow memory.
DOCUMENT_CACHE_SIZE = 256


class CachedParse(ParserCache):
    """strawberry's ParserCache, except that a document that does not parse is left to strawberry's own
    parse, which reports it as GRAPHQL_PARSE_FAILED (an error raised in the cache's hook would escape as
    INTERNAL). Nothing is cached for it."""

    def on_parse(self) -> Iterator[None]:
        ctx = self.execution_context
        with contextlib.suppress(GraphQLError):
            ctx.graphql_document = self.cached_parse_document(ctx.query, **ctx.parse_options)
        yield


class CachedValidation(ValidationCache):
    """strawberry's ValidationCache, except that a document DocumentLimitsExtension has refused stays
    refused (ValidationCache would replace those errors with the validation's own)."""

    def on_validate(self) -> Iterator[None]:
        if self.execution_context.pre_execution_errors is not None:
            yield
            return
        yield from super().on_validate()


class GatewaySchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Log each error once, before ErrorCodes replaces it with its caller-safe form: unexpected
        ones with their traceback, backend outages as warnings, the caller's mistakes at debug."""
        for error in errors:
            code, _ = classify_error(error)
            original = error.original_error
            if code is ErrorCode.INTERNAL:
                log.error("graphql_internal_error", message=error.message, path=error.path, exc_info=original)
            elif code is ErrorCode.UNAVAILABLE:
                log.warning("graphql_backend_unavailable", error=_describe(original or error), path=error.path)
            else:
                log.debug("graphql_error", error=_describe(original) if original else error.message, path=error.path)


    async def stream(self, *args: Any, **kwargs: Any) -> Any:
        """Subscriptions (over WebSocket) with the same error codes as HTTP answers: the ErrorCodes
        extension sees only the operation's start, so every result the stream yields is coded here."""
        inner = await super().stream(*args, **kwargs)

        async def coded() -> AsyncGenerator[Any, None]:
            try:
                async for result in inner:
                    errors = getattr(result, "errors", None)
                    if errors and isinstance(result, ExecutionResult):
                        # A PreExecutionError's errors are the document's (parse, validation, limits).
                        before = frozenset(id(e) for e in errors) if isinstance(result, PreExecutionError) \
                            else frozenset()
                        result.errors = apply_codes(list(errors), before)
                    yield result
            finally:
                await inner.aclose()

        return coded()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, grpc.RpcError) and hasattr(exc, "code"):
        return f"{exc.code().name}: {exc.details()}"
    return f"{type(exc).__name__}: {exc}"


def build_schema(
    *,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_tokens: int = DEFAULT_MAX_TOKENS,
    max_aliases: int = DEFAULT_MAX_ALIASES,
    max_fields: int = DEFAULT_MAX_FIELDS,
    max_cost: int = DEFAULT_MAX_COST,
    introspection: bool = True,
) -> GatewaySchema:
    # Depth, aliases, expanded fields and cost are checked before validation (document_limits.py), in
    # place of strawberry's QueryDepthLimiter and MaxAliasesLimiter, which expand fragments unmemoised.
    limits = DocumentLimits(max_fields=max_fields, max_depth=max_depth, max_aliases=max_aliases, max_cost=max_cost)
    return GatewaySchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=[
            partial(MaxTokensLimiter, max_token_count=max_tokens),   # sets the parse options the cache keys on
            partial(CachedParse, maxsize=DOCUMENT_CACHE_SIZE),
            partial(DocumentLimitsExtension, limits=limits),   # per request: the cost depends on the variables
            partial(CachedValidation, maxsize=DOCUMENT_CACHE_SIZE),
            ErrorCodes,
            InputStrings,  # NUL and unpaired surrogates in string inputs: BAD_USER_INPUT (input_checks.py)
            *(() if introspection else (NoIntrospection,)),  # GATEWAY_INTROSPECTION=false (introspection.py)
        ],
    )


# For `strawberry export-schema services.gateway.schema:schema` and code generators.
schema = build_schema()
