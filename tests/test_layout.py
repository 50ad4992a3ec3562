"""The package is the pipeline: one folder per stage, in order, each importing only the shared model,
its own stage and earlier stages; the workbook side road is imported by no stage; no loop."""

from __future__ import annotations

import ast
import os

from conftest import ROOT

PACKAGE = ROOT / "reportsite"
STAGES = ("model", "read", "render", "write", "root", "build", "publish", "authoring")
"""The stage folders in pipeline order; `authoring` is the side road that writes the data files."""
TOP = len(STAGES)
"""The rank of a module directly in `reportsite/` (the command line): above every stage."""


def modules() -> dict[str, str]:
    """Every module of the package by dotted name (`reportsite.read.check`) -> its file."""
    found = {}
    for parent, dirs, files in os.walk(PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in files:
            if name.endswith(".py"):
                rel = os.path.relpath(os.path.join(parent, name), ROOT)[: -len(".py")]
                dotted = rel.replace(os.sep, ".").removesuffix(".__init__")
                found[dotted] = os.path.join(parent, name)
    return found


def stage(module: str) -> int:
    """The rank of the stage a module belongs to (its first folder below the package)."""
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 2 or parts[1:] and parts[1] in STAGES else TOP


def imports() -> dict[str, set[str]]:
    """Each module and the package modules it imports, however it imports them."""
    known = modules()
    graph = {}
    for name, path in known.items():
        tree = ast.parse(open(path, encoding="utf-8").read())
        package = name if path.endswith("__init__.py") else name.rpartition(".")[0]
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, *([base] if base else [])])
                found.add(base)
                found.update(f"{base}.{a.name}" for a in node.names)
        graph[name] = {m for m in found if m in known and m != name}
    return graph


def test_the_stages_are_folders_and_few_modules_are_left_on_top():
    folders = [d for d in STAGES if (PACKAGE / d / "__init__.py").is_file()]
    assert folders == list(STAGES)
    top = sorted(p for p in os.listdir(PACKAGE) if p.endswith(".py"))
    assert len(top) <= 12, top
    strays = [d for d in os.listdir(PACKAGE) if (PACKAGE / d).is_dir() and d not in STAGES
              and d not in ("assets", "print", "__pycache__")]
    assert strays == [], "a folder that is not a stage: add it to STAGES in pipeline order"


def test_every_import_goes_to_the_model_its_own_stage_or_an_earlier_one():
    wrong = []
    for name, found in sorted(imports().items()):
        for target in sorted(found):
            if stage(target) > stage(name):
                wrong.append(f"{name} ({STAGES[stage(name)] if stage(name) < TOP else 'top'}) imports "
                             f"{target} ({STAGES[stage(target)] if stage(target) < TOP else 'top'})")
    assert wrong == []


def test_the_side_road_is_imported_by_no_stage():
    side = STAGES.index("authoring")
    users = {name for name, found in imports().items() if stage(name) < TOP and stage(name) != side
             and any(stage(t) == side for t in found)}
    assert users == set()


def test_the_records_import_nothing_of_ours():
    assert imports()["reportsite.model.records"] == set()


def test_there_is_no_import_loop():
    graph = imports()
    state: dict[str, str] = {}

    def visit(name: str, path: list[str]) -> None:
        state[name] = "open"
        for dep in sorted(graph[name]):
            # A package's __init__ is imported on the way to its modules: not an edge of ours.
            assert state.get(dep) != "open" or name.startswith(dep + "."), " -> ".join(path + [name, dep])
            if dep not in state:
                visit(dep, path + [name])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [])


def test_the_stage_ranks_are_read_from_the_folders():
    assert stage("reportsite.model.records") == 0
    assert stage("reportsite.render.charts.count") == STAGES.index("render")
    assert stage("reportsite.build") == STAGES.index("build")
    assert stage("reportsite.cli") == TOP


def test_no_utils_module_and_modules_stay_small():
    for name, path in modules().items():
        assert not name.endswith((".utils", ".util", ".helpers")), name
        lines = open(path, encoding="utf-8").read().count("\n")
        assert lines <= 450, f"{name} has {lines} lines: split it along a seam you can name"


def test_no_public_function_name_is_defined_in_two_modules():
    """A name says one thing: `render`, `write` or `escape` defined in several modules would make
    a reader look up which one a call means."""
    where: dict[str, list[str]] = {}
    for name, path in modules().items():
        tree = ast.parse(open(path, encoding="utf-8").read())
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
                where.setdefault(node.name, []).append(name)
    assert {n: m for n, m in where.items() if len(m) > 1} == {}


def test_the_test_folders_mirror_the_stages():
    """A stage's tests live in the folder of its name; `site/` holds the tests of the whole built
    site in a browser and through the quality gates; the project-wide ones stay on top. `tools/`
    is no test folder: it pins what the tests install from npm (the Nu HTML checker)."""
    tests = ROOT / "tests"
    folders = sorted(d.name for d in tests.iterdir()
                     if d.is_dir() and not d.name.startswith((".", "__")) and d.name != "tools")
    assert folders == sorted([s for s in STAGES if s != "model"] + ["site"])
    for folder in folders:
        assert list((tests / folder).glob("test_*.py")), f"tests/{folder}/ has no tests"
