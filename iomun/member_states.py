"""The chapter "Different member states": its drawings, and the one share it states that the claims
ledger and the spot checks state too (the chapter computes its other tables)."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.path import Path
from matplotlib.ticker import MaxNLocator, PercentFormatter

from . import data, maps
from .figures import WIDE, FigureSpec, add_source_note, add_title, chart, mark_briefing_year
from .palette import AGENCY_COLOURS, NEUTRAL_FILL, POPULATION_COLOURS, ROLE_COLOURS, TEXT_ACCENT


def non_party_share(year: int) -> tuple[float, int, int]:
    """Refugees under UNHCR's mandate hosted at the end of ``year`` by every state of the membership
    list party to neither refugee instrument by then: (share, hosted, world). Palestine refugees under
    UNRWA's mandate are outside UNHCR's count, so outside this share."""
    states = data.load("memberships")
    first = states.set_index("iso3")[["convention_1951_year", "protocol_1967_year"]].min(axis=1)
    hosted = data.load("hosted_by_country_of_asylum")
    hosted = hosted[hosted["year"] == year]
    if hosted.empty:
        raise KeyError(f"hosted_by_country_of_asylum: no rows for {year}")
    party = hosted["iso3"].map(first).le(year).fillna(False).astype(bool)
    state = hosted["iso3"].isin(states["iso3"]).astype(bool)
    outside = int(hosted.loc[state & ~party, "refugees"].sum())
    world = int(hosted["refugees"].sum())
    return outside / world, outside, world


@chart
def draw_overlap(counts: pd.Series, title: str, source: str, spec: FigureSpec = WIDE) -> Figure:
    """Horizontal bars: how many states fall in each combination of memberships (UpSet-style)."""
    fig, ax = plt.subplots(figsize=spec.size(0.55 * len(counts) + 1.6), layout="constrained")
    colours = [AGENCY_COLOURS["UNHCR"] if label.startswith("Party") else NEUTRAL_FILL for label in counts.index]
    names = [textwrap.fill(str(label), 30 if spec.notes else 16) for label in counts.index]
    bars = ax.barh(names[::-1], counts.to_numpy()[::-1], color=colours[::-1])
    ax.bar_label(bars, padding=3, color=TEXT_ACCENT)
    ax.set_xlabel("Number of states")
    ax.set_xlim(0, counts.max() * 1.2)
    ax.xaxis.set_major_locator(MaxNLocator(5 if spec.notes else 3, integer=True))
    add_title(fig, title, spec)
    add_source_note(fig, source, spec)
    return fig


@chart
def draw_hosted_share(
    share: pd.Series, briefing_year: int, source: str, marked: dict[int, str], spec: FigureSpec = WIDE
) -> Figure:
    """Line: share of the world's refugees hosted by the states the briefing names.

    ``marked`` labels the years a reader compares (year -> "end-2016"), beside their points.
    """
    fig, ax = plt.subplots(figsize=spec.size(4.8), layout="constrained")
    ax.plot(share.index, share.to_numpy(), color=POPULATION_COLOURS["refugees"], linewidth=2, marker="o", markersize=3)
    for year, label in marked.items():
        # below and left of the point: the line falls into these years from above
        ax.annotate(
            f"{label}: {share[year]:.0%}",
            xy=(year, share[year]),
            xytext=(-6, -10),
            textcoords="offset points",
            ha="right",
            va="top",
            color=TEXT_ACCENT,
        )
    mark_briefing_year(ax, briefing_year, spec, label=briefing_year not in marked)  # a marked year is named
    ax.xaxis.set_major_locator(MaxNLocator(6 if spec.notes else 4, integer=True))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylim(0, share.max() * 1.2)
    ax.set_xlabel("End of year")
    ax.set_ylabel("Share of the world's refugees" if spec.notes else "Share of refugees")
    add_title(fig, "Refugees hosted by the non-party states the briefing names", spec)
    add_source_note(fig, source, spec)
    return fig


MEMBERSHIP_ORDER = [
    "Party and IOM member",
    "Party, not a known IOM member",
    "Not a party, IOM member",
    "Not a party, not a known IOM member",
]
MEMBERSHIP_COLOURS: dict[str, str] = dict(
    zip(
        MEMBERSHIP_ORDER,
        [
            TEXT_ACCENT,  # both: the darkest, the largest group reads first
            AGENCY_COLOURS["UNHCR"],  # the refugee instruments only: UNHCR's blue
            AGENCY_COLOURS["IOM"],  # IOM only: IOM's orange
            NEUTRAL_FILL,  # neither
        ],
        strict=True,
    )
)
"""The four combinations of memberships on the map, each a palette colour (lightness differs too)."""


# A map's layout in inches: title, map (its aspect fixed by the projection); the legend and the
# source note hang below the figure (figures.add_source_note).
_TITLE = 0.75


def _map_figure(title: str, spec: FigureSpec) -> tuple[Figure, plt.Axes]:
    """A figure whose axes fit the projected world exactly, with room for the title."""
    left, right, bottom, top = maps.extent()
    height = spec.width_in * 0.98 * (top - bottom) / (right - left)
    below = 0.05
    above = _TITLE if spec.notes else 0.05
    total = above + height + below
    fig = plt.figure(figsize=spec.size(total))
    ax = fig.add_axes((0.01, below / total, 0.98, height / total))
    add_title(fig, title, spec, y=1 - 0.08 / total, va="top")
    return fig, ax


def _finish_map(
    fig: Figure, ax: plt.Axes, handles: list, source: str, columns: int, spacing: float, spec: FigureSpec
) -> Figure:
    if not spec.notes:  # one column on a phone: long labels on two lines
        for handle in handles:
            handle.set_label(textwrap.fill(handle.get_label(), 30))
    fig.legend(
        handles=handles,
        loc="upper left",
        ncols=columns if spec.notes else 1,
        frameon=False,
        columnspacing=1.4,
        handletextpad=spacing,
        borderaxespad=0.2,
    )
    add_source_note(fig, source, spec)
    return fig


@chart
def draw_membership_map(
    paths: dict[str, Path], on_map: pd.Series, gap: str, title: str, source: str, spec: FigureSpec = WIDE
) -> Figure:
    """Countries filled by their combination of memberships (``on_map``: key -> label); gaps hatched."""
    unknown = set(on_map.tolist()) - set(MEMBERSHIP_COLOURS) - {gap}
    if unknown:  # a misspelt group would silently be drawn as a gap
        raise ValueError(f"no colour for the groups {sorted(unknown)}")
    fig, ax = _map_figure(title, spec)
    maps.draw_countries(ax, paths, {key: MEMBERSHIP_COLOURS.get(label) for key, label in on_map.items()})
    handles = [*maps.fill_handles(MEMBERSHIP_COLOURS), maps.gap_handle(gap)]
    return _finish_map(fig, ax, handles, source, columns=2, spacing=0.6, spec=spec)


@chart
def draw_people_map(
    paths: dict[str, Path],
    points: pd.DataFrame,
    values: pd.Series,
    colour: str,
    unit: str,
    gap: str,
    title: str,
    source: str,
    spec: FigureSpec = WIDE,
) -> Figure:
    """Circles sized by ``values`` (key -> people) over the countries that have a value; the rest hatched."""
    fig, ax = _map_figure(title, spec)
    maps.draw_countries(ax, paths, {key: ROLE_COLOURS["none found"] for key in values.index}, borders=NEUTRAL_FILL)
    shown = values[values.gt(0) & values.index.isin(points.index)]
    largest = float(shown.max())
    area = maps.biggest_area(spec.width_in)
    maps.draw_symbols(ax, points, shown, colour, maps.symbol_sizes(shown, largest, area))
    handles = [*maps.symbol_handles(ax, maps.legend_values(largest), largest, colour, unit, area), maps.gap_handle(gap)]
    return _finish_map(fig, ax, handles, source, columns=2, spacing=1.4, spec=spec)
