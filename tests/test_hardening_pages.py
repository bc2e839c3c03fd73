"""Data texts reach pages and figures exactly: no curled quotes, no mathtext (issue 25, cases 8 and 13)."""

from __future__ import annotations

from html.parser import HTMLParser

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from iomun import data, figures
from iomun.division_of_labor import draw_mandate_matrix
from maintainer.paths import HTML


def test_an_entity_name_with_dollar_signs_is_drawn_as_written() -> None:
    figures.apply_style()
    name = "UN$\\foo{HCR$"
    matrix = pd.DataFrame(
        {name: ["lead", "none found"], "IOM": ["contributes", "coordinates"]},
        index=pd.Index(["Refugees", "Migrants in general"], name="population_group"),
    )
    drawn = draw_mandate_matrix(matrix, "Source: a test matrix", "A title with US$ 1 and US$ 2")
    for fig in (drawn.wide, drawn.phone):
        labels = [label.get_text() for ax in fig.axes for label in ax.get_xticklabels()]
        assert [label for label in labels if label] == [name, "IOM"]
        png = figures.figure_png(fig)  # drawing is where mathtext used to fail
        assert png.startswith(b"\x89PNG")
    plt.close("all")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, text: str) -> None:
        self.parts.append(text)


@pytest.mark.book
def test_the_data_page_shows_descriptor_texts_exactly_with_straight_quotes() -> None:
    page = (HTML / "book" / "data_sources.html").read_text(encoding="utf-8")
    reader = _Text()
    reader.feed(page)
    shown = " ".join(" ".join(reader.parts).split())
    texts = [
        t
        for r in data.read_descriptor()["resources"]
        for t in [r.get("description", ""), *r.get("caveats", [])]
        if "'" in t or '"' in t
    ]
    assert len(texts) > 5  # the package has texts with apostrophes and quotes
    missing = [t for t in texts if " ".join(t.split()) not in shown]
    assert not missing, f"not shown exactly (curled?): {missing[0]!r}"
