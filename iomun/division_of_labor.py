"""Drawings for the chapter "Global division of labor": the mandate matrix and Figure 2.

The chapter computes the tables; these functions only draw them. Years without a value
stay empty: lines break at gaps and nothing is interpolated.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from .figures import add_source_note, mark_briefing_year
from .palette import AGENCY_COLOURS, BACKGROUND, INK, ROLE_COLOURS, TEXT_ACCENT

ROLE_ORDER = list(ROLE_COLOURS)  # from no role to the lead role
LINE_DASHES = ["-", "--", ":"]
LINE_MARKERS = ["o", "s", "^"]


def agency_of(label: str) -> str:
    """The agency a Figure 2 column belongs to: its first word ("UNHCR final budget" -> "UNHCR")."""
    agency = label.split()[0]
    if agency not in AGENCY_COLOURS:
        raise ValueError(f"Figure 2 column {label!r} does not start with an agency name ({', '.join(AGENCY_COLOURS)})")
    return agency


def draw_mandate_matrix(matrix: pd.DataFrame, source: str, title: str) -> Figure:
    """Heatmap of roles: rows are population groups, columns UN entities (cells hold role names);
    ``title`` states the point."""
    codes = matrix.apply(lambda column: column.map(ROLE_ORDER.index))
    fig, ax = plt.subplots(figsize=(9.5, 0.42 * len(matrix) + 1.8))
    ax.imshow(codes.to_numpy(), cmap=ListedColormap(list(ROLE_COLOURS.values())), vmin=0, vmax=len(ROLE_ORDER) - 1,
              aspect="auto")
    ax.set_xticks(range(matrix.shape[1]), matrix.columns, rotation=0, fontsize=9)
    ax.set_yticks(range(matrix.shape[0]), matrix.index, fontsize=9)
    ax.xaxis.tick_top()
    ax.set_xticks(np.arange(-0.5, matrix.shape[1]), minor=True)
    ax.set_yticks(np.arange(-0.5, matrix.shape[0]), minor=True)
    ax.grid(which="minor", color=BACKGROUND, linewidth=1.5)
    ax.grid(which="major", visible=False)
    ax.tick_params(which="both", length=0)
    for (row, col), role in np.ndenumerate(matrix.to_numpy()):
        if role != "none found":
            ax.text(col, row, role, ha="center", va="center", fontsize=7,
                    color=BACKGROUND if role in ("lead", "coordinates") else INK)
    ax.legend(handles=[Patch(color=c, label=r) for r, c in ROLE_COLOURS.items()],
              loc="upper left", bbox_to_anchor=(0, -0.02), ncol=4, fontsize=8, frameon=False)
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold", color=TEXT_ACCENT)
    fig.tight_layout(rect=(0, 0.05, 1, 0.97))
    add_source_note(fig, source)
    return fig


def draw_agency_money(table: pd.DataFrame, ylabel: str, title: str, source: str, mark_year: int,
                      read_in_copy: pd.DataFrame | None = None) -> Figure:
    """Figure 2: one line per column, years as index, gaps left empty.

    ``read_in_copy`` (same shape as ``table``, True where a value was read in a copy of the
    official document) draws those points hollow, as the source policy asks.

    A column is named after its agency ("UNHCR", "IOM") or starts with it ("UNHCR approved budget"):
    the agency gives the colour, and a second or third line of one agency gets its own dash and
    marker so that the lines stay apart without colour.
    """
    fig, ax = plt.subplots(figsize=(9, 4.6))
    lines_per_agency = pd.Series([agency_of(label) for label in table.columns]).value_counts()
    seen: dict[str, int] = {}
    for label in table.columns:
        agency = agency_of(label)
        style = seen.get(agency, 0)
        seen[agency] = style + 1
        values = table[label].astype("float64")
        ax.plot(values.index, values.to_numpy() / 1e9, marker=LINE_MARKERS[style], markersize=4, linewidth=2,
                linestyle=LINE_DASHES[style], color=AGENCY_COLOURS[agency], label=label)
        last = values.last_valid_index()
        if last is not None and lines_per_agency[agency] == 1:  # several lines of one agency: the legend names them
            ax.annotate(label, xy=(last, values[last] / 1e9), xytext=(6, 0), textcoords="offset points",
                        va="center", fontsize=9, fontweight="bold", color=AGENCY_COLOURS[agency])
    mark_read_in_copies(ax, table, read_in_copy)
    mark_briefing_year(ax, mark_year)
    ax.set_xlim(table.index.min() - 0.5, table.index.max() + 1.5)
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.1f}"))
    ax.set_xlabel("Year")
    ax.set_ylabel(ylabel)
    ax.legend(loc="upper left", frameon=False)
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold", color=TEXT_ACCENT)
    fig.tight_layout(rect=(0, 0.07, 1, 0.97))
    add_source_note(fig, source)
    return fig


READ_IN_COPY_LABEL = "read in a copy of the official document"


def mark_read_in_copies(ax: plt.Axes, table: pd.DataFrame, read_in_copy: pd.DataFrame | None) -> None:
    """Redraw as hollow markers the values read in a copy of the official document (one legend entry)."""
    if read_in_copy is None:
        return
    mask = read_in_copy.reindex(index=table.index, columns=table.columns).fillna(False).astype(bool)
    labelled = False
    seen: dict[str, int] = {}
    for label in table.columns:
        agency = agency_of(label)
        style = seen.get(agency, 0)
        seen[agency] = style + 1
        points = table[label][mask[label] & table[label].notna()].astype("float64")
        if points.empty:
            continue
        ax.plot(points.index, points.to_numpy() / 1e9, linestyle="none", marker=LINE_MARKERS[style], markersize=7,
                markerfacecolor=BACKGROUND, markeredgecolor=AGENCY_COLOURS[agency], markeredgewidth=1.6, zorder=3,
                label=None if labelled else READ_IN_COPY_LABEL)
        labelled = True
