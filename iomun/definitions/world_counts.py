"""The chapter's drawing: world counts under each definition, as stacked bars on one scale."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..figures import WIDE, FigureSpec, add_source_note, add_title, chart
from ..palette import MUTED_TEXT, TEXT_ACCENT
from ..population_groups import GROUPS


@chart
def draw_counts(
    bars: pd.DataFrame,
    title: str,
    source: str,
    ymax: float,
    decimals: int = 1,
    xlabel: str = "Year of the estimate",
    spec: FigureSpec = WIDE,
) -> Figure:
    """Stacked bars in millions: one bar per row of ``bars`` (its label), one stack per population group.

    Totals are labelled with ``decimals`` decimals (0 for values published to the million).

    Columns are keys of :data:`iomun.population_groups.GROUPS`, drawn in the group's colour under
    its label (its short label on a phone); missing values are left out (no bar segment), never drawn as zero.
    """
    fig, ax = plt.subplots(figsize=spec.size(5.0 if spec.notes else 4.6), layout="constrained")
    positions = list(range(len(bars)))
    bottom = [0.0] * len(bars)
    for column in bars.columns:
        values = (bars[column].astype("float64") / 1e6).tolist()
        shown = [i for i, v in enumerate(values) if pd.notna(v)]
        ax.bar(
            [positions[i] for i in shown],
            [values[i] for i in shown],
            bottom=[bottom[i] for i in shown],
            color=GROUPS[column].colour,
            label=GROUPS[column].label if spec.notes else GROUPS[column].short_label,
            width=0.55,
        )
        bottom = [b + (values[i] if i in shown else 0.0) for i, b in enumerate(bottom)]
    unit = " m" if spec.notes else ""
    for position, total in zip(positions, bottom, strict=True):
        ax.annotate(
            f"{total:,.{decimals}f}{unit}",
            (position, total),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=spec.text_pt,
            color=TEXT_ACCENT,
            fontweight="bold",
        )
    ax.set_xticks(positions, [str(label) for label in bars.index])
    ax.set_xlim(-0.7, len(bars) - 0.3)
    ax.set_ylim(0, ymax / 1e6)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10]))
    ax.grid(axis="x", visible=False)
    ax.set_ylabel("People (millions)")
    ax.set_xlabel(xlabel)
    fig.legend(loc="upper left", frameon=False)
    ax.tick_params(axis="x", labelcolor=MUTED_TEXT)
    add_title(fig, title, spec)
    add_source_note(fig, source, spec)
    return fig
