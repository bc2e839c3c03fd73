"""The static toggle helper: panes, links in JavaScript, alt text."""

from __future__ import annotations

import base64

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest
from bs4 import BeautifulSoup
from ipywidgets.widgets.widget_link import Link

from iomun import figures, toggle
from iomun.figures import Caption, figure_png, img_tag


def _pane(text: str) -> widgets.HTML:
    return toggle.html_pane(f"<p>{text}</p>")


def _links(box: widgets.Widget) -> list[Link]:
    """jslink objects whose source or target is inside ``box``."""
    inside = {id(w) for w in _walk(box)}
    return [
        w
        for w in widgets.Widget.widgets.values()
        if isinstance(w, Link) and id(w.source[0]) in inside and id(w.target[0]) in inside
    ]


def _walk(widget: widgets.Widget) -> list[widgets.Widget]:
    found = [widget]
    for child in getattr(widget, "children", ()):
        found += _walk(child)
    return found


def test_static_toggle_links_selector_to_stack_in_javascript() -> None:
    box = toggle.static_toggle("Lens:", {"UNHCR": _pane("a"), "IOM": _pane("b")})
    selector, stack = box.children
    assert isinstance(selector, widgets.ToggleButtons)
    assert list(selector.options) == ["UNHCR", "IOM"]
    assert isinstance(stack, widgets.Stack) and stack.selected_index == 0
    links = _links(box)
    assert [(link.source[1], link.target[1]) for link in links] == [("index", "selected_index")]


def test_static_toggle_needs_two_panes() -> None:
    with pytest.raises(ValueError, match="two panes"):
        toggle.static_toggle("Lens:", {"only": _pane("a")})


def test_grid_links_column_selector_to_every_inner_stack() -> None:
    panes = {row: {col: _pane(row + col) for col in ["x", "y"]} for row in ["1", "2", "3"]}
    box = toggle.static_toggle_grid("Period:", "Lens:", panes)
    rows, columns, outer = box.children
    assert list(rows.options) == ["1", "2", "3"] and list(columns.options) == ["x", "y"]
    assert len(outer.children) == 3
    assert outer.children[2].children[1].value == "<p>3y</p>"
    assert len(_links(box)) == 1 + 3


def test_grid_rejects_ragged_options() -> None:
    with pytest.raises(ValueError, match="expected"):
        toggle.static_toggle_grid(
            "P", "L", {"1": {"x": _pane("a"), "y": _pane("b")}, "2": {"y": _pane("c"), "x": _pane("d")}}
        )


def test_figure_pane_carries_png_and_alt_text() -> None:
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    caption = Caption("1.2", "Units rise", "Source: a test", "Read the line left to right")
    pane = toggle.figure_pane(fig, alt='Line rising from 3 to 4 "units"', caption=caption)
    # What a reader's browser gets: one figure, named for the prose's links (the id itself is in the
    # page, not in a pane), holding the chart as a PNG with its alt text and the numbered caption.
    figure = BeautifulSoup(pane.value, "html.parser").find_all("figure")
    assert len(figure) == 1 and figure[0]["data-figure-id"] == "figure-1-2" and not figure[0].get("id")
    image = figure[0].find("img")
    assert base64.b64decode(image["src"].removeprefix("data:image/png;base64,"))[:8] == b"\x89PNG\r\n\x1a\n"
    assert image["alt"] == 'Line rising from 3 to 4 "units"'
    assert " ".join(figure[0].find("figcaption").get_text(" ").split()).startswith("Figure 1.2: Units rise.")


def test_figure_png_is_deterministic() -> None:
    def draw() -> bytes:
        fig, ax = plt.subplots()
        ax.bar(["a", "b"], [1, 2])
        return figure_png(fig)

    assert draw() == draw()


def test_img_tag_refuses_empty_alt() -> None:
    with pytest.raises(ValueError, match="alt text"):
        img_tag(b"\x89PNG", "  ")


def test_a_pane_shown_alone_drops_what_to_pick_and_keeps_its_number():
    caption = figures.Caption("2.2", "UNHCR spent more", "Source: CEB", "Each line is one agency", "Pick dollars")
    pane = toggle.figure_pane(plt.figure(), "alt", caption).value
    assert "Pick dollars." in pane
    alone = figures.single_pane(pane, caption)
    assert "Pick dollars" not in alone
    assert "Figure 2.2:" in alone and "Each line is one agency." in alone
    with pytest.raises(ValueError, match="Figure 2.3"):
        figures.single_pane(pane, figures.Caption("2.3", "other", "s", "r"))


def test_a_pane_shown_alone_can_state_only_what_it_draws():
    """A toggle's shared headline may speak of every pane; shown alone, the pane carries its own."""
    shared = figures.Caption("7.1", "Refugees +80%; IOM's expenses +129%", "Sources", "Each line", "Switch views")
    pane = toggle.figure_pane(plt.figure(), "alt", shared).value
    own = figures.Caption("7.1", "Refugees went from 17.2 million to 31.0 million", "Sources", "Each line")
    alone = figures.single_pane(pane, shared, own)
    assert "17.2 million" in alone and "129" not in alone and "Figure 7.1:" in alone
    with pytest.raises(ValueError, match="Figure 7.2"):
        figures.single_pane(pane, shared, figures.Caption("7.2", "other", "s", "r"))
