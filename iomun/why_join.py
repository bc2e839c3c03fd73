"""Drawing of Figure 1 under the two definitional lenses (the numbers come from the chapter).

The chapter computes a wide table, one row per year and one column per population group,
and these functions only draw it. Missing years stay missing: lines break and bars are
absent, nothing is interpolated.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from .figures import add_source_note, mark_briefing_year
from .palette import BACKGROUND, MUTED_TEXT, POPULATION_COLOURS, TEXT_ACCENT

LABELS = {
    "other_international_migrants": "Other international migrants (UN DESA stock minus refugees and asylum-seekers)",
    "refugees": "Refugees under UNHCR's mandate",
    "asylum_seekers": "Asylum-seekers",
    "palestine_refugees": "Palestine refugees under UNRWA's mandate",
    "idps": "Internally displaced people (IDMC, conflict and violence)",
}

_millions = FuncFormatter(lambda value, _: f"{value / 1e6:,.0f}")


def _finish(fig: Figure, axes: list[plt.Axes], title: str, source: str, years: tuple[int, int]) -> Figure:
    for ax in axes:
        ax.yaxis.set_major_formatter(_millions)
        ax.set_xlim(years[0] - 1, years[1] + 1)
        ax.set_xlabel("Year")
    axes[0].set_ylabel("People (millions)")
    handles = [h for ax in axes for h in ax.get_legend_handles_labels()[0]]
    labels = [label for ax in axes for label in ax.get_legend_handles_labels()[1]]
    fig.legend(handles, labels, loc="lower left", bbox_to_anchor=(0.01, 0.06), ncol=2, fontsize=8, frameon=False)
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold", color=TEXT_ACCENT)
    fig.tight_layout(rect=(0, 0.2, 1, 0.97))
    add_source_note(fig, source)
    return fig


def draw_unhcr_lens(table: pd.DataFrame, briefing_year: int, source: str) -> Figure:
    """Refugees and asylum-seekers apart from other migrants; IDPs in their own panel."""
    fig, (international, internal) = plt.subplots(
        1, 2, figsize=(10, 4.8), sharey=True, gridspec_kw={"width_ratios": [2, 1]}
    )
    for group in ["other_international_migrants", "refugees", "asylum_seekers", "palestine_refugees"]:
        series = table[group].astype("float64")
        marker = "o" if group == "other_international_migrants" else None
        international.plot(series.index, series.to_numpy(), color=POPULATION_COLOURS[group],
                           marker=marker, linewidth=2, label=LABELS[group])
    idps = table["idps"].astype("float64")
    internal.plot(idps.index, idps.to_numpy(), color=POPULATION_COLOURS["idps"], linewidth=2,
                  label=LABELS["idps"])
    international.set_title("Across borders: refugees are not migrants", fontsize=10, color=MUTED_TEXT)
    internal.set_title("Within borders: IDPs", fontsize=10, color=MUTED_TEXT)
    for ax in (international, internal):
        mark_briefing_year(ax, briefing_year)
    years = (int(table.index.min()), int(table.index.max()))
    return _finish(fig, [international, internal], "Figure 1, UNHCR's lens: distinct populations", source, years)


def draw_iom_lens(table: pd.DataFrame, briefing_year: int, source: str) -> Figure:
    """One stacked total: everyone who moved is a migrant, in the years all parts are known."""
    groups = ["other_international_migrants", "refugees", "asylum_seekers", "palestine_refugees", "idps"]
    complete = table[groups].dropna()
    fig, ax = plt.subplots(figsize=(10, 4.8))
    bottom = pd.Series(0.0, index=complete.index)
    for group in groups:
        values = complete[group].astype("float64")
        ax.bar(complete.index, values, bottom=bottom, width=2.4, color=POPULATION_COLOURS[group],
               label=LABELS[group], edgecolor=BACKGROUND, linewidth=0.5)
        bottom += values
    for year, total in bottom.items():
        ax.annotate(f"{total / 1e6:,.0f} m", xy=(year, total), xytext=(0, 3), textcoords="offset points",
                    ha="center", fontsize=8, color=TEXT_ACCENT)
    mark_briefing_year(ax, briefing_year)
    ax.set_ylim(0, bottom.max() * 1.25)
    years = (int(table.index.min()), int(table.index.max()))
    return _finish(fig, [ax], "Figure 1, IOM's lens: all who move are migrants", source, years)
