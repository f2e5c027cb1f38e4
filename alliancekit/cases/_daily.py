"""Who belonged to an alliance on each of many days, in one pass (for the cohesion scenarios)."""
from __future__ import annotations

from collections.abc import Iterable


def member_codes(alliance_id: str, days: Iterable, *, use_accession: bool = False
                 ) -> list[list[int]]:
    """The state codes of an alliance's members on each of several days.

    The same members as ``members(alliance_id, day)["ccode"]`` for each day (the half-open rule
    ``joined <= day < left``), found for all the days at once: a scenario asks for two days a
    year, and `members` builds a table for each.

    Parameters
    ----------
    alliance_id : str
        An id from ``table("alliances")``.
    days : iterable of str, datetime.date or pandas.Timestamp
        The days, e.g. ``["1921-07-01", "1921-12-31"]``.
    use_accession : bool, default False
        Count a member from its ``accession`` date where one is recorded (see `members`).

    Returns
    -------
    list of list of int
        For each day, in order, the members' COW codes, smallest first (a state that held two
        memberships that day is listed twice, as `members` lists both rows).

    Raises
    ------
    UnknownNameError, TypeError, ValueError
        For an unknown alliance, a bad day or flag.
    """
    from .. import _validate as vd
    from . import _in_force, _load, as_date, known_alliance

    aid = known_alliance(alliance_id)
    use_accession = vd.flag("use_accession", use_accession)
    if isinstance(days, (str, bytes)) or not isinstance(days, Iterable):
        raise TypeError(f"days must be a list of days; got {vd.show(days)}")
    on = [as_date(day, "days").to_datetime64() for day in days]
    m = _load("memberships")
    rows = m[m["alliance_id"] == aid]
    start = rows["accession"].fillna(rows["joined"]) if use_accession else rows["joined"]
    start, left = start.to_numpy(), rows["left"].to_numpy()
    codes = rows["ccode"].to_numpy()
    return [sorted(int(c) for c in codes[_in_force(start, left, day)]) for day in on]
