"""Schematic maps: capitals placed by latitude and longitude, alliance ties drawn between them.

Historical borders that draw offline are hard to come by, so the course's maps are *schematic*:
each state is a dot at its capital (from the COW capitals list, `cases.capitals`, on the map's
day), and each alliance in force that day is drawn as straight lines between its members'
capitals. The lines say who was tied to whom, not where borders or fronts ran.

Three maps, one per geographic argument of the course:

==================  ==========  ===========================================================
name                day         what it shows
==================  ==========  ===========================================================
``blocs_1914``      1914-07-01  the six great powers (and Romania, Serbia) on the eve of war
``little_entente``  1934-06-01  the Little Entente, its neighbours and France's ties to it
``ecowas_sahel``    2025-02-01  ECOWAS and the Alliance of Sahel States after the exits
==================  ==========  ===========================================================

Which states to show and how to group them (the colours) are our choices, stated in each map's
``grouping`` note; the ties come from the data alone (`cases.members` on the map's day).

Examples
--------
>>> from alliancekit import maps
>>> places, ties = maps.map_layers("blocs_1914")
>>> sorted(set(ties["alliance"]))[:2]
['Anglo-Russian Convention', 'Austro-German-Romanian alliance']
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import pandas as pd

from alliancekit import _validate as vd
from alliancekit import cases

__all__ = ["MapSpec", "MAPS", "map_names", "map_spec", "map_layers"]


@dataclass(frozen=True)
class MapSpec:
    """What one schematic map shows.

    Attributes
    ----------
    name, title : str
    day : str
        ISO date: capitals and alliances in force that day.
    groups : dict
        COW code -> group label (the dot's colour): our grouping, explained in ``grouping``.
    alliances : tuple of str
        ``alliance_id`` values whose ties are drawn when in force on ``day``.
    grouping : str
        One sentence saying how the states were grouped, and why.
    names : dict
        COW code -> the state's name on that day where it differs from the COW list's (COW 345
        is "Yugoslavia" throughout; in 1914 it was Serbia).
    labels : dict
        COW code -> where its label goes, ``"left"`` or ``"below"`` (default right of the dot),
        so that close capitals (Accra, Lome, Porto-Novo) keep readable labels.
    size : tuple of int
        Width and height of the drawn map in pixels.
    """

    name: str
    title: str
    day: str
    groups: dict
    alliances: tuple
    grouping: str
    names: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)
    size: tuple = (520, 420)


_T, _E, _O = "Triple Alliance", "Entente", "other"
_LE, _N, _F = "Little Entente", "neighbour", "France and its eastern allies"
MAPS = {
    "blocs_1914": MapSpec(
        "blocs_1914", "Europe's blocs on 1 July 1914 (schematic)", "1914-07-01",
        {255: _T, 300: _T, 325: _T, 200: _E, 220: _E, 365: _E, 360: _O, 345: _O},
        ("dual_alliance", "triple_alliance", "austro_german_romanian_1883",
         "franco_russian_alliance", "entente_cordiale", "anglo_russian_convention",
         "prinetti_barrere_1902", "racconigi_1909", "grey_cambon_1912"),
        "The Triple Alliance's three members, the three Entente powers, and two smaller states "
        "(Romania, secretly tied to the Triple Alliance; Serbia) grouped as 'other'.",
        {345: "Serbia"}),
    "little_entente": MapSpec(
        "little_entente", "The Little Entente and its neighbours on 1 June 1934 (schematic)",
        "1934-06-01",
        {315: _LE, 345: _LE, 360: _LE, 310: _N, 305: _N, 355: _N, 255: _N, 325: _N, 365: _N,
         220: _F, 290: _F},
        ("le_czechoslovakia_yugoslavia", "le_czechoslovakia_romania", "le_yugoslavia_romania",
         "france_czechoslovakia_1924", "france_czechoslovakia_1925", "france_poland_1921",
         "france_poland_1925", "balkan_entente_1934"),
        "The three members; the states they watched (Hungary, Austria, Bulgaria, Germany, Italy, "
        "the USSR) as 'neighbour'; France and Poland, tied to the Entente through France.",
        {365: "Soviet Union"}, {305: "left"}),
    "ecowas_sahel": MapSpec(
        "ecowas_sahel", "ECOWAS and the Alliance of Sahel States on 1 February 2025 (schematic)",
        "2025-02-01",
        {**{c: "ECOWAS member" for c in (402, 404, 420, 433, 434, 437, 438, 450, 451, 452, 461,
                                          475)},
         432: "Alliance of Sahel States", 436: "Alliance of Sahel States",
         439: "Alliance of Sahel States"},
        ("alliance_of_sahel_states",),
        "ECOWAS's twelve remaining members and the three Sahel states that left it on "
        "29 January 2025. Only the Sahel states' own pact is drawn as ties: ECOWAS's are "
        "shown by colour, since 66 lines would hide the map.",
        {}, {452: "left", 461: "below", 451: "below", 437: "below"}, (560, 320)),
}


def map_names() -> list[str]:
    """Names accepted by `map_layers`.

    >>> map_names()
    ['blocs_1914', 'ecowas_sahel', 'little_entente']
    """
    return sorted(MAPS)


def map_spec(name: str) -> MapSpec:
    """The definition of one map (see `MAPS`).

    Raises
    ------
    LookupError
        For an unknown name (the message lists the known ones).
    """
    vd.choice("name (a map)", name, map_names())
    return MAPS[name]


def map_layers(name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two layers of a schematic map: where the capitals were, and the ties between them.

    Parameters
    ----------
    name : str
        One of `map_names`.

    Returns
    -------
    places : pandas.DataFrame
        One row per state: ``ccode, state, capital, lat, lng`` (decimal degrees), ``group`` and
        ``label`` (where the name goes: right, left or below the dot).
    ties : pandas.DataFrame
        One row per pair of shown states that shared an alliance in force on the map's day and
        per alliance: ``alliance`` (name), ``kind`` (formal alliance or informal entente),
        ``state_a, state_b``, ``lat_a, lng_a, lat_b, lng_b``.

    Raises
    ------
    LookupError
        For an unknown map name.
    """
    spec = map_spec(name)
    codes = list(spec.groups)
    places = cases.capitals(codes, spec.day)
    places["group"] = [spec.groups[c] for c in places["ccode"]]
    places["state"] = [spec.names.get(c, s) for c, s in zip(places["ccode"], places["state"],
                                                             strict=True)]
    places["label"] = [spec.labels.get(c, "right") for c in places["ccode"]]
    where = places.set_index("ccode")
    alliances = cases.table("alliances").set_index("alliance_id")
    rows = []
    for aid in spec.alliances:
        info = alliances.loc[aid]
        members = [c for c in cases.members(aid, spec.day)["ccode"] if c in where.index]
        for a, b in combinations(sorted(set(members)), 2):
            rows.append({"alliance": info["name"], "kind": info["kind"].replace("_", " "),
                         "state_a": where.loc[a, "state"], "state_b": where.loc[b, "state"],
                         "lat_a": where.loc[a, "lat"], "lng_a": where.loc[a, "lng"],
                         "lat_b": where.loc[b, "lat"], "lng_b": where.loc[b, "lng"]})
    columns = ["alliance", "kind", "state_a", "state_b", "lat_a", "lng_a", "lat_b", "lng_b"]
    return places, pd.DataFrame(rows, columns=columns)
