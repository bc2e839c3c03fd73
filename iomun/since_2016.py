"""Drawing for the chapter "Since 2016": then-and-now dumbbells (the numbers come from the chapter).

Each row of a panel compares one measure at two dates chosen by the chapter (the briefing's
year, or the nearest published year, and the latest year). Rows may have different years;
the years are printed beside each point so that nothing is compared silently across dates.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .figures import WIDE, FigureSpec, add_source_note, add_title, chart
from .palette import BACKGROUND, MUTED_TEXT

COLUMNS = ("then_year", "then", "now_year", "now", "colour")
CLOSE = 0.04  # points nearer than this share of the axis would cover each other: drawn a little apart


@chart
def draw_then_now(
    panels: Mapping[str, pd.DataFrame],
    title: str,
    unit: float,
    unit_label: str,
    source: str,
    decimals: int = 0,
    spec: FigureSpec = WIDE,
) -> Figure:
    """One panel per entry of ``panels`` (title -> table), each with its own horizontal scale.

    A table has one row per measure (the index is the row label) and columns ``then_year``,
    ``then``, ``now_year``, ``now`` and ``colour``. Values are divided by ``unit`` and the axis
    is labelled ``unit_label`` with ``decimals`` decimals; every axis starts at zero. The
    earlier value is a hollow circle (its year below it), the later a filled one (its year above);
    two points that would cover each other are drawn a little apart, the earlier below.
    """
    if not panels:
        raise ValueError("no panel to draw")
    for name, table in panels.items():
        missing = set(COLUMNS) - set(table.columns)
        if missing:
            raise ValueError(f"panel {name!r} lacks columns {sorted(missing)}")
    rows = [len(table) for table in panels.values()]
    row_height = 0.9 if spec.notes else 1.0
    fig, axes = plt.subplots(
        len(panels),
        1,
        figsize=spec.size(1.6 + row_height * sum(rows) + 0.8 * len(panels)),
        gridspec_kw={"height_ratios": rows},
        squeeze=False,
        layout="constrained",
    )
    scale = FuncFormatter(lambda value, _: f"{value:,.{decimals}f}")
    for ax, (name, table) in zip(axes[:, 0], panels.items(), strict=True):
        labels = [textwrap.fill(str(label), 24 if spec.notes else 14) for label in table.index]
        high = max(float(table["then"].max()), float(table["now"].max())) / unit
        for position, (_, row) in enumerate(table.iterrows()):
            then, now = float(row["then"]) / unit, float(row["now"]) / unit
            apart = 0.17 if abs(now - then) < CLOSE * high else 0.0  # y grows downwards: the earlier below
            ax.plot([then, now], [position + apart, position - apart], color=row["colour"], linewidth=2.5, alpha=0.6)
            ax.plot(
                then,
                position + apart,
                "o",
                markersize=9,
                markerfacecolor=BACKGROUND,
                markeredgecolor=row["colour"],
                markeredgewidth=2,
            )
            ax.plot(now, position - apart, "o", markersize=9, color=row["colour"])
            # the earlier year under its point, the later year above: readable even when points touch
            ax.annotate(
                str(int(row["then_year"])),
                xy=(then, position + apart),
                xytext=(0, -7),
                textcoords="offset points",
                ha="center",
                va="top",
                color=MUTED_TEXT,
            )
            ax.annotate(
                str(int(row["now_year"])),
                xy=(now, position - apart),
                xytext=(0, 7),
                textcoords="offset points",
                ha="center",
                va="bottom",
                color=MUTED_TEXT,
            )
        ax.set_yticks(range(len(labels)), labels)
        ax.set_ylim(len(labels) - 0.4, -0.6)
        ax.set_xlim(0, high * 1.1)  # from zero, so that lengths compare honestly
        ax.xaxis.set_major_locator(MaxNLocator(6 if spec.notes else 4))
        ax.xaxis.set_major_formatter(scale)
        ax.set_xlabel(unit_label)
        ax.set_title(
            name if spec.notes else textwrap.fill(name, 30), loc="left", fontsize=spec.text_pt, color=MUTED_TEXT
        )
    legend = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markerfacecolor=BACKGROUND,
            markeredgecolor=MUTED_TEXT,
            markersize=8,
            label="earlier year",
        ),
        Line2D([], [], marker="o", linestyle="", color=MUTED_TEXT, markersize=8, label="latest year"),
    ]
    fig.legend(handles=legend, loc="upper left", ncol=2, frameon=False)
    add_title(fig, title, spec)
    add_source_note(fig, source, spec)
    return fig


def then_now_view(
    table: pd.DataFrame, unit_label: str, divide_by: float = 1, decimals: int | None = None
) -> pd.DataFrame:
    """The chapter's then-and-now ``table`` as a reader reads it: plain headers, each value column
    with its unit (``unit_label``, after dividing by ``divide_by`` and rounding to ``decimals``)."""
    values = table[["then", "now"]] if divide_by == 1 else table[["then", "now"]].astype("float64") / divide_by
    if decimals is not None:
        values = values.round(decimals)
    return pd.DataFrame(
        {
            "earlier year": table["then_year"],
            f"earlier ({unit_label})": values["then"],
            "latest year": table["now_year"],
            f"latest ({unit_label})": values["now"],
            "change (%)": table["change (%)"],
        },
        index=table.index,
    )
