"""The gateway's modules import each other without a loop.

Read from the source (nothing is imported): every import of a `services.gateway` module, at module level
or inside a function, except under `if TYPE_CHECKING:` (never run). A loop used to run through
`types/movie.py` -> `users_resolvers.py` -> `types/me.py` -> ... -> `types/movie.py`; it held only
because one of those imports sat inside a function, and moving it to the top made
`import services.gateway.types.movie` fail on a partially initialised module.
"""

from __future__ import annotations

import ast
from pathlib import Path

GATEWAY = Path(__file__).resolve().parents[2] / "services" / "gateway"
ROOT = GATEWAY.parents[1]


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module(p): p for p in sorted(GATEWAY.rglob("*.py"))}


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> set[str]:
    """The gateway modules a module imports when it runs (module level and inside functions)."""
    found: set[str] = set()
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking(child):
                stack.extend(child.orelse)
                continue
            if isinstance(child, ast.Import):
                found.update(a.name for a in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                for alias in child.names:  # `from services.gateway import x` names module x when there is one
                    full = f"{child.module}.{alias.name}"
                    found.add(full if full in MODULES else child.module)
            stack.append(child)
    return {m for m in found if m in MODULES}


def import_graph() -> dict[str, set[str]]:
    return {m: _imports(ast.parse(p.read_text(encoding="utf-8"))) - {m} for m, p in MODULES.items()}


def find_loop(graph: dict[str, set[str]]) -> list[str] | None:
    """One loop of imports (its modules in order, the first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(graph):
        if start in state:
            continue
        path, iters = [start], [iter(sorted(graph[start]))]
        state[start] = 1
        while path:
            nxt = next(iters[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                iters.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                iters.append(iter(sorted(graph[nxt])))
    return None


def test_the_reader_sees_the_gateway():
    graph = import_graph()
    assert "services.gateway.app" in graph and "services.gateway.types.movie" in graph
    assert "services.gateway.context" in graph["services.gateway.types.movie"]


def test_the_loop_finder_finds_a_loop():
    assert find_loop({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_loop({"a": {"b"}, "b": set()}) is None


# Who may not import whom (a package, or a module and what is under it): types never call resolvers
# (a nested field is a method on its type), resolvers never reach the root types, clients know nothing
# of GraphQL.
NEVER = {
    "services.gateway.types": ("services.gateway.resolvers", "services.gateway.operations"),
    "services.gateway.resolvers": ("services.gateway.operations",),
    "services.gateway.clients": (
        "services.gateway.types", "services.gateway.resolvers", "services.gateway.operations",
        "services.gateway.context", "services.gateway.loaders", "services.gateway.schema",
    ),
}


def _under(module: str, place: str) -> bool:
    return module == place or module.startswith(place + ".")


def test_the_layers_import_downwards_only():
    wrong = [
        f"{a} -> {b}"
        for a, targets in import_graph().items()
        for place, forbidden in NEVER.items()
        if _under(a, place)
        for b in sorted(targets)
        if any(_under(b, f) for f in forbidden)
    ]
    assert wrong == []


def test_the_gateway_has_no_import_loop():
    loop = find_loop(import_graph())
    assert loop is None, "import loop: " + " -> ".join(loop or [])
