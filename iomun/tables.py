"""HTML tables for the static site, with a filter box that works inside widget panes, and
CSV downloads that a spreadsheet cannot run as formulas."""

from __future__ import annotations

import html
import re

import pandas as pd
from IPython.display import HTML

# OWASP "CSV Injection": a cell starting with one of these is run by spreadsheets as a formula
# (or a DDE command); prefixing a single quote makes it text, shown as written.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# The book's own JavaScript, a few lines: one listener on the document filters the rows of
# any table whose filter box the reader types in. Delegation matters because widget panes
# insert their HTML after page load, and scripts inside such HTML never run.
_FILTER_SCRIPT = """<script>
if (!window.iomunTableFilters) {
  window.iomunTableFilters = true;
  document.addEventListener("input", function (event) {
    var id = event.target.getAttribute && event.target.getAttribute("data-filter-table");
    if (!id) { return; }
    var needle = event.target.value.toLowerCase();
    document.querySelectorAll("#" + id + " tbody tr").forEach(function (row) {
      row.style.display = row.textContent.toLowerCase().indexOf(needle) === -1 ? "none" : "";
    });
  });
}
</script>"""


def enable_table_filters() -> HTML:
    """Display once per page, in a plain output cell, to make every filter box work."""
    return HTML(_FILTER_SCRIPT)


def searchable_table(frame: pd.DataFrame, table_id: str, caption: str) -> str:
    """HTML for ``frame`` in a scrollable region, with a labelled filter box."""
    if not re.fullmatch(r"[a-z][a-z0-9-]*", table_id):
        raise ValueError(f"table_id must be a lowercase HTML id, not {table_id!r}")
    shown = frame.astype(object).where(frame.notna(), "—")  # a gap reads as a gap, not "<NA>"
    table = shown.to_html(index=False, table_id=table_id, border=0, classes="searchable-table")
    table = table.replace(">\n  <thead>", f">\n  <caption>{html.escape(caption)}</caption>\n  <thead>", 1)
    box = (
        f'<p><label for="{table_id}-filter">Filter the table: </label>'
        f'<input id="{table_id}-filter" type="search" data-filter-table="{table_id}" '
        'placeholder="country, code or status"></p>'
    )
    region = (
        f'<div role="region" aria-label="{html.escape(caption, quote=True)}" tabindex="0" '
        f'style="max-height:26em;overflow:auto">{table}</div>'
    )
    return box + region


def neutralise_cell(value: object) -> object:
    """A text that would start a spreadsheet formula, prefixed with ``'``; anything else as is.

    A carriage return becomes a line feed: CSV writers quote cells holding their line
    terminator (``\n``) but not a bare ``\r``, after which a reader would start a new row.
    """
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def _safe_labels(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        levels = [_safe_labels(index.get_level_values(i)) for i in range(index.nlevels)]
        return pd.MultiIndex.from_arrays(levels, names=index.names)
    if pd.api.types.is_object_dtype(index) or pd.api.types.is_string_dtype(index):
        return index.map(neutralise_cell)
    return index


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell and label neutralised for spreadsheets (numbers untouched)."""
    safe = frame.copy()
    for column in safe.columns:
        values = safe[column]
        if pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values):
            safe[column] = values.map(neutralise_cell, na_action="ignore")
    safe.index = _safe_labels(safe.index)
    safe.columns = _safe_labels(safe.columns)
    return safe
