"""Toggles that work without a kernel: buttons linked in JavaScript to a stack of panes.

Every pane is computed in advance; ``ipywidgets.jslink`` ties the selector's ``index`` to
the ``Stack``'s ``selected_index`` in the browser, so switching works in the static site
(saved widget state) as well as in a live kernel.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import ipywidgets as widgets
from matplotlib.figure import Figure

from .figures import Caption, Chart, figure_html, image_html


def figure_pane(fig: Chart | Figure, alt: str, caption: Caption) -> widgets.HTML:
    """A pane showing a chart (both layouts: :func:`iomun.figures.chart_html`) with ``alt`` text, numbered
    and captioned.

    Give every pane of a toggle the same number: the figure keeps it whatever the reader picks.
    The link target is in the page, not in the pane (see :func:`iomun.figures.figure_html`).
    """
    return widgets.HTML(value=figure_html(image_html(fig, alt), caption, anchored=False))


def html_pane(markup: str) -> widgets.HTML:
    """A pane showing HTML (for example ``DataFrame.to_html()``)."""
    return widgets.HTML(value=markup)


def _selector(label: str, options: Sequence[str]) -> widgets.ToggleButtons:
    return widgets.ToggleButtons(
        options=list(options),
        index=0,
        description=label,
        tooltips=list(options),
        style={"description_width": "initial", "button_width": "auto"},
    )


def static_toggle(label: str, panes: Mapping[str, widgets.Widget]) -> widgets.VBox:
    """One selector over ``panes`` (option label -> pane); the first option shows first."""
    if len(panes) < 2:
        raise ValueError("a toggle needs at least two panes")
    selector = _selector(label, list(panes))
    stack = widgets.Stack(list(panes.values()), selected_index=0)
    widgets.jslink((selector, "index"), (stack, "selected_index"))
    return widgets.VBox([selector, stack])


def static_toggle_grid(
    row_label: str, column_label: str, panes: Mapping[str, Mapping[str, widgets.Widget]]
) -> widgets.VBox:
    """Two independent selectors over a grid of panes: ``panes[row][column]``.

    One outer stack per row option holds one inner stack per column option; the column
    selector is linked to every inner stack, so both choices survive each other's clicks.
    """
    rows = list(panes)
    columns = list(panes[rows[0]])
    if len(rows) < 2 or len(columns) < 2:
        raise ValueError("a toggle grid needs at least two options on each axis")
    for row in rows:
        if list(panes[row]) != columns:
            raise ValueError(f"row '{row}' has options {list(panes[row])}, expected {columns}")
    row_selector = _selector(row_label, rows)
    column_selector = _selector(column_label, columns)
    inner = [widgets.Stack([panes[row][c] for c in columns], selected_index=0) for row in rows]
    outer = widgets.Stack(inner, selected_index=0)
    widgets.jslink((row_selector, "index"), (outer, "selected_index"))
    for stack in inner:
        widgets.jslink((column_selector, "index"), (stack, "selected_index"))
    return widgets.VBox([row_selector, column_selector, outer])
