"""How often alliance commitments were honoured in war: two codings of one set of cases.

Leeds, Long & Mitchell (2000, LLM) report that alliance commitments were honoured 74.5 % of the
time in wars from 1816 to 1944. Berkemeier & Fuhrmann (2018, BF) re-coded the cases, extended
them to 2003, and report about 50 %. Their replication file (``reliability_codings.csv``) carries
both codings, row by row: one row per alliance commitment tested by a war.

Under each coding a row is *honoured*, *violated*, or *not counted* (``dna`` = 1): rows where the
casus foederis never arose (``cfna``), and rows whose only obligation at stake was non-aggression
(``nonagg``) or consultation (``consul``). BF's rate is honoured / (honoured + violated).

:func:`honour_rate` computes that rate for either coding and any subset of rows, and can also
count the non-aggression and consultation rows as honoured: a rule under which a promise that was
never called on still counts as kept.

References
----------
Leeds, B. A., Long, A. G., & Mitchell, S. M. (2000). Reevaluating alliance reliability: specific
threats, specific promises. *Journal of Conflict Resolution*, 44(5), 686-699.
Berkemeier, M., & Fuhrmann, M. (2018). Reassessing the fulfillment of alliance commitments in
war. *Research & Politics*, 5(2).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from . import _validate as vd
from . import cases
from .published import LLM_PUBLISHED_RATE  # re-exported: lesson 09 reads it from here

__all__ = ["CODINGS", "LLM_PUBLISHED_RATE", "PUBLISHED", "rows", "honour_rate", "sample_rule",
           "replication_table", "reliability_estimates"]

CODINGS = ("BF", "LLM")

#: The published figures, as shares. LLM: the 1816-1944 rate. BF: their headline figures.
PUBLISHED = pd.DataFrame([
    ("LLM (2000)", "all cases 1816-1944", LLM_PUBLISHED_RATE),
    ("BF (2018)", "all cases 1816-2003", 0.50),
    ("BF (2018)", "before 1945", 0.66),
    ("BF (2018)", "1945-2003", 0.22),
    ("BF (2018)", "defence pacts", 0.41),
    ("BF (2018)", "non-aggression pacts", 0.37),
    ("BF (2018)", "offence pacts", 0.74),
    ("BF (2018)", "neutrality pacts", 0.78),
], columns=["paper", "cases", "published"])

_SUBSETS = {
    "all cases 1816-1944": lambda d: d["sample"] == 1,
    "all cases 1816-2003": lambda d: pd.Series(True, index=d.index),
    "before 1945": lambda d: d["sample"] == 1,
    "1945-2003": lambda d: d["sample"] == 0,
    "defence pacts": lambda d: d["defense"] == 1,
    "non-aggression pacts": lambda d: d["nonagg"] == 1,
    "offence pacts": lambda d: d["offense"] == 1,
    "neutrality pacts": lambda d: d["neutral"] == 1,
}


def rows() -> pd.DataFrame:
    """The replication file's rows (``reliability_codings.csv``), flags as 0/1 integers."""
    d = cases.table("reliability_codings")
    flags = [c for c in d.columns if c.endswith(("BF", "LLM"))]
    d[flags] = d[flags].fillna(0).astype(int)
    return d


def _check_coding(coding: str) -> str:
    return vd.choice("coding", coding, CODINGS)


def honour_rate(data: pd.DataFrame | None = None, coding: str = "BF", *,
                count_nonaggression: bool = False, count_consultation: bool = False,
                weights: pd.Series | None = None) -> dict:
    """Share of counted commitments that were honoured, under one coding.

    Parameters
    ----------
    data : DataFrame, optional
        Rows with the columns of :func:`rows` (default: every row).
    coding : {"BF", "LLM"}
        Which coding's columns to read.
    count_nonaggression, count_consultation : bool
        Also count the rows whose only obligation was non-aggression / consultation, as honoured
        (the rows are otherwise not counted).
    weights : Series, optional
        A non-negative weight per row (same index as ``data``), e.g. the alliance's number of
        members, to count each row that many times; default 1 per row.

    Returns
    -------
    dict
        ``honoured`` and ``violated`` (counts of rows, or sums of weights), ``counted`` (their
        sum) and ``rate`` (honoured / counted, a share in [0, 1]; NaN when nothing is counted).

    Examples
    --------
    >>> d = pd.DataFrame({"honorBF": [1, 1, 0, 0], "violateBF": [0, 0, 1, 0],
    ...                   "nonaggBF": [0, 0, 0, 1], "consulBF": [0, 0, 0, 0]})
    >>> honour_rate(d)["rate"], honour_rate(d, count_nonaggression=True)["rate"]
    (0.6666666666666666, 0.75)
    """
    coding = _check_coding(coding)
    count_nonaggression = vd.flag("count_nonaggression", count_nonaggression)
    count_consultation = vd.flag("count_consultation", count_consultation)
    d = rows() if data is None else data
    need = [f"{c}{coding}" for c in ("honor", "violate", "nonagg", "consul")]
    missing = [c for c in need if c not in d.columns]
    if missing:
        raise ValueError(f"data lacks the columns {missing} of the {coding} coding")
    honoured_rows = d[f"honor{coding}"] == 1
    if count_nonaggression:
        honoured_rows |= d[f"nonagg{coding}"] == 1
    if count_consultation:
        honoured_rows |= d[f"consul{coding}"] == 1
    honoured_rows &= d[f"violate{coding}"] != 1
    violated_rows = d[f"violate{coding}"] == 1
    if weights is None:
        honoured, violated = int(honoured_rows.sum()), int(violated_rows.sum())
    else:
        w = pd.Series(weights, dtype=float)
        if not w.index.equals(d.index) or w.isna().any() or (w < 0).any():
            raise ValueError("weights must be a Series of non-negative numbers with the same "
                             "index as data")
        honoured, violated = float(w[honoured_rows].sum()), float(w[violated_rows].sum())
    counted = honoured + violated
    return {"honoured": honoured, "violated": violated, "counted": counted,
            "rate": honoured / counted if counted else float("nan")}


def sample_rule(data: pd.DataFrame | None = None, cutoff: int = 1945) -> pd.DataFrame:
    """Test a reading of the file's ``sample`` flag: war *and* alliance begun before ``cutoff``.

    Parameters
    ----------
    data : DataFrame, optional
        Rows of :func:`rows` (default: every row).
    cutoff : int
        The year tested as the end of the sample (exclusive).

    Returns
    -------
    pandas.DataFrame
        A cross-table of ``sample`` (rows) against the rule (columns), counting rows; rows whose
        alliance ATOP v4.01 does not date are left out (see the README).
    """
    d = rows() if data is None else data
    d = d.dropna(subset=["alliance_begin_year"])
    cutoff = vd.integer("cutoff (a year)", cutoff, 1816, 2100)
    rule = (d["war_begin_year"] < cutoff) & (d["alliance_begin_year"] < cutoff)
    return pd.crosstab(d["sample"].rename("sample flag"),
                       rule.astype(int).rename(f"war and alliance before {cutoff}"))


def replication_table(count_nonaggression: bool = False,
                      count_consultation: bool = False) -> pd.DataFrame:
    """Each published figure beside our count under both codings.

    Parameters
    ----------
    count_nonaggression, count_consultation : bool
        As in :func:`honour_rate`: also count the rows whose only obligation at stake was
        non-aggression / consultation as honoured (default: the plain count).

    Returns
    -------
    pandas.DataFrame
        paper, cases, published, and for each coding the rate and the number of rows counted
        (``BF_rate``, ``BF_counted``, ``LLM_rate``, ``LLM_counted``): honoured / (honoured +
        violated) on the rows the figure covers.
    """
    vd.flag("count_nonaggression", count_nonaggression)
    vd.flag("count_consultation", count_consultation)
    d = rows()
    out = PUBLISHED.copy()
    for coding in CODINGS:
        rates = [honour_rate(d[_SUBSETS[c](d)], coding, count_nonaggression=count_nonaggression,
                             count_consultation=count_consultation) for c in out["cases"]]
        out[f"{coding}_rate"] = [r["rate"] for r in rates]
        out[f"{coding}_counted"] = [r["counted"] for r in rates]
    return out


def reliability_estimates() -> pd.DataFrame:
    """How often alliance commitments were honoured in war, from the shipped data.

    Reads ``alliancekit.cases.table("reliability")`` (an extract of Berkemeier & Fuhrmann's 2018
    replication data) and counts commitments coded honoured or violated, under Berkemeier &
    Fuhrmann's own coding and under their re-creation of Leeds, Long & Mitchell's (2000) coding.

    Returns
    -------
    pandas.DataFrame
        One row per coding and sample: ``coding``, ``sample`` ("all", or the file's ``sample``
        flag), ``wars`` (what the sample covers), ``honoured``, ``violated``, ``n``,
        ``share_honoured``, ``low``, ``high`` (95 % Wilson interval) and ``llm2000`` (0.745, the
        published figure, for comparison).

    Notes
    -----
    On the shipped extract, Berkemeier & Fuhrmann's coding gives 69 honoured of 139 (0.50,
    95 % interval 0.42-0.58): well below Leeds, Long & Mitchell's 0.75. The wars up to the
    Second World War give 0.67 (0.57-0.76), close to their figure; the later wars 0.21.

    References
    ----------
    Berkemeier & Fuhrmann (2018); Leeds, Long & Mitchell (2000).
    """
    t = cases.table("reliability")
    samples = [("all", "every war in the extract", np.ones(len(t), dtype=bool))]
    if "sample" in t.columns:
        # The replication file's `sample` flag splits the wars: 1 = the wars up to the Second
        # World War (Leeds, Long & Mitchell's period), 0 = the later wars (read off `warname`).
        s = pd.to_numeric(t["sample"], errors="coerce")
        samples += [("sample=1", "wars 1828-1945 (inferred from the war names)",
                     (s == 1).to_numpy()),
                    ("sample=0", "wars 1939-2003 (inferred from the war names)",
                     (s == 0).to_numpy())]
    rows = []
    for coding, (hon_col, vio_col) in _ESTIMATE_COLUMNS.items():
        hon = pd.to_numeric(t[hon_col], errors="coerce").fillna(0).to_numpy() == 1
        vio = pd.to_numeric(t[vio_col], errors="coerce").fillna(0).to_numpy() == 1
        for label, wars, mask in samples:
            h, v = int((hon & mask).sum()), int((vio & mask).sum())
            n = h + v
            share = h / n if n else float("nan")
            low, high = _wilson(h, n)
            rows.append({"coding": coding, "sample": label, "wars": wars, "honoured": h,
                         "violated": v, "n": n, "share_honoured": share, "low": low, "high": high,
                         "llm2000": LLM_PUBLISHED_RATE})
    return pd.DataFrame(rows)


#: Coding -> (honoured column, violated column) of ``cases.table("reliability")``.
_ESTIMATE_COLUMNS = {"berkemeier_fuhrmann": ("honorBF", "violateBF"),
            "leeds_long_mitchell": ("honorLLM", "violateLLM")}


def _wilson(k: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    if n == 0:
        return float("nan"), float("nan")
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half
