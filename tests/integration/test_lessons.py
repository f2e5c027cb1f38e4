"""The lessons in course/: clean when committed, complete, and runnable top to bottom offline.

Executing tests carry the ``notebooks`` marker (``pytest -m "not notebooks"`` skips them). Each
lesson is executed once per session, in a fresh kernel with its folder as working directory, and
the executed copy is shared by the tests that need it.
"""
from __future__ import annotations

import copy
import re
import subprocess
from pathlib import Path

import nbformat
import pytest
from nbconvert import HTMLExporter
from nbrun import run_notebook

ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "course"
#: The lesson names and the graded exercise each one points to.
LESSONS = {
    "00-welcome": None,
    "01-theory": "ex01-theory",
    "02-patterns": "ex02-patterns",
    "03-europe": "ex03-europe",
    "04-little-entente": "ex04-little-entente",
    "05-erosion": "ex05-erosion",
    "06-small-powers": "ex06-small-powers",
    "07-managing": "ex07-managing",
    "08-conclusion": None,
    "09-evidence": "ex09-evidence",
    "10-landscape-1936": "ex10-landscape",
}
VEGALITE = "application/vnd.vegalite.v5+json"
SVG = "image/svg+xml"


def _found() -> list[Path]:
    return sorted(COURSE.glob("[0-9][0-9]-*.ipynb")) if COURSE.is_dir() else []


PATHS = _found()
IDS = [p.stem for p in PATHS]
WITH_EXERCISE = [p for p in PATHS if LESSONS.get(p.stem)]


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


_EXECUTED: dict[Path, nbformat.NotebookNode] = {}


def executed(path: Path) -> nbformat.NotebookNode:
    """The lesson run top to bottom in a fresh kernel (once per session)."""
    if path not in _EXECUTED:
        _EXECUTED[path] = run_notebook(path)
    return _EXECUTED[path]


# ------------------------------------------------------------------ the course as a whole
def test_course_has_exactly_the_listed_lessons():
    assert sorted(p.stem for p in PATHS) == sorted(LESSONS)


# ------------------------------------------------------------------ committed notebooks
def _committed(path: Path) -> nbformat.NotebookNode:
    """The lesson as git's index holds it (what a commit records); the file outside a checkout.

    A student's run lesson keeps its outputs on disk, and the nbstripout filter that
    ``tasks.py course`` installs keeps them out of git; the index is what must stay clean.
    """
    rel = path.relative_to(ROOT).as_posix()
    try:
        shown = subprocess.run(["git", "show", f":{rel}"], cwd=ROOT, capture_output=True,
                               timeout=60)
    except OSError:  # no git: a source archive, not a checkout
        return _read(path)
    if shown.returncode != 0:
        return _read(path)
    return nbformat.reads(shown.stdout.decode("utf-8"), as_version=4)


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_committed_lesson_has_no_outputs_or_execution_counts(path):
    dirty = [i for i, cell in enumerate(_committed(path).cells) if cell.cell_type == "code"
             and (cell.get("outputs") or cell.get("execution_count") is not None)]
    assert not dirty, (f"{path.name}: cells {dirty} carry outputs or execution counts in git's "
                       "index; run `python3 tasks.py course` once (it installs the nbstripout "
                       f"filter), then `git add --renormalize {path.relative_to(ROOT)}`")


def _lesson_filter_keys() -> list[str]:
    """The metadata keys the lesson filter of ``tasks.py course`` drops (nbstripout's defaults
    and the extra keys its command line names)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("tasks_for_lessons", ROOT / "tasks.py")
    tasks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tasks)
    words = tasks.LESSON_FILTER.split()
    extra = words[words.index("--extra-keys") + 1].split() if "--extra-keys" in words else []
    return ["metadata.signature", "metadata.widgets", "cell.metadata.collapsed",
            "cell.metadata.ExecuteTime", "cell.metadata.execution",
            "cell.metadata.heading_collapsed", "cell.metadata.hidden", "cell.metadata.scrolled",
            *extra]


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_committed_lesson_is_already_in_the_git_filters_form(path):
    """The nbstripout filter changes nothing in a committed lesson, and the kernel's name is the
    one JupyterLab writes back on save: otherwise a lesson would show as changed after a run."""
    from nbstripout import strip_output

    committed = _committed(path)
    stripped = strip_output(copy.deepcopy(committed), keep_output=False, keep_count=False,
                            keep_id=True, extra_keys=_lesson_filter_keys())
    assert stripped == committed, f"{path.name}: run `git add --renormalize {path.name}`"
    assert committed.metadata.kernelspec == {"display_name": "Python 3 (ipykernel)",
                                             "language": "python", "name": "python3"}


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_committed_lesson_is_a_valid_notebook(path):
    nbformat.validate(_read(path))


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_lesson_opens_with_learning_objectives(path):
    cells = _read(path).cells
    first_code = next((i for i, c in enumerate(cells) if c.cell_type == "code"), len(cells))
    opening = "\n".join(c.source for c in cells[:first_code] if c.cell_type == "markdown")
    assert re.search(r"learning objectives", opening, re.IGNORECASE), \
        f"{path.name}: no 'Learning objectives' before the first code cell"


@pytest.mark.parametrize("path", WITH_EXERCISE, ids=lambda p: p.stem)
def test_lesson_links_its_exercise(path):
    exercise = LESSONS[path.stem]
    text = "\n".join(c.source for c in _read(path).cells if c.cell_type == "markdown")
    assert exercise in text, f"{path.name}: no pointer to its exercise {exercise}"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_lesson_uses_an_explorer(path):
    code = "\n".join(c.source for c in _read(path).cells if c.cell_type == "code")
    assert re.search(r"widgets\.\w+_explorer\(", code), f"{path.name}: no explorer"


# ------------------------------------------------------------------ executed notebooks
@pytest.mark.notebooks
@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_lesson_runs_top_to_bottom_without_error(path):
    nb = executed(path)                      # raises CellExecutionError on the first error
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors


def _chart_outputs(nb) -> tuple[list, int]:
    """Top-level chart outputs and explorer snapshots of an executed notebook."""
    charts, snapshots = [], 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if VEGALITE in data:
                charts.append(data)
            if "ak-snapshot" in data.get("text/html", ""):
                snapshots += 1
    return charts, snapshots


@pytest.mark.notebooks
@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_every_chart_output_carries_an_offline_svg(path):
    charts, _ = _chart_outputs(executed(path))
    assert all(SVG in data and data[SVG].lstrip().startswith("<svg") for data in charts)


@pytest.mark.notebooks
@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_every_lesson_draws_at_least_one_chart(path):
    """DESIGN, section 2: each lesson has at least one chart (an explorer's snapshot counts)."""
    charts, snapshots = _chart_outputs(executed(path))
    assert charts or snapshots, f"{path.name} draws no chart"


@pytest.mark.notebooks
@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_lesson_exported_to_html_contains_the_svg_of_its_charts(path):
    nb = executed(path)
    charts, snapshots = _chart_outputs(nb)
    body, _ = HTMLExporter().from_notebook_node(nb)
    static_svgs = body.count(f'data-mime-type="{SVG}"')
    # vl-convert's root element: <svg xmlns=... class="marks" ... role="img" aria-label=...>
    inline_svgs = len(re.findall(r'<svg\b[^>]*\bclass="marks"', body))
    assert static_svgs >= len(charts), f"{path.name}: a chart has no SVG in the HTML export"
    assert inline_svgs >= snapshots, f"{path.name}: an explorer has no snapshot in the export"


# ------------------------------------------------------------------ what a student reads
#: numpy scalars and arrays shown as reprs (``np.float64(7.37)``, ``array([...])``, ``dtype=``)
NUMPY_REPR = re.compile(r"\bnp\.(?:float|int|uint|bool|str)\w*\(|\barray\(\[|\bdtype[=:]")
#: binary float noise (0.22930000000000003, 0.19999999999) or more decimals than anyone reads
FLOAT_NOISE = re.compile(r"\d\.\d*?(?:0{6,}|9{6,})\d|(?<![\d.])\d+\.\d{9,}(?!\d)")
#: codes that belong in the data, not in sentences: ATOP's obligation abbreviations, the data's
#: snake_case categories, and dataclass reprs such as ``MemberMargin(help=0.08...)``
RAW_CODE = re.compile(
    r"\b(?:consul|nonagg|lost_independence|in_force|external_shock|domestic_politics|"
    r"power_asymmetry|signalling_perception|formal_alliance|informal_entente|"
    r"regional_organisation)\b|\b[A-Z]\w+\((?:[a-z_]+=)")


def _plain_text(markup: str) -> str:
    markup = re.sub(r"<svg.*?</svg>|<style.*?</style>", " ", markup, flags=re.S)
    return re.sub(r"<[^>]+>", " ", markup)


def reader_texts(nb) -> list[tuple[int, str, str]]:
    """(cell index, kind, text) of what a student reads in an executed notebook's outputs.

    kind is ``"text"`` for printed text, plain reprs and explorer snapshots (sentences and
    values), ``"table"`` for HTML tables (data, where the data's own codes are allowed).
    """
    found = []
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                found.append((index, "text", out.text))
                continue
            data = out.get("data", {})
            markup = data.get("text/html", "")
            if "ak-snapshot" in markup:
                found.append((index, "text", _plain_text(markup.split("<details>")[0])))
                found.append((index, "table", _plain_text(markup)))
            elif "<table" in markup:
                found.append((index, "table", _plain_text(markup)))
            elif "text/plain" in data and not any(k.startswith(("application/vnd.vegalite",
                                                                  "application/vnd.jupyter"))
                                                  for k in data):
                found.append((index, "text", data["text/plain"]))
    return found


def output_problems(nb) -> list[str]:
    """Numpy reprs, float noise and raw codes in what a student reads (one line each)."""
    problems = []
    for index, kind, text in reader_texts(nb):
        checks = [("numpy repr", NUMPY_REPR), ("float noise", FLOAT_NOISE)]
        if kind == "text":
            checks.append(("raw code", RAW_CODE))
        for label, pattern in checks:
            for match in pattern.finditer(text):
                start = max(0, match.start() - 40)
                problems.append(f"cell {index}: {label} {match.group(0)!r} in "
                                f"...{text[start:match.end() + 40]!r}")
    return problems


@pytest.mark.parametrize("text", ["np.float64(7.3757)", "0.22930000000000003", "np.int64(1933)",
                                  "MemberMargin(help=0.0817499)", "obligations: consul",
                                  "array([1, 2])", "0.1999999999999"])
def test_output_scan_catches_what_a_student_should_not_read(text):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x")])
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    assert output_problems(nb)


@pytest.mark.parametrize("text", ["median 7.4 years", "In 1933: 42.1%", "margin +0.177",
                                  "Italy leaves the Triple Alliance (defected)", "0.25"])
def test_output_scan_lets_readable_values_through(text):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x")])
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    assert output_problems(nb) == []


@pytest.mark.notebooks
@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_outputs_show_no_numpy_repr_float_noise_or_raw_code(path):
    problems = output_problems(executed(path))
    assert not problems, f"{path.name}: format these for people:\n" + "\n".join(problems)


@pytest.mark.notebooks
@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_every_chart_labels_each_axis_tick_and_category_once(path):
    from label_check import label_problems

    problems = []
    for index, cell in enumerate(executed(path).cells):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            svgs = [data[SVG]] if SVG in data else []
            svgs += re.findall(r"<svg.*?</svg>", data.get("text/html", ""), flags=re.S)
            for k, svg in enumerate(svgs):
                problems += label_problems(svg, f"cell {index} chart {k}")
    assert not problems, f"{path.name}: labels missing or repeated:\n" + "\n".join(problems)
