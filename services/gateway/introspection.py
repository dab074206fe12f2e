"""Introspection off (GATEWAY_INTROSPECTION=false, the prod overlay): `__schema` and `__type` are refused
in validation, GRAPHQL_VALIDATION_FAILED with a message that says so; `__typename` keeps working (clients
such as Apollo and urql add it to every selection to key their caches)."""

from __future__ import annotations

from typing import Any

from graphql import SKIP, FieldNode, GraphQLError, ValidationRule, get_named_type, is_introspection_type
from strawberry.extensions import AddValidationRules

INTROSPECTION_OFF = "Introspection is turned off on this server: `{field}` cannot be queried (`__typename` can)."


class NoIntrospectionRule(ValidationRule):
    """graphql-core's NoSchemaIntrospectionCustomRule, with a message that says what is off, once per
    introspection field (`__schema`, `__type`), not again for each field selected inside it."""

    def enter_field(self, node: FieldNode, *_: Any) -> Any:
        type_ = get_named_type(self.context.get_type())
        if type_ is not None and is_introspection_type(type_):
            self.report_error(GraphQLError(INTROSPECTION_OFF.format(field=node.name.value), node))
            return SKIP
        return None


class NoIntrospection(AddValidationRules):
    def __init__(self) -> None:
        super().__init__([NoIntrospectionRule])
