"""The searchable table: complete HTML, a labelled filter box, a safe id."""

from __future__ import annotations

import pandas as pd
import pytest

from iomun.tables import enable_table_filters, searchable_table


def test_table_has_caption_labelled_filter_and_every_row() -> None:
    frame = pd.DataFrame({"country": ["Jordan", "Thailand"], "party since": [pd.NA, 1951]})
    markup = searchable_table(frame, "countries-today", "States today")
    assert '<label for="countries-today-filter">' in markup and 'id="countries-today-filter"' in markup
    assert "<caption>States today</caption>" in markup
    assert markup.count("<tr") == 3  # header and two rows, all present without the script
    assert "<td>—</td>" in markup  # a gap is shown as a gap
    assert 'data-filter-table="countries-today"' in markup
    assert 'tabindex="0"' in markup  # the scrollable region is reachable from the keyboard


def test_filter_script_is_delegated_and_loaded_once() -> None:
    script = enable_table_filters().data
    assert 'document.addEventListener("input"' in script and "window.iomunTableFilters" in script


def test_table_id_must_be_a_plain_html_id() -> None:
    with pytest.raises(ValueError, match="lowercase HTML id"):
        searchable_table(pd.DataFrame({"a": [1]}), "bad id\"", "x")
