"""The searchable table: complete HTML, a labelled filter box, a safe id."""

from __future__ import annotations

import json
import shutil
import subprocess

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


# A stand-in for the page: a document that records listeners and holds one table of two rows.
# The script is run twice (two cells displaying it) and a reader types into the filter box.
FAKE_PAGE = """
const listeners = [];
const rows = [{textContent: "Jordan JOR member", style: {display: ""}},
              {textContent: "Thailand THA not known", style: {display: ""}}];
globalThis.window = {};
globalThis.document = {
  addEventListener: (type, listener) => { if (type === "input") listeners.push(listener); },
  querySelectorAll: (selector) => (selector === "#countries-today tbody tr" ? rows : []),
};
const script = require("fs").readFileSync(0, "utf8").replace(/<\\/?script>/g, "");
eval(script);
eval(script);
const box = {value: "JOR", getAttribute: (name) => (name === "data-filter-table" ? "countries-today" : null)};
listeners.forEach((listener) => listener({target: box}));
listeners.forEach((listener) => listener({target: {value: "x", getAttribute: () => null}}));
console.log(JSON.stringify({listeners: listeners.length, display: rows.map((row) => row.style.display)}));
"""


def test_filter_script_hides_rows_that_do_not_match_and_listens_once() -> None:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.fail("Node.js is missing: install it (apt-get install nodejs), the book's build needs it too",
                    pytrace=False)
    run = subprocess.run([node, "-e", FAKE_PAGE], input=enable_table_filters().data, capture_output=True,
                         text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {"listeners": 1, "display": ["", "none"]}


def test_table_id_must_be_a_plain_html_id() -> None:
    with pytest.raises(ValueError, match="lowercase HTML id"):
        searchable_table(pd.DataFrame({"a": [1]}), "bad id\"", "x")
