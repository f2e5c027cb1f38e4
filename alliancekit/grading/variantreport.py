"""Are a question's variants equally hard? Difficulty by variant, and an exact test per question.

For a set graded by variant, ``alliancekit-grade report SET`` adds, per question that varies, the
share of full marks in each variant, and flags a question whose variants differ beyond chance.

The test is the Freeman-Halton extension of Fisher's exact test on the 2 x K table of full marks
against variant: conditional on the table's margins, the probability of every table with the same
margins (multivariate hypergeometric), and the p-value is the total probability of the tables no
more likely than the one observed (Freeman & Halton 1951). The p-values of a set's varying
questions are corrected for their number with Holm's step-down method (Holm 1979), and a question
is flagged when its corrected p-value is below ``alpha`` (0.05).

A set has at most four keyed variants (`alliancekit.variants.SetRules`), so that in a class of 40
each variant has about ten students; with fewer than five students in some variant the report says
that the test has little power.

References
----------
Freeman, G. H. & Halton, J. H. (1951). Note on an exact treatment of contingency, goodness of fit
and other problems of significance. *Biometrika* 38, 141-149.
Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian Journal of
Statistics* 6, 65-70.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from math import comb

import pandas as pd

__all__ = ["exact_test", "holm", "by_variant", "ALPHA"]

#: Family-wise error rate over a set's questions.
ALPHA = 0.05


def exact_test(full: Sequence[int], students: Sequence[int]) -> float:
    """Freeman-Halton exact test: do the variants' shares of full marks differ beyond chance?

    Parameters
    ----------
    full : sequence of int
        Students with full marks on the question, per variant.
    students : sequence of int
        Students graded, per variant (each >= the matching ``full``).

    Returns
    -------
    float
        The p-value, in (0, 1].

    Raises
    ------
    ValueError
        If the two sequences differ in length, are shorter than 2, or hold impossible counts.

    Examples
    --------
    >>> round(exact_test([5, 5], [10, 10]), 6)
    1.0
    >>> exact_test([0, 10], [10, 10]) < 0.001
    True
    """
    full, students = [int(x) for x in full], [int(x) for x in students]
    if len(full) != len(students) or len(full) < 2:
        raise ValueError("full and students must list the same variants, at least two")
    if any(n < 0 or not 0 <= f <= n for f, n in zip(full, students, strict=True)):
        raise ValueError(f"full marks must lie between 0 and the students of each variant; got "
                         f"full={full}, students={students}")
    total, hits = sum(students), sum(full)
    denominator = comb(total, hits)

    def probability(table: Sequence[int]) -> float:
        count = 1
        for f, n in zip(table, students, strict=True):
            count *= comb(n, f)
        return count / denominator

    observed = probability(full)
    p = 0.0

    def walk(index: int, left: int, chosen: list[int]) -> None:
        nonlocal p
        if index == len(students) - 1:
            if 0 <= left <= students[index]:
                q = probability([*chosen, left])
                if q <= observed * (1 + 1e-9):
                    p += q
            return
        room = sum(students[index + 1:])
        for f in range(max(0, left - room), min(students[index], left) + 1):
            walk(index + 1, left - f, [*chosen, f])

    walk(0, hits, [])
    return min(1.0, p)


def holm(p_values: Mapping[str, float]) -> dict[str, float]:
    """Holm's step-down adjusted p-values (each at most 1, never below an earlier one's).

    Examples
    --------
    >>> holm({"Q1": 0.01, "Q2": 0.04, "Q3": 0.5})
    {'Q1': 0.03, 'Q2': 0.08, 'Q3': 0.5}
    """
    order = sorted(p_values, key=p_values.get)
    m, running, out = len(order), 0.0, {}
    for rank, name in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[name]))
        out[name] = round(running, 12)
    return {name: out[name] for name in p_values}


def by_variant(scores: pd.DataFrame, max_points: Mapping[str, float],
               variant: Mapping[str, int], questions: Sequence[str],
               alpha: float = ALPHA) -> pd.DataFrame:
    """Each varying question's difficulty by variant, its exact test and the Holm-corrected flag.

    Parameters
    ----------
    scores : pandas.DataFrame
        Points per question (columns), one row per student (index: student id), as
        `alliancekit.grading.itemanalysis.read_scores` gives.
    max_points : mapping
        Points available per question.
    variant : mapping of str to int
        Each student's variant (students missing here are left out).
    questions : sequence of str
        The questions that vary (the set's variant rules).
    alpha : float, default 0.05
        Family-wise error rate over ``questions``.

    Returns
    -------
    pandas.DataFrame
        One row per question: ``question``, ``full_by_variant`` ({variant: share of full
        marks}), ``students_by_variant``, ``p_value``, ``p_holm``, ``flagged``, ``note``.
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie between 0 and 1, got {alpha!r}")
    graded = [s for s in scores.index if s in variant]
    kinds = sorted({int(variant[s]) for s in graded})
    rows, p_values = [], {}
    for question in questions:
        if question not in scores.columns:
            continue
        full, students = [], []
        for v in kinds:
            members = [s for s in graded if int(variant[s]) == v]
            students.append(len(members))
            full.append(int(sum(scores.loc[s, question] >= max_points[question] - 1e-9
                                for s in members)))
        note = ""
        if len(kinds) < 2:
            p = 1.0
            note = "only one variant graded: nothing to compare"
        else:
            p = exact_test(full, students)
            if min(students) < 5:
                note = "fewer than 5 students in some variant: the test has little power"
        p_values[question] = p
        rows.append({"question": question,
                     "full_by_variant": {v: (f / n if n else float("nan"))
                                         for v, f, n in zip(kinds, full, students, strict=True)},
                     "students_by_variant": dict(zip(kinds, students, strict=True)),
                     "p_value": p, "note": note})
    adjusted = holm(p_values) if p_values else {}
    for row in rows:
        row["p_holm"] = adjusted[row["question"]]
        row["flagged"] = bool(row["p_holm"] < alpha)
    return pd.DataFrame(rows, columns=["question", "full_by_variant", "students_by_variant",
                                       "p_value", "p_holm", "flagged", "note"])


def lines(table: pd.DataFrame) -> list[str]:
    """The by-variant table as lines for the terminal."""
    out = ["Full marks by variant (Freeman-Halton exact test, Holm-corrected over questions):"]
    for row in table.to_dict("records"):
        shares = ", ".join(f"v{v} {share:.0%} of {row['students_by_variant'][v]}"
                           for v, share in row["full_by_variant"].items())
        flag = "  <- variants differ beyond chance: check this question's options" if row[
            "flagged"] else ""
        note = f"  ({row['note']})" if row["note"] else ""
        out.append(f"{row['question']:>4}: {shares}; p = {row['p_value']:.3g}, "
                   f"Holm {row['p_holm']:.3g}{flag}{note}")
    return out


def section(assignment: str, course, scores: pd.DataFrame, max_points: Mapping[str, float],
            out=None) -> list[str]:
    """The report's lines on variants for one set (and a CSV beside the item analysis).

    Empty for a set without variants; one line when the set is graded without them.
    """
    from pathlib import Path

    from alliancekit import variants
    from alliancekit.grading import _load_config
    from alliancekit.grading.variantgrading import Variants, variant_of

    if assignment not in variants.sets():
        return []
    config = _load_config(Path(course).resolve())
    if assignment not in Variants(config=config).sets:
        return [f"variants: {assignment} is graded on the public variant (not in "
                "c.Variants.sets), so there is no difficulty by variant to compare"]
    owner = {s: variant_of(config, assignment, s) for s in scores.index}
    table = by_variant(scores, max_points, owner, list(variants.rules(assignment).questions))
    if out is not None:
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        table.to_csv(folder / f"variants-{assignment}.csv", index=False)
    return lines(table)
