"""The library's layout: data flows one way, only `cases` reads files, modules stay readable.

The rules, each a test below:

1. Every module has a layer, and imports only modules of a lower layer.
2. The import graph has no cycle.
3. Pure models (`PURE`) never reach the case data (`cases`), not even through another module.
   The one exception is a short reviewed list (`KEPT_NAMES`): thin adapters a pure model keeps,
   under a name lessons, exercises and students' copies already call, which import their home
   inside the function (so the data is read on call, never on import). Every other import of a
   pure model is checked; the adapters' edges are checked for layers and cycles as well, apart
   from the listed ones.
4. Models never draw.
5. Only `cases` (and the instructor and learner tools) read files.
6. No module forwards names silently: no module-level ``__getattr__`` outside the package's own
   lazy loader (a forward gives a concept two homes and hides an import from the reader).
7. No Python file of the repository (library, tests, scripts) is longer than `MAX_LINES`.
8. The grading wing (``alliancekit/grading/``) talks through explicit context objects
   (`alliancekit.grading.context`), not process state: its module-level names are constants and
   classes (capitalised); no function of it changes a module-level value, its own or another
   module's (no ``_NOTES.append``, no ``os.environ["PATH"] = ...``, no
   ``sandbox.GradingExecute.unlock = ...``), apart from a short reviewed list of process
   resources (`KEPT_STATE`) and processes' own entry points (`KEPT_PATCHES`); and no class of it
   has a mutable class-level default (shared by every instance).

The import graph is read from the source (the AST): imports inside functions and imports by
string (``importlib.import_module("alliancekit.x")``, ``__import__``, f-strings on
``__package__``) included, so a new edge that points the wrong way fails here before it becomes
a cycle. A kept name's adapter makes a cycle with its home by nature (networks.signed_graph ->
europe -> networks): rule 2 is checked without the listed adapters, and rule 3 checks that they
stay inside their functions. Run on main at b28d7da (issue 25's start), 18 of these tests fail:
``calculus``, ``cohesion`` and ``strategies`` import ``cases`` (rule 3); ``networks`` and
``landscape`` forward names with a ``__getattr__`` (rule 6) that imports ``europe`` through
``importlib``, now seen (rule 3: networks -> europe from ``__getattr__``, not from
``signed_graph``); importing them would load ``europe`` on first use; and
``scripts/build_data.py`` and ``tests/integration/test_browser.py`` are longer than 800 lines
(rule 7). Rule 8, run on main at 170f0c3 (issue 25's grading wing), fails 5 of its tests:
``grading/__init__.py`` edits ``os.environ`` (PATH, twice), fills ``_WORKER`` and patches
``sandbox.GradingExecute.unlock``/``relock``; ``sandbox.py`` fills ``_NOTES`` and ``_PROBLEM`` and
has ``_files: list = []``; ``judging.py`` appends to ``sandbox._NOTES``; ``variantgrading.py``
edits ``os.environ`` and ``sandbox.VARIANT_ENV``.
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
    "_validate": 0, "_bipartition": 0, "_env": 0, "_geometry": 1, "termination": 0, "svgtext": 1,
    "display": 1, "published": 0, "_singleuser": 0,
    "cases": 1,
    "chronology": 2, "maps": 2,
    "summaries": 2, "survival": 2, "networks": 2, "landscape": 2,
    "calculus": 2, "drivers": 2, "strategies": 2,
    "fulfilment": 3,
    "europe": 3, "europe1936": 3, "abrogation": 3, "calculus_cases": 3,
    "scenarios": 3,
    "cohesion": 4, "outside_options": 4,
    "sensitivity": 5,
    "render": 6,
    "model_charts": 7, "replication_charts": 7, "coursecharts": 7,
    "charts": 8, "liveview": 8,
    "explorer": 9, "replication_explorers": 9.5,
    "widgets": 10,
    "checks": 11, "studentview": 11, "variants": 11, "_warmup": 11, "_warmkernel": 11,
    "grading": 12,
}
#: Pure models: arrays and graphs in, results out; they never touch the case data (DESIGN: "the
#: models are pure and load no data").
PURE = {"_validate", "_bipartition", "termination", "published", "survival", "networks",
        "landscape", "calculus", "drivers", "cohesion", "strategies"}
#: The reviewed exceptions to rule 3: (pure module, its adapter) -> the functions of the pure
#: module that may import that adapter (inside the function only), and why the name is kept.
KEPT_NAMES = {
    ("networks", "europe"): ({"signed_graph"}, "ak.networks.signed_graph: lesson 03, ex03's "
                             "tasks and hidden tests, students' my-work copies"),
    ("calculus", "calculus_cases"): ({"member_calculus", "member_inputs"},
                                     "ak.cohesion.member_calculus (re-exported from calculus): "
                                     "lessons 01 and 03, ex03's hidden tests, my-work copies; "
                                     "calculus.member_calculus: widgets.py's lesson-03 explorer"),
    ("cohesion", "scenarios"): ({"scenario", "scenario_names", "_scenario_arrays"},
                                "simulate('little_entente', ...) and ak.cohesion.scenario(...): "
                                "lessons 05, 07, 08, the benchmarks and students' copies"),
}
#: Models compute and never draw.
MODELS = {"summaries", "survival", "networks", "landscape", "europe", "europe1936", "calculus",
          "calculus_cases", "drivers", "scenarios", "cohesion", "strategies", "sensitivity",
          "outside_options", "abrogation", "fulfilment", "published"}
DRAWING = {"render", "model_charts", "replication_charts", "charts", "explorer", "widgets",
           "coursecharts", "liveview", "replication_explorers"}
#: The one place that reads the shipped files.
READER = "cases"
#: Standalone tools for instructors and learners, not part of the data flow; they read and write
#: course files (notebooks, gradebooks, reports, the variant secret) by design; and the hub
#: servers' kernel manager, which reads how busy the machine is (/proc/stat), never course data.
TOOLS = {"checks", "grading", "studentview", "variants", "_warmkernel"}
MAX_LINES = 800
ROOT = PACKAGE.parent
FILE_CALLS = {"read_csv", "read_text", "read_bytes", "open", "files", "loadtxt", "genfromtxt"}


def _module_of(path: Path) -> str:
    """Top-level module name of a source file (``cases/_tables.py`` -> ``cases``)."""
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _sources() -> dict[Path, ast.Module]:
    paths = [p for p in sorted(PACKAGE.rglob("*.py")) if p != PACKAGE / "__init__.py"]
    return {p: ast.parse(p.read_text(encoding="utf-8"), filename=str(p)) for p in paths}


SOURCES = _sources()
MODULES = sorted({_module_of(p) for p in SOURCES})


def _string_target(node: ast.Call) -> str | None:
    """The module a call ``importlib.import_module(...)``/``__import__(...)`` names, if any.

    Handles a plain string (``"alliancekit.europe"``) and an f-string whose first part is the
    package (``f"{__package__}.europe"``, ``f"{__name__}.{name}"`` gives no fixed target).
    """
    f = node.func
    name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
    if name not in {"import_module", "__import__"} or not node.args:
        return None
    arg = node.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        text = arg.value
    elif isinstance(arg, ast.JoinedStr) and len(arg.values) == 2:
        head, tail = arg.values
        is_package = (isinstance(head, ast.FormattedValue) and isinstance(head.value, ast.Name)
                      and head.value.id in {"__package__", "__name__"})
        if not (is_package and isinstance(tail, ast.Constant)):
            return None
        text = "alliancekit" + tail.value
    else:
        return None
    parts = text.split(".")
    return parts[1] if parts[0] == "alliancekit" and len(parts) > 1 else None


def _imports(path: Path, tree: ast.Module):
    """Each import of another of the package's modules: (target, the node that makes it)."""
    depth_of_file = len(path.relative_to(PACKAGE).parts) - 1      # 0 for top-level modules
    for node in ast.walk(tree):
        targets: set[str] = set()
        if isinstance(node, ast.Import):
            targets = {a.name.split(".")[1] for a in node.names
                       if a.name.startswith("alliancekit.")}
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                if node.module == "alliancekit":
                    targets = {a.name for a in node.names}
                elif node.module and node.module.startswith("alliancekit."):
                    targets = {node.module.split(".")[1]}
            elif node.level == depth_of_file + 1:                 # relative to the package root
                targets = {node.module.split(".")[0]} if node.module else {a.name for a in
                                                                            node.names}
        elif isinstance(node, ast.Call):
            target = _string_target(node)
            targets = {target} if target else set()
        for target in targets - {_module_of(path)}:
            yield target, node


def _imported(path: Path, tree: ast.Module) -> set[str]:
    """The package's top-level modules that ``path`` imports, anywhere in the file."""
    return {target for target, _ in _imports(path, tree)}


def _enclosing_functions(tree: ast.Module) -> dict[ast.AST, str]:
    """Each node inside a top-level function -> that function's name."""
    out = {}
    for top in tree.body:
        if isinstance(top, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(top):
                out[node] = top.name
    return out


def _graph(*, kept: bool = True) -> nx.DiGraph:
    """The import graph; ``kept=False`` leaves out the reviewed edges of `KEPT_NAMES`."""
    g = nx.DiGraph()
    g.add_nodes_from(MODULES)
    for path, tree in SOURCES.items():
        for target in _imported(path, tree):
            if kept or (_module_of(path), target) not in KEPT_NAMES:
                g.add_edge(_module_of(path), target)
    return g


GRAPH = _graph()
#: The graph without the kept names' adapters: rules 1-4 hold on it.
CHECKED = _graph(kept=False)


def test_every_module_has_a_layer():
    missing = sorted(set(MODULES) - set(LAYERS))
    assert not missing, (f"add {missing} to LAYERS in tests/unit/test_layout.py, in the layer "
                         "its imports allow (data -> cases -> models -> charts -> widgets)")


def test_every_public_module_is_listed_in_the_package():
    public = {m for m in MODULES if not m.startswith("_")}
    assert public == set(alliancekit._SUBMODULES)


@pytest.mark.parametrize("module", MODULES)
def test_imports_point_only_to_lower_layers(module):
    wrong = sorted(t for t in CHECKED.successors(module) if LAYERS[t] >= LAYERS[module])
    assert not wrong, f"{module} (layer {LAYERS[module]}) imports {wrong}, which are not below it"


def test_the_import_graph_has_no_cycle():
    assert nx.is_directed_acyclic_graph(CHECKED), list(nx.simple_cycles(CHECKED))


@pytest.mark.parametrize("module", sorted(PURE))
def test_pure_models_never_touch_the_case_data(module):
    assert READER not in set(nx.descendants(CHECKED, module)), nx.shortest_path(CHECKED, module,
                                                                                READER)


@pytest.mark.parametrize("edge", sorted(KEPT_NAMES), ids="->".join)
def test_a_kept_name_reaches_its_home_only_inside_its_own_function(edge):
    """A pure model's kept names import their adapter on call, in the functions listed."""
    module, home = edge
    allowed, _ = KEPT_NAMES[edge]
    path = PACKAGE / f"{module}.py"
    inside = _enclosing_functions(SOURCES[path])
    places = {inside.get(node, "<module level>") for target, node in _imports(path, SOURCES[path])
              if target == home}
    assert places, f"{module} no longer imports {home}: drop the entry from KEPT_NAMES"
    assert places <= allowed, f"{module} imports {home} in {sorted(places - allowed)}"


def test_the_kept_names_are_the_only_way_a_pure_model_reaches_the_data():
    """Every path from a pure model to the data runs through a reviewed kept name."""
    for module in PURE:
        for path in nx.all_simple_paths(GRAPH, module, READER):
            assert any(edge in KEPT_NAMES for edge in nx.utils.pairwise(path)), path


@pytest.mark.parametrize("module", sorted(MODELS))
def test_models_never_draw(module):
    assert not DRAWING & set(nx.descendants(GRAPH, module))


@pytest.mark.parametrize("path", sorted(SOURCES), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_forwards_names_with_a_module_getattr(path):
    getattrs = [node.lineno for node in SOURCES[path].body
                if isinstance(node, ast.FunctionDef) and node.name == "__getattr__"]
    assert not getattrs, (f"{path.name}:{getattrs} forwards names silently; import the name "
                          "from its home, or keep a documented thin adapter (KEPT_NAMES)")


def test_the_graph_follows_imports_by_string():
    """A forward made with importlib (as networks.py had before issue 25) is an edge here."""
    snippet = ast.parse('def f(name):\n    import importlib\n'
                        '    return importlib.import_module(f"{__package__}.europe")\n'
                        'g = __import__("alliancekit.fairplay")\n')
    assert _imported(PACKAGE / "networks.py", snippet) == {"europe", "fairplay"}


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


#: Every Python file of the repository that a reader maintains (not the venv or build output).
PYTHON_FILES = sorted(p for folder in ("alliancekit", "tests", "scripts", "benchmarks", "hub",
                                       "website", "binder")
                      for p in (ROOT / folder).rglob("*.py")) + sorted(ROOT.glob("*.py"))


@pytest.mark.parametrize("path", PYTHON_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_python_file_is_longer_than_a_reader_can_hold(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines; split it by job"


def test_importing_the_pure_models_loads_no_case_data():
    """The kept names reach their homes on call, never at import."""
    script = ("import sys, json\n"
              f"import {', '.join(f'alliancekit.{m}' for m in sorted(PURE))}\n"
              "print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                         text=True)
    loaded = set(json.loads(out.stdout.splitlines()[-1]))
    homes = {f"alliancekit.{home}" for _, home in KEPT_NAMES}
    assert not loaded & {*homes, "alliancekit.cases"}


# --------------------------------------------------------------------------------------------
# Rule 8: the grading wing passes context objects, never process state
# --------------------------------------------------------------------------------------------
GRADING = PACKAGE / "grading"
#: Module-level values a grading function may change: process resources that an ``atexit`` hook
#: must find whatever went wrong. (module, name) -> why.
KEPT_STATE = {
    ("sandbox", "_LIVE"): "the sandboxes this process has running, removed at exit",
    ("limits", "_LIVE"): "the cgroups this process made, removed at exit",
    ("limits", "_COUNTER"): "cgroup names unique within the process",
    ("judging", "_SERVER"): "this process's judges' parent (one process), stopped at exit",
    ("warmkernel", "_SERVER"): "this process's kernels' parent (one process), stopped at exit",
    ("warmkernel", "_COUNTER"): "kernel socket names unique within the process",
}
#: Another module's values a grading module may change: its own process's, at its entry point,
#: or for one block that puts the value back. (module, what) -> why.
KEPT_PATCHES = {
    ("engines", "gradebook_module.create_engine"): "nbgrader's engine factory, swapped while a "
                                                   "grading process grades one submission and "
                                                   "put back after (engines.shared_engines)",
    ("judge", "sys.stdout"): "the judge's own process: prints go to stderr, not the channel",
    ("judgeserver", "sys.stdout"): "the judges' parent's own process: prints go to stderr",
    ("judgeserver", "sys.path"): "the judges' parent's own process: no module from its home",
    ("judgeserver", "os.environ"): "a forked judge's own process: its owner's variant variables, "
                                   "from the fork request",
    ("kernelserver", "sys.path"): "the kernels' parent's own process: no module from its home",
    ("kernelserver", "sys.argv"): "a forked kernel's own process: ipykernel's command line",
}
_MUTATORS = {"append", "extend", "insert", "update", "clear", "pop", "popitem", "add",
             "discard", "remove", "setdefault"}


def _chain(node: ast.AST) -> tuple[str | None, str]:
    """The name an attribute/subscript chain starts from, and the dotted chain (no subscripts)."""
    parts = []
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
        node = node.value
    root = node.id if isinstance(node, ast.Name) else None
    return root, ".".join([root or "?", *reversed(parts)])


def _changed(node: ast.AST) -> list[ast.AST]:
    """What a statement or call changes in place (attribute or item stores, mutating calls)."""
    if isinstance(node, (ast.Assign, ast.Delete)):
        return list(node.targets)
    if isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        return [node.target]
    if isinstance(node, ast.Call):
        f = node.func
        if isinstance(f, ast.Attribute) and f.attr in _MUTATORS:
            return [f.value]
        if isinstance(f, ast.Name) and f.id == "next" and node.args:
            return [node.args[0]]  # an iterator's position
        if isinstance(f, ast.Name) and f.id in {"setattr", "delattr"} and node.args:
            return [ast.Attribute(value=node.args[0], attr="?")]
    return []


def _bound(tree: ast.AST) -> tuple[set[str], set[str]]:
    """Names bound by imports (anywhere) and names bound by plain assignment at the top."""
    imported = {(a.asname or a.name).split(".")[0] for node in ast.walk(tree)
                if isinstance(node, (ast.Import, ast.ImportFrom)) for a in node.names}
    top = {n.id for node in tree.body if isinstance(node, (ast.Assign, ast.AnnAssign))
           for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
           for n in ast.walk(target) if isinstance(n, ast.Name)}
    return imported, top


def _locals(fn: ast.AST) -> set[str]:
    args = fn.args
    names = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg,
                             args.kwarg] if a is not None}
    return names | {n.id for n in ast.walk(fn) if isinstance(n, ast.Name)
                    and isinstance(n.ctx, ast.Store)}


def grading_changes(tree: ast.Module) -> set[tuple[str, str]]:
    """("state" | "patch", dotted name) of every module-level value the code changes.

    "state": a value this module defines at the top, changed inside a function (building a
    constant at import time is not a change). "patch": a value reached through an imported
    module or class, anywhere in the file.
    """
    imported, top = _bound(tree)
    found = set()
    functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef,
                                                             ast.AsyncFunctionDef))]
    inside = {id(node) for f in functions for node in ast.walk(f)}
    scopes = [([n for n in ast.walk(tree) if id(n) not in inside], set(), False)]
    scopes += [(list(ast.walk(f)), _locals(f), True) for f in functions]
    for nodes, local, in_function in scopes:
        for node in nodes:
            if isinstance(node, ast.Global):
                found |= {("state", name) for name in node.names}
            for target in _changed(node):
                root, dotted = _chain(target)
                if root is None or root in local or not (
                        isinstance(target, (ast.Attribute, ast.Subscript))
                        or isinstance(node, ast.Call)):
                    continue
                if root in imported:
                    found.add(("patch", dotted.split(".?")[0]))
                elif root in top and in_function:
                    found.add(("state", root))
    return found


GRADING_SOURCES = {p: SOURCES[p] for p in sorted(GRADING.glob("*.py"))}


@pytest.mark.parametrize("path", GRADING_SOURCES, ids=lambda p: p.name)
def test_the_grading_wing_changes_no_module_level_value(path):
    module = path.stem
    changes = grading_changes(GRADING_SOURCES[path])
    state = sorted(name for kind, name in changes if kind == "state"
                   and (module, name) not in KEPT_STATE)
    patches = sorted(name for kind, name in changes if kind == "patch"
                     and not any((module, name) == (m, w) or name.startswith(w + ".")
                                 for m, w in KEPT_PATCHES if m == module))
    assert not state and not patches, (
        f"{path.name} changes its module-level {state} and another module's {patches}: pass "
        "them in a context object (alliancekit.grading.context) or explicitly (an environment "
        "to the kernel), or add a process resource to KEPT_STATE with why")


@pytest.mark.parametrize("path", GRADING_SOURCES, ids=lambda p: p.name)
def test_the_grading_wings_module_level_names_are_constants_and_classes(path):
    lower = sorted(n.id for node in GRADING_SOURCES[path].body
                   if isinstance(node, (ast.Assign, ast.AnnAssign))
                   for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
                   for n in ast.walk(target) if isinstance(n, ast.Name)
                   and not n.id.startswith("__") and not n.id.lstrip("_")[:1].isupper())
    assert not lower, (f"{path.name}: module-level {lower} look like state; "
                       "name constants in capitals")


@pytest.mark.parametrize("path", GRADING_SOURCES, ids=lambda p: p.name)
def test_no_grading_class_has_a_mutable_class_level_default(path):
    mutable = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)
    shared = sorted(f"{cls.name}.{getattr(node.target, 'id', '?')}"
                    for cls in ast.walk(GRADING_SOURCES[path]) if isinstance(cls, ast.ClassDef)
                    for node in cls.body if isinstance(node, ast.AnnAssign)
                    and isinstance(node.value, mutable)) + sorted(
        f"{cls.name}.{t.id}" for cls in ast.walk(GRADING_SOURCES[path])
        if isinstance(cls, ast.ClassDef) for node in cls.body if isinstance(node, ast.Assign)
        and isinstance(node.value, mutable) for t in node.targets if isinstance(t, ast.Name))
    assert not shared, f"{path.name}: {shared} are shared by every instance; set them in __init__"


def test_the_grading_rules_see_each_kind_of_change():
    """Each way main's grading code once talked through process state is caught."""
    snippet = ast.parse(
        "import os\n_NOTES = []\n_PROBLEM = {}\n"
        "def f(lock):\n"
        "    from alliancekit.grading import sandbox\n"
        "    _NOTES.append('x')\n    _PROBLEM['answer'] = 1\n"
        "    os.environ['PATH'] = 'bin'\n"
        "    sandbox.GradingExecute.unlock = staticmethod(lock.release)\n"
        "    sandbox.VARIANT_ENV.clear()\n"
        "def g(_NOTES):\n    _NOTES.append('a parameter, not the module list')\n")
    assert grading_changes(snippet) == {
        ("state", "_NOTES"), ("state", "_PROBLEM"), ("patch", "os.environ"),
        ("patch", "sandbox.GradingExecute.unlock"), ("patch", "sandbox.VARIANT_ENV")}


@pytest.mark.parametrize("entry", sorted(KEPT_STATE), ids="/".join)
def test_every_kept_module_value_still_exists(entry):
    module, name = entry
    assert ("state", name) in grading_changes(SOURCES[GRADING / f"{module}.py"]), (
        f"{module}.{name} is no longer changed: drop it from KEPT_STATE")
