"""HTML tables for the static site."""

from __future__ import annotations

import html
import re

import pandas as pd

# A few lines of the book's own JavaScript: filter rows as the reader types. The table is
# complete without it (print, no-script readers), and nothing is loaded from elsewhere.
_FILTER_SCRIPT = """<script>
(function () {
  var input = document.getElementById("%(id)s-filter");
  if (!input) { return; }
  input.addEventListener("input", function () {
    var needle = input.value.toLowerCase();
    document.querySelectorAll("#%(id)s tbody tr").forEach(function (row) {
      row.style.display = row.textContent.toLowerCase().indexOf(needle) === -1 ? "none" : "";
    });
  });
})();
</script>"""


def searchable_table(frame: pd.DataFrame, table_id: str, caption: str) -> str:
    """HTML for ``frame`` with a labelled filter box that hides rows not matching the text."""
    if not re.fullmatch(r"[a-z][a-z0-9-]*", table_id):
        raise ValueError(f"table_id must be a lowercase HTML id, not {table_id!r}")
    shown = frame.astype(object).where(frame.notna(), "—")  # a gap reads as a gap, not "<NA>"
    table = shown.to_html(index=False, table_id=table_id, border=0, classes="searchable-table")
    table = table.replace(">\n  <thead>", f">\n  <caption>{html.escape(caption)}</caption>\n  <thead>", 1)
    box = (
        f'<p><label for="{table_id}-filter">Filter the table: </label>'
        f'<input id="{table_id}-filter" type="search" placeholder="country, code or status"></p>'
    )
    return box + table + _FILTER_SCRIPT % {"id": table_id}
