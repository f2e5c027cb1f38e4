"""The outline of land under the course's maps (Natural Earth), read from basemap_land.csv."""
from __future__ import annotations

from ._tables import table

__all__ = ["land"]


def land() -> list[list[list[tuple[float, float]]]]:
    """The outline of land under the course's maps: Natural Earth's coasts, no borders.

    Returns
    -------
    list of polygons
        Each polygon a list of rings, its outer edge first and then any lakes inside it; each
        ring a list of (longitude, latitude) points in decimal degrees (east and north
        positive), closed implicitly. Covers 30°W-46°E, 0°-64°N (Europe, the Mediterranean
        and West Africa), at 0.05° resolution.

    References
    ----------
    Natural Earth (2018), 1:50m land, v4.1.0 (public domain), via the npm package world-atlas
    2.0.2 (Bostock 2019). ``alliancekit/data/README.md`` (basemap_land.csv) says how it is built.

    Examples
    --------
    >>> outline = land()
    >>> all(len(ring) >= 3 for polygon in outline for ring in polygon)
    True
    """
    rows = table("basemap_land").sort_values(["polygon", "ring"])
    out: list[list[list[tuple[float, float]]]] = []
    for _, rings in rows.groupby("polygon", sort=True):
        out.append([[tuple(float(v) for v in pair.split(",")) for pair in text.split()]
                    for text in rings["points"]])
    return out
