"""The searchable table: complete HTML, a labelled filter box, a safe id; CSV downloads that
spreadsheets cannot run as formulas."""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from iomun import data, figures, tables
from iomun.tables import enable_table_filters, searchable_table
from maintainer import data_page

ROOT = Path(__file__).resolve().parent.parent


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
        pytest.fail(
            "Node.js is missing: install it (apt-get install nodejs), the book's build needs it too", pytrace=False
        )
    run = subprocess.run(
        [node, "-e", FAKE_PAGE],
        input=enable_table_filters().data,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {"listeners": 1, "display": ["", "none"]}


def test_table_id_must_be_a_plain_html_id() -> None:
    with pytest.raises(ValueError, match="lowercase HTML id"):
        searchable_table(pd.DataFrame({"a": [1]}), 'bad id"', "x")


# --- CSV downloads cannot run as spreadsheet formulas (OWASP "CSV Injection") --------------

HOSTILE_CELLS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def _cells(csv_text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(csv_text, newline="")) for cell in row]


def test_a_chapter_download_neutralises_formulas_and_keeps_numbers() -> None:
    frame = pd.DataFrame(
        {"note": HOSTILE_CELLS, "value": [-1.5, 2, -3, 4, 5, 6]},
        index=pd.Index(["=A1", "b", "c", "d", "e", "f"], name="key"),
    )
    link = figures.download_link(frame, "t.csv", "Download").data
    payload = re.search(r'href="data:text/csv;base64,([^"]+)"', link).group(1)
    cells = _cells(base64.b64decode(payload).decode("utf-8"))
    texts = [c for c in cells if not re.fullmatch(r"-?[0-9.]+", c)]
    assert not [c for c in texts if c.startswith(tables.FORMULA_TRIGGERS)], texts
    assert "'=A1" in cells and "'+1+1" in cells and "'@SUM(A1)" in cells
    assert "-1.5" in cells and "-3.0" in cells  # numbers are not text: left as they are


def test_data_page_downloads_neutralise_text_cells_only(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    path = copy / "gaps.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    text_column = next(
        i for i, f in enumerate(data.resource_descriptor("gaps", copy)["schema"]["fields"]) if f["type"] == "string"
    )
    rows[1][text_column] = "=1+1"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    folder = tmp_path / "downloads"
    data_page.write_downloads(folder, copy)
    data.clear_cache()
    offered = list(csv.reader(io.StringIO((folder / "gaps.csv").read_text(encoding="utf-8"))))
    assert offered[1][text_column] == "'=1+1"
    assert (folder / "world_populations.csv").read_bytes() == (
        copy / "world_populations.csv"
    ).read_bytes()  # nothing to neutralise: the same bytes
    assert (copy / "gaps.csv").read_bytes().count(b"=1+1") == 1  # data/ itself is untouched
    assert "as OWASP recommends against CSV injection" in data_page.render(copy)


def test_short_source_labels_name_publisher_and_year() -> None:
    assert tables.source_label("IOM (Moscow office website)", "n.d.") == "IOM n.d."
    assert tables.source_label("United Nations (copy at ReliefWeb)", 2018) == "UN 2018"
    assert tables.source_label("Future UN Development System (FUNDS); authors N. R. Micinski", 2016) == "FUNDS 2016"
    assert tables.source_label("UN System Chief Executives Board for Coordination (CEB)", 2026) == "CEB 2026"
    assert (
        tables.source_label("United Nations Department of Economic and Social Affairs, Population Division", 2024)
        == "UN Department of Economic and Social Affairs 2024"
    )
    registry = pd.DataFrame({"publisher": ["UNHCR"], "year": ["2016"]}, index=["unhcr_x"])
    assert tables.source_labels(registry)["unhcr_x"] == "UNHCR 2016"


def test_several_columns_link_to_their_urls_and_a_row_without_url_stays_text() -> None:
    columns = pd.MultiIndex.from_product([["UNHCR", "IOM"], ["source", "url"]])
    frame = pd.DataFrame([["UNHCR 2016", "https://example.org/a?x=1&y=2", "IOM n.d.", None]], columns=columns)
    pairs = [((agency, "source"), (agency, "url")) for agency in ["UNHCR", "IOM"]]
    shown = tables.reader_table_html(frame, "Two cultures", link=pairs)
    assert '<a href="https://example.org/a?x=1&amp;y=2">UNHCR 2016</a>' in shown
    assert "IOM n.d." in shown and shown.count("<a ") == 1
    assert "url" not in shown


def test_searchable_table_explains_its_gaps_only_when_it_has_some():
    with_gap = pd.DataFrame({"country": ["Eritrea", "Jordan"], "party since": [None, 1990]})
    assert tables.GAP_NOTE in html.unescape(searchable_table(with_gap, "parties", "Parties"))
    assert tables.GAP_NOTE not in html.unescape(searchable_table(with_gap.dropna(), "parties", "Parties"))


def test_source_ids_in_a_text_become_short_linked_labels_and_the_rest_is_escaped():
    registry = pd.DataFrame(
        {
            "publisher": ["United Nations General Assembly", "UNHCR"],
            "year": [1996, 2016],
            "url": ["https://www.un.org/a51", "https://www.unhcr.org/x?a=1&b=2"],
        },
        index=pd.Index(["un_a51_232", "un_a51_232_annex"], name="source_id"),
    )
    shown = tables.cite_source_ids("un_a51_232_annex, then un_a51_232 <b>", registry)
    assert shown == (
        '<a href="https://www.unhcr.org/x?a=1&amp;b=2">UNHCR 2016</a>, then '
        '<a href="https://www.un.org/a51">UN General Assembly 1996</a> &lt;b&gt;'
    )


def test_the_claims_ledger_names_no_source_by_its_registry_key():
    from iomun import claims, sources

    registry = sources.source_registry()
    page = tables.reader_table_html(claims.ledger(), "ledger", cite=registry)
    text = re.sub(r'href="[^"]*"', "", page)
    assert [sid for sid in registry.index if re.search(rf"\b{re.escape(sid)}\b", text)] == []
