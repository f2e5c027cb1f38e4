"""What grading views show of a submission carries no script, and feedback only the verdicts.

Specification of ``alliancekit.grading.sanitise`` (markup) and of the feedback filter
``alliancekit.grading.feedback.StudentView`` (what a student may see). The browser proof, on pages
Chromium really renders, is tests/integration/test_grading_view_browser.py.
"""
from __future__ import annotations

import base64
from html.parser import HTMLParser

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

from alliancekit.grading import feedback, sanitise

# Payloads an attacker would try, obfuscated ones included.
XSS = [
    "<script>document.title='pwned'</script>",
    "<ScRiPt>document.title='pwned'</sCrIpT>",
    "<script src=http://127.0.0.1:9/x.js></script>",
    "<img src=x onerror=\"document.title='pwned'\">",
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<img src=x onerror=&#97;lert(1)>",
    "<img src=\"x\" onerror=\"alert(1)\"//",
    "<img/src=x/onerror=alert(1)>",
    "<img src=`x` onerror=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>",
    "<svg><animate attributeName=href values=javascript:alert(1) /></svg>",
    "<svg><set attributeName=onmouseover to=alert(1) /></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "<a href=\"java&#x09;script:alert(1)\">x</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
    "<a href=\" \x01javascript:alert(1)\">x</a>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
    "<a href=\"/formgrader/api/grade/1\">x</a>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<object data=\"data:text/html,<script>alert(1)</script>\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<form action=\"javascript:alert(1)\"><button>go</button></form>",
    "<button formaction=\"javascript:alert(1)\">go</button>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<link rel=stylesheet href=\"http://127.0.0.1:9/x.css\">",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<div style=\"width: expression(alert(1))\">x</div>",
    "<style>@import 'http://127.0.0.1:9/x.css'; body{background:url(javascript:alert(1))}</style>",
    "<p id=\"submission_id\" name=\"score\" class=\"score tabbable\">clobber</p>",
    "<img src=\"http://127.0.0.1:9/ping.png\">",
    "<video><source onerror=\"alert(1)\"></video>",
    "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<template><script>alert(1)</script></template>",
    "<a href=\"#ok\" onmouseover=\"alert(1)\">x</a>",
    "<table background=\"javascript:alert(1)\"><tr><td>x</td></tr></table>",
]

SCRIPT_TAGS = {"script", "iframe", "object", "embed", "form", "input", "button", "meta", "base",
               "link", "style", "svg", "math", "foreignobject", "animate", "set", "template",
               "frame", "frameset", "applet", "noscript", "textarea", "select", "video", "audio",
               "source", "image", "use"}


class _Audit(HTMLParser):
    """Every way a fragment could run script or make a request, as an HTML parser reads it."""

    def __init__(self, *, svg: bool = False):
        super().__init__(convert_charrefs=True)
        self.svg = svg
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        allowed = sanitise._SVG_TAGS if self.svg else set()
        if tag in SCRIPT_TAGS and tag not in {t.lower() for t in allowed}:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc", "formaction", "action",
                                                 "background", "id", "name", "class"):
                self.problems.append(f"{tag} {name}")
            if name in ("href", "src", "xlink:href", "data", "poster", "cite") and not (
                    sanitise.safe_url(value or "", image=(tag == "img"))):
                self.problems.append(f"{tag} {name}={value!r}")

    handle_startendtag = handle_starttag


def problems(html: str, *, svg: bool = False) -> list[str]:
    audit = _Audit(svg=svg)
    audit.feed(html)
    audit.close()
    return audit.problems


# --------------------------------------------------------------------------------------------
# HTML, SVG and addresses
# --------------------------------------------------------------------------------------------
def test_the_audit_itself_sees_the_payloads():
    # Python's parser reads these two differently from a browser; the browser tests cover them.
    missed = [p for p in XSS if not problems(p)]
    assert missed == ['<img src="x" onerror="alert(1)"//',
                      "<scr<script>ipt>alert(1)</scr</script>ipt>"]


@pytest.mark.parametrize("payload", XSS)
def test_clean_html_leaves_no_way_to_run_script(payload):
    cleaned = sanitise.clean_html(payload)
    assert problems(cleaned) == []
    assert "javascript" not in cleaned.lower() or "<" not in cleaned.split("javascript")[0][-1:]


@pytest.mark.parametrize("payload", XSS)
def test_cleaning_twice_changes_nothing(payload):
    once = sanitise.clean_html(payload)
    assert sanitise.clean_html(once) == once


def test_clean_html_keeps_ordinary_tables_and_text():
    table = ("<table><thead><tr><th>state</th></tr></thead><tbody><tr><td>Romania</td></tr>"
             "</tbody></table><p><b>bold</b> and <a href=\"https://atop.rice.edu\">ATOP</a></p>")
    cleaned = sanitise.clean_html(table)
    assert "<td>Romania</td>" in cleaned and 'href="https://atop.rice.edu"' in cleaned


@pytest.mark.parametrize("payload", [p for p in XSS if "svg" in p.lower()] + [
    "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'><rect width='5'/></svg>",
    "<?xml version='1.0'?><!DOCTYPE svg><svg><image href='http://127.0.0.1:9/x'/></svg>",
    "<svg><use href='data:image/svg+xml,<svg onload=alert(1)>'/></svg>",
    "<svg><style>rect{fill:url(http://127.0.0.1:9/x)}</style></svg>",
])
def test_clean_svg_keeps_no_script_or_address(payload):
    cleaned = sanitise.clean_svg(payload)
    assert problems(cleaned, svg=True) == []
    assert "javascript" not in cleaned.lower() and "127.0.0.1" not in cleaned


def test_a_chart_svg_keeps_its_shapes_and_text():
    import vl_convert

    spec = {"data": {"values": [{"a": "x", "b": 2}, {"a": "y", "b": 3}]}, "mark": "bar",
            "encoding": {"x": {"field": "a", "type": "nominal"},
                         "y": {"field": "b", "type": "quantitative"}}}
    svg = vl_convert.vegalite_to_svg(spec)
    cleaned = sanitise.clean_svg(svg)
    assert cleaned.startswith("<svg ") and 'xmlns="http://www.w3.org/2000/svg"' in cleaned
    assert cleaned.count("<path") == svg.count("<path") and ">b</text>" in cleaned
    import xml.dom.minidom

    xml.dom.minidom.parseString(cleaned)  # JupyterLab shows SVG as an image: it must be XML


@pytest.mark.parametrize("url,link,image", [
    ("https://example.org", True, False), ("mailto:a@b.c", True, False), ("#q1", True, False),
    ("javascript:alert(1)", False, False), ("  JAVASCRIPT:alert(1)", False, False),
    ("java\tscript:alert(1)", False, False), ("\x00javascript:alert(1)", False, False),
    ("vbscript:x", False, False), ("data:text/html,x", False, False),
    ("/formgrader/api/x", False, False), ("solutions/ex01.ipynb", False, False),
    ("data:image/png;base64,AAAA", False, True), ("attachment:fig.png", False, True),
    ("data:image/svg+xml;base64,AAAA", False, False), ("http://127.0.0.1:9/x.png", True, False),
])
def test_safe_url(url, link, image):
    assert sanitise.safe_url(url) is link
    assert sanitise.safe_url(url, image=True) is image


_TAGS = st.sampled_from(["script", "ScRiPt", "img", "IMG", "svg", "a", "iframe", "div", "p",
                         "b", "object", "embed", "form", "meta", "base", "style", "math", "table",
                         "td", "details", "input", "foreignObject", "animate", "scr<script>ipt"])
_ATTRS = st.sampled_from(["onerror", "OnLoad", "onmouseover", "href", "src", "xlink:href",
                          "style", "srcdoc", "formaction", "action", "id", "class", "title",
                          "http-equiv", "content", "data", "ontoggle"])
_VALUES = st.sampled_from(["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java&#x09;script:x",
                           "&#106;avascript:x", "alert(1)", "x", "data:text/html,<script>x",
                           "url(javascript:x)", "vbscript:x", "https://ok.example", "#a",
                           "\" onerror=\"alert(1)", "0;url=javascript:x", "<script>x</script>"])


@st.composite
def _fragments(draw):
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        tag = draw(_TAGS)
        attrs = " ".join(f"{draw(_ATTRS)}={draw(st.sampled_from(['', chr(34), chr(39)]))}"
                         f"{draw(_VALUES)}" for _ in range(draw(st.integers(0, 3))))
        close = draw(st.sampled_from([">", "/>", "", " "]))
        inner = draw(st.sampled_from(["", "text", "alert(1)", "<b>x</b>"]))
        end = draw(st.sampled_from([f"</{tag}>", "", f"</{tag.upper()}>"]))
        parts.append(f"<{tag} {attrs}{close}{inner}{end}")
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(_fragments())
def test_any_mixture_of_tags_and_attributes_comes_out_clean(fragment):
    cleaned = sanitise.clean_html(fragment)
    assert problems(cleaned) == []
    assert sanitise.clean_html(cleaned) == cleaned


@settings(max_examples=200, deadline=None)
@given(_fragments())
def test_any_mixture_comes_out_clean_as_svg_too(fragment):
    assert problems(sanitise.clean_svg(f"<svg>{fragment}</svg>"), svg=True) == []


# --------------------------------------------------------------------------------------------
# Markdown (written answers)
# --------------------------------------------------------------------------------------------
_PLAIN = st.text(alphabet=st.characters(blacklist_characters="<", blacklist_categories=("Cs",)),
                 max_size=200)


@settings(max_examples=200, deadline=None)
@given(_PLAIN, st.sampled_from(["https://atop.rice.edu", "#q1", "mailto:t@example.org"]))
def test_an_answer_without_markup_is_kept_exactly(text, url):
    answer = f"{text}\n\nSee [the data]({url}) and $m_i < 0$ or `a < b`."
    kept, changed = sanitise.clean_markdown(answer)
    assert (kept, changed) == (answer, False)


@pytest.mark.parametrize("payload", XSS + [
    "[x](javascript:alert(1))", "[x](JAVASCRIPT:alert(1))", "[x](java&#115;cript:alert(1))",
    "[x][r]\n\n[r]: javascript:alert(1)", "<javascript:alert(1)>", "![i](http://127.0.0.1:9/p)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "Answer\n\n<div>\n\n<img src=x onerror=alert(1)>\n\n</div>",
    "    <script>alert(1)</script>\n\n<script>alert(2)</script>",
])
def test_markup_in_an_answer_is_sanitised_as_nbconvert_renders_it(payload):
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    kept, changed = sanitise.clean_markdown(payload)
    assert changed and kept.startswith(sanitise.MARKDOWN_NOTE)
    assert problems(markdown2html_mistune(kept)) == []
    assert sanitise.clean_markdown(kept) == (kept, False)  # stable: a second pass adds nothing


@settings(max_examples=150, deadline=None)
@given(_fragments(), _PLAIN)
def test_any_markup_in_an_answer_renders_clean(fragment, text):
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    kept, _ = sanitise.clean_markdown(f"{text}\n\n{fragment}\n\n{text}")
    assert problems(markdown2html_mistune(kept)) == []


# --------------------------------------------------------------------------------------------
# Whole notebooks
# --------------------------------------------------------------------------------------------
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\nfake").decode()


def _hostile_notebook():
    nb = new_notebook(metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "title": "</title><script>alert(1)</script>",
        "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}},
    })
    code = new_code_cell("x = 1", metadata={
        "tags": ["ok-tag", "x\" onmouseover=\"alert(1)"],
        "nbgrader": {"grade_id": "q1-answer", "solution": True, "grade": False,
                     "evil": "\"><script>alert(1)</script>"},
        "jupyter": {"outputs_hidden": False}, "vscode": {"x": "<script>"}})
    code.outputs = [
        new_output("display_data", data={"application/javascript": "document.title='pwned'",
                                         "text/plain": "<IPython.core.display.Javascript>"}),
        new_output("display_data", data={"text/html": "<b>ok</b><script>alert(1)</script>"}),
        new_output("display_data", data={
            "application/vnd.jupyter.widget-view+json": {"model_id": "x", "version_major": 2}}),
        new_output("display_data", data={"image/svg+xml": "<svg onload='alert(1)'><rect/></svg>",
                                         "application/vnd.vegalite.v5+json": {}}),
        new_output("display_data", data={"image/png": PNG},
                   metadata={"image/png": {"width": "1 onerror=alert(1)", "height": 20}}),
        new_output("display_data", data={"image/png": "x\" onerror=\"alert(1)"}),
        new_output("execute_result", data={"text/markdown": "<img src=x onerror=alert(1)>"},
                   execution_count=3),
        new_output("stream", name="stdout", text="<script>alert(1)</script> printed"),
    ]
    written = new_markdown_cell("My answer <svg onload=alert(1)>", attachments={
        "a.png": {"image/png": PNG}, "b.html": {"text/html": "<script>alert(1)</script>"}})
    raw = new_raw_cell("<script>alert(1)</script>", metadata={"format": "text/html"})
    return new_notebook(cells=[code, written, raw], metadata=nb.metadata)


def test_a_hostile_notebook_keeps_nothing_that_runs_script():
    nb = _hostile_notebook()
    notes = sanitise.sanitise_notebook(nb)
    nb.cells[0].outputs.pop()  # the printed text, which every view shows escaped
    text = nbformat.writes(nb)
    assert "<script" not in text and "onload" not in text and "onerror" not in text
    mimes = {m for o in nb.cells[0].outputs for m in o.get("data", {})}
    assert "onmouseover" not in text and "title" not in nb.metadata and "widgets" not in nb.metadata
    assert mimes <= {"text/plain", "text/html", "text/markdown", "image/svg+xml", "image/png"}
    nbformat.validate(nb)
    assert any("application/javascript" in n for n in notes)


def test_what_is_safe_survives_sanitising():
    nb = _hostile_notebook()
    sanitise.sanitise_notebook(nb)
    code, written, raw = nb.cells
    mimes = [sorted(o.get("data", {})) for o in code.outputs]
    assert ["text/plain"] in mimes and ["text/html"] in mimes and ["image/svg+xml"] in mimes
    assert ["image/png"] in mimes and ["text/markdown"] in mimes
    assert code.outputs[1].data["text/html"] == "<b>ok</b>"
    png = next(o for o in code.outputs if "image/png" in o.get("data", {}))
    assert png.metadata == {"image/png": {"height": 20}}
    assert code.outputs[-1].text == "<script>alert(1)</script> printed"  # text is escaped later
    assert code.metadata.tags == ["ok-tag"] and code.metadata.nbgrader["grade_id"] == "q1-answer"
    assert "evil" not in code.metadata.nbgrader and list(written.attachments) == ["a.png"]
    assert nb.metadata.kernelspec.name == "python3" and raw.source == ""


def test_a_chart_or_widget_output_goes_without_a_note():
    cell = new_code_cell("chart")
    cell.outputs = [new_output("display_data", data={
        "application/vnd.vegalite.v5+json": {}, "image/svg+xml": "<svg><rect/></svg>",
        "text/plain": "alt.Chart(...)"}), new_output("display_data", data={
            "application/vnd.jupyter.widget-view+json": {"model_id": "m"}, "text/plain": "w"})]
    nb = new_notebook(cells=[cell])
    assert sanitise.sanitise_notebook(nb) == []
    assert [sorted(o.data) for o in nb.cells[0].outputs] == [["image/svg+xml", "text/plain"],
                                                            ["text/plain"]]


def test_sanitise_file_rewrites_in_place_and_keeps_a_clean_notebook_as_it_was(tmp_path):
    clean = new_notebook(cells=[new_markdown_cell("**Answer.** The margin is $-0.02$."),
                                new_code_cell("1 + 1")],
                         metadata={"kernelspec": {"name": "python3", "language": "python",
                                                  "display_name": "Python 3"}})
    clean.cells[1].outputs = [new_output("execute_result", data={"text/plain": "2"},
                                         execution_count=1)]
    path = tmp_path / "ok.ipynb"
    nbformat.write(clean, path)
    before = nbformat.read(path, as_version=4)
    assert sanitise.sanitise_file(path) == []
    assert nbformat.read(path, as_version=4) == before
    nbformat.write(_hostile_notebook(), tmp_path / "bad.ipynb")
    assert sanitise.sanitise_file(tmp_path / "bad.ipynb")
    assert "onerror" not in (tmp_path / "bad.ipynb").read_text()


def test_sanitise_autograded_reports_once_and_removes_links(tmp_path):
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(root=str(tmp_path))
    folder = tmp_path / "autograded" / "s1" / "ex01-theory"
    folder.mkdir(parents=True)
    nbformat.write(_hostile_notebook(), folder / "ex01-theory.ipynb")
    (tmp_path / "elsewhere.ipynb").write_text("{}")
    (folder / "link.ipynb").symlink_to(tmp_path / "elsewhere.ipynb")
    (folder / "data").mkdir()
    (folder / "data" / "Page.HTML").write_text("<script>alert(1)</script>")
    (folder / "chart.svg").write_text("<svg onload='alert(1)'/>")
    (folder / "data" / "table.csv").write_text("a,b\n1,2\n")
    notes = sanitise.sanitise_autograded(coursedir, "ex01-theory", "s1")
    assert len(notes) == 1 and "removed" in notes[0]
    assert not (folder / "link.ipynb").exists() and (tmp_path / "elsewhere.ipynb").exists()
    assert sorted(p.name for p in folder.rglob("*")) == ["data", "ex01-theory.ipynb", "table.csv"]
    assert sanitise.sanitise_autograded(coursedir, "ex01-theory", "nobody") == []


@pytest.mark.parametrize("student,safe", [
    ("smithjane", True), ("jane.smith-2@uni.example", True), ("x\";alert(1)//", False),
    ("<img src=x onerror=alert(1)>", False), ("", False), ("jäne", False)])
def test_a_student_id_formgrader_would_write_unescaped_is_reported(tmp_path, student, safe):
    from nbgrader.coursedir import CourseDirectory

    assert sanitise.safe_student_id(student) is safe
    if student:
        notes = sanitise.sanitise_autograded(CourseDirectory(root=str(tmp_path)), "ex01", student)
        assert (notes == []) is safe


# --------------------------------------------------------------------------------------------
# Feedback: only what the student may see
# --------------------------------------------------------------------------------------------
TEST_SOURCE = '''with check("Q1"):
    assert isinstance(margin_q1, float), "margin_q1 should be one number (a float)"
    assert margin_q1 in _options, f"use one of {sorted(_options)}"
### BEGIN HIDDEN TESTS
assert close(margin_q1, _ref.margin, 1e-9)
### END HIDDEN TESTS
'''
STOLEN = "assert close(margin_q1, _ref.margin, 1e-9)"


def _test_cell(*outputs):
    cell = new_code_cell(TEST_SOURCE, metadata={"nbgrader": {
        "grade": True, "solution": False, "grade_id": "q1-tests", "points": 2}})
    cell.outputs = list(outputs)
    return cell


def _shown(cell) -> str:
    nb = new_notebook(cells=[cell])
    nb, _ = feedback.HideHiddenTests().preprocess(nb, {})
    nb, _ = feedback.StudentView().preprocess(nb, {})
    return nbformat.writes(nb)


def test_a_passing_test_shows_its_pass_line_and_nothing_printed():
    shown = _shown(_test_cell(new_output("stream", name="stdout",
                                         text=f"{STOLEN}\n[PASS] Q1: correct, all visible "
                                              "checks pass.\n")))
    assert "[PASS] Q1: correct, all visible checks pass." in shown and STOLEN not in shown


def test_a_failed_visible_check_keeps_its_own_message():
    shown = _shown(_test_cell(new_output(
        "stream", name="stdout", text=STOLEN), new_output(
        "error", ename="CheckFailed", evalue="Q1: margin_q1 should be one number (a float)",
        traceback=["[NOT YET] Q1", STOLEN])))
    assert "margin_q1 should be one number (a float)" in shown and STOLEN not in shown
    assert "[NOT YET] Q1" in shown


def test_a_message_filled_from_an_f_string_of_the_test_is_kept():
    shown = _shown(_test_cell(new_output("error", ename="CheckFailed",
                                         evalue="Q1: use one of [0.1, 0.2]", traceback=[])))
    assert "use one of [0.1, 0.2]" in shown


def test_a_message_the_submission_wrote_is_not_shown():
    for evalue in (f"Q1: your code raised ValueError: {STOLEN}", f"Q1: {STOLEN}",
                   "Q1: use one of " + "x" * 500):
        shown = _shown(_test_cell(new_output("error", ename="CheckFailed", evalue=evalue,
                                             traceback=[evalue])))
        assert STOLEN not in shown and "x" * 200 not in shown
        assert "run this test cell in your own notebook" in shown


def test_an_error_the_code_raised_is_not_shown_even_where_a_template_would_fit_it():
    # a function the judge called can raise any text; "{_name} should be a float" fits almost all
    source = 'with check("Q1"):\n    assert isinstance(x, float), f"{_name} should be a float"\n'
    evalue = "Q1: your code raised StudentError: AssertionError: 2.5, 7 should be a float"
    cell = _test_cell(new_output("error", ename="CheckFailed", evalue=evalue, traceback=[]))
    cell.source = source
    shown = _shown(cell)
    assert "2.5, 7" not in shown and "run this test cell in your own notebook" in shown


def test_a_failed_hidden_test_shows_the_visible_pass_and_the_failure_without_code():
    shown = _shown(_test_cell(
        new_output("stream", name="stdout", text="[PASS] Q1: correct, all visible checks pass."),
        new_output("error", ename="AssertionError", evalue=STOLEN, traceback=[STOLEN])))
    assert "[PASS] Q1" in shown and "AssertionError" in shown and STOLEN not in shown
    assert "hidden tests' code is not shown" in shown


def test_an_error_class_the_submission_named_is_not_shown():
    shown = _shown(_test_cell(new_output("error", ename="Evil_" + STOLEN.replace(" ", "_"),
                                         evalue="", traceback=[])))
    assert "Evil_" not in shown and '"ename": "Error"' in shown


def test_other_code_cells_keep_no_outputs_and_a_note_says_so():
    def answer():
        cell = new_code_cell("print(_ih)", metadata={"nbgrader": {"solution": True,
                                                                  "grade": False}})
        cell.outputs = [new_output("stream", name="stdout", text=STOLEN)]
        return cell

    nb, _ = feedback.StudentView().preprocess(new_notebook(cells=[answer()]), {})
    assert nb.cells[0].source == feedback.VIEW_NOTE and nb.cells[1].outputs == []
    kept, _ = feedback.StudentView(keep_answer_outputs=True).preprocess(
        new_notebook(cells=[answer()]), {})
    assert kept.cells[1].outputs


def test_feedback_and_formgrader_are_configured_to_sanitise():
    from pathlib import Path

    from traitlets.config.loader import PyFileConfigLoader

    root = Path(__file__).resolve().parents[2]
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    chain = config.GenerateFeedback.preprocessors
    assert chain[-4:] == ["alliancekit.grading.feedback.HideHiddenTests",
                          "alliancekit.grading.feedback.StudentView",
                          "alliancekit.grading.budget.CapFeedbackOutputs",
                          "alliancekit.grading.sanitise.SanitiseNotebook"]
    assert config.HTMLExporter.preprocessors == ["alliancekit.grading.sanitise.SanitiseNotebook"]


def test_a_notebook_the_sanitiser_cannot_handle_is_kept_as_plain_text(tmp_path, monkeypatch):
    import nbformat

    from alliancekit.grading import sanitise

    folder = tmp_path / "autograded" / "s1" / "ex01"
    folder.mkdir(parents=True)
    answer = '[click](javascript:alert(1)) <img src=x onerror="alert(2)">'
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell(answer, metadata={"nbgrader": {
            "grade_id": "<script>x</script>", "points": 2, "grade": True}}),
        nbformat.v4.new_code_cell("x = 1", outputs=[nbformat.v4.new_output(
            "display_data", {"text/html": "<script>alert(3)</script>"})])])
    nbformat.write(nb, folder / "ex01.ipynb")

    def broken(path):
        raise ValueError("cannot sanitise")

    monkeypatch.setattr(sanitise, "sanitise_file", broken)

    class Course:
        autograded_directory = "autograded"

        def format_path(self, kind, student, assignment):
            return str(tmp_path / kind / student / assignment)

    notes = sanitise.sanitise_autograded(Course(), "ex01", "s1")
    kept = nbformat.read(folder / "ex01.ipynb", as_version=4)
    assert "plain text" in " ".join(notes)
    assert kept.cells[0].source.startswith("~~~~text\n") and answer in kept.cells[0].source
    assert "grade_id" not in kept.cells[0].metadata["nbgrader"]
    assert kept.cells[1].outputs == []
