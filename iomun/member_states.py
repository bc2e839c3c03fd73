"""Drawings for the chapter "Different member states" (the chapter computes the tables)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from .figures import add_source_note, mark_briefing_year
from .palette import AGENCY_COLOURS, NEUTRAL_FILL, POPULATION_COLOURS, TEXT_ACCENT


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


def draw_hosted_share(share: pd.Series, briefing_year: int, source: str) -> Figure:
    """Line: share of the world's refugees hosted by the states the briefing names."""
    fig, ax = plt.subplots(figsize=(9, 4.2))
    ax.plot(share.index, share.to_numpy(), color=POPULATION_COLOURS["refugees"], linewidth=2, marker="o", markersize=3)
    mark_briefing_year(ax, briefing_year)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylim(0, share.max() * 1.2)
    ax.set_xlabel("Year")
    ax.set_ylabel("Share of refugees under UNHCR's mandate")
    fig.suptitle("Refugees hosted by the non-party states the briefing names", x=0.01, ha="left",
                 fontweight="bold", color=TEXT_ACCENT)
    fig.tight_layout(rect=(0, 0.07, 1, 0.95))
    add_source_note(fig, source)
    return fig
