"""The library's layout: data flows one way, only `cases` reads files, modules stay readable.

The import graph is read from the source (the AST), late imports inside functions included, so a
new edge that points the wrong way fails here before it becomes a cycle.
"""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

import alliancekit

PACKAGE = Path(alliancekit.__file__).parent

#: Every module's layer: a module may import only modules of a lower layer. Add a new module
#: here (data -> cases -> models -> charts -> widgets) when you create it.
LAYERS = {
    "_validate": 0, "_bipartition": 0, "_env": 0, "_geometry": 1, "termination": 0, "svgtext": 0,
    "_singleuser": 0,
    "display": 0,
    "cases": 1,
    "chronology": 2, "maps": 2,
    "summaries": 2, "survival": 2, "networks": 2, "landscape": 2,
    "fulfilment": 2,
    "europe": 3, "europe1936": 3, "abrogation": 3, "calculus": 3,
    "scenarios": 3, "strategies": 3,
    "cohesion": 4, "outside_options": 4,
    "sensitivity": 5,
    "render": 6,
    "model_charts": 7, "replication_charts": 7, "coursecharts": 7,
    "charts": 8,
    "explorer": 9,
    "widgets": 10,
    "checks": 11, "studentview": 11,
    "grading": 12,
}
#: Pure models: arrays and graphs in, results out; they never touch the case data.
PURE = {"_validate", "_bipartition", "termination", "survival", "networks", "landscape"}
#: Models compute and never draw.
MODELS = {"summaries", "survival", "networks", "landscape", "europe", "europe1936", "calculus",
          "scenarios", "cohesion", "strategies", "sensitivity", "outside_options", "abrogation",
          "fulfilment"}
DRAWING = {"render", "model_charts", "replication_charts", "charts", "explorer", "widgets",
           "coursecharts"}
#: The one place that reads the shipped files.
READER = "cases"
#: Standalone tools for instructors and learners, not part of the data flow; they read and write
#: course files (notebooks, gradebooks, reports) by design.
TOOLS = {"checks", "grading", "studentview"}
MAX_LINES = 800
FILE_CALLS = {"read_csv", "read_text", "read_bytes", "open", "files", "loadtxt", "genfromtxt"}


def _module_of(path: Path) -> str:
    """Top-level module name of a source file (``cases/_tables.py`` -> ``cases``)."""
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _sources() -> dict[Path, ast.Module]:
    paths = [p for p in sorted(PACKAGE.rglob("*.py")) if p != PACKAGE / "__init__.py"]
    return {p: ast.parse(p.read_text(encoding="utf-8"), filename=str(p)) for p in paths}


SOURCES = _sources()
MODULES = sorted({_module_of(p) for p in SOURCES})


def _imported(path: Path, tree: ast.Module) -> set[str]:
    """The package's top-level modules that ``path`` imports, anywhere in the file."""
    depth_of_file = len(path.relative_to(PACKAGE).parts) - 1      # 0 for top-level modules
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names if a.name.startswith("alliancekit.")]
            out |= {n.split(".")[1] for n in names}
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                if node.module == "alliancekit":
                    out |= {a.name for a in node.names}
                elif node.module and node.module.startswith("alliancekit."):
                    out.add(node.module.split(".")[1])
            elif node.level == depth_of_file + 1:                 # relative to the package root
                out |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
    out.discard(_module_of(path))
    return out


def _graph() -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_nodes_from(MODULES)
    for path, tree in SOURCES.items():
        for target in _imported(path, tree):
            g.add_edge(_module_of(path), target)
    return g


GRAPH = _graph()


def test_every_module_has_a_layer():
    missing = sorted(set(MODULES) - set(LAYERS))
    assert not missing, (f"add {missing} to LAYERS in tests/unit/test_layout.py, in the layer "
                         "its imports allow (data -> cases -> models -> charts -> widgets)")


def test_every_public_module_is_listed_in_the_package():
    public = {m for m in MODULES if not m.startswith("_")}
    assert public == set(alliancekit._SUBMODULES)


@pytest.mark.parametrize("module", MODULES)
def test_imports_point_only_to_lower_layers(module):
    wrong = sorted(t for t in GRAPH.successors(module) if LAYERS[t] >= LAYERS[module])
    assert not wrong, f"{module} (layer {LAYERS[module]}) imports {wrong}, which are not below it"


def test_the_import_graph_has_no_cycle():
    assert nx.is_directed_acyclic_graph(GRAPH), list(nx.simple_cycles(GRAPH))


@pytest.mark.parametrize("module", sorted(PURE))
def test_pure_models_never_touch_the_case_data(module):
    assert READER not in set(nx.descendants(GRAPH, module))


@pytest.mark.parametrize("module", sorted(MODELS))
def test_models_never_draw(module):
    assert not DRAWING & set(nx.descendants(GRAPH, module))


@pytest.mark.parametrize("path", [p for p in SOURCES if _module_of(p) not in {READER, *TOOLS}],
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_cases_reads_files(path):
    calls = set()
    for node in ast.walk(SOURCES[path]):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            if name in FILE_CALLS:
                calls.add(name)
    assert not calls, f"{path.name} calls {sorted(calls)}: read data through alliancekit.cases"


@pytest.mark.parametrize("path", sorted(SOURCES), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_longer_than_a_reader_can_hold(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines; split it by job"


def test_names_kept_for_old_notebooks_do_not_load_their_new_module_on_import():
    """networks and landscape forward a few names to europe on first use, never at import."""
    script = ("import sys, json, alliancekit.networks, alliancekit.landscape\n"
              "print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                         text=True)
    loaded = set(json.loads(out.stdout.splitlines()[-1]))
    assert "alliancekit.europe" not in loaded and "alliancekit.cases" not in loaded
