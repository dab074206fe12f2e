"""Limits on what one GraphQL document may ask for, measured before graphql-core validates it.

A document is small on the wire (the body is capped at 64 KiB and the parser stops after 2,000
tokens) but fragments make it large: thirty fragments that each spread the previous one five times
fit in 500 tokens and expand to 5^30 fields. Whatever expands fragments as it walks (strawberry's
depth and alias limiters, `Info.selected_fields`, graphql-core's rules) then works for ever, on the
event loop. So this step never expands before it knows the expansion is small: it measures each
fragment definition once, bottom-up (a spread adds its fragment's measured totals), then each
operation. That pass is linear in the document's AST nodes, which the token limit bounds.

Measured, fragments expanded:

  * fields: every field selection of every operation (leaves and `__typename` included), plus those
    of fragments no operation uses (graphql-core validates them too);
  * depth: strawberry's QueryDepthLimiter definition (a field with a selection set counts one plus
    its deepest child, a leaf nothing; introspection fields and what is under them are left out);
  * introspection depth: the same with introspection counted (`__schema { types { fields { type
    { ofType { fields ... } } } } } }` nests without end, each list level multiplying the result);
  * aliases: every aliased field selection of the operations (as strawberry's MaxAliasesLimiter);
  * cost, of the operation that runs: an estimate of the fields it resolves, each field counted once
    per item of the lists above it. A field with a `first` argument has that many items (the literal,
    the variable's value, the variable's default, the argument's default, else DEFAULT_PAGE_SIZE, held
    to 1..MAX_PAGE_SIZE: the resolvers refuse anything else). When it returns a list (`similar`) that
    list is the page; when it returns a page type (a connection, VibeAnswer) the page is that type's
    list fields (`edges`, `nodes`, `picks`), and its other fields (`totalCount`, `pageInfo`) count
    once. Any other list field counts as its weight (LIST_WEIGHTS, else DEFAULT_LIST_WEIGHT) of items,
    introspection lists included. A page-type fragment is memoised as (cost, cost per page item), so
    the page size of the field it is spread under still applies;
  * overlaps, counted only once the fields are within their limit: the pairs of field selections on
    one response path (`{ cast { name } cast { name } }`: the two `cast`, the two `name`), and the pairs
    of fragment spreads on one path, weighted SPREAD_PAIR_WEIGHT. graphql-core's
    OverlappingFieldsCanBeMerged compares each such pair, recursively: 400 copies of `cast { name }`
    (1,600 tokens, 801 fields) took it seconds. This count does expand fragments, but stops after
    max_fields selections, so it is linear too.

`DocumentLimitsExtension` runs this in `on_validate`, before graphql-core's validation: a document
over a limit gets one BAD_USER_INPUT error per limit it breaks (`extensions`: `limit`, `measured`,
`allowed`) and graphql-core's rules never see it. It replaces strawberry's QueryDepthLimiter and
MaxAliasesLimiter (same definitions, without their exponential walks). Fragments that spread each
other in a cycle are refused here too (GRAPHQL_VALIDATION_FAILED, as graphql-core's NoFragmentCycles
would), since nothing after this step should walk them; a spread of a fragment that does not exist
counts nothing (graphql-core's KnownFragmentNames refuses it). Numbers saturate at SATURATION, far
above any limit, so the arithmetic stays on small integers.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    is_object_type,
)
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef, TypeNameMetaFieldDef
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from services.gateway.errors import ErrorCode
from services.gateway.validation import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

DEFAULT_MAX_FIELDS = 5_000
DEFAULT_MAX_DEPTH = 10
DEFAULT_MAX_INTROSPECTION_DEPTH = 20
DEFAULT_MAX_ALIASES = 30
DEFAULT_MAX_OVERLAPS = 2_000
DEFAULT_MAX_COST = 100_000

# A list field without `first` (a film's cast, a recommendation's reasons, introspection's types)
# multiplies what is under it by its weight, its expected length.
DEFAULT_LIST_WEIGHT = 10
# Lists known to be much longer: a user's ratings and watchlist have no bound (the imported MovieLens
# users have up to 2,700 ratings). These say "long", not how long.
LIST_WEIGHTS: Mapping[tuple[str, str], int] = {
    ("UserState", "ratings"): 100,
    ("UserState", "watchlist"): 100,
}
# graphql-core compares two fragment spreads on one response path at about 20 times the price of
# two fields (measured: 62 spreads side by side, 1,891 pairs, take it 158 ms on a loaded 2-core box).
SPREAD_PAIR_WEIGHT = 20
SATURATION = 10**15


@dataclass(frozen=True)
class DocumentLimits:
    max_fields: int = DEFAULT_MAX_FIELDS
    max_depth: int = DEFAULT_MAX_DEPTH
    max_introspection_depth: int = DEFAULT_MAX_INTROSPECTION_DEPTH
    max_aliases: int = DEFAULT_MAX_ALIASES
    max_overlaps: int = DEFAULT_MAX_OVERLAPS
    max_cost: int = DEFAULT_MAX_COST


@dataclass(frozen=True)
class Measure:
    """What one selection set (an operation's, a fragment's) asks for, its fragments expanded."""

    fields: int = 0
    depth: int = 0  # introspection left out (strawberry's QueryDepthLimiter)
    introspection_depth: int = 0  # everything counted
    aliases: int = 0
    cost: int = 0  # per instance of the selection set's parent, besides its page lists
    page_cost: int = 0  # per item of the page, for a page type's list fields (edges, nodes, picks)


_NOTHING = Measure()


@dataclass(frozen=True)
class DocumentMeasure:
    fields: int  # the operations', plus those of fragments no operation spreads
    depth: int  # the deepest operation's
    introspection_depth: int
    aliases: int  # the operations', together
    cost: int  # the operation that runs (the costliest when that cannot be told)
    overlaps: int | None  # None: not counted, the fields are over their limit (or a fragment cycle)
    cycle: str | None  # a fragment that spreads itself, directly or not
    operation_depths: Mapping[str, int]


def _sat(value: int) -> int:
    return value if value < SATURATION else SATURATION


_PAGE_TYPES: WeakKeyDictionary[GraphQLSchema, frozenset[str]] = WeakKeyDictionary()


def page_types(schema: GraphQLSchema) -> frozenset[str]:
    """The types that are one page of a list: what a field with `first` returns when it is no list
    (MovieConnection, CommentConnection, VibeAnswer). Their list fields hold the page."""
    found = _PAGE_TYPES.get(schema)
    if found is None:
        names = set()
        for named in schema.type_map.values():
            if is_object_type(named):
                for field in named.fields.values():
                    if "first" in field.args and not is_list_type(get_nullable_type(field.type)):
                        names.add(get_named_type(field.type).name)
        found = _PAGE_TYPES[schema] = frozenset(names)
    return found


# ---------------------------------------------------------------- measuring


class _Measurer:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: Mapping[str, Any],
        variable_defaults: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.variables = variables
        self.variable_defaults = variable_defaults
        self.page_types = page_types(schema)
        self.fragments: dict[str, FragmentDefinitionNode] = {}
        for definition in document.definitions:
            if isinstance(definition, FragmentDefinitionNode):
                self.fragments.setdefault(definition.name.value, definition)
        self.spreads = {name: _spreads(f.selection_set) for name, f in self.fragments.items()}
        self.measured: dict[str, Measure] = {}
        self.cycle: str | None = None

    # -- types

    def _type(self, name: str | None) -> GraphQLNamedType | None:
        return self.schema.get_type(name) if name else None

    def _field_def(self, parent: GraphQLNamedType | None, name: str) -> GraphQLField | None:
        if name == "__typename":
            return TypeNameMetaFieldDef
        if parent is not None and parent is self.schema.query_type:
            if name == "__schema":
                return SchemaMetaFieldDef
            if name == "__type":
                return TypeMetaFieldDef
        if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return parent.fields.get(name)
        return None

    def _page_size(self, node: FieldNode, field: GraphQLField) -> int:
        value: Any = field.args["first"].default_value  # the argument left out
        for arg in node.arguments or ():
            if arg.name.value == "first":
                value = None  # null, or anything else that is no integer: the resolvers' default page
                if isinstance(arg.value, IntValueNode):
                    value = int(arg.value.value)
                elif isinstance(arg.value, VariableNode):
                    name = arg.value.name.value
                    value = self.variables[name] if name in self.variables else self.variable_defaults.get(name)
        if isinstance(value, bool) or not isinstance(value, int):
            value = DEFAULT_PAGE_SIZE
        return min(max(value, 1), MAX_PAGE_SIZE)

    def _field_cost(
        self, parent: GraphQLNamedType | None, node: FieldNode, field: GraphQLField | None, cost: int, page_cost: int
    ) -> tuple[int, int]:
        """What a field adds to its selection set's (cost, page cost), given its own selection set's."""
        paged = field is not None and "first" in field.args
        page = self._page_size(node, field) if paged and field is not None else DEFAULT_PAGE_SIZE
        inner = cost + page * page_cost  # one instance of the field's value
        if field is None or not is_list_type(get_nullable_type(field.type)):
            return 1 + inner, 0  # (a field not in the schema: graphql-core refuses the document later)
        if paged:
            return 1 + page * inner, 0
        parent_name = parent.name if parent is not None else ""
        if parent_name in self.page_types:
            return 1, inner  # the page itself: as many items as the `first` of the field above
        return 1 + LIST_WEIGHTS.get((parent_name, node.name.value), DEFAULT_LIST_WEIGHT) * inner, 0

    # -- the memoised pass

    def measure(self, selection_set: SelectionSetNode, parent: GraphQLNamedType | None) -> Measure:
        """The measure of one selection set, with every fragment it spreads already in `self.measured`
        (a spread of an unknown fragment counts nothing). Iterative, so a deeply nested document cannot
        exhaust Python's stack; one step per AST node."""
        measured = self.measured
        # A frame per open selection set: [selections, parent type, field node (None: an inline fragment),
        # field definition, fields, depth, introspection depth, aliases, cost, page cost].
        stack: list[list[Any]] = [[iter(selection_set.selections), parent, None, None, 0, 0, 0, 0, 0, 0]]
        while True:
            frame = stack[-1]
            selection = next(frame[0], None)
            if selection is None:
                stack.pop()
                _, _, node, field, fields, depth, idepth, aliases, cost, page_cost = frame
                if node is not None:  # the end of a field's selection set: count the field itself
                    fields, aliases = fields + 1, aliases + (1 if node.alias else 0)
                    depth = 0 if node.name.value.startswith("__") else depth + 1
                    idepth += 1
                    cost, page_cost = self._field_cost(stack[-1][1], node, field, cost, page_cost)
                if not stack:
                    return Measure(_sat(fields), depth, idepth, _sat(aliases), _sat(cost), _sat(page_cost))
                below = stack[-1]
                below[4] = _sat(below[4] + fields)
                below[5] = max(below[5], depth)
                below[6] = max(below[6], idepth)
                below[7] = _sat(below[7] + aliases)
                below[8] = _sat(below[8] + cost)
                below[9] = _sat(below[9] + page_cost)
            elif isinstance(selection, FieldNode):
                if selection.selection_set is None:  # a leaf
                    frame[4] += 1
                    frame[7] += 1 if selection.alias else 0
                    frame[8] += 1
                    continue
                field = self._field_def(frame[1], selection.name.value)
                child_type = get_named_type(field.type) if field is not None else None
                stack.append([iter(selection.selection_set.selections), child_type, selection, field, 0, 0, 0, 0, 0, 0])
            elif isinstance(selection, InlineFragmentNode):
                cond = selection.type_condition
                inline_type = self._type(cond.name.value) if cond is not None else frame[1]
                stack.append([iter(selection.selection_set.selections), inline_type, None, None, 0, 0, 0, 0, 0, 0])
            elif isinstance(selection, FragmentSpreadNode):
                m = measured.get(selection.name.value, _NOTHING)
                frame[4] = _sat(frame[4] + m.fields)
                frame[5] = max(frame[5], m.depth)
                frame[6] = max(frame[6], m.introspection_depth)
                frame[7] = _sat(frame[7] + m.aliases)
                frame[8] = _sat(frame[8] + m.cost)
                frame[9] = _sat(frame[9] + m.page_cost)

    def fragment_order(self) -> Iterator[str]:
        """Fragment names, each after every fragment it spreads; notes a cycle in `self.cycle`."""
        state: dict[str, int] = {}  # 1: on the path, 2: done
        for root in self.fragments:
            if root in state:
                continue
            state[root] = 1
            stack: list[tuple[str, Iterator[str]]] = [(root, iter(self.spreads[root]))]
            while stack:
                name, pending = stack[-1]
                child = next(pending, None)
                if child is None:
                    stack.pop()
                    state[name] = 2
                    yield name
                elif child not in self.fragments:
                    continue
                elif child not in state:
                    state[child] = 1
                    stack.append((child, iter(self.spreads[child])))
                elif state[child] == 1 and self.cycle is None:
                    self.cycle = child

    def measure_fragments(self) -> None:
        for name in self.fragment_order():
            fragment = self.fragments[name]
            self.measured[name] = self.measure(fragment.selection_set, self._type(fragment.type_condition.name.value))

    def unused_fragments(self, operations: list[OperationDefinitionNode]) -> list[str]:
        reached: set[str] = set()
        pending = [name for op in operations for name in _spreads(op.selection_set)]
        while pending:
            name = pending.pop()
            if name in self.fragments and name not in reached:
                reached.add(name)
                pending.extend(self.spreads[name])
        return [name for name in self.fragments if name not in reached]

    # -- the expanding pass (only once the expansion is known to be small)

    def overlaps(self, roots: list[SelectionSetNode], max_steps: int) -> int:
        """Pairs of field selections on the same response path, and pairs of fragment spreads on the
        same path, each root on its own. Expands fragments, so it stops after `max_steps` field
        selections (and answers SATURATION): call it only when the expansion is known to be smaller."""
        pairs = steps = 0
        for root in roots:
            stack: list[tuple[Iterator[Any], dict[str, list[Any]]]] = [(iter(root.selections), {})]
            while stack:
                selections, node = stack[-1]
                selection = next(selections, None)
                if selection is None:
                    stack.pop()
                elif isinstance(selection, FieldNode):
                    steps += 1
                    if steps > max_steps:
                        return SATURATION
                    key = (selection.alias or selection.name).value
                    entry = node.get(key)
                    if entry is None:
                        entry = node[key] = [0, {}]
                    pairs += entry[0]  # this selection pairs with each one already on the path
                    entry[0] += 1
                    if selection.selection_set is not None:
                        stack.append((iter(selection.selection_set.selections), entry[1]))
                elif isinstance(selection, InlineFragmentNode):
                    stack.append((iter(selection.selection_set.selections), node))
                elif isinstance(selection, FragmentSpreadNode):
                    fragment = self.fragments.get(selection.name.value)
                    if fragment is not None:
                        # Spreads on one response path are compared pairwise too ("..." is no field name).
                        entry = node.get("...")
                        if entry is None:
                            entry = node["..."] = [0, {}]
                        pairs += SPREAD_PAIR_WEIGHT * entry[0]
                        entry[0] += 1
                        stack.append((iter(fragment.selection_set.selections), node))
        return pairs


def _spreads(selection_set: SelectionSetNode) -> list[str]:
    """The names of the fragments spread in a selection set, at any depth (not inside those fragments)."""
    names: list[str] = []
    stack = [selection_set]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                names.append(selection.name.value)
            elif isinstance(selection, (FieldNode, InlineFragmentNode)) and selection.selection_set is not None:
                stack.append(selection.selection_set)
    return names


def _operation_to_run(operations: list[OperationDefinitionNode], name: str | None) -> OperationDefinitionNode | None:
    if name is not None:
        return next((op for op in operations if op.name is not None and op.name.value == name), None)
    return operations[0] if len(operations) == 1 else None


def _variable_defaults(operation: OperationDefinitionNode | None) -> dict[str, Any]:
    defaults: dict[str, Any] = {}
    for definition in (operation.variable_definitions or ()) if operation is not None else ():
        if isinstance(definition.default_value, IntValueNode):
            defaults[definition.variable.name.value] = int(definition.default_value.value)
    return defaults


def measure_document(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any] | None = None,
    operation_name: str | None = None,
    *,
    max_fields: int = DEFAULT_MAX_FIELDS,
) -> DocumentMeasure:
    """Measure a parsed document. Linear in its AST nodes; the overlaps, which need the expansion,
    are counted only when it has at most `max_fields` fields (then in at most that many steps)."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    to_run = _operation_to_run(operations, operation_name)
    measurer = _Measurer(
        schema, document, variables if isinstance(variables, Mapping) else {}, _variable_defaults(to_run)
    )
    measurer.measure_fragments()
    fields = depth = introspection_depth = aliases = cost = 0
    depths: dict[str, int] = {}
    for op in operations:
        m = measurer.measure(op.selection_set, schema.get_root_type(op.operation))
        fields = _sat(fields + m.fields)
        aliases = _sat(aliases + m.aliases)
        depth = max(depth, m.depth)
        introspection_depth = max(introspection_depth, m.introspection_depth)
        depths[op.name.value if op.name else "anonymous"] = m.depth
        if to_run is None or op is to_run:
            cost = max(cost, _sat(m.cost + DEFAULT_PAGE_SIZE * m.page_cost))  # (a root type is no page)
    unused = measurer.unused_fragments(operations)
    for name in unused:
        fields = _sat(fields + measurer.measured[name].fields)
    overlaps = None
    if fields <= max_fields and measurer.cycle is None:
        roots = [op.selection_set for op in operations] + [measurer.fragments[n].selection_set for n in unused]
        overlaps = measurer.overlaps(roots, max_fields)
    return DocumentMeasure(fields, depth, introspection_depth, aliases, cost, overlaps, measurer.cycle, depths)


# ---------------------------------------------------------------- refusing


def _amount(n: int) -> str:
    """1234 -> "1,234"; 1_234_567 -> "1.2 million"; SATURATION and beyond: "more than a quadrillion"."""
    if n >= SATURATION:
        return "more than a quadrillion"
    for size, word in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")):
        if n >= size:
            return f"{n / size:.1f} {word}"
    return f"{n:,}"


def _error(message: str, limit: str, measured: int, allowed: int) -> GraphQLError:
    extensions = {"code": ErrorCode.BAD_USER_INPUT.value, "limit": limit, "measured": measured, "allowed": allowed}
    return GraphQLError(message, extensions=extensions)


def check_document(
    schema: GraphQLSchema,
    document: DocumentNode,
    limits: DocumentLimits,
    variables: Mapping[str, Any] | None = None,
    operation_name: str | None = None,
) -> list[GraphQLError]:
    """The errors for a document: [] when it is within every limit; a fragment cycle alone; else one
    BAD_USER_INPUT error per limit it breaks."""
    m = measure_document(schema, document, variables, operation_name, max_fields=limits.max_fields)
    if m.cycle is not None:
        return [
            GraphQLError(
                f"Cannot spread fragment '{m.cycle}' within itself.",
                extensions={"code": ErrorCode.GRAPHQL_VALIDATION_FAILED.value},
            )
        ]
    errors: list[GraphQLError] = []
    if m.fields > limits.max_fields:
        errors.append(_error(
            f"The document expands to {_amount(m.fields)} fields (fragments expanded); "
            f"the limit is {limits.max_fields:,}.",
            "fields", m.fields, limits.max_fields,
        ))  # fmt: skip
    if m.depth > limits.max_depth:
        deepest = max(m.operation_depths, key=lambda name: m.operation_depths[name])
        errors.append(_error(
            f"'{deepest}' is {m.depth} levels deep; the maximum operation depth is {limits.max_depth}.",
            "depth", m.depth, limits.max_depth,
        ))  # fmt: skip
    if m.introspection_depth > limits.max_introspection_depth:
        errors.append(_error(
            f"The document nests {m.introspection_depth} levels deep, introspection included; "
            f"the limit is {limits.max_introspection_depth}.",
            "introspectionDepth", m.introspection_depth, limits.max_introspection_depth,
        ))  # fmt: skip
    if m.aliases > limits.max_aliases:
        errors.append(_error(
            f"The document uses {_amount(m.aliases)} aliases (fragments expanded); "
            f"the limit is {limits.max_aliases:,}.",
            "aliases", m.aliases, limits.max_aliases,
        ))  # fmt: skip
    if m.overlaps is not None and m.overlaps > limits.max_overlaps:
        errors.append(_error(
            f"The document selects the same fields over and over: {_amount(m.overlaps)} pairs of selections "
            f"share a response path; the limit is {limits.max_overlaps:,}.",
            "overlaps", m.overlaps, limits.max_overlaps,
        ))  # fmt: skip
    if m.cost > limits.max_cost:
        errors.append(_error(
            f"The operation's estimated cost is {_amount(m.cost)} (each field counted once per item of the lists "
            f"above it: `first`, or about {DEFAULT_LIST_WEIGHT} for a list without `first`); the budget is "
            f"{limits.max_cost:,}. Ask for smaller pages or fewer nested lists.",
            "cost", m.cost, limits.max_cost,
        ))  # fmt: skip
    return errors


class DocumentLimitsExtension(SchemaExtension):
    """Checks the parsed document against `limits` before graphql-core validates it; a document it
    refuses is not validated or executed. Pass a factory: `partial(DocumentLimitsExtension, limits=...)`."""

    def __init__(
        self, *, limits: DocumentLimits | None = None, execution_context: ExecutionContext | None = None
    ) -> None:
        super().__init__(execution_context=execution_context)
        self.limits = limits or DocumentLimits()

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.pre_execution_errors is None and ctx.graphql_document is not None:
            errors = check_document(
                ctx.schema._schema, ctx.graphql_document, self.limits, ctx.variables, ctx.operation_name
            )
            if errors:
                ctx.pre_execution_errors = errors  # strawberry then skips its validation
        yield
