"""The land under the course's maps: Natural Earth's coasts, clipped and drawn without surprises.

A ring whose winding flips, or that folds onto a line, is drawn by Vega as "the whole globe but
this": the map turns into one flat colour. These tests pin the geometry that prevents it, and
read the map as a student gets it (the SVG that exported pages show).
"""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliancekit import _geometry as geo
from alliancekit import cases, coursecharts, maps

REGION = (-30.0, 0.0, 46.0, 64.0)
coordinate = st.floats(-60, 60, allow_nan=False, allow_infinity=False)
rings = st.lists(st.tuples(coordinate, coordinate), min_size=3, max_size=30)
boxes = st.tuples(st.floats(-50, 0), st.floats(-50, 0), st.floats(1, 50), st.floats(1, 50))


@st.composite
def simple_rings(draw):
    """Star-shaped rings (points around a centre, by angle): never self-intersecting.

    The i-th of n points lies at an angle in [i, i + 0.9) * 2 pi / n, so no two neighbours are
    pi or more apart (n >= 4): the centre is inside and the ring is simple. (With a gap over pi,
    the centre falls outside and the ring can cross itself, which hypothesis found once.)
    """
    import math

    cx, cy = draw(coordinate), draw(coordinate)
    n = draw(st.integers(4, 25))
    jitter = draw(st.lists(st.floats(0, 0.9), min_size=n, max_size=n))
    angles = [2 * math.pi * (i + j) / n for i, j in enumerate(jitter)]
    radii = draw(st.lists(st.floats(0.5, 40), min_size=n, max_size=n))
    ring = [(cx + r * math.cos(a), cy + r * math.sin(a)) for a, r in zip(angles, radii,
                                                                         strict=True)]
    return ring[::-1] if draw(st.booleans()) else ring


def _land_layers(chart):
    """The layers of a map that carry inline GeoJSON features (the land)."""
    return [layer for layer in chart.layer
            if isinstance(getattr(layer.data, "values", None), list)]


@given(rings, boxes)
def test_a_clipped_ring_lies_inside_its_box(ring, box):
    west, south, east, north = box
    for lon, lat in geo.clip_ring(ring, box):
        assert west - 1e-9 <= lon <= east + 1e-9 and south - 1e-9 <= lat <= north + 1e-9


@given(rings)
def test_a_ring_inside_the_box_is_left_as_it_is(ring):
    if geo._area(ring) == 0:
        return
    assert geo.clip_ring(ring, (-100, -100, 100, 100)) == [(float(x), float(y)) for x, y in ring]


@given(simple_rings(), boxes)
def test_clipping_keeps_the_winding_or_drops_the_ring(ring, box):
    clipped = geo.clip_ring(ring, box)
    if clipped:
        assert (geo._area(clipped) > 0) == (geo._area(ring) > 0)


@given(rings, st.floats(0.1, 5))
def test_densified_edges_are_no_longer_than_the_step(ring, step):
    dense = geo.densify_ring(ring, step)
    for (x0, y0), (x1, y1) in zip(dense, [*dense[1:], dense[0]], strict=True):
        assert max(abs(x1 - x0), abs(y1 - y0)) <= step + 1e-9


def test_a_box_the_wrong_way_round_is_refused_with_what_is_allowed():
    with pytest.raises(ValueError, match="west < east"):
        geo.clip_ring([(0, 0), (1, 0), (1, 1)], (5, 0, 1, 1))


def test_the_shipped_land_lies_in_the_region_and_every_ring_has_area():
    for polygon in cases.land():
        for ring in polygon:
            assert geo._area(ring) != 0
            for lon, lat in ring:
                assert REGION[0] <= lon <= REGION[2] and REGION[1] <= lat <= REGION[3]


@pytest.mark.parametrize("name", maps.map_names())
def test_every_maps_land_keeps_the_winding_natural_earth_gave_it(name):
    places, ties = maps.map_layers(name)
    chart = coursecharts.schematic_map(places, ties, maps.map_spec(name).title)
    (land,) = _land_layers(chart)
    drawn = [f["geometry"]["coordinates"][0] for f in land.data.values]
    assert drawn, "the map has no land under it"
    for ring in drawn:
        assert geo._area([tuple(p) for p in ring[:-1]]) < 0   # Natural Earth's (d3's) winding


def test_a_map_can_be_drawn_without_land():
    places, ties = maps.map_layers("blocs_1914")
    chart = coursecharts.schematic_map(places, ties, "Blocs (schematic)", land=False)
    assert not _land_layers(chart)
    with pytest.raises(TypeError, match="land"):
        coursecharts.schematic_map(places, ties, "Blocs (schematic)", land="yes")
