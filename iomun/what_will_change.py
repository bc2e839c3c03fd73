"""The chapter "What will change": ranking the status options, and the Missing Migrants figure.

Ranking the options for IOM's relationship with the UN under a set of criterion weights:

The scores (``data/status_options.csv``) are the book's own coding of what FUNDS Briefing 42
argues about each option; the weights say which criteria a reader cares about. A ranking is
the weighted mean of the scores (weights are normalised to sum to one, so the result stays on
the 0-3 scale of the scores). Options with equal weighted scores share a rank, and the table
says so: a tie is never broken silently.

:func:`custom_weights_control` is the live control of the chapter: one slider per criterion,
observed in Python, re-rendering an HTML table. It needs a kernel; the static page offers the
presets of :data:`WEIGHT_PRESETS` through a JavaScript-linked toggle instead.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .figures import WIDE, FigureSpec, add_source_note, add_title, chart
from .palette import AGENCY_COLOURS, TEXT_ACCENT

CRITERION_LABELS: dict[str, str] = {
    "independence": "Independence of IOM",
    "policy_influence": "Policy influence in the UN",
    "governance_continuity": "Little change in governance",
    "normative_role": "Norm-setting role",
    "coordination_access": "Access to UNDG/CEB coordination",
}
"""Criterion key -> label. Every score is oriented so that 3 is the most favourable."""

WEIGHT_PRESETS: dict[str, dict[str, float]] = {
    "Equal weights": {key: 0.2 for key in CRITERION_LABELS},
    "IOM's priority: independence": {
        "independence": 0.4,
        "policy_influence": 0.1,
        "governance_continuity": 0.3,
        "normative_role": 0.1,
        "coordination_access": 0.1,
    },
    "UN coherence: influence and access": {
        "independence": 0.1,
        "policy_influence": 0.35,
        "governance_continuity": 0.1,
        "normative_role": 0.1,
        "coordination_access": 0.35,
    },
    "Protection: norm-setting": {
        "independence": 0.1,
        "policy_influence": 0.2,
        "governance_continuity": 0.1,
        "normative_role": 0.5,
        "coordination_access": 0.1,
    },
}
"""Named weightings (each sums to one), shown by the chapter's static toggle."""

SCORE_DECIMALS = 6  # weighted scores are rounded before ranking, so float noise never splits a tie


def normalise_weights(weights: Mapping[str, float], criteria: list[str]) -> dict[str, float]:
    """Return ``weights`` scaled to sum to one, after checking they fit ``criteria``.

    Every criterion needs a weight (zero is allowed), no unknown criterion may appear, no weight
    may be negative or non-finite, and at least one must be above zero.
    """
    unknown = sorted(set(weights) - set(criteria))
    if unknown:
        raise ValueError(f"weights for unknown criteria: {unknown} (known: {criteria})")
    missing = [c for c in criteria if c not in weights]
    if missing:
        raise ValueError(f"no weight given for criteria: {missing}")
    values = {c: float(weights[c]) for c in criteria}
    bad = {c: w for c, w in values.items() if not math.isfinite(w) or w < 0}
    if bad:
        raise ValueError(f"weights must be finite and not negative: {bad}")
    total = sum(values.values())
    if total <= 0:
        raise ValueError("at least one weight must be above zero")
    return {c: w / total for c, w in values.items()}


def score_matrix(scores: pd.DataFrame) -> pd.DataFrame:
    """Scores in long format (option, criterion, score) spread to one row per option.

    Options keep their order of first appearance; every option must be scored on every criterion.
    """
    required = {"option", "criterion", "score"}
    if not required <= set(scores.columns):
        raise ValueError(f"scores need columns {sorted(required)}, got {list(scores.columns)}")
    options = list(dict.fromkeys(scores["option"]))
    criteria = list(dict.fromkeys(scores["criterion"]))
    wide = scores.pivot(index="option", columns="criterion", values="score").reindex(index=options, columns=criteria)
    if wide.isna().any().any():
        gaps = [(o, c) for o in options for c in criteria if pd.isna(wide.loc[o, c])]
        raise ValueError(f"options not scored on every criterion: {gaps}")
    return wide.astype(float)


def rank_options(scores: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """Rank the options of ``scores`` (long format) by their weighted mean score.

    Returns one row per option, best first, with ``rank`` (tied options share the best rank
    among them, "1, 2, 2, 4"), ``option``, ``weighted_score`` (0-3) and ``tied`` (True when
    another option has the same weighted score). Tied options stay in their input order.
    """
    wide = score_matrix(scores)
    normalised = normalise_weights(weights, list(wide.columns))
    weighted = (wide * pd.Series(normalised)).sum(axis=1).round(SCORE_DECIMALS)
    table = pd.DataFrame({"option": wide.index, "weighted_score": weighted.to_numpy()})
    table["order"] = range(len(table))
    table = table.sort_values(["weighted_score", "order"], ascending=[False, True], kind="stable")
    table["rank"] = table["weighted_score"].rank(method="min", ascending=False).astype(int)
    table["tied"] = table["weighted_score"].duplicated(keep=False)
    return table[["rank", "option", "weighted_score", "tied"]].reset_index(drop=True)


def ranking_html(ranking: pd.DataFrame) -> str:
    """The ranking as an HTML table, ties marked in words ("2 (tie)")."""
    shown = pd.DataFrame(
        {
            "Rank": [f"{r} (tie)" if t else str(r) for r, t in zip(ranking["rank"], ranking["tied"], strict=True)],
            "Option": ranking["option"],
            "Weighted score (0-3)": ranking["weighted_score"].map("{:.2f}".format),
        }
    )
    return shown.to_html(index=False, border=0, classes="dataframe options-ranking")


def custom_weights_control(scores: pd.DataFrame, initial: Mapping[str, float] | None = None) -> widgets.VBox:
    """A slider per criterion that re-ranks the options in an HTML table as the sliders move.

    The callbacks run in Python (``observe``), so the control works only with a live kernel.
    The last child of the returned box is the table; the others are the sliders, labelled with
    the criteria of :data:`CRITERION_LABELS` (or the raw criterion key for a criterion not listed there).
    """
    criteria = list(score_matrix(scores).columns)
    start = dict(initial) if initial is not None else {c: 1.0 for c in criteria}
    normalise_weights(start, criteria)  # fail early on a bad starting point
    sliders = {
        c: widgets.FloatSlider(
            value=float(start[c]),
            min=0.0,
            max=1.0,
            step=0.05,
            description=CRITERION_LABELS.get(c, c),
            readout_format=".2f",
            continuous_update=False,
            style={"description_width": "16em"},
            layout=widgets.Layout(width="32em"),
        )
        for c in criteria
    }
    table = widgets.HTML()

    def refresh(_change: object = None) -> None:
        weights = {c: s.value for c, s in sliders.items()}
        if sum(weights.values()) <= 0:
            table.value = "<p>Set at least one weight above zero to rank the options.</p>"
            return
        table.value = ranking_html(rank_options(scores, weights))

    for slider in sliders.values():
        slider.observe(refresh, names="value")
    refresh()
    return widgets.VBox([*sliders.values(), table])


@chart
def draw_missing_migrants(
    labels: list[str],
    counts: pd.Series,
    shown: pd.Series,
    source: str,
    title: str = "Migrants recorded dead or missing, as IOM published them",
    spec: FigureSpec = WIDE,
) -> Figure:
    """Dead and missing migrants as IOM published them: one bar per published figure (``labels``),
    ``counts`` as numbers (a lower bound for 'more than'), ``shown`` as published; ``title`` states the point."""
    fig, ax = plt.subplots(figsize=spec.size(0.75 * len(labels) + 1.6), layout="constrained")
    names = [textwrap.fill(label, 22 if spec.notes else 16) for label in labels]
    bars = ax.barh(names[::-1], list(counts[::-1]), color=AGENCY_COLOURS["IOM"])
    ax.bar_label(bars, labels=list(shown[::-1]), padding=3, color=TEXT_ACCENT)
    ax.set_xlim(0, counts.max() * (1.4 if spec.notes else 1.6))
    ax.xaxis.set_major_locator(MaxNLocator(4 if spec.notes else 2))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_xlabel("Dead and missing migrants (minimums)" if spec.notes else "Dead and missing (minimums)")
    add_title(fig, title, spec)
    add_source_note(fig, source, spec)
    return fig
