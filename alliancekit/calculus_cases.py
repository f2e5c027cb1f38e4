"""The member calculus on the case data: coded inputs and CINC scores of real alliance members.

The adapter between the case data and the pure `alliancekit.calculus` model, as
`alliancekit.europe1936` is for the 1936 landscape: it reads ``member_inputs.csv`` (threat,
alignment, propensity, outside option, each with a justification and a source), CINC scores
(NMC v6.0) and the treaty's obligations (ATOP), and hands arrays to
`alliancekit.calculus.commitment_margin`. The worked case, Italy in the Triple Alliance, is told in
`alliancekit.calculus`.

References
----------
Singer, Bremer & Stuckey (1972); National Material Capabilities v6.0 (CINC).
Leeds, B. A. et al. (2002). Alliance Treaty Obligations and Provisions (ATOP).
"""
from __future__ import annotations

import functools
from collections.abc import Iterable

import numpy as np
import pandas as pd

from . import _validate as vd
from . import cases
from .calculus import EPSILON, KAPPA, RELIABILITY, commitment_margin, obligation_depth

__all__ = ["member_calculus", "member_inputs"]


@functools.lru_cache(maxsize=1)
def _member_inputs():
    frame = cases.table("member_inputs")
    frame["partner"] = frame["partner"].astype("Int64")
    return frame


def member_inputs(alliance: str | None = None, member: int | str | None = None) -> pd.DataFrame:
    """The coded member-calculus inputs (a copy of ``member_inputs.csv``, optionally filtered).

    Parameters
    ----------
    alliance : str, optional
        An ``alliance_id``.
    member : int or str, optional
        A COW code, abbreviation or name.

    Returns
    -------
    pandas.DataFrame
        alliance_id, ccode, partner, input, first_year, last_year, value, justification, source.
    """
    frame = _member_inputs().copy()
    if alliance is not None:
        frame = frame[frame["alliance_id"] == cases.known_alliance(alliance)]
    if member is not None:
        frame = frame[frame["ccode"] == _ccode(member)]
    return frame.reset_index(drop=True)


def _ccode(state):
    return int(cases.state_code(state))


def _expand_years(rows, years):
    """Map each year to the value of the row whose [first_year, last_year] covers it."""
    out = np.full(len(years), np.nan)
    for row in rows.itertuples():
        cover = (years >= row.first_year) & (years <= row.last_year)
        if np.any(cover & ~np.isnan(out)):
            raise ValueError(f"member_inputs.csv has overlapping year ranges for {row.input} "
                             f"(partner {row.partner}) around {row.first_year}-{row.last_year}")
        out[cover] = row.value
    return out


def member_calculus(alliance: str, member: int | str, years: int | Iterable[int] | None = None,
                    *, reliability: float = RELIABILITY, depth: float | None = None,
                    kappa: float = KAPPA, epsilon: float = EPSILON,
                    exit_cost: float = 0.0) -> pd.DataFrame:
    """Commitment margin of one member of an alliance, year by year, from the case data.

    CINC scores come from `alliancekit.cases.cinc`; threat, alignment, propensity and the outside
    option come from ``member_inputs.csv``; the depth comes from the alliance's obligations in
    ``alliances.csv`` unless given.

    Parameters
    ----------
    alliance : str
        An ``alliance_id`` with coded inputs, e.g. ``"triple_alliance"``.
    member : int or str
        The member: COW code (e.g. 325), abbreviation or name.
    years : iterable of int, optional
        Years to compute; default every year the inputs cover.
    reliability : float, default 0.75
        Partners' reliability r in [0, 1].
    depth : float, optional
        Depth d in [0, 1]; default from the treaty's obligations (`obligation_depth`).
    kappa, epsilon : float, defaults 0.25 and 0.5
        Cost scales, each >= 0.
    exit_cost : float, default 0
        Cost of leaving in [0, 1], added to the margin.

    Returns
    -------
    pandas.DataFrame
        One row per year: year, benefit, autonomy_cost, entrapment, outside, margin, stays, help,
        then the inputs used: threat, cinc (own), cinc_<partner>, alignment_<partner>,
        propensity_<partner> for each partner's COW code, depth, reliability, kappa, epsilon,
        exit_cost.

    Raises
    ------
    ValueError
        Bad parameters, years outside the coded range, or a year without CINC data.
    LookupError
        If no inputs are coded for that alliance and member.

    References
    ----------
    Morrow (1991); Snyder (1984); Leeds, Long & Mitchell (2000); NMC v6.0.

    Examples
    --------
    Italy's margin first turns negative in 1896 (the worked case in `alliancekit.calculus`):

    >>> frame = member_calculus("triple_alliance", "Italy")
    >>> int(frame.loc[~frame.stays, "year"].min())
    1896
    """
    reliability = vd.probability("reliability", reliability)
    kappa = vd.number("kappa", kappa, 0, None)
    epsilon = vd.number("epsilon", epsilon, 0, None)
    exit_cost = vd.number("exit_cost", exit_cost, 0, 1)
    if depth is not None:
        depth = vd.number("depth", depth, 0, 1)
    ccode = _ccode(member)
    rows = member_inputs(vd.text("alliance", alliance), ccode)
    if rows.empty:
        coded = sorted({(a, int(c)) for a, c in _member_inputs()[["alliance_id", "ccode"]]
                        .itertuples(index=False)})
        raise vd.UnknownNameError(f"no member-calculus inputs coded for alliance {alliance!r} "
                                  f"and member {ccode}; coded (alliance, ccode) pairs: {coded}")
    first, last = int(rows["first_year"].min()), int(rows["last_year"].max())
    if years is None:
        years = np.arange(first, last + 1)
    else:
        years = np.asarray(sorted(set(vd.years("years", years, first, last))))
    partners = sorted(int(p) for p in rows["partner"].dropna().unique())

    def series(kind, partner=None):
        sel = rows[(rows["input"] == kind) & ((rows["partner"] == partner) if partner is not None
                                              else rows["partner"].isna())]
        values = _expand_years(sel, years)
        if np.isnan(values).any():
            missing = years[np.isnan(values)]
            who = "" if partner is None else f" for partner {partner}"
            raise ValueError(f"member_inputs.csv does not code {kind}{who} in {missing.tolist()}")
        return values

    threat = series("threat")
    outside = series("outside")
    alignment = np.column_stack([series("alignment", j) for j in partners])
    propensity = np.column_stack([series("propensity", j) for j in partners])

    cap = cases.cinc(states=[ccode, *partners], years=years.tolist())
    wide = cap.pivot_table(index="year", columns="ccode", values="cinc").reindex(years)
    missing = [(int(y), int(c)) for c in [ccode, *partners] for y in years
               if c not in wide.columns or np.isnan(wide.at[y, c])]
    if missing:
        raise ValueError(f"no CINC score in the case data for (year, ccode) {missing[:5]}")
    own = wide[ccode].to_numpy(float)
    part = wide[partners].to_numpy(float)

    if depth is None:
        record = cases.table("alliances").set_index("alliance_id").loc[alliance]
        depth = obligation_depth(**{k: int(record[k]) for k in
                                    ("defense", "offense", "neutrality", "nonaggression",
                                     "consultation") if k in record.index})
    result = commitment_margin(own, part, threat, alignment, propensity, outside,
                               reliability=reliability, depth=depth, kappa=kappa,
                               epsilon=epsilon, exit_cost=exit_cost)
    frame = pd.DataFrame({
        "year": years, "benefit": result.benefit, "autonomy_cost": result.autonomy_cost,
        "entrapment": result.entrapment, "outside": result.outside, "margin": result.margin,
        "stays": result.stays, "help": result.help, "threat": threat, "cinc": own,
    })
    for k, j in enumerate(partners):
        frame[f"cinc_{j}"] = part[:, k]
        frame[f"alignment_{j}"] = alignment[:, k]
        frame[f"propensity_{j}"] = propensity[:, k]
    frame["depth"] = float(depth)
    frame["reliability"] = float(reliability)
    frame["kappa"] = float(kappa)
    frame["epsilon"] = float(epsilon)
    frame["exit_cost"] = float(exit_cost)
    return frame
