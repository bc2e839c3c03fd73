"""The searchable table: complete HTML, a labelled filter box, a safe id; CSV downloads that
spreadsheets cannot run as formulas."""

from __future__ import annotations

import base64
import csv
import io
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from iomun import data, data_page, figures, tables
from iomun.tables import enable_table_filters, searchable_table

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


def test_filter_script_is_delegated_and_loaded_once() -> None:
    script = enable_table_filters().data
    assert 'document.addEventListener("input"' in script and "window.iomunTableFilters" in script


def test_table_id_must_be_a_plain_html_id() -> None:
    with pytest.raises(ValueError, match="lowercase HTML id"):
        searchable_table(pd.DataFrame({"a": [1]}), "bad id\"", "x")


# --- CSV downloads cannot run as spreadsheet formulas (OWASP "CSV Injection") --------------

HOSTILE_CELLS = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def _cells(csv_text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(csv_text, newline="")) for cell in row]


def test_a_chapter_download_neutralises_formulas_and_keeps_numbers() -> None:
    frame = pd.DataFrame({"note": HOSTILE_CELLS, "value": [-1.5, 2, -3, 4, 5, 6]},
                         index=pd.Index(["=A1", "b", "c", "d", "e", "f"], name="key"))
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
    text_column = next(i for i, f in enumerate(data.resource_descriptor("gaps", copy)["schema"]
                                               ["fields"]) if f["type"] == "string")
    rows[1][text_column] = "=1+1"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    folder = tmp_path / "downloads"
    data_page.write_downloads(folder, copy)
    data.clear_cache()
    offered = list(csv.reader(io.StringIO((folder / "gaps.csv").read_text(encoding="utf-8"))))
    assert offered[1][text_column] == "'=1+1"
    assert (folder / "world_populations.csv").read_bytes() == (
        copy / "world_populations.csv").read_bytes()  # nothing to neutralise: the same bytes
    assert (copy / "gaps.csv").read_bytes().count(b"=1+1") == 1  # data/ itself is untouched
    assert "as OWASP recommends against CSV injection" in data_page.render(copy)
