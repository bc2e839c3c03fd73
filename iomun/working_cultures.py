"""Drawings for the chapter "Different working cultures" (the numbers come from the chapter).

The chapter computes the tables; these functions only draw them. Missing years stay
missing: lines break at gaps and nothing is interpolated.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from .figures import WIDE, FigureSpec, add_source_note, add_title, chart, mark_briefing_year
from .palette import AGENCY_COLOURS, BACKGROUND, MUTED_TEXT, TEXT_ACCENT


@chart
def draw_spending_vs_budget(table: pd.DataFrame, title: str, source: str, spec: FigureSpec = WIDE) -> Figure:
    """Bars of spending as a share of the budget set in advance, one bar per agency and year.

    ``table`` has one row per bar with columns ``agency``, ``year`` and ``percent``
    (spending divided by the budget, times 100); rows are drawn in order, agencies apart.
    """
    missing = {"agency", "year", "percent"} - set(table.columns)
    if missing:
        raise ValueError(f"table lacks columns {sorted(missing)}")
    fig, ax = plt.subplots(figsize=spec.size(4.8), layout="constrained")
    positions, labels, previous = [], [], None
    for row in table.itertuples(index=False):
        step = 1.0 if previous in (None, row.agency) else 1.8  # a wider gap between agencies
        positions.append((positions[-1] + step) if positions else 0.0)
        labels.append(f"{row.agency}\n{row.year}")
        previous = row.agency
    colours = [AGENCY_COLOURS[agency] for agency in table["agency"]]
    bars = ax.bar(positions, table["percent"].astype("float64"), color=colours, width=0.75)
    for bar, value in zip(bars, table["percent"].astype("float64"), strict=True):
        ax.annotate(
            f"{value:.0f}%",
            xy=(bar.get_x() + bar.get_width() / 2, value),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            color=TEXT_ACCENT,
        )
    ax.axhline(100, color=MUTED_TEXT, linestyle="--", linewidth=1)
    ax.annotate(
        "= budget",
        xy=(1, 100),
        xycoords=("axes fraction", "data"),
        xytext=(-4, 4),
        textcoords="offset points",
        ha="right",
        va="bottom",
        color=MUTED_TEXT,
        bbox={"facecolor": BACKGROUND, "edgecolor": "none", "pad": 1},
    )
    ax.set_xticks(positions, labels)
    ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set_ylim(0, max(125.0, float(table["percent"].max()) * 1.25))
    ax.set_xlabel("Agency and year")
    ax.set_ylabel("Spending as a share of the budget (%)" if spec.notes else "Spent / budget (%)")
    add_title(fig, title, spec)
    add_source_note(fig, source, spec)
    return fig


@chart
def draw_expenses_relative(
    expenses: pd.DataFrame, title: str, source: str, mark_year: int, spec: FigureSpec = WIDE
) -> Figure:
    """Left: each agency's expenses (columns ``UNHCR`` and ``IOM``, years as index) in billions
    of US dollars; right: IOM's expenses as a percentage of UNHCR's. On a phone, one above the other."""
    for agency in ("UNHCR", "IOM"):
        if agency not in expenses.columns:
            raise ValueError(f"expenses lacks column {agency!r}")
    if spec.notes:
        fig, (money, ratio) = plt.subplots(
            1, 2, figsize=spec.size(5.0), gridspec_kw={"width_ratios": [3, 2]}, layout="constrained"
        )
    else:
        fig, (money, ratio) = plt.subplots(2, 1, figsize=spec.size(6.6), sharex=True, layout="constrained")
    for agency in ("UNHCR", "IOM"):
        values = expenses[agency].astype("float64") / 1e9
        money.plot(
            values.index,
            values.to_numpy(),
            marker="o",
            markersize=4,
            linewidth=2,
            color=AGENCY_COLOURS[agency],
            label=agency,
        )
        last = values.last_valid_index()
        money.annotate(
            agency,
            xy=(last, values.dropna().iloc[-3:].max()),
            xytext=(0, 8),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontweight="bold",
            color=AGENCY_COLOURS[agency],
        )
    share = (expenses["IOM"].astype("float64") / expenses["UNHCR"].astype("float64")) * 100
    ratio.plot(share.index, share.to_numpy(), marker="o", markersize=4, linewidth=2, color=AGENCY_COLOURS["IOM"])
    money.set_title("Total expenses", loc="left", fontsize=spec.text_pt, color=MUTED_TEXT)
    ratio.set_title("IOM's as a share of UNHCR's", loc="left", fontsize=spec.text_pt, color=MUTED_TEXT)
    money.set_ylabel("Billions of current US$")
    money.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.1f}"))
    ratio.set_ylabel("IOM / UNHCR (%)")
    ratio.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    money.set_ylim(0, float(expenses.max().max()) / 1e9 * 1.3)
    ratio.set_ylim(0, 100)
    for ax in (money, ratio):
        if spec.notes or ax is ratio:
            ax.set_xlabel("Year")
        ax.set_xlim(expenses.index.min() - 0.5, expenses.index.max() + 0.5)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4 if spec.notes else 5, integer=True))
        mark_briefing_year(ax, mark_year, spec, label=ax is money)
    add_title(fig, title, spec)
    add_source_note(fig, source, spec)
    return fig
