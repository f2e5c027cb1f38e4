"""A class on a real JupyterHub: one instructor, three students, the nbgrader exchange end to end.

Real ``jupyterhub`` and ``configurable-http-proxy`` processes on 127.0.0.1, started from
``hub/jupyterhub_config.py``; real Unix users created (and removed) here; every step goes through
the hub's REST API or a user's server (contents API, nbgrader's assignment-list API, a kernel over
the websocket) with that user's own token, as a browser would. The instructor releases ex01; the
students fetch it, answer it (all right, partly, not at all) and submit; the instructor collects,
grades with ``alliancekit-grade`` from a kernel in their own server (so as their Unix user), and
releases feedback; each student fetches their own. Then nobody may see anybody else's work.
In headless Chromium (marker ``browser``), a student logs in on the hub's page and moves lesson
05's erosion explorer, and the instructor opens the Formgrader in its own tab (nbgrader #1870).

Needs Linux, root, npm and Node >= 20 (``tasks.py test`` installs the rest). Skips loudly when
something is missing, except in CI (``CI=true``), where it fails instead.
"""
from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import browser_support as bs  # noqa: E402
from hub_support import Hub, missing_requirements  # noqa: E402

pytestmark = pytest.mark.nbgrader

COURSE = "alliancekit"
SET = "ex01-theory"
ROOT = Path(__file__).resolve().parents[2]
INSTRUCTOR = "akt-teach"
STUDENTS = {"akt-ama": "right", "akt-kofi": "partly", "akt-esi": "blank"}
PARTLY = {"q1-answer", "q4-answer"}  # the questions the "partly" student answers


def _test_points() -> dict[str, float]:
    """Points of each autograded test cell of ex01 (written answers are graded by a person)."""
    nb = nbformat.read(ROOT / "solutions" / SET / f"{SET}.ipynb", as_version=4)
    return {cell.metadata.nbgrader["grade_id"]: float(cell.metadata.nbgrader["points"])
            for cell in nb.cells
            if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade")}


POINTS = _test_points()
EXPECTED_AUTO = {
    "right": sum(POINTS.values()),
    "partly": sum(POINTS[a.replace("-answer", "-tests")] for a in PARTLY),
    "blank": 0.0,
}
# Test-only: lets the browser tests read JupyterLab's state (as test_browser.py does).
# Added to the course configuration's own arguments, never in place of them.
EXPOSE = "c.Spawner.args = [*c.Spawner.args, '--LabApp.expose_app_in_browser=True']\n"


def _write_lab_settings(name: str) -> None:
    """The browser tests' JupyterLab settings (no news checks, every cell drawn, no autosave)."""
    import pwd

    entry = pwd.getpwnam(name)
    jupyter = Path(entry.pw_dir) / ".jupyter"
    for key, value in bs.LAB_SETTINGS.items():
        path = jupyter / "lab" / "user-settings" / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    for parent, _dirs, files in os.walk(jupyter):
        os.chown(parent, entry.pw_uid, entry.pw_gid)
        for file in files:
            os.chown(os.path.join(parent, file), entry.pw_uid, entry.pw_gid)


@pytest.fixture(scope="module")
def hub():
    reason = missing_requirements()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"the JupyterHub test cannot run in CI: {reason}")
        pytest.skip(f"JupyterHub class test skipped: {reason}")
    the_hub = Hub(INSTRUCTOR, list(STUDENTS), extra_config=EXPOSE)
    try:
        the_hub.install()
        for name in [INSTRUCTOR, *STUDENTS]:
            _write_lab_settings(name)
        the_hub.start()
        yield the_hub
    finally:
        the_hub.stop()
        the_hub.remove()


def _solution_code() -> dict[str, str]:
    """The worked answer of each code question of ex01, without nbgrader's markers."""
    nb = nbformat.read(ROOT / "solutions" / SET / f"{SET}.ipynb", as_version=4)
    answers = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("solution"):
            lines = [ln for ln in cell.source.splitlines()
                     if "BEGIN SOLUTION" not in ln and "END SOLUTION" not in ln]
            answers[meta["grade_id"]] = "\n".join(lines)
    return answers


def _answer(notebook: dict, how: str) -> dict:
    solutions = _solution_code()
    for cell in notebook["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in solutions and (how == "right" or (how == "partly" and grade_id in PARTLY)):
            cell["source"] = solutions[grade_id]
    return notebook


@pytest.fixture(scope="module")
def term(hub):
    """One kernel per user, started in their own server: the users' terminals."""
    kernels = {}
    for name in [INSTRUCTOR, *STUDENTS]:
        hub.start_server(name)
        kernels[name] = hub.start_kernel(name)
    return kernels


@pytest.fixture(scope="module")
def released(hub, term):
    """The instructor generates and releases ex01 from a kernel in their server."""
    for command in (["nbgrader", "generate_assignment", SET, "--force"],
                    ["nbgrader", "release_assignment", SET]):
        result = hub.shell(INSTRUCTOR, term[INSTRUCTOR], command, cwd=f"~/{COURSE}")
        assert result["code"] == 0, result["err"][-2000:]
    return True


def _assignments(hub, name):
    reply = hub.server(name, "GET", "/assignments", params={"course_id": COURSE})
    reply.raise_for_status()
    body = reply.json()
    assert body["success"], body["value"]
    return body["value"]


@pytest.fixture(scope="module")
def submitted(hub, released):
    """Each student lists, fetches, answers (through the contents API) and submits ex01."""
    listed = {}
    for name, how in STUDENTS.items():
        listed[name] = _assignments(hub, name)
        reply = hub.server(name, "POST", "/assignments/fetch",
                           data={"course_id": COURSE, "assignment_id": SET})
        reply.raise_for_status()
        path = f"/api/contents/{COURSE}/{SET}/{SET}.ipynb"
        notebook = hub.server(name, "GET", path).json()["content"]
        notebook = _answer(notebook, how)
        reply = hub.server(name, "PUT", path,
                           json={"type": "notebook", "format": "json", "content": notebook})
        reply.raise_for_status()
        reply = hub.server(name, "POST", "/assignments/submit",
                           data={"course_id": COURSE, "assignment_id": SET})
        reply.raise_for_status()
        assert not (isinstance(reply.json(), dict) and reply.json().get("success") is False), \
            reply.json()
    return listed


@pytest.fixture(scope="module")
def graded(hub, term, submitted):
    """The instructor collects, grades with alliancekit-grade, and releases feedback."""
    outputs = {}
    for command in (["nbgrader", "collect", SET],
                    ["alliancekit-grade", SET, "--no-progress"],
                    ["nbgrader", "generate_feedback", SET],
                    ["nbgrader", "release_feedback", SET]):
        result = hub.shell(INSTRUCTOR, term[INSTRUCTOR], command, cwd=f"~/{COURSE}")
        outputs[command[0] + " " + command[1]] = result
        assert result["code"] == 0, (command, result["out"][-2000:], result["err"][-3000:])
    return outputs


@pytest.fixture(scope="module")
def feedback(hub, graded):
    """Each student fetches their feedback; returns the text of each one's feedback page."""
    pages = {}
    for name in STUDENTS:
        reply = hub.server(name, "POST", "/assignments/fetch_feedback",
                           data={"course_id": COURSE, "assignment_id": SET})
        reply.raise_for_status()
        folder = hub.server(name, "GET", f"/api/contents/{COURSE}/{SET}/feedback").json()
        stamps = [item["path"] for item in folder["content"] if item["type"] == "directory"]
        assert stamps, f"{name} has no feedback folder"
        page = hub.server(name, "GET", f"/api/contents/{stamps[0]}/{SET}.html",
                          params={"type": "file", "format": "text"})
        page.raise_for_status()
        pages[name] = page.json()["content"]
    return pages


GRADEBOOK_CODE = """
import json
from nbgrader.api import Gradebook
with Gradebook("sqlite:///" + __import__("os").path.expanduser("~/alliancekit/gradebook.db")) as gb:
    rows = {}
    for sub in gb.assignment_submissions("ex01-theory"):
        auto = sum(g.score for nb in sub.notebooks for g in nb.grades
                   if g.cell.cell_type == "code")
        rows[sub.student.id] = {"auto": auto, "max": sub.max_score}
print(json.dumps(rows))
"""


# ---- the round trip --------------------------------------------------------------------------
def test_each_student_lists_the_released_set(submitted):
    for name, listing in submitted.items():
        released = [a for a in listing if a["assignment_id"] == SET and a["status"] == "released"]
        assert released, f"{name} does not see {SET} as released: {listing}"


def test_grading_runs_as_the_instructor_in_their_own_server(hub, term, graded):
    who = hub.shell(INSTRUCTOR, term[INSTRUCTOR], ["id", "-un"])
    assert who["out"].strip() == INSTRUCTOR
    report = graded["alliancekit-grade ex01-theory"]["out"]
    for name in STUDENTS:
        assert name in report


def test_gradebook_holds_three_distinct_students_with_the_right_scores(hub, term, graded):
    result = hub.execute(INSTRUCTOR, term[INSTRUCTOR], GRADEBOOK_CODE)
    assert result["error"] is None, result
    rows = json.loads(result["stdout"].strip().splitlines()[-1])
    assert set(rows) == set(STUDENTS)
    for name, how in STUDENTS.items():
        assert rows[name]["auto"] == pytest.approx(EXPECTED_AUTO[how]), (name, rows[name])


def test_each_student_fetches_their_own_feedback(hub, term, feedback):
    result = hub.execute(INSTRUCTOR, term[INSTRUCTOR], GRADEBOOK_CODE)
    rows = json.loads(result["stdout"].strip().splitlines()[-1])
    for name, page in feedback.items():
        match = re.search(r"Score:\s*([0-9.]+)\s*/\s*([0-9.]+)", page)
        assert match, f"no score in the feedback page of {name}"
        # the page's total includes the written answers, which nobody has graded yet (0)
        assert float(match.group(1)) == pytest.approx(rows[name]["auto"])


# ---- nobody sees anybody else's work ---------------------------------------------------------
PROBE_CODE = """
import json, os
def probe(path):
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            open(path, "rb").read(1)
        return "allowed"
    except PermissionError:
        return "denied"
    except FileNotFoundError:
        return "missing"
print(json.dumps({p: probe(p) for p in %r}))
"""


def _private_paths(hub, student: str) -> list[str]:
    others = [s for s in STUDENTS if s != student]
    course = f"/home/{INSTRUCTOR}/{COURSE}"
    return [f"/home/{INSTRUCTOR}", course, f"{course}/solutions", f"{course}/gradebook.db",
            f"{course}/submitted", f"{course}/feedback",
            f"{hub.exchange}/{COURSE}/inbound", f"{hub.exchange}/{COURSE}/feedback",
            str(hub.prefix / "instructor"),
            *[f"/home/{o}" for o in others], *[f"/home/{o}/{SET}" for o in others]]


def test_no_student_can_read_others_work_from_a_kernel(hub, term, feedback):
    for student in STUDENTS:
        paths = _private_paths(hub, student)
        result = hub.execute(student, term[student], PROBE_CODE % (paths,))
        assert result["error"] is None, result
        seen = json.loads(result["stdout"].strip().splitlines()[-1])
        allowed = {path: how for path, how in seen.items() if how == "allowed"}
        assert not allowed, f"{student} can read {sorted(allowed)}"
        assert seen[f"/home/{INSTRUCTOR}/{COURSE}/solutions"] == "denied"


def test_no_student_can_read_others_work_through_the_contents_api(hub, feedback):
    for student in STUDENTS:
        other = next(s for s in STUDENTS if s != student)
        for path in (f"../{other}/{SET}", f"../{INSTRUCTOR}/{COURSE}/gradebook.db",
                     f"../../{hub.exchange}/{COURSE}/inbound"):
            reply = hub.server(student, "GET", f"/api/contents/{path}")
            assert reply.status_code in (403, 404), (student, path, reply.status_code)
        # nor through the other student's server, nor the course's Formgrader service
        token = hub.token_for(student)
        reply = hub.server(other, "GET", f"/api/contents/{SET}", token=token)
        assert reply.status_code == 403, (student, other, reply.status_code)
        reply = hub.server(other, "GET", "/api/contents", token=token)
        assert reply.status_code == 403
        service = hub.service("GET", "/api/contents", token=token)
        assert service.status_code == 403, service.status_code


def test_a_students_server_serves_no_instructor_page_but_keeps_the_assignment_list(hub):
    student = next(iter(STUDENTS))
    for url in ("/formgrader", "/formgrader/api/assignments", "/formgraders"):
        assert hub.server(student, "GET", url).status_code == 404, (student, url)
    assert hub.server(student, "GET", "/courses").status_code != 404  # nbgrader's assignment_list
    assert hub.server(INSTRUCTOR, "GET", "/formgraders").status_code != 404


def test_the_instructor_reaches_the_course_service(hub):
    token = hub.token_for(INSTRUCTOR)
    reply = hub.service("GET", "/api/contents/solutions", token=token)
    assert reply.status_code == 200, reply.status_code
    assert any(item["name"] == SET for item in reply.json()["content"])


# ---- the shared set-up ------------------------------------------------------------------------
LIMITS_CODE = """
import json
groups = dict(line.split(":", 2)[1:] for line in open("/proc/self/cgroup").read().splitlines())
base = "/sys/fs/cgroup"
out = {}
if "memory" in groups:
    out["memory"] = int(open(f"{base}/memory{groups['memory']}/memory.limit_in_bytes").read())
    out["cpu_quota"] = int(open(f"{base}/cpu{groups['cpu']}/cpu.cfs_quota_us").read())
    out["cpu_period"] = int(open(f"{base}/cpu{groups['cpu']}/cpu.cfs_period_us").read())
else:
    out["memory"] = int(open(f"{base}{groups['']}/memory.max").read())
    quota, period = open(f"{base}{groups['']}/cpu.max").read().split()
    out["cpu_quota"], out["cpu_period"] = int(quota), int(period)
print(json.dumps(out))
"""


def test_every_server_runs_under_its_memory_and_cpu_limits(hub, term):
    for name in [INSTRUCTOR, *STUDENTS]:
        result = hub.execute(name, term[name], LIMITS_CODE)
        assert result["error"] is None, result
        limits = json.loads(result["stdout"].strip().splitlines()[-1])
        assert limits["memory"] == 1024**3, (name, limits)
        assert limits["cpu_quota"] == limits["cpu_period"], (name, limits)  # one core


TRANSPORT_CODE = """
import json
from ipykernel.connect import get_connection_info
print(json.loads(get_connection_info())["transport"])
"""


def test_kernels_use_unix_sockets_so_classmates_cannot_collide_on_ports(hub, term):
    for name in [INSTRUCTOR, *STUDENTS]:
        result = hub.execute(name, term[name], TRANSPORT_CODE)
        assert result["error"] is None, result
        assert result["stdout"].strip() == "ipc", (name, result)


def test_every_user_has_the_lessons_and_the_library(hub, term):
    for name in STUDENTS:
        listing = hub.server(name, "GET", "/api/contents/lessons").json()
        names = {item["name"] for item in listing["content"]}
        assert "05-erosion.ipynb" in names
        result = hub.execute(name, term[name], "import alliancekit, os; print(os.getuid() != 0)")
        assert result["stdout"].strip() == "True", result


# ---- in a real browser, through the hub --------------------------------------------------------
BROWSER_STUDENT = "akt-ama"


@pytest.fixture(scope="module")
def browser(hub):
    reason = bs.chromium_missing_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"the hub browser tests cannot run in CI: {reason}")
        pytest.skip(f"hub browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = bs.launch_chromium(playwright)
        yield chromium
        chromium.close()


def _log_in(browser, hub, name: str):
    blocked: list[str] = []
    page = bs.new_offline_page(browser, blocked)
    page.goto(f"{hub.url}/hub/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", hub.password)
    page.click("input[type=submit], button[type=submit]")
    return page, blocked


@pytest.mark.browser
def test_a_student_moves_the_erosion_explorer_in_lesson_05(browser, hub):
    page, blocked = _log_in(browser, hub, BROWSER_STUDENT)
    page.wait_for_url(f"**/user/{BROWSER_STUDENT}/lab**", timeout=180_000)
    page.goto(f"{hub.url}/user/{BROWSER_STUDENT}/lab/tree/lessons/05-erosion.ipynb?reset")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=90_000)
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=90_000)
    bs.wait_kernel_idle(page, timeout=120)
    bs.run_all(page, timeout=240)
    report = bs.notebook_report(page)
    assert not report["errors"], report["errors"]
    cell = page.locator(".jp-Cell", has=page.locator(".widget-slider")).first
    before = cell.inner_text()
    handle = cell.locator(".widget-slider .noUi-handle").first
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        """([el, before]) => el.innerText !== before""", arg=[cell.element_handle(), before],
        timeout=60_000)
    bs.wait_kernel_idle(page)
    assert cell.inner_text() != before
    assert not blocked, f"requests left the machine: {blocked[:5]}"
    page.context.close()


@pytest.mark.browser
def test_the_instructor_opens_the_formgrader_in_its_own_tab(browser, hub):
    page, blocked = _log_in(browser, hub, INSTRUCTOR)
    page.wait_for_url(f"**/user/{INSTRUCTOR}/lab**", timeout=180_000)
    for url in (f"{hub.url}/services/alliancekit/formgrader",      # the course service (TAs)
                f"{hub.url}/user/{INSTRUCTOR}/formgrader"):       # the instructor's own server
        response = page.goto(url)
        page.wait_for_selector("text=ex01-theory", timeout=90_000)
        assert page.locator("text=ex07-managing").count() >= 1
        # The workaround keeps the hub's protection: the page still refuses to be framed.
        csp = response.headers.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in csp, csp
    assert not blocked, f"requests left the machine: {blocked[:5]}"
    page.context.close()


def test_everything_stops_by_pid_and_the_users_are_removed(hub, feedback):
    import pwd

    forced = hub.stop()
    assert not [f for f in forced if f.startswith(("jupyterhub", "configurable"))], forced
    hub.remove()
    for name in [INSTRUCTOR, *STUDENTS]:
        with pytest.raises(KeyError):
            pwd.getpwnam(name)
