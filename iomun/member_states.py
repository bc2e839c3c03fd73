"""Drawings for the chapter "Different member states" (the chapter computes the tables)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.path import Path
from matplotlib.ticker import PercentFormatter

from . import maps
from .figures import add_source_note, mark_briefing_year
from .palette import AGENCY_COLOURS, NEUTRAL_FILL, POPULATION_COLOURS, ROLE_COLOURS, TEXT_ACCENT


def draw_overlap(counts: pd.Series, title: str, source: str) -> Figure:
    """Horizontal bars: how many states fall in each combination of memberships (UpSet-style)."""
    fig, ax = plt.subplots(figsize=(9, 3.6))
    colours = [AGENCY_COLOURS["UNHCR"] if label.startswith("Party") else NEUTRAL_FILL for label in counts.index]
    bars = ax.barh(counts.index[::-1], counts.to_numpy()[::-1], color=colours[::-1])
    ax.bar_label(bars, padding=3, fontsize=9, color=TEXT_ACCENT)
    ax.set_xlabel("Number of states")
    ax.set_xlim(0, counts.max() * 1.15)
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold", color=TEXT_ACCENT)
    fig.tight_layout(rect=(0, 0.08, 1, 0.95))
    add_source_note(fig, source)
    return fig


def draw_hosted_share(share: pd.Series, briefing_year: int, source: str, marked: dict[int, str]) -> Figure:
    """Line: share of the world's refugees hosted by the states the briefing names.

    ``marked`` labels the years a reader compares (year -> "end-2016"), beside their points.
    """
    fig, ax = plt.subplots(figsize=(9, 4.2))
    ax.plot(share.index, share.to_numpy(), color=POPULATION_COLOURS["refugees"], linewidth=2, marker="o", markersize=3)
    for year, label in marked.items():
        # below and left of the point: the line falls into these years from above
        ax.annotate(f"{label}: {share[year]:.0%}", xy=(year, share[year]), xytext=(-6, -10), textcoords="offset points",
                    ha="right", va="top", fontsize=9, color=TEXT_ACCENT)
    mark_briefing_year(ax, briefing_year)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylim(0, share.max() * 1.2)
    ax.set_xlabel("End of year")
    ax.set_ylabel("Share of the world's refugees")
    fig.suptitle("Refugees hosted by the non-party states the briefing names", x=0.01, ha="left",
                 fontweight="bold", color=TEXT_ACCENT)
    fig.tight_layout(rect=(0, 0.07, 1, 0.95))
    add_source_note(fig, source)
    return fig


MEMBERSHIP_ORDER = ["Party and IOM member", "Party, not a known IOM member",
                    "Not a party, IOM member", "Not a party, not a known IOM member"]
MEMBERSHIP_COLOURS: dict[str, str] = dict(zip(MEMBERSHIP_ORDER, [
    TEXT_ACCENT,  # both: the darkest, the largest group reads first
    AGENCY_COLOURS["UNHCR"],  # the refugee instruments only: UNHCR's blue
    AGENCY_COLOURS["IOM"],  # IOM only: IOM's orange
    NEUTRAL_FILL,  # neither
], strict=True))
"""The four combinations of memberships on the map, each a palette colour (lightness differs too)."""


# A map's layout in inches: title, map (its aspect fixed by the projection), legend rows, source note.
# Drawn at 7 inches, a map shows near its natural size in the book's column, so its legend stays legible.
_MAP_WIDTH, _TITLE, _LEGEND_ROW, _SOURCE = 7.0, 0.75, 0.27, 0.45
_LEGEND_FONT = 9


def _map_figure(title: str, legend_rows: int) -> tuple[Figure, plt.Axes]:
    """A figure whose axes fit the projected world exactly, with room for title, legend and source."""
    left, right, bottom, top = maps.extent()
    height = _MAP_WIDTH * 0.98 * (top - bottom) / (right - left)
    below = legend_rows * _LEGEND_ROW + _SOURCE
    total = _TITLE + height + below
    fig = plt.figure(figsize=(_MAP_WIDTH, total))
    ax = fig.add_axes((0.01, below / total, 0.98, height / total))
    fig.suptitle(title, x=0.01, y=1 - 0.08 / total, ha="left", va="top", fontweight="bold", color=TEXT_ACCENT,
                 fontsize=12, wrap=True)
    return fig, ax


def _finish_map(fig: Figure, ax: plt.Axes, handles: list, source: str, columns: int, spacing: float) -> Figure:
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, ax.get_position().y0), ncols=columns,
               fontsize=_LEGEND_FONT, frameon=False, columnspacing=1.4, handletextpad=spacing, borderaxespad=0.2)
    add_source_note(fig, source)
    return fig


def draw_membership_map(paths: dict[str, Path], on_map: pd.Series, gap: str, title: str, source: str) -> Figure:
    """Countries filled by their combination of memberships (``on_map``: key -> label); gaps hatched."""
    unknown = set(on_map.tolist()) - set(MEMBERSHIP_COLOURS) - {gap}
    if unknown:  # a misspelt group would silently be drawn as a gap
        raise ValueError(f"no colour for the groups {sorted(unknown)}")
    fig, ax = _map_figure(title, legend_rows=3)
    maps.draw_countries(ax, paths, {key: MEMBERSHIP_COLOURS.get(label) for key, label in on_map.items()})
    handles = [*maps.fill_handles(MEMBERSHIP_COLOURS), maps.gap_handle(gap)]
    return _finish_map(fig, ax, handles, source, columns=2, spacing=0.6)


def draw_people_map(paths: dict[str, Path], points: pd.DataFrame, values: pd.Series, colour: str, unit: str,
                    gap: str, title: str, source: str) -> Figure:
    """Circles sized by ``values`` (key -> people) over the countries that have a value; the rest hatched."""
    fig, ax = _map_figure(title, legend_rows=2)
    maps.draw_countries(ax, paths, {key: ROLE_COLOURS["none found"] for key in values.index}, borders=NEUTRAL_FILL)
    shown = values[values.gt(0) & values.index.isin(points.index)]
    largest = float(shown.max())
    maps.draw_symbols(ax, points, shown, colour, maps.symbol_sizes(shown, largest))
    handles = [*maps.symbol_handles(ax, maps.legend_values(largest), largest, colour, unit), maps.gap_handle(gap)]
    return _finish_map(fig, ax, handles, source, columns=2, spacing=1.4)
