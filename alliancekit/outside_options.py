"""A member's outside option coded another way, beside the coding the member calculus uses.

The member calculus (``alliancekit.calculus_cases.member_calculus``) reads one outside option O per
year from ``member_inputs.csv``. Some of those values were coded with hindsight: Italy's 1915
value (0.60) prices the Treaty of London of 26 April 1915, so a margin that falls furthest in
1915 partly repeats what the coder already knew. ``outside_options.csv`` holds alternative
codings (each with a justification and a source), e.g. ``before_london``: Italy's 1915 option
coded only from what was on offer before April 1915. Because O enters the margin
``m = B - K - E - O + chi`` with weight one, changing it leaves benefit, autonomy cost and
entrapment as they were and moves the margin by the difference.
"""
from __future__ import annotations

import functools

import pandas as pd

from alliancekit import _validate as vd
from alliancekit import calculus_cases, cases

__all__ = ["alternatives", "compare"]


@functools.lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    t = cases.table("outside_options")
    bad = t[(t["value"] < 0) | (t["value"] > 1) | (t["first_year"] > t["last_year"])]
    if len(bad):
        raise ValueError(f"outside_options.csv: rows {bad.index.tolist()} need 0 <= value <= 1 "
                         f"and first_year <= last_year")
    return t


def alternatives(alliance: str | None = None) -> pd.DataFrame:
    """The alternative codings of outside options, with justification and source.

    Parameters
    ----------
    alliance : str, optional
        Keep only this ``alliance_id``.

    Returns
    -------
    pandas.DataFrame
        alliance_id, ccode, variant, first_year, last_year, value (O in [0, 1]), justification,
        source.

    Examples
    --------
    >>> alternatives("triple_alliance")["variant"].tolist()
    ['before_london']
    """
    t = _table().copy()
    if alliance is None:
        return t
    return t[t["alliance_id"] == cases.known_alliance(alliance)].reset_index(drop=True)


def compare(alliance: str, member: int | str, variant: str, **kwargs) -> pd.DataFrame:
    """Margin with the coded outside option beside the margin with an alternative coding.

    Parameters
    ----------
    alliance : str
        An ``alliance_id`` with member-calculus inputs, e.g. ``"triple_alliance"``.
    member : int or str
        The member (COW code, abbreviation or name), e.g. ``"Italy"``.
    variant : str
        A ``variant`` of ``outside_options.csv`` for that alliance and member, e.g.
        ``"before_london"``.
    **kwargs
        Passed on to ``calculus_cases.member_calculus`` (``reliability``, ``kappa``,
        ``exit_cost`` ...).

    Returns
    -------
    pandas.DataFrame
        One row per year: year, outside and margin as coded in ``member_inputs.csv``,
        outside_alt and margin_alt with the alternative (equal where it codes nothing), stays and
        stays_alt (margin >= 0).

    Raises
    ------
    LookupError
        If the variant is not coded for that alliance and member (the message lists those that
        are).
    """
    frame = calculus_cases.member_calculus(alliance, member, **kwargs)
    ccode = int(cases.state_code(member))
    rows = _table()
    rows = rows[(rows["alliance_id"] == alliance) & (rows["ccode"] == ccode)]
    vd.choice("variant", variant, sorted(set(rows["variant"])))
    chosen = rows[rows["variant"] == variant]
    years = frame["year"].to_numpy()
    alt = frame["outside"].to_numpy(float).copy()
    for r in chosen.itertuples():
        alt[(years >= r.first_year) & (years <= r.last_year)] = r.value
    margin_alt = frame["margin"].to_numpy(float) + frame["outside"].to_numpy(float) - alt
    return pd.DataFrame({"year": years, "outside": frame["outside"], "margin": frame["margin"],
                         "outside_alt": alt, "margin_alt": margin_alt,
                         "stays": frame["stays"], "stays_alt": margin_alt >= 0})
