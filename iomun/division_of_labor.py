"""Drawings for the chapter "Global division of labor": the mandate matrix and Figure 2.

The chapter computes the tables; these functions only draw them. Years without a value
stay empty: lines break at gaps and nothing is interpolated.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .figures import WIDE, FigureSpec, add_source_note, add_title, chart, mark_briefing_year
from .palette import AGENCY_COLOURS, BACKGROUND, INK, ROLE_COLOURS

ROLE_ORDER = list(ROLE_COLOURS)  # from no role to the lead role
LINE_DASHES = ["-", "--", ":"]
LINE_MARKERS = ["o", "s", "^"]
# Cell labels short enough for a column of the matrix at a readable size; the legend spells them out.
ROLE_SHORT = {"lead": "lead", "coordinates": "coord.", "contributes": "contr.", "none found": ""}
PHONE_COLUMNS = 5  # entities per panel of the phone layout


def agency_of(label: str) -> str:
    """The agency a Figure 2 column belongs to: its first word ("UNHCR final budget" -> "UNHCR")."""
    agency = label.split()[0]
    if agency not in AGENCY_COLOURS:
        raise ValueError(f"Figure 2 column {label!r} does not start with an agency name ({', '.join(AGENCY_COLOURS)})")
    return agency


def _matrix_panel(ax: plt.Axes, matrix: pd.DataFrame, show_rows: bool, slant: bool = False) -> None:
    codes = matrix.apply(lambda column: column.map(ROLE_ORDER.index))
    ax.imshow(
        codes.to_numpy(),
        cmap=ListedColormap(list(ROLE_COLOURS.values())),
        vmin=0,
        vmax=len(ROLE_ORDER) - 1,
        aspect="auto",
    )
    # slanted on a phone, where the names are nearly as wide as the columns
    ax.set_xticks(
        range(matrix.shape[1]),
        matrix.columns,
        rotation=35 if slant else 0,
        ha="left" if slant else "center",
        rotation_mode="anchor",
    )
    ax.set_yticks(range(matrix.shape[0]), [textwrap.fill(str(g), 14) for g in matrix.index] if show_rows else [])
    ax.xaxis.tick_top()
    ax.set_xticks(np.arange(-0.5, matrix.shape[1]), minor=True)
    ax.set_yticks(np.arange(-0.5, matrix.shape[0]), minor=True)
    ax.grid(which="minor", color=BACKGROUND, linewidth=1.5)
    ax.grid(which="major", visible=False)
    ax.tick_params(which="both", length=0)
    for (row, col), role in np.ndenumerate(matrix.to_numpy()):
        if ROLE_SHORT.get(role):
            ax.text(
                col,
                row,
                ROLE_SHORT[role],
                ha="center",
                va="center",
                color=BACKGROUND if role in ("lead", "coordinates") else INK,
            )


@chart
def draw_mandate_matrix(matrix: pd.DataFrame, source: str, title: str, spec: FigureSpec = WIDE) -> Figure:
    """Heatmap of roles: rows are population groups, columns UN entities (cells hold role names, shortened
    as the legend says); ``title`` states the point. A phone gets the entities in panels of five, stacked."""
    groups = [matrix.iloc[:, i : i + PHONE_COLUMNS] for i in range(0, matrix.shape[1], PHONE_COLUMNS)]
    if spec.notes:
        groups = [matrix]
    row_height = 0.5 if spec.notes else 0.45
    fig, axes = plt.subplots(
        len(groups),
        1,
        figsize=spec.size(row_height * len(matrix) * len(groups) + 2.2),
        layout="constrained",
        squeeze=False,
    )
    for ax, part in zip(axes[:, 0], groups, strict=True):
        _matrix_panel(ax, part, show_rows=True, slant=not spec.notes)
    labels = {
        role: (f"{role} ({ROLE_SHORT[role]})" if ROLE_SHORT[role] not in ("", role) else role) for role in ROLE_COLOURS
    }
    fig.legend(
        handles=[Patch(color=c, label=labels[r]) for r, c in ROLE_COLOURS.items()],
        loc="upper left",
        ncol=2 if spec.notes else 1,
        frameon=False,
    )
    add_title(fig, title, spec)
    add_source_note(fig, source, spec)
    return fig


@chart
def draw_agency_money(
    table: pd.DataFrame,
    ylabel: str,
    title: str,
    source: str,
    mark_year: int,
    read_in_copy: pd.DataFrame | None = None,
    spec: FigureSpec = WIDE,
) -> Figure:
    """Figure 2: one line per column, years as index, gaps left empty.

    ``read_in_copy`` (same shape as ``table``, True where a value was read in a copy of the
    official document) draws those points hollow, as the source policy asks.

    A column is named after its agency ("UNHCR", "IOM") or starts with it ("UNHCR approved budget"):
    the agency gives the colour, and a second or third line of one agency gets its own dash and
    marker so that the lines stay apart without colour. The x axis spans the years with a value.
    """
    fig, ax = plt.subplots(figsize=spec.size(5.2 if spec.notes else 4.3), layout="constrained")
    known = table.dropna(how="all")
    if known.empty:
        raise ValueError("Figure 2 has no year with a value")
    lines_per_agency = pd.Series([agency_of(label) for label in table.columns]).value_counts()
    seen: dict[str, int] = {}
    for label in table.columns:
        agency = agency_of(label)
        style = seen.get(agency, 0)
        seen[agency] = style + 1
        values = table[label].astype("float64")
        ax.plot(
            values.index,
            values.to_numpy() / 1e9,
            marker=LINE_MARKERS[style],
            markersize=4,
            linewidth=2,
            linestyle=LINE_DASHES[style],
            color=AGENCY_COLOURS[agency],
            label=label,
        )
        last = values.last_valid_index()
        if last is not None and lines_per_agency[agency] == 1:  # several lines of one agency: the legend names them
            # above the highest of the last three values: clear of a line that turns down at the end
            ax.annotate(
                label,
                xy=(last, values.dropna().iloc[-3:].max() / 1e9),
                xytext=(0, 8),
                textcoords="offset points",
                ha="right",
                va="bottom",
                fontsize=spec.text_pt,
                fontweight="bold",
                color=AGENCY_COLOURS[agency],
            )
    copies_marked = mark_read_in_copies(ax, table, read_in_copy)
    mark_briefing_year(ax, mark_year, spec)
    first, last_year = int(known.index.min()), int(known.index.max())
    ax.set_xlim(first - 0.5, last_year + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(6 if spec.notes else 4, integer=True))
    top = np.nanmax(known.to_numpy(dtype="float64")) / 1e9
    ax.set_ylim(0, top * 1.3)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.1f}"))
    ax.set_xlabel("Year")
    ax.set_ylabel(ylabel if spec.notes else ylabel.replace("Billions of ", "US$ bn, ").replace(" US dollars", ""))
    if any(lines_per_agency > 1) or copies_marked:
        fig.legend(loc="upper left", ncol=2 if spec.notes else 1, frameon=False)
    add_title(fig, title, spec)
    add_source_note(fig, source, spec)
    return fig


READ_IN_COPY_LABEL = "read in a copy of the official document"


def mark_read_in_copies(ax: plt.Axes, table: pd.DataFrame, read_in_copy: pd.DataFrame | None) -> bool:
    """Redraw as hollow markers the values read in a copy of the official document (one legend
    entry); whether any was drawn."""
    if read_in_copy is None:
        return False
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
        ax.plot(
            points.index,
            points.to_numpy() / 1e9,
            linestyle="none",
            marker=LINE_MARKERS[style],
            markersize=7,
            markerfacecolor=BACKGROUND,
            markeredgecolor=AGENCY_COLOURS[agency],
            markeredgewidth=1.6,
            zorder=3,
            label=None if labelled else READ_IN_COPY_LABEL,
        )
        labelled = True
    return labelled
