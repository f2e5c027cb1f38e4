"""Plane geometry on longitude/latitude rings, for the base map under the course's maps.

A ring is a closed outline given as a sequence of (longitude, latitude) points in decimal degrees,
east and north positive; the last point joins the first. Two operations are needed, and both are
small enough to write here rather than depend on a GIS stack:

- `clip_ring`: the part of a ring inside a longitude/latitude box (Sutherland & Hodgman 1974,
  one box edge at a time). A ring that crosses the box several times may come out with thin
  "bridges" along the box's edge; they lie on the map's border, where they cannot be seen.
- `simplify_ring`: points rounded to a grid and repeated points dropped, which is what a map a
  few hundred pixels wide can show.

- `densify_ring`: points added along long straight edges. Vega draws an edge between two points
  as a great circle, which bows away from a parallel; a clipped edge along the map's border would
  bow out of the map. Short edges stay where they are drawn.

The winding of a ring is kept by all three, which matters because Vega's projections read a ring's
winding to tell land from sea.

References
----------
Sutherland, I. E. & Hodgman, G. W. (1974). Reentrant polygon clipping. *Communications of the
ACM* 17(1), 32-42.
"""
from __future__ import annotations

from collections.abc import Sequence

from . import _validate as vd

__all__ = ["clip_ring", "simplify_ring", "densify_ring"]

Point = tuple[float, float]


def _area(ring: Sequence[Point]) -> float:
    """Signed planar area of a ring (shoelace formula); 0 for a ring folded onto a line."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in
               zip(ring, [*ring[1:], ring[0]], strict=True)) / 2


def _check_box(box: Sequence[float]) -> tuple[float, float, float, float]:
    if not isinstance(box, (tuple, list)) or len(box) != 4:
        raise TypeError(f"box must be (west, south, east, north) in degrees; got {vd.show(box)}")
    west, south, east, north = (vd.number(n, v, -360, 360) for n, v in
                                zip(("west", "south", "east", "north"), box, strict=True))
    if not (west < east and south < north):
        raise ValueError(f"box must have west < east and south < north; got {box!r}")
    return west, south, east, north


def clip_ring(ring: Sequence[Point], box: Sequence[float]) -> list[Point]:
    """The part of a ring inside a longitude/latitude box.

    Parameters
    ----------
    ring : sequence of (lon, lat)
        The outline, in degrees; closed implicitly (the last point joins the first).
    box : (west, south, east, north)
        The box, in degrees of longitude and latitude.

    Returns
    -------
    list of (lon, lat)
        The clipped outline, in the ring's own winding; empty when the ring lies outside the box
        or what is left inside it has no area.

    Examples
    --------
    >>> clip_ring([(0, 0), (4, 0), (4, 4), (0, 4)], (2, -1, 6, 6))
    [(2.0, 0.0), (4.0, 0.0), (4.0, 4.0), (2.0, 4.0)]
    """
    west, south, east, north = _check_box(box)
    edges = ((0, west, True), (0, east, False), (1, south, True), (1, north, False))
    points = [(float(x), float(y)) for x, y in ring]
    for axis, limit, keep_above in edges:
        if not points:
            break

        def inside(p, axis=axis, limit=limit, keep_above=keep_above):
            return p[axis] >= limit if keep_above else p[axis] <= limit

        def crossing(a, b, axis=axis, limit=limit):
            t = (limit - a[axis]) / (b[axis] - a[axis])
            other = 1 - axis
            value = a[other] + t * (b[other] - a[other])
            return (limit, value) if axis == 0 else (value, limit)

        out = []
        previous = points[-1]
        for current in points:
            if inside(current):
                if not inside(previous):
                    out.append(crossing(previous, current))
                out.append(current)
            elif inside(previous):
                out.append(crossing(previous, current))
            previous = current
        points = out
    # a ring with no area left (folded onto the box's edge) would read as "everywhere" to Vega
    return points if len(points) >= 3 and _area(points) != 0 else []


def simplify_ring(ring: Sequence[Point], step: float = 0.05) -> list[Point]:
    """A ring with its points rounded to a grid of ``step`` degrees, repeats dropped.

    Parameters
    ----------
    ring : sequence of (lon, lat)
        The outline, in degrees.
    step : float, default 0.05
        Grid spacing in degrees (0.05 degrees is about 5 km, under a pixel on the course's maps).

    Returns
    -------
    list of (lon, lat)
        The simplified outline; empty when fewer than three distinct points remain or they
        lie on one line (a small island at this resolution).

    Examples
    --------
    >>> simplify_ring([(0.01, 0.0), (0.02, 0.01), (1.0, 0.0), (1.0, 1.0)], step=0.1)
    [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)]
    """
    step = vd.number("step", step, 1e-6, 10)

    def snap(value: float) -> float:
        return round(round(float(value) / step) * step, 6)   # 6 places: no float dust

    out: list[Point] = []
    for x, y in ring:
        p = (snap(x), snap(y))
        if not out or p != out[-1]:
            out.append(p)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out if len(set(out)) >= 3 and _area(out) != 0 else []


def densify_ring(ring: Sequence[Point], max_step: float = 0.5) -> list[Point]:
    """A ring with points added so that no edge spans more than ``max_step`` degrees.

    Parameters
    ----------
    ring : sequence of (lon, lat)
        The outline, in degrees; closed implicitly.
    max_step : float, default 0.5
        The longest edge allowed, in degrees of longitude or latitude (> 0).

    Returns
    -------
    list of (lon, lat)
        The same outline with evenly spaced points inserted along each longer edge (the closing
        edge included); its first points are the ring's own.

    Examples
    --------
    >>> densify_ring([(0, 0), (2, 0), (2, 1)], max_step=1)
    [(0.0, 0.0), (1.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 0.5)]
    """
    max_step = vd.number("max_step", max_step, 0, 360, lo_open=True)
    points = [(float(x), float(y)) for x, y in ring]
    out: list[Point] = []
    for i, (x0, y0) in enumerate(points):
        x1, y1 = points[(i + 1) % len(points)]
        out.append((x0, y0))
        pieces = int(max(abs(x1 - x0), abs(y1 - y0)) // max_step)
        if max(abs(x1 - x0), abs(y1 - y0)) > pieces * max_step:
            pieces += 1
        out += [(x0 + (x1 - x0) * k / pieces, y0 + (y1 - y0) * k / pieces)
                for k in range(1, pieces)]
    return out
