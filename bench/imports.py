"""The package's import graph, read from its source with ``ast``: cycles, upward imports, depth.

    python3 bench/imports.py            # the summary; exit 1 when there is a cycle
    python3 bench/imports.py --edges    # every import between epilint's modules

Every ``import`` counts: at module level, inside functions and under ``TYPE_CHECKING``.
The layers are the folders of the data flow, bottom first (``DESIGN.md``); an import from
a lower layer to a higher one is an upward import. Rule discovery (``lint/registry.py``
importing ``epilint.rules``) is the one intended exception, and is listed like any other.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "epilint"

#: Bottom first. Modules not listed belong to the layer of their folder.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("epilint", "epilint.model", "epilint.errors", "epilint.similar", "epilint.atomic"),
    ("epilint.config", "epilint.read", "epilint.kramdown"),
    ("epilint.site",),
    ("epilint.feed",),
    ("epilint.schema",),
    ("epilint.links",),
    ("epilint.lint",),
    ("epilint.rules",),
    ("epilint.fix",),
    ("epilint.run",),
    ("epilint.output",),
    ("epilint.cli", "epilint.__main__", "epilint.editor"),
)


def modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names
            ]
        else:
            continue
        for written in targets:
            target = written
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target


def layer(name: str) -> int:
    best = (-1, 0)
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if name == prefix or name.startswith(prefix + "."):
                best = max(best, (len(prefix), index))
    return best[1]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def depth(graph: dict[str, set[str]]) -> int:
    """The number of modules on the longest import chain (the graph's floors)."""
    memo: dict[str, int] = {}

    def floors(node: str, seen: frozenset[str]) -> int:
        if node in memo:
            return memo[node]
        below = [floors(t, seen | {node}) for t in graph[node] if t not in seen]
        memo[node] = 1 + max(below, default=0)
        return memo[node]

    return max((floors(n, frozenset()) for n in graph), default=0)


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: set(imports(name, path, known)) for name, path in known.items()}


def upward(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    return sorted((a, b) for a, targets in edges.items() for b in targets if layer(b) > layer(a))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", action="store_true", help="print every import edge")
    args = parser.parse_args(argv)
    edges = graph()
    if args.edges:
        for source in sorted(edges):
            for target in sorted(edges[source]):
                print(f"{source} -> {target}")
    found = cycles(edges)
    ups = upward(edges)
    print(f"modules: {len(edges)}, imports: {sum(map(len, edges.values()))}")
    print(f"layers (folders): {len(LAYERS)}, longest import chain: {depth(edges)} modules")
    print(f"cycles: {len(found)}")
    for component in found:
        print("  " + " <-> ".join(component))
    print(f"upward imports: {len(ups)}")
    for source, target in ups:
        print(f"  {source} -> {target}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
