"""Numbers, tables, glued values and figure captions as a reader meets them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from iomun import figures, prose, tables


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (np.int64(153000000), "153,000,000"),
        (2016, "2016"),
        (np.int64(135), "135"),
        (3.94284e9, "3,942,840,000"),
        (588700000.0, "588,700,000"),
        (14.9, "14.9"),
        (1e-5, "0.00001"),
        (0.1 + 0.2, "0.3"),
        (pd.NA, "—"),
        (np.nan, "—"),
        (None, "—"),
        ("A/RES/73/195", "A/RES/73/195"),
    ],
)
def test_reader_number(value: object, shown: object) -> None:
    assert tables.reader_number(value) == shown


def test_reader_table_groups_numbers_marks_gaps_and_scrolls_in_a_labelled_region() -> None:
    frame = pd.DataFrame(
        {"refugees": [17184286, None], "label": ["a", "<b>"]}, index=pd.Index([2016, 2025], name="year")
    )
    markup = tables.reader_table_html(frame, "Refugees by year")
    assert "17,184,286" in markup and "<td>—</td>" in markup
    assert ">2016<" in markup  # years keep four plain digits
    assert "&lt;b&gt;" in markup  # strings from data are escaped
    assert 'role="region" aria-label="Refugees by year" tabindex="0"' in markup
    assert tables.GAP_NOTE in markup
    assert "NaN" not in markup and "&lt;NA&gt;" not in markup


def test_reader_table_without_gaps_has_no_note_and_hides_a_default_index() -> None:
    markup = tables.reader_table_html(pd.DataFrame({"n": [1, 2]}))
    assert tables.GAP_NOTE not in markup
    assert "<th>0</th>" not in markup
    assert 'aria-label="Table: n"' in markup


def test_a_series_is_shown_as_a_table() -> None:
    markup = tables.reader_table_html(pd.Series({"IOM": np.float64(2.4567)}, name="growth"))
    assert "<th>growth</th>" in markup and "2.4567" in markup


def test_glue_all_glues_plain_values(monkeypatch: pytest.MonkeyPatch) -> None:
    glued = {}
    monkeypatch.setattr(prose, "glue", lambda key, value, display: glued.update({key: (value, display)}))
    prose.glue_all({"parties": np.int64(135), "people": 17184286, "name": "IOM", "ratio": np.float64(1.5)})
    assert glued == {
        "parties": ("135", False),
        "people": ("17,184,286", False),
        "name": ("IOM", False),
        "ratio": ("1.5", False),
    }


def test_caption_numbers_links_and_escapes() -> None:
    caption = figures.Caption(
        "1.1", "Migrants outnumber refugees", "Source: UN DESA & UNHCR", "Each panel has its own axis"
    )
    markup = figures.figure_html("<img>", caption)
    assert markup.startswith('<figure class="book-figure" id="figure-1-1"><img>')
    assert "Figure 1.1:" in markup and "UN DESA &amp; UNHCR." in markup


@pytest.mark.parametrize(("number", "point"), [("1", "x"), ("Figure 1.1", "x"), ("1.1", " ")])
def test_caption_refuses_bad_numbers_and_empty_parts(number: str, point: str) -> None:
    with pytest.raises(ValueError):
        figures.Caption(number, point, "Source: x", "Read it")


def test_binder_url_comes_from_the_config(tmp_path) -> None:
    from iomun import live

    config = tmp_path / "_config.yml"
    config.write_text(
        "repository:\n  url: https://github.com/someone/fork.git\n  branch: pages\n"
        "launch_buttons:\n  binderhub_url: https://mybinder.org/\n"
    )
    assert live.binder_url("notebooks/03_x.ipynb", config) == (
        "https://mybinder.org/v2/gh/someone/fork/pages?urlpath=lab/tree/notebooks/03_x.ipynb"
    )


def test_static_stand_in_shows_the_default_and_the_link() -> None:
    from iomun import live

    markup = live.static_stand_in(
        "Set your own <weights>",
        "sliders re-rank the options.",
        "<table></table>",
        "notebooks/03_what_will_change.ipynb",
    )
    assert "Set your own &lt;weights&gt;" in markup and "<table></table>" in markup
    assert "urlpath=lab/tree/notebooks/03_what_will_change.ipynb" in markup


def test_reader_table_links_a_short_label_and_drops_the_address() -> None:
    frame = pd.DataFrame({"title": ["1951 <Convention>"], "url": ['https://example.org/a?b=1&c="2"']})
    markup = tables.reader_table_html(frame, "Sources", link=("title", "url"))
    assert '<a href="https://example.org/a?b=1&amp;c=&quot;2&quot;">1951 &lt;Convention&gt;</a>' in markup
    assert "<th>url</th>" not in markup


def test_reader_table_escapes_labels_from_data() -> None:
    frame = pd.DataFrame({"<i>entity</i>": [1]}, index=pd.Index(["<b>group</b>"], name="<u>g</u>"))
    markup = tables.reader_table_html(frame)
    assert "<i>" not in markup and "<b>" not in markup and "<u>" not in markup
    assert "&lt;b&gt;group&lt;/b&gt;" in markup
