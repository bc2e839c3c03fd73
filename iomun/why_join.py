"""Drawing of Figure 1 under the two definitional lenses (the numbers come from the chapter).

The chapter computes a wide table, one row per year and one column per population group,
and these functions only draw it. Missing years stay missing: lines break and bars are
absent, nothing is interpolated.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .figures import WIDE, FigureSpec, add_source_note, add_title, chart, mark_briefing_year
from .palette import BACKGROUND, MUTED_TEXT, POPULATION_COLOURS, TEXT_ACCENT
from .population_groups import labels as group_labels

_millions = FuncFormatter(lambda value, _: f"{value / 1e6:,.0f}")


def _labels(spec: FigureSpec) -> dict[str, str]:
    """The groups' legend labels: a laptop's, or a phone's one line each."""
    return group_labels(short=not spec.notes)


def _finish(
    fig: Figure,
    axes: list[plt.Axes],
    title: str,
    source: str,
    years: tuple[int, int],
    spec: FigureSpec,
    briefing_year: int,
) -> Figure:
    for ax in axes:
        ax.yaxis.set_major_formatter(_millions)
        ax.set_xlim(years[0] - 1, years[1] + 1)
        if spec.notes:
            ax.xaxis.set_major_locator(MaxNLocator(4, integer=True))
        else:  # a phone: the first year, the briefing's and the last
            ax.set_xticks(sorted({years[0], briefing_year, years[1]}))
    axes[-1].set_xlabel("Year")
    axes[0].set_ylabel("People (millions)")
    handles = [h for ax in axes for h in ax.get_legend_handles_labels()[0]]
    labels = [label for ax in axes for label in ax.get_legend_handles_labels()[1]]
    fig.legend(handles, labels, loc="upper left", ncol=1, frameon=False)
    add_title(fig, title, spec)
    add_source_note(fig, source, spec)
    return fig


@chart
def draw_unhcr_lens(
    table: pd.DataFrame, briefing_year: int, source: str, point: str, spec: FigureSpec = WIDE
) -> Figure:
    """Small multiples, each group on an axis of its own: other migrants, the refugee groups, IDPs;
    the title is ``point`` over the lens's name. Side by side on a laptop, stacked on a phone.

    The refugee groups are a few tens of millions beside a migrant stock of hundreds of millions;
    on one shared axis their lines would lie flat near zero, so each panel gets its own scale.
    """
    if spec.notes:
        fig, (migrants, refugees, internal) = plt.subplots(1, 3, figsize=spec.size(5.4), layout="constrained")
    else:
        fig, (migrants, refugees, internal) = plt.subplots(
            3, 1, figsize=spec.size(8.2), layout="constrained", sharex=True
        )
    panels = {
        migrants: ["other_international_migrants"],
        refugees: ["refugees", "asylum_seekers", "palestine_refugees"],
        internal: ["idps"],
    }
    for ax, groups in panels.items():
        for group in groups:
            series = table[group].astype("float64")
            marker = "o" if group == "other_international_migrants" else None
            ax.plot(
                series.index,
                series.to_numpy(),
                color=POPULATION_COLOURS[group],
                marker=marker,
                linewidth=2,
                label=_labels(spec)[group],
            )
        ax.set_ylim(0, table[groups].max().max() * 1.3)
        mark_briefing_year(ax, briefing_year, spec, label=ax is migrants)
    migrants.set_title("Other migrants", loc="left", color=MUTED_TEXT, fontsize=spec.text_pt)
    refugees.set_title("Refugee groups", loc="left", color=MUTED_TEXT, fontsize=spec.text_pt)
    internal.set_title("Internally displaced", loc="left", color=MUTED_TEXT, fontsize=spec.text_pt)
    years = (int(table.index.min()), int(table.index.max()))
    return _finish(
        fig,
        [migrants, refugees, internal],
        f"{point}\nUNHCR's lens: refugees are not migrants, and each group has its own scale",
        source,
        years,
        spec,
        briefing_year,
    )


def _stack_bars(
    ax, complete: pd.DataFrame, groups: list[str], width: float, linewidth: float, labels: dict[str, str]
) -> pd.Series:
    """Stack one bar a year of ``groups`` (columns of ``complete``) in the palette; the totals a year."""
    bottom = pd.Series(0.0, index=complete.index)
    for group in groups:
        values = complete[group].astype("float64")
        ax.bar(
            complete.index,
            values,
            bottom=bottom,
            width=width,
            color=POPULATION_COLOURS[group],
            label=labels[group],
            edgecolor=BACKGROUND,
            linewidth=linewidth,
        )
        bottom += values
    return bottom


@chart
def draw_iom_lens(table: pd.DataFrame, briefing_year: int, source: str, point: str, spec: FigureSpec = WIDE) -> Figure:
    """One stacked total: everyone who moved is a migrant, in the years all parts are known; the title
    is ``point`` over the lens's name."""
    groups = ["other_international_migrants", "refugees", "asylum_seekers", "palestine_refugees", "idps"]
    complete = table[groups].dropna()
    fig, ax = plt.subplots(figsize=spec.size(5.6 if spec.notes else 5.4), layout="constrained")
    bottom = _stack_bars(ax, complete, groups, width=2.4, linewidth=0.5, labels=_labels(spec))
    # every total on a laptop; on a phone the first, the briefing's year and the last (room for 11 px)
    shown = (
        bottom
        if spec.notes
        else bottom[[y for y in bottom.index if y in (bottom.index[0], briefing_year, bottom.index[-1])]]
    )
    for year, total in shown.items():
        ax.annotate(
            f"{total / 1e6:,.0f}",
            xy=(year, total),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            fontsize=spec.text_pt,
            color=TEXT_ACCENT,
        )
    mark_briefing_year(ax, briefing_year, spec)
    ax.set_ylim(0, bottom.max() * 1.3)
    years = (int(table.index.min()), int(table.index.max()))
    return _finish(
        fig,
        [ax],
        f"{point}\nIOM's lens: all who move are migrants, one total a year",
        source,
        years,
        spec,
        briefing_year,
    )


FORCED_GROUPS = ["refugees", "asylum_seekers", "palestine_refugees", "idps"]


@chart
def draw_forced_displacement(
    table: pd.DataFrame, title: str, source: str, briefing_year: int, spec: FigureSpec = WIDE
) -> Figure:
    """Stacked bars, one a year, of the forcibly displaced groups (``FORCED_GROUPS`` columns of
    ``table``), drawn only in years where every group is known; the briefing's year and the last
    year carry their totals."""
    complete = table[FORCED_GROUPS].dropna()
    if complete.empty:
        raise ValueError("no year in which every forcibly displaced group is known")
    fig, ax = plt.subplots(figsize=spec.size(5.4), layout="constrained")
    bottom = _stack_bars(ax, complete, FORCED_GROUPS, width=0.8, linewidth=0.3, labels=_labels(spec))
    for year in sorted({briefing_year, int(complete.index.max())} & set(complete.index)):
        ax.annotate(
            f"{bottom[year] / 1e6:,.1f} m",
            xy=(year, bottom[year]),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            fontsize=spec.text_pt,
            fontweight="bold",
            color=TEXT_ACCENT,
        )
    mark_briefing_year(ax, briefing_year, spec)
    ax.set_ylim(0, bottom.max() * 1.3)
    return _finish(
        fig, [ax], title, source, (int(complete.index.min()), int(complete.index.max())), spec, briefing_year
    )
