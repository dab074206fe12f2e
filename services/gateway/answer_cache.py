"""Whole answers of zone queries, served without running GraphQL again.

A zone answer (20 recommendations with their films, reasons and fits) costs the gateway 8-12 ms of CPU to
execute even when the recommender answers from its own cache (`make bench-gateway-cpu`): strawberry
resolves hundreds of fields on one event loop. A query whose root fields are all zones (`forYou`,
`similar`, `hiddenGems`, `vibe`, `together`, `togetherWithMood`, `onboarding`, and `__typename`) is
therefore looked up first by

    sha256(document, operation name, variables, caller, [catalogue generation, what the recommender
           serves, the generation of the caller and of every member named in `userIds`])

in Redis (cache.py `gw:ans:<digest>`), and a hit is the stored JSON bytes as they are. So an answer is
never served after what it depends on has changed: a rating, dismissal, favourite, watchlist change or
partner link bumps the user's generation (the recommender's feedback consumer, within milliseconds of the
event), a catalogue change bumps the catalogue generation, a new model or content index changes
`rec:serving`. Only answers without errors are stored, for `cache_answer_ttl_s` (60 s).

What the lookup does not skip: the access token is verified on every request (an expired token reaches
GraphQL and gets UNAUTHENTICATED), and the body is decoded by the same strict decoder as GraphQL's
(request_body.py). A document is only ever stored after it passed the document limits, and its key
covers its exact text, so a hit never bypasses them. A planned document (is it all zones? where are its
members?) is kept per document text in a bounded map: parsing is paid once per distinct document.
When Redis cannot be used, nothing is looked up or stored.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from graphql import (
    FieldNode,
    GraphQLError,
    ListValueNode,
    OperationDefinitionNode,
    OperationType,
    StringValueNode,
    VariableNode,
    parse,
)

from kit.limits import TOGETHER_GROUP_MAX
from services.gateway.auth import authenticate_claims
from services.gateway.cache import Cache
from services.gateway.errors import GatewayError

ZONE_FIELDS = frozenset({"forYou", "similar", "hiddenGems", "vibe", "together", "togetherWithMood", "onboarding"})
MEMBERS_ARGUMENT = "userIds"  # together / togetherWithMood: the answer depends on each member too
MAX_PLANS = 512
MAX_TOKENS = 2000  # as the gateway's parser limit: a longer document is not planned (GraphQL refuses it)


@dataclass(frozen=True)
class Plan:
    """A document whose root fields are all zones. `member_variables`: variables holding member ids;
    `member_ids`: ids written in the document itself."""

    document: str  # sha256 of the document text and operation name
    member_variables: tuple[str, ...] = ()
    member_ids: tuple[str, ...] = ()


def plan(query: str, operation_name: str | None) -> Plan | None:
    """The plan of a document, or None when it is not a query of zones only (then it is never cached)."""
    try:
        doc = parse(query, max_tokens=MAX_TOKENS, no_location=True)
    except GraphQLError:
        return None
    ops = [d for d in doc.definitions if isinstance(d, OperationDefinitionNode)]
    op = next((o for o in ops if o.name and o.name.value == operation_name), None) if operation_name else (
        ops[0] if len(ops) == 1 else None)
    if op is None or op.operation is not OperationType.QUERY:
        return None
    variables: list[str] = []
    ids: list[str] = []
    zones = 0
    for sel in op.selection_set.selections:
        if not isinstance(sel, FieldNode) or sel.directives:
            return None  # fragments or @skip/@include at the root: not worth planning
        name = sel.name.value
        if name == "__typename":
            continue
        if name not in ZONE_FIELDS:
            return None
        zones += 1
        for arg in sel.arguments or ():
            if arg.name.value != MEMBERS_ARGUMENT:
                continue
            if isinstance(arg.value, VariableNode):
                variables.append(arg.value.name.value)
            elif isinstance(arg.value, ListValueNode) and all(isinstance(v, StringValueNode) for v in arg.value.values):
                ids.extend(v.value for v in arg.value.values if isinstance(v, StringValueNode))
            else:
                return None
    if zones == 0:
        return None
    digest = hashlib.sha256(f"{operation_name or ''}\x00{query}".encode()).hexdigest()
    return Plan(digest, tuple(variables), tuple(ids))


class Planner:
    """`plan` per document text, the last MAX_PLANS kept (a None plan too: a document that is not all
    zones is not parsed again either)."""

    def __init__(self, size: int = MAX_PLANS) -> None:
        self.size = size
        self._plans: OrderedDict[tuple[str, str | None], Plan | None] = OrderedDict()

    def get(self, query: str, operation_name: str | None) -> Plan | None:
        key = (query, operation_name)
        if key in self._plans:
            self._plans.move_to_end(key)
            return self._plans[key]
        found = plan(query, operation_name)
        self._plans[key] = found
        if len(self._plans) > self.size:
            self._plans.popitem(last=False)
        return found


@dataclass(frozen=True)
class Lookup:
    key: str
    hit: bytes | None


def _members(p: Plan, variables: dict[str, object]) -> list[str] | None:
    out = list(p.member_ids)
    for name in p.member_variables:
        value = variables.get(name)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return None  # GraphQL will say what is wrong with it
        out.extend(str(v) for v in value)
    # more than a few groups' worth is GraphQL's to refuse, not a key to build
    return out if len(out) <= 4 * TOGETHER_GROUP_MAX else None


async def lookup(planner: Planner, cache: Cache, public_key: Ed25519PublicKey | None, authorization: str | None,
                 body: object) -> Lookup | None:
    """The answer key of a decoded request body, and the stored answer when there is one; None when the
    request is not cacheable (not all zones, a bad token, malformed variables, Redis unusable)."""
    if not cache.enabled or cache.answer_ttl_s <= 0 or not isinstance(body, dict):
        return None
    query, name, variables = body.get("query"), body.get("operationName"), body.get("variables")
    if not isinstance(query, str) or not (name is None or isinstance(name, str)) or body.get("extensions"):
        return None
    if variables is None:
        variables = {}
    if not isinstance(variables, dict):
        return None
    p = planner.get(query, name)
    if p is None:
        return None
    caller = ""
    if authorization is not None and authorization.strip():
        try:
            caller = authenticate_claims(public_key, authorization).user_id
        except GatewayError:
            return None  # GraphQL answers it (UNAUTHENTICATED)
    members = _members(p, variables)
    if members is None:
        return None
    users = sorted({caller, *members} - {""})
    versions = await cache.answer_versions(users)
    if versions is None:
        return None
    digest = hashlib.sha256(json.dumps([p.document, variables, caller, users, versions], sort_keys=True,
                                       separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()
    key = cache.answer_key(digest)
    return Lookup(key, await cache.get_answer(key))


def storable(status_code: int, answer: object) -> bool:
    """An answer worth keeping: HTTP 200, and the GraphQL answer it encodes (as the router made it, before
    encoding) an object with `data` and no `errors`."""
    if status_code != 200 or not isinstance(answer, dict):
        return False
    return answer.get("data") is not None and not answer.get("errors")
