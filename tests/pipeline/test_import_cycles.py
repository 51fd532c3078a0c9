"""No import cycle inside the package, except type-only ones (under `if TYPE_CHECKING:`).

Walks every module's syntax tree, imports inside functions included (they run too, and a cycle
held together by a late import is still a cycle: the two modules cannot be understood, tested or
moved apart). A cycle found here is fixed by moving what both sides need down a layer.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "cuiscan"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imported(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules `module` imports at run time (its own package's __init__ excluded)."""
    is_package = path.name == "__init__.py"

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for stmt in child.orelse:
                    visit_one(stmt)
                continue
            visit_one(child)

    def visit_one(node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            found.update(filter(None, (known(a.name) for a in node.names)))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source.split(".")[0] == PACKAGE.name:
                for alias in node.names:
                    target = f"{source}.{alias.name}"
                    found.add(target if target in modules else known(source))
        visit(node)

    visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    found.discard(None)
    found.discard(module)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imported(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return sorted(groups)


def test_the_package_has_no_runtime_import_cycle():
    graph = import_graph()
    assert len(graph) > 100 and "cuiscan.pipeline" in graph["cuiscan.workers"]   # the walk sees the package
    found = cycles(graph)
    assert not found, "import cycles (move what both sides need down a layer): " + "; ".join(
        " <-> ".join(group) for group in found)


@pytest.mark.parametrize("source, expected", [
    ({"a": "from cuiscan import b\n", "b": "def f():\n    from cuiscan.a import x\n"}, [["cuiscan.a", "cuiscan.b"]]),
    ({"a": "from cuiscan import b\n",
      "b": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from cuiscan.a import x\n"}, []),
    ({"a": "from cuiscan import b\n", "b": "from cuiscan import c\n", "c": "import cuiscan.a\n"},
     [["cuiscan.a", "cuiscan.b", "cuiscan.c"]]),
])
def test_the_walk_finds_late_imports_and_ignores_type_only_ones(tmp_path, monkeypatch, source, expected):
    """The checker itself: a cycle through an import inside a function is found, a TYPE_CHECKING one is not."""
    package = tmp_path / "cuiscan"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, text in source.items():
        (package / f"{name}.py").write_text(text)
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", package)
    assert cycles(import_graph()) == expected
