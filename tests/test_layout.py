"""The package is a staircase: the model imports nothing of ours, and no module imports back up."""

from __future__ import annotations

import ast
import os

from conftest import ROOT

PACKAGE = ROOT / "reportsite"


def imports() -> dict[str, set[str]]:
    """Each module of the package and the package modules it imports."""
    modules = {p[:-3] for p in os.listdir(PACKAGE) if p.endswith(".py") and p != "__init__.py"}
    graph = {}
    for name in modules:
        tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    found.add(node.module.split(".")[0])
                else:
                    found.update(alias.name for alias in node.names)
        graph[name] = found & modules
    return graph


def test_the_model_imports_nothing_of_ours():
    assert imports()["model"] == set()


def test_there_is_no_import_loop():
    graph = imports()
    state: dict[str, str] = {}

    def visit(name: str, path: list[str]) -> None:
        state[name] = "open"
        for dep in sorted(graph[name]):
            assert state.get(dep) != "open", " -> ".join(path + [name, dep])
            if dep not in state:
                visit(dep, path + [name])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [])


def test_no_utils_module_and_modules_stay_small():
    names = os.listdir(PACKAGE)
    assert "utils.py" not in names
    for name in names:
        if name.endswith(".py"):
            lines = (PACKAGE / name).read_text(encoding="utf-8").count("\n")
            assert lines <= 450, f"{name} has {lines} lines: split it along a seam you can name"
