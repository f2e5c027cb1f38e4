"""Chart builders for the course's own pages: the course-wide timeline and the schematic maps.

Like every builder of `alliancekit.charts`, these take plain DataFrames (from
`alliancekit.chronology` and `alliancekit.maps`), compute nothing about the cases, and return an
altair chart with a title and a description in words; `alliancekit.charts.data_table` gives the
accessible table of the same data.

References
----------
Okabe, M. & Ito, K. (2008). Color Universal Design (CUD). https://jfly.uni-koeln.de/color/
"""
from __future__ import annotations

import pandas as pd

from alliancekit import _validate as vd
from alliancekit import cases
from alliancekit._geometry import clip_ring, densify_ring
from alliancekit.render import PALETTE, alt, builder
from alliancekit.render import require_columns as _require

__all__ = ["course_timeline_chart", "schematic_map"]


def _titled(chart, title: str, description: str, subtitle: str | None = None):
    chart.title = alt.Title(title, subtitle=subtitle) if subtitle else title
    chart.description = description
    return chart


@builder
def course_timeline_chart(events: pd.DataFrame, title: str = "The course on one time line",
                          subtitle: str | None = None):
    """Every dated event of the course as a dot on a time line, one row per kind of event.

    Interactive in JupyterLab: drag to pan and scroll to zoom along the years, hover a dot for
    the event, and pick a course period in the menu under the chart to show only its events.

    Parameters
    ----------
    events : DataFrame
        From ``chronology.course_events()``: date, year, kind, alliance, what, detail, era.
    title, subtitle : str

    Returns
    -------
    altair.Chart
    """
    _require(events, ["date", "year", "kind", "alliance", "what", "detail", "era"], "events")
    if events.empty:
        raise ValueError("events is empty: nothing to draw")
    kinds = list(dict.fromkeys(events["kind"]))
    from alliancekit.chronology import ERAS, KINDS

    kinds = [k for k in KINDS if k in kinds] + [k for k in kinds if k not in KINDS]
    eras = [label for label, _, _ in ERAS if label in set(events["era"])]
    data = events[["date", "year", "kind", "alliance", "what", "detail", "era"]].copy()
    zoom = alt.selection_interval(bind="scales", encodings=["x"])
    era = alt.param(name="era_shown", value="all periods", bind=alt.binding_select(
        options=["all periods", *eras], name="Period "))
    chart = alt.Chart(data).mark_point(filled=True, size=70, opacity=0.8).encode(
        x=alt.X("date:T", title="Year", axis=alt.Axis(format="%Y", labelOverlap=True)),
        y=alt.Y("kind:N", title=None, sort=kinds, axis=alt.Axis(labelLimit=200)),
        color=alt.Color("kind:N", title=None, sort=kinds,
                        scale=alt.Scale(domain=kinds, range=list(PALETTE[:len(kinds)]))),
        shape=alt.Shape("kind:N", sort=kinds, legend=None),
        tooltip=[alt.Tooltip("date:T", title="date", format="%d %b %Y"),
                 alt.Tooltip("what:N", title="event"), alt.Tooltip("alliance:N"),
                 alt.Tooltip("detail:N")],
    ).transform_filter("era_shown == 'all periods' || datum.era == era_shown").add_params(
        zoom, era).properties(width=760, height=alt.Step(34))
    counts = data.groupby("kind", sort=False).size()
    words = "; ".join(f"{k}: {int(counts.get(k, 0))}" for k in kinds)
    first, last = int(data["year"].min()), int(data["year"].max())
    busiest = data.groupby("year").size().idxmax()
    description = (f"Dots on a time line from {first} to {last}, one row per kind of event ("
                   f"{words}). The busiest year is {int(busiest)} "
                   f"({int((data['year'] == busiest).sum())} events). Hover a dot for the event; "
                   f"the period menu shows one period at a time.")
    return _titled(chart, title, description, subtitle)


def _land(extent: list[list[float]]):
    """Natural Earth's land inside ``extent`` ([[west, south], [east, north]]), as a pale layer."""
    box = (extent[0][0], extent[0][1], extent[1][0], extent[1][1])
    features = []
    for polygon in cases.land():
        rings = [clip_ring(ring, box) for ring in polygon]
        if not rings[0]:
            continue
        closed = [[list(p) for p in densify_ring(r)] + [list(r[0])] for r in rings if r]
        features.append({"type": "Feature", "properties": {},
                         "geometry": {"type": "Polygon", "coordinates": closed}})
    return alt.Chart(alt.Data(values=features)).mark_geoshape(
        fill="#f1efe9", stroke="#c9c4b8", strokeWidth=0.6)


@builder
def schematic_map(places: pd.DataFrame, ties: pd.DataFrame, title: str,
                  subtitle: str = "Schematic: dots are capitals, lines are alliance ties, "
                                  "not borders", width: int = 520, height: int = 420,
                  land: bool = True):
    """A schematic map: capitals as labelled dots, alliance ties as straight lines between them.

    Under them, unless ``land`` is False, a pale outline of land and coast (Natural Earth,
    `alliancekit.cases.land`): physical geography only, so no border of any period is drawn.

    Parameters
    ----------
    places : DataFrame
        ``state, capital, lat, lng, group`` (from ``maps.map_layers``).
    ties : DataFrame
        ``alliance, kind, state_a, state_b, lat_a, lng_a, lat_b, lng_b``: solid lines for formal
        alliances, dashed for informal ententes.
    title, subtitle : str
        The subtitle must say the map is schematic (the default does).
    width, height : int
        Size in pixels.
    land : bool, default True
        Draw the land and coastline under the points.

    Returns
    -------
    altair.LayerChart
    """
    _require(places, ["state", "capital", "lat", "lng", "group"], "places")
    land = vd.flag("land", land)
    _require(ties, ["alliance", "kind", "state_a", "state_b", "lat_a", "lng_a", "lat_b", "lng_b"],
          "ties")
    width = vd.integer("width", width, 100, 4000)
    height = vd.integer("height", height, 100, 4000)
    if "schematic" not in f"{title} {subtitle}".lower():
        raise ValueError("a schematic map must say so in its title or subtitle")
    groups = list(dict.fromkeys(places["group"]))
    pad = 3.0  # degrees of margin around the capitals, so that labels fit
    extent = [[float(places["lng"].min()) - pad, float(places["lat"].min()) - pad],
              [float(places["lng"].max()) + 2 * pad, float(places["lat"].max()) + pad]]
    grid = alt.Chart(alt.graticule(extent=extent, step=[5, 5])).mark_geoshape(
        stroke="#dddddd", strokeWidth=0.5, fill=None)
    kinds = [k for k in ("formal alliance", "informal entente") if k in set(ties["kind"])] or \
        ["formal alliance"]
    lines = alt.Chart(ties).mark_rule(strokeWidth=2, opacity=0.7).encode(
        longitude="lng_a:Q", latitude="lat_a:Q", longitude2="lng_b:Q", latitude2="lat_b:Q",
        color=alt.value("#555555"),
        strokeDash=alt.StrokeDash("kind:N", title="Tie", scale=alt.Scale(
            domain=kinds, range=[[1, 0] if k == "formal alliance" else [5, 4] for k in kinds])),
        tooltip=[alt.Tooltip("alliance:N"), alt.Tooltip("state_a:N", title="between"),
                 alt.Tooltip("state_b:N", title="and")])
    dots = alt.Chart(places).mark_circle(size=140, opacity=1, stroke="white",
                                         strokeWidth=1).encode(
        longitude="lng:Q", latitude="lat:Q",
        color=alt.Color("group:N", title=None, sort=groups,
                        scale=alt.Scale(domain=groups, range=list(PALETTE[:len(groups)]))),
        tooltip=[alt.Tooltip("state:N"), alt.Tooltip("capital:N"), alt.Tooltip("group:N")])
    where = places["label"] if "label" in places.columns else pd.Series("right", places.index)
    labels = []
    for side, mark in (("right", dict(align="left", dx=8, dy=-6)),
                       ("left", dict(align="right", dx=-8, dy=-6)),
                       ("below", dict(align="center", dy=14))):
        part = places[where == side]
        if len(part):
            labels.append(alt.Chart(part).mark_text(fontSize=11, **mark).encode(
                longitude="lng:Q", latitude="lat:Q", text="state:N"))
    base = [_land(extent)] if land else []
    chart = alt.layer(grid, *base, lines, dots, *labels).project(type="mercator").properties(
        width=width, height=height)
    chart = chart.resolve_scale(color="independent", strokeDash="independent")
    by_group = "; ".join(
        f"{g}: " + ", ".join(f"{r.state} ({r.capital})" for r in places[places["group"] == g]
                             .itertuples()) for g in groups)
    if len(ties):
        per = ties.groupby("alliance", sort=False).apply(
            lambda t: ", ".join(f"{a}-{b}" for a, b in zip(t["state_a"], t["state_b"],
                                                           strict=True)),
            include_groups=False)
        tie_words = "; ".join(f"{a}: {pairs}" for a, pairs in per.items())
    else:
        tie_words = "none"
    description = ("Schematic map: each state is a dot at its capital, placed by latitude and "
                   "longitude, and each alliance in force is drawn as straight lines between its "
                   "members' capitals (solid: formal alliance; dashed: informal entente). "
                   + ("Land and coastlines (Natural Earth) are shaded underneath; no "
                      if land else "No ")
                   + f"borders are drawn. States by group: {by_group}. Ties: {tie_words}.")
    return _titled(chart, title, description, subtitle)
