"""Item analysis for instructors: which questions of a set work, read from the nbgrader gradebook.

    alliancekit-grade report ex01-theory [--course DIR] [--out DIR]

For each question of the assignment it reports

- the mean score and the share of students with full marks;
- the *discrimination*: the correlation between the question's score and the student's score on
  the rest of the set (the corrected item-total correlation). Good questions lie above about 0.2;
  a question everyone answers alike has no defined discrimination, and the report says so in words;
- the learning objective(s) the question assesses, from the coverage table in INSTRUCTORS.md;
- a warning when almost everybody, or almost nobody, gets it, or when it does not separate stronger
  from weaker students.

It writes ``item-analysis-ASSIGNMENT.csv`` and ``item-analysis-ASSIGNMENT.html`` (charts drawn as
inline SVG, so the page needs no network) into ``DIR/reports/`` unless ``--out`` says otherwise.
The gradebook is only read.
"""
from __future__ import annotations

import argparse
import html
import math
import re
import sys
from pathlib import Path

import pandas as pd

__all__ = ["question_of", "read_scores", "read_objectives", "analyse", "write_report", "main"]

#: Share of the points above which a question is flagged as too easy, and below which too hard.
EASY, HARD = 0.9, 0.2
#: Discrimination below which a question is flagged as weak.
WEAK = 0.2
UNDEFINED = "undefined: every student scored the same on this question"
UNDEFINED_REST = "undefined: every student scored the same on the rest of the set"


def question_of(grade_id: str) -> str:
    """The question a grade cell belongs to: ``"q3-tests"`` and ``"q3-answer"`` give ``"Q3"``.

    Parameters
    ----------
    grade_id : str
        nbgrader's grade cell id. Ids that do not start with ``q<number>`` are kept as they are.

    Returns
    -------
    str

    Examples
    --------
    >>> question_of("q12-tests"), question_of("capstone")
    ('Q12', 'capstone')
    """
    match = re.match(r"q(\d+)\b", grade_id, re.IGNORECASE)
    return f"Q{int(match.group(1))}" if match else grade_id


def _db_url(course: Path) -> str:
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    if (course / "nbgrader_config.py").exists():
        config.merge(PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config())
    url = config.get("CourseDirectory", {}).get("db_url")
    return url or f"sqlite:///{(course / 'gradebook.db').resolve()}"


def read_scores(assignment: str, course: str | Path = ".", db_url: str | None = None
                ) -> tuple[pd.DataFrame, dict[str, float]]:
    """Every submission's points per question, read (never written) from the gradebook.

    Parameters
    ----------
    assignment : str
        The assignment name, e.g. ``"ex01-theory"``.
    course : str or Path
        The course root (holding ``nbgrader_config.py`` and, by default, ``gradebook.db``).
    db_url : str, optional
        The gradebook's database URL; default: the course's configured one.

    Returns
    -------
    scores : pandas.DataFrame
        One row per student (index ``student``), one column per question, in points.
    max_points : dict
        {question: points available}.

    Raises
    ------
    ValueError
        If there is no gradebook, the assignment is not in it, or nobody has been graded.
    """
    from nbgrader.api import Gradebook, MissingEntry

    course = Path(course)
    url = db_url or _db_url(course)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        raise ValueError(f"no gradebook at {url.removeprefix('sqlite:///')}: grade the "
                         "assignment first (alliancekit-grade ASSIGNMENT), or pass --course")
    with Gradebook(url) as gradebook:
        try:
            record = gradebook.find_assignment(assignment)
        except MissingEntry:
            known = sorted(a.name for a in gradebook.assignments)
            raise ValueError(f"assignment {assignment!r} is not in the gradebook; it holds "
                             f"{known or 'no assignment yet'}") from None
        max_points: dict[str, float] = {}
        for notebook in record.notebooks:
            for cell in notebook.grade_cells:
                question = question_of(cell.name)
                max_points[question] = max_points.get(question, 0.0) + float(cell.max_score)
        rows = {}
        for submission in gradebook.assignment_submissions(assignment):
            points: dict[str, float] = {}
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    question = question_of(grade.name)
                    points[question] = points.get(question, 0.0) + float(grade.score or 0.0)
            rows[submission.student_id] = points
    if not rows:
        raise ValueError(f"nobody has been graded on {assignment!r} yet")
    order = sorted(max_points, key=_question_key)
    scores = pd.DataFrame.from_dict(rows, orient="index").reindex(columns=order).fillna(0.0)
    scores.index.name = "student"
    return scores.sort_index(), {q: max_points[q] for q in order}


def _question_key(question: str) -> tuple:
    match = re.fullmatch(r"Q(\d+)", question)
    return (0, int(match.group(1)), "") if match else (1, 0, question)


def read_objectives(assignment: str, guide: str | Path) -> dict[str, list[str]]:
    """{question: ["LO2: ...", ...]} from the coverage table of INSTRUCTORS.md.

    Rows look like ``| ex01-theory | LO2 | what the lesson asks | Q5 (auto, 3) |``. A missing
    guide gives an empty mapping (the report then says "not in the coverage table").
    """
    guide = Path(guide)
    if not guide.exists():
        return {}
    found: dict[str, list[str]] = {}
    pattern = rf"^\| {re.escape(assignment)} \| (LO\d+) \|([^|\n]+)\|([^|\n]+)\|"
    for objective, asks, items in re.findall(pattern, guide.read_text(encoding="utf-8"), re.M):
        for question in re.findall(r"Q\d+", items):
            found.setdefault(question, []).append(f"{objective}: {asks.strip()}")
    return found


def _undefined(r) -> bool:
    return r is None or (isinstance(r, float) and math.isnan(r))


def _correlation(a: pd.Series, b: pd.Series) -> float | None:
    if a.std(ddof=0) == 0 or b.std(ddof=0) == 0:
        return None
    return float(a.corr(b))


def analyse(scores: pd.DataFrame, max_points: dict[str, float],
            objectives: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """Per-question statistics and warnings.

    Parameters
    ----------
    scores : pandas.DataFrame
        Points per student (rows) and question (columns), as from :func:`read_scores`.
    max_points : dict
        {question: points available} (> 0).
    objectives : dict, optional
        {question: [objective, ...]} as from :func:`read_objectives`.

    Returns
    -------
    pandas.DataFrame
        One row per question: ``question``, ``points``, ``mean`` (points), ``mean_share`` (0-1),
        ``full_marks_share`` (0-1), ``discrimination`` (a correlation from -1 to 1, or None),
        ``discrimination_text`` (the number in words, or why it is undefined), ``objectives``
        and ``warning`` (empty when there is nothing to say).
    """
    if scores.empty:
        raise ValueError("analyse: no scores (no student rows)")
    missing = [q for q in scores.columns if not max_points.get(q, 0) > 0]
    if missing:
        raise ValueError(f"analyse: no positive maximum for questions {missing}")
    objectives = objectives or {}
    total = scores.sum(axis=1)
    rows = []
    for question in scores.columns:
        item, points = scores[question], float(max_points[question])
        rest = total - item
        share = float(item.mean()) / points
        full = float((item >= points - 1e-9).mean())
        r = _correlation(item, rest) if len(scores) > 2 else None
        if r is None:
            text = UNDEFINED if item.std(ddof=0) == 0 else UNDEFINED_REST
        else:
            text = f"{r:.2f}"
        warnings = []
        if share >= EASY or full >= EASY:
            warnings.append(f"too easy: {full:.0%} of students get full marks")
        if share <= HARD:
            warnings.append(f"too hard: students get {share:.0%} of the points on average")
        if r is not None and r < 0:
            warnings.append("negative discrimination: stronger students do worse here; "
                            "check the key and the wording")
        elif r is not None and r < WEAK:
            warnings.append("weak discrimination: it hardly separates stronger from weaker "
                            "students")
        rows.append({
            "question": question, "points": points, "mean": float(item.mean()),
            "mean_share": share, "full_marks_share": full, "discrimination": r,
            "discrimination_text": text,
            "objectives": "; ".join(objectives.get(question, [])) or
            "not in the coverage table",
            "warning": "; ".join(warnings),
        })
    return pd.DataFrame(rows)


def _charts_svg(table: pd.DataFrame) -> list[str]:
    import altair as alt

    from alliancekit import charts

    frame = table.assign(
        flagged=table["warning"].map(lambda w: "flagged" if w else "fine"),
        mean_percent=(table["mean_share"] * 100).round(0),
        discrimination_value=table["discrimination"].map(lambda r: 0.0 if _undefined(r) else r),
        defined=table["discrimination"].map(lambda r: "undefined" if _undefined(r) else "defined"),
    )[["question", "flagged", "mean_percent", "discrimination_value", "defined"]]
    order = list(table["question"])
    colour = alt.Color("flagged:N", scale=alt.Scale(domain=["fine", "flagged"],
                                                    range=["#4c78a8", "#e45756"]),
                       title="warning")
    means = alt.Chart(frame).mark_bar().encode(
        x=alt.X("question:N", sort=order, title="question"),
        y=alt.Y("mean_percent:Q", scale=alt.Scale(domain=[0, 100]),
                title="mean score (% of the points)"),
        color=colour,
    ).properties(title="How much of each question students got", width=420, height=220)
    spread = alt.Chart(frame).mark_bar().encode(
        x=alt.X("question:N", sort=order, title="question"),
        y=alt.Y("discrimination_value:Q", scale=alt.Scale(domain=[-1, 1]),
                title="discrimination (correlation with the rest)"),
        color=colour,
        opacity=alt.Opacity("defined:N", scale=alt.Scale(domain=["defined", "undefined"],
                                                         range=[1.0, 0.25]), legend=None),
    ).properties(title="Does each question separate stronger from weaker students?",
                 width=420, height=220)
    return [charts.to_svg(means), charts.to_svg(spread)]


def write_report(table: pd.DataFrame, assignment: str, out: str | Path,
                 students: int) -> tuple[Path, Path]:
    """Write the CSV and the offline HTML page; return their paths.

    Parameters
    ----------
    table : pandas.DataFrame
        The result of :func:`analyse`.
    assignment : str
        The assignment name, used in file names and the page title.
    out : str or Path
        Folder to write into (created if needed).
    students : int
        How many graded submissions the table is based on.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    csv_path = out / f"item-analysis-{assignment}.csv"
    html_path = out / f"item-analysis-{assignment}.html"
    frame = table.copy()
    frame["discrimination"] = frame["discrimination"].map(
        lambda r: "" if _undefined(r) else f"{r:.3f}")
    for column in ("mean", "mean_share", "full_marks_share"):
        frame[column] = frame[column].round(3)
    frame.to_csv(csv_path, index=False)

    rows = []
    for record in table.to_dict("records"):
        rows.append(
            "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in (
                record["question"], f"{record['points']:g}", f"{record['mean']:.2f}",
                f"{record['mean_share']:.0%}", f"{record['full_marks_share']:.0%}",
                record["discrimination_text"], record["objectives"],
                record["warning"] or "none")) + "</tr>")
    head = ("question", "points", "mean (points)", "mean (share)", "full marks",
            "discrimination", "learning objective", "warning")
    svgs = "\n".join(f'<figure role="img">{svg}</figure>' for svg in _charts_svg(table))
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Item analysis: {html.escape(assignment)}</title>
<style>body{{font-family:sans-serif;max-width:70em;margin:2em auto}}
table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:.3em .5em;
vertical-align:top}}</style></head>
<body><h1>Item analysis: {html.escape(assignment)}</h1>
<p>{students} graded submissions. Discrimination is the correlation between a question's score and
the score on the rest of the set; above about {WEAK} a question separates stronger from weaker
students. Questions that {EASY:.0%} or more get right, or that earn {HARD:.0%} or less of their
points, are flagged.</p>
<table><thead><tr>{''.join(f'<th scope="col">{h}</th>' for h in head)}</tr></thead>
<tbody>{''.join(rows)}</tbody></table>
{svgs}
</body></html>
"""
    html_path.write_text(page, encoding="utf-8")
    return csv_path, html_path


def main(argv: list[str] | None = None) -> int:
    """Command line: ``alliancekit-grade report ASSIGNMENT [--course DIR] [--out DIR]``."""
    parser = argparse.ArgumentParser(
        prog="alliancekit-grade report",
        description="Item analysis of a graded assignment: per question the mean, the share of "
                    "full marks, the discrimination, the learning objective and warnings.")
    parser.add_argument("assignment", help="assignment name, e.g. ex01-theory")
    parser.add_argument("--course", default=".", help="course root (default: current directory)")
    parser.add_argument("--out", default=None, help="output folder (default: COURSE/reports)")
    parser.add_argument("--guide", default=None,
                        help="INSTRUCTORS.md with the coverage table (default: COURSE's)")
    args = parser.parse_args(argv)
    course = Path(args.course)
    try:
        scores, max_points = read_scores(args.assignment, course)
    except ValueError as exc:
        print(f"alliancekit-grade report: error: {exc}", file=sys.stderr)
        return 2
    guide = Path(args.guide) if args.guide else course / "INSTRUCTORS.md"
    table = analyse(scores, max_points, read_objectives(args.assignment, guide))
    csv_path, html_path = write_report(table, args.assignment, args.out or course / "reports",
                                       students=len(scores))
    for record in table.to_dict("records"):
        note = f"  <- {record['warning']}" if record["warning"] else ""
        print(f"{record['question']:>4}: mean {record['mean_share']:4.0%}, full marks "
              f"{record['full_marks_share']:4.0%}, discrimination "
              f"{record['discrimination_text']}{note}")
    from alliancekit.grading.variantreport import section

    out = args.out or course / "reports"
    for line in section(args.assignment, course, scores, max_points, out):
        print(line)  # difficulty by variant, for a set graded on per-student variants
    print(f"wrote {csv_path} and {html_path}")
    return 0
