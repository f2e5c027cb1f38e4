#!/usr/bin/env python3
"""Build alliancekit/data/basemap_land.csv: Natural Earth's land, for the course's maps.

The maps page draws capitals and alliance ties; a faint outline of land and coast under them lets
a student see where the points are. The outline is Natural Earth's 1:50m land (public domain),
which the npm package ``world-atlas`` (v2.0.2, ISC licence) carries as TopoJSON. It is physical
geography only: coastlines and lakes, no borders, so it cannot mislead about any period's
frontiers (coasts have barely moved since 1914).

This script is the only place npm is needed, and only to rebuild the file: the CSV is committed,
so neither ``tasks.py course`` nor a student ever runs npm.

    python3 scripts/build_basemap.py [--atlas node_modules/world-atlas/land-50m.json]

Without ``--atlas`` it installs world-atlas@2.0.2 into ``_build/npm`` with npm first.

Steps: decode the TopoJSON (quantised, delta-encoded arcs; Bostock 2013, the TopoJSON format
specification), keep the rings that reach the region the course's maps show (`REGION`), clip
them to it, round the points to a 0.05 degree grid and drop repeats. Output columns are described
in alliancekit/data/README.md (basemap_land.csv).
"""
from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from alliancekit._geometry import clip_ring, simplify_ring  # noqa: E402

OUT = ROOT / "alliancekit" / "data" / "basemap_land.csv"
NPM_PREFIX = ROOT / "_build" / "npm"
ATLAS_PACKAGE = "world-atlas@2.0.2"
#: (west, south, east, north) in degrees: Europe, the Mediterranean and West Africa, every map's
#: capitals with the margin the maps draw around them.
REGION = (-30.0, 0.0, 46.0, 64.0)
STEP = 0.05
#: Source keys of every row (alliancekit/data/sources.csv).
SOURCE = "naturalearth_land50;world_atlas2"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Every arc of a quantised TopoJSON topology as (lon, lat) points in degrees."""
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring_points(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list:
    """A ring from its arc indices (a negative index ~i means arc i reversed)."""
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)   # consecutive arcs share their end point
    return points


def polygons(topology: dict, name: str = "land") -> list[list[list[tuple[float, float]]]]:
    """The polygons of object ``name``: each a list of rings, the outer edge first."""
    arcs = decode_arcs(topology)
    out = []
    for geometry in topology["objects"][name]["geometries"]:
        parts = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for part in parts:
            out.append([ring_points(r, arcs) for r in part])
    return out


def fetch_atlas() -> Path:
    """Install world-atlas with npm into _build/npm (the only step that needs the network)."""
    npm = shutil.which("npm")
    if not npm:
        sys.exit("build_basemap: npm is needed to fetch world-atlas (Debian: apt-get install npm);"
                 " or pass --atlas with a land-50m.json you already have")
    subprocess.run([npm, "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix",
                    str(NPM_PREFIX), ATLAS_PACKAGE], check=True)
    return NPM_PREFIX / "node_modules" / "world-atlas" / "land-50m.json"


def build(atlas: Path, out: Path = OUT) -> int:
    """Write the CSV; return the number of points written."""
    topology = json.loads(atlas.read_text(encoding="utf-8"))
    rows, points = [], 0
    polygon_id = 0
    for rings in polygons(topology):
        outer = simplify_ring(clip_ring(rings[0], REGION), STEP)
        if not outer:
            continue                                 # its outer edge lies outside the region
        kept = [outer] + [r for r in (simplify_ring(clip_ring(h, REGION), STEP)
                                      for h in rings[1:]) if r]
        for ring_id, ring in enumerate(kept):
            text = " ".join(f"{lon:.2f},{lat:.2f}" for lon, lat in ring)
            rows.append((polygon_id, ring_id, text, SOURCE))
            points += len(ring)
        polygon_id += 1
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["polygon", "ring", "points", "source"])
        writer.writerows(rows)
    return points


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--atlas", type=Path, help="world-atlas's land-50m.json (default: "
                                                    "install world-atlas with npm)")
    args = parser.parse_args(argv)
    atlas = args.atlas or fetch_atlas()
    if not atlas.is_file():
        sys.exit(f"build_basemap: {atlas} is not a file; expected world-atlas's land-50m.json")
    n = build(atlas)
    print(f"build_basemap: wrote {n:,} points to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
