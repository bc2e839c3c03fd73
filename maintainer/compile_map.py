"""Build ``data/world_map.csv``, the book's country outlines, from Natural Earth's TopoJSON.

Run by a maintainer (``make compile-map``, or ``python -m maintainer.compile_map``) after
installing the pinned npm package ``world-atlas`` into ``maintainer/world_atlas/`` (the make
target does it with the build's own npm). Input: ``countries-110m.json`` of world-atlas, Natural
Earth's Admin 0 countries at 1:110m (public domain) as a quantized topology whose ids are
ISO 3166-1 numeric codes. Output: one row per polygon, keyed by ISO 3166-1 alpha-3 (pycountry),
its rings in WKT, longitude and latitude in degrees to two decimals (about 1 km, far below what
a 1:110m outline resolves). Readers and Binder read that CSV; they never need npm.

The step is idempotent: the same input writes the same bytes, and an unchanged file is left
alone. The file is validated against ``datapackage.json`` before it replaces the old one.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pycountry

from iomun import data
from maintainer.compile_data.writing import write_validated
from maintainer.paths import ROOT

RESOURCE = "world_map"
PACKAGE_DIR = ROOT / "maintainer" / "world_atlas"
TOPOJSON = PACKAGE_DIR / "node_modules" / "world-atlas" / "countries-110m.json"
DECIMALS = 2
# Natural Earth draws three entities that have no ISO 3166-1 code. Kosovo gets the code UN
# agencies use (listed in the countries resource's extraCodes), so its data rows join; the
# other two stay without a code and are drawn as gaps.
NO_ISO_CODE = {
    "Kosovo": ("XKX", "no ISO 3166-1 code: XKX is the code UN agencies use"),
    "N. Cyprus": (None, "no ISO 3166-1 code: drawn apart from Cyprus by Natural Earth"),
    "Somaliland": (None, "no ISO 3166-1 code: drawn apart from Somalia by Natural Earth"),
}
Point = tuple[float, float]


def read_topology(path: Path = TOPOJSON) -> dict[str, Any]:
    """The TopoJSON file, with a hint at the npm step when it is missing."""
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: run `make compile-map` (it installs world-atlas "
            "with npm from maintainer/world_atlas/package-lock.json)"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """Every arc as absolute longitude and latitude: undo the delta encoding and the quantization."""
    (scale_x, scale_y), (shift_x, shift_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def stitch_ring(arcs: list[list[Point]], indexes: Sequence[int]) -> list[Point]:
    """One closed ring from its arcs; a negative index ``~i`` is arc ``i`` reversed.

    Consecutive arcs share their end point, so each arc after the first drops its first point.
    """
    ring: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


def ring_wkt(ring: Sequence[Point]) -> str | None:
    """``(lon lat, ...)`` rounded to ``DECIMALS``, repeated points dropped, the ring closed.

    None for a ring with fewer than three distinct points: it encloses nothing (the topology
    holds one such ring, a zero-area sliver of North Korea).
    """
    text: list[str] = []
    for lon, lat in ring:
        point = f"{round(lon, DECIMALS) + 0:.{DECIMALS}f} {round(lat, DECIMALS) + 0:.{DECIMALS}f}"
        if not text or text[-1] != point:
            text.append(point)
    if text[0] != text[-1]:
        text.append(text[0])
    if len(text) < 4:
        return None
    return "(" + ", ".join(text) + ")"


def iso_codes(feature: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """ISO 3166-1 numeric and alpha-3 codes of a feature, and a note where there is none."""
    name = feature["properties"]["name"]
    numeric = feature.get("id")
    if numeric is None:
        if name not in NO_ISO_CODE:
            raise ValueError(f"{name}: no id in the topology and no entry in NO_ISO_CODE")
        alpha3, note = NO_ISO_CODE[name]
        return None, alpha3, note
    country = pycountry.countries.get(numeric=numeric)
    if country is None:
        raise ValueError(f"{name}: ISO 3166-1 numeric code {numeric} is unknown to pycountry")
    return numeric, country.alpha_3, None


def build_map(topology: dict[str, Any]) -> pd.DataFrame:
    """One row per polygon of every country: codes, Natural Earth's name, WKT rings."""
    arcs = decode_arcs(topology)
    rows = []
    for feature in topology["objects"]["countries"]["geometries"]:
        numeric, alpha3, note = iso_codes(feature)
        polygons = feature["arcs"] if feature["type"] == "MultiPolygon" else [feature["arcs"]]
        kept = [[text for ring in polygon if (text := ring_wkt(stitch_ring(arcs, ring)))] for polygon in polygons]
        # a polygon whose outer ring encloses nothing is dropped, with its holes
        kept = [
            rings
            for rings, polygon in zip(kept, polygons, strict=True)
            if rings and ring_wkt(stitch_ring(arcs, polygon[0]))
        ]
        for number, rings in enumerate(kept):
            rows.append(
                {
                    "iso3": alpha3,
                    "iso_numeric": numeric,
                    "name": feature["properties"]["name"],
                    "code_note": note,
                    "polygon": number,
                    "wkt": f"POLYGON ({', '.join(rings)})",
                }
            )
    frame = pd.DataFrame(rows, columns=["iso3", "iso_numeric", "name", "code_note", "polygon", "wkt"])
    return frame.sort_values(["name", "polygon"], kind="stable").reset_index(drop=True)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m maintainer.compile_map", description=__doc__.split("\n")[0])
    parser.add_argument("--topojson", type=Path, default=TOPOJSON, help="world-atlas's countries-110m.json")
    parser.add_argument("--data-dir", type=Path, default=data.DATA_DIR, help="the data package to update")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    frame = build_map(read_topology(args.topojson))
    changed = write_validated(RESOURCE, frame, args.data_dir)
    without = frame.loc[frame["iso3"].isna(), "name"].unique()
    print(
        f"compile_map: {frame['name'].nunique()} countries and areas, {len(frame)} polygons; "
        f"without a code: {', '.join(without)}; {'written' if changed else 'unchanged'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
