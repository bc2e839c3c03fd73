"""World maps drawn with matplotlib from ``data/world_map.csv`` (no npm, no network).

The resource holds Natural Earth's 1:110m country outlines as WKT polygons in longitude and
latitude (built by ``python -m maintainer.compile_map``). This module reads the rings, joins
the rings Natural Earth cuts at the antimeridian, projects them with the Equal Earth
projection (equal-area, so a large country does not look more important than it is), and
draws filled countries or proportional symbols. What a chapter colours is computed in the
chapter; a country without a value is drawn as a gap, hatched, never filled in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path

from . import data
from .palette import BACKGROUND, MUTED_TEXT, NEUTRAL_FILL, TEXT_ACCENT

# Equal Earth (Šavrič, Patterson and Jenny, 2018): polynomial coefficients of the projection.
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_SQRT3 = np.sqrt(3.0)
_RING = re.compile(r"\(([^()]*)\)")
SOUTHERN_EDGE = -58.0  # the maps stop short of Antarctica, where no one counted lives
GAP_HATCH = "////"


def parse_wkt(text: str) -> list[np.ndarray]:
    """The rings of a WKT ``POLYGON`` as arrays of (longitude, latitude); outer ring first."""
    if not text.startswith("POLYGON ("):
        raise ValueError(f"not a WKT polygon: {text[:40]!r}")
    rings = []
    for body in _RING.findall(text[len("POLYGON (") :]):
        ring = np.array([[float(value) for value in point.split()] for point in body.split(",")])
        if ring.shape[1] != 2 or len(ring) < 4:
            raise ValueError(f"a ring needs at least four (lon lat) points: {body[:40]!r}")
        if (np.abs(ring[:, 0]) > 180).any() or (np.abs(ring[:, 1]) > 90).any():
            raise ValueError(f"a point lies outside -180..180, -90..90: {body[:40]!r}")
        if not np.array_equal(ring[0], ring[-1]):
            raise ValueError(f"a ring is not closed: {body[:40]!r}")
        rings.append(ring)
    if not rings:
        raise ValueError(f"a polygon without rings: {text[:40]!r}")
    return rings


def unwrap(ring: np.ndarray) -> np.ndarray:
    """A ring with continuous longitudes (a step of over 180 degrees crosses the antimeridian).

    A ring that encircles a pole (Antarctica) ends 360 degrees from where it began; it is
    closed along the pole's latitude so that it fills the cap, not the rest of the world.
    """
    lon = ring[:, 0].copy()
    steps = np.diff(lon)
    lon[1:] -= 360.0 * np.cumsum(np.round(steps / 360.0))
    result = np.column_stack([lon, ring[:, 1]])
    if abs(lon[-1] - lon[0]) > 180:
        pole = 90.0 if ring[:, 1].mean() > 0 else -90.0
        result = np.vstack([result, [[lon[-1], pole], [lon[0], pole], result[:1, :][0]]])
    return result


def equal_earth(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Equal Earth x and y (unit sphere) of longitudes and latitudes in degrees."""
    lam, phi = np.radians(lon), np.radians(lat)
    theta = np.arcsin(_SQRT3 / 2 * np.sin(phi))
    t2, t6 = theta**2, theta**6
    x = 2 * _SQRT3 * lam * np.cos(theta) / (3 * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


def outline(points: int = 181) -> np.ndarray:
    """The projected edge of the world (the meridians at -180 and 180), to clip and frame maps."""
    lat = np.linspace(-90, 90, points)
    east = np.column_stack(equal_earth(np.full(points, 180.0), lat))
    west = np.column_stack(equal_earth(np.full(points, -180.0), lat[::-1]))
    return np.vstack([east, west, east[:1]])


def _projected(ring: np.ndarray, clockwise: bool) -> np.ndarray:
    xy = np.column_stack(equal_earth(ring[:, 0], ring[:, 1]))
    area = np.sum(xy[:-1, 0] * xy[1:, 1] - xy[1:, 0] * xy[:-1, 1])
    # outer rings anticlockwise and holes clockwise, so matplotlib's winding rule leaves holes empty
    return xy[::-1] if (area < 0) != clockwise else xy


def polygon_path(wkt: str) -> Path:
    """One polygon, projected, as a matplotlib path; drawn again 360 degrees over if it crosses
    the antimeridian (the map's clip keeps what lies inside the world's edge)."""
    rings = [unwrap(ring) for ring in parse_wkt(wkt)]
    shifts = [0.0]
    low, high = min(r[:, 0].min() for r in rings), max(r[:, 0].max() for r in rings)
    shifts += [-360.0] if high > 180 else []
    shifts += [360.0] if low < -180 else []
    vertices, codes = [], []
    for shift in shifts:
        for number, ring in enumerate(rings):
            xy = _projected(ring + [shift, 0.0], clockwise=number > 0)
            vertices.append(xy)
            codes.append([Path.MOVETO] + [Path.LINETO] * (len(xy) - 2) + [Path.CLOSEPOLY])
    return Path(np.vstack(vertices), np.concatenate(codes))


def boundaries_source(data_dir=data.DATA_DIR) -> str:
    """The caption's credit for the outlines, read from the world_map resource's descriptor."""
    source = data.resource_descriptor("world_map", data_dir)["sources"][0]
    licence = source["license"].split(" (")[0].lower()
    return f"Boundaries: {source['title'].split(', as TopoJSON')[0]} ({licence}), via world-atlas."


def feature_key(world_map: pd.DataFrame) -> pd.Series:
    """The key a map feature joins on: its ISO3 code, or its name where it has none."""
    return world_map["iso3"].fillna(world_map["name"]).astype(str)


def country_paths(world_map: pd.DataFrame) -> dict[str, Path]:
    """Every country or area of the resource as one compound path, keyed by :func:`feature_key`."""
    paths: dict[str, list[Path]] = {}
    for key, wkt in zip(feature_key(world_map), world_map["wkt"], strict=True):
        paths.setdefault(key, []).append(polygon_path(str(wkt)))
    return {key: Path.make_compound_path(*parts) for key, parts in paths.items()}


def symbol_points(world_map: pd.DataFrame) -> pd.DataFrame:
    """Where a country's symbol goes: the centroid of its largest polygon's outer ring (x, y)."""
    rows = []
    for key, wkt in zip(feature_key(world_map), world_map["wkt"], strict=True):
        xy = _projected(unwrap(parse_wkt(str(wkt))[0]), clockwise=False)
        x, y = xy[:, 0], xy[:, 1]
        cross = x[:-1] * y[1:] - x[1:] * y[:-1]
        area = cross.sum() / 2
        cx = ((x[:-1] + x[1:]) * cross).sum() / (6 * area)
        cy = ((y[:-1] + y[1:]) * cross).sum() / (6 * area)
        rows.append({"key": key, "area": area, "x": cx, "y": cy})
    largest = pd.DataFrame(rows).sort_values("area", kind="stable").groupby("key").tail(1)
    return largest.set_index("key")[["x", "y"]].sort_index()


def categories(world_map: pd.DataFrame, labels: Mapping[str, str], gap: str) -> pd.Series:
    """The category of every map feature: ``labels[iso3]``, or ``gap`` where it has none."""
    keys = feature_key(world_map).drop_duplicates()
    return pd.Series([labels.get(key, gap) for key in keys], index=keys.to_numpy(), dtype="string")


def extent() -> tuple[float, float, float, float]:
    """The projected box a world map shows (left, right, bottom, top): the world's edge, less Antarctica."""
    edge = outline()
    half_width, top = float(edge[:, 0].max()) * 1.01, float(edge[:, 1].max()) * 1.01
    bottom = float(equal_earth(np.array([0.0]), np.array([SOUTHERN_EDGE]))[1][0])
    return -half_width, half_width, bottom, top


def frame_axes(ax: Axes) -> PathPatch:
    """Set up ``ax`` for a world map: equal aspect, no ticks, the world's edge drawn; returns the clip."""
    edge = PathPatch(Path(outline()), facecolor="none", edgecolor=MUTED_TEXT, linewidth=0.6)
    ax.add_patch(edge)
    left, right, bottom, top = extent()
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return edge


def draw_countries(
    ax: Axes, paths: Mapping[str, Path], fills: Mapping[str, str | None], borders: str = BACKGROUND
) -> None:
    """Fill each country with ``fills[key]``; ``None`` (or a missing key) draws it as a hatched gap."""
    edge = frame_axes(ax)
    for key, path in paths.items():
        colour = fills.get(key)
        style = (
            {"facecolor": colour}
            if colour
            else {"facecolor": BACKGROUND, "hatch": GAP_HATCH, "hatchcolor": NEUTRAL_FILL}
        )
        patch = PathPatch(path, edgecolor=borders, linewidth=0.3, **style)
        ax.add_patch(patch)
        patch.set_clip_path(edge)


def gap_handle(label: str) -> Patch:
    """The legend entry of a gap, drawn as the map draws it."""
    return Patch(facecolor=BACKGROUND, edgecolor=NEUTRAL_FILL, hatch=GAP_HATCH, label=label)


def fill_handles(colours: Mapping[str, str]) -> list[Patch]:
    """Legend entries for filled categories, in the order given."""
    return [
        Patch(facecolor=colour, edgecolor=MUTED_TEXT, linewidth=0.4, label=label) for label, colour in colours.items()
    ]


BIGGEST_AREA = 700.0  # points squared, the largest circle on a map 7 inches wide


def biggest_area(map_width_in: float) -> float:
    """The largest circle's area on a map ``map_width_in`` wide: circles scale with the map."""
    return BIGGEST_AREA * (map_width_in / 7.0) ** 2


def symbol_sizes(values: pd.Series, largest: float, biggest_area: float = BIGGEST_AREA) -> pd.Series:
    """Marker areas (points squared) proportional to ``values``; ``largest`` gets ``biggest_area``."""
    return values.astype(float) / largest * biggest_area


def legend_values(largest: float) -> list[int]:
    """Three round reference values for a symbol legend, the biggest no larger than ``largest``."""
    top = 10 ** np.floor(np.log10(largest))
    top = max(step * top for step in (1, 2, 5) if step * top <= largest)
    return [int(top / 10), int(top / 2), int(top)]


def draw_symbols(ax: Axes, points: pd.DataFrame, values: pd.Series, colour: str, sizes: pd.Series) -> None:
    """Circles at ``points`` (x, y by key) with areas ``sizes``; the largest drawn first."""
    order = values.sort_values(ascending=False).index
    ax.scatter(
        points.loc[order, "x"],
        points.loc[order, "y"],
        s=sizes.loc[order],
        color=colour,
        alpha=0.75,
        edgecolors=TEXT_ACCENT,
        linewidths=0.5,
        zorder=3,
    )


def symbol_handles(
    ax: Axes, examples: Sequence[int], largest: float, colour: str, label: str, biggest_area: float = BIGGEST_AREA
) -> list:
    """Legend entries for three reference sizes of :func:`draw_symbols`."""
    sizes = symbol_sizes(pd.Series(examples), largest, biggest_area)
    return [
        ax.scatter(
            [],
            [],
            s=size,
            color=colour,
            alpha=0.75,
            edgecolors=TEXT_ACCENT,
            linewidths=0.5,
            label=f"{people(value)} {label}",
        )
        for value, size in zip(examples, sizes, strict=True)
    ]


def people(value: int) -> str:
    """A round number of people as a legend says it: "200,000", "5 million", "2.5 million"."""
    return f"{value / 1e6:g} million" if value >= 1_000_000 else f"{value:,}"
