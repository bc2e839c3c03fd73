"""The loader refuses bad input with a message naming file, row (header = row 1) and field.

Bad inputs are written into a copy of ``data/`` in tmp_path; the real ``data/`` is only read.
The package as shipped is checked against its check values in test_data_values.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from iomun import data
from iomun.data import DataError

NEXT_YEAR = dt.date.today().year + 1


def row_of(text: str, prefix: str) -> int:
    """File row (header = row 1) of the first line starting with ``prefix``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(prefix):
            return number
    raise AssertionError(f"no line starts with {prefix!r}")


def replace_line(prefix: str, new: str) -> Callable[[str], tuple[str, int]]:
    """Edit: replace the start ``prefix`` of the first matching line by ``new``."""

    def edit(text: str) -> tuple[str, int]:
        row = row_of(text, prefix)
        lines = text.splitlines(keepends=True)
        lines[row - 1] = new + lines[row - 1][len(prefix) :]
        return "".join(lines), row

    return edit


def drop_column(name: str) -> Callable[[str], tuple[str, int]]:
    def edit(text: str) -> tuple[str, int]:
        lines = [line.split(",") for line in text.splitlines()]
        index = lines[0].index(name)
        return "".join(",".join(c for i, c in enumerate(cells) if i != index) + "\n" for cells in lines), 1

    return edit


def append_line(line: str) -> Callable[[str], tuple[str, int]]:
    def edit(text: str) -> tuple[str, int]:
        return text + line + "\n", len(text.splitlines()) + 1

    return edit


def duplicate_line(prefix: str) -> Callable[[str], tuple[str, int]]:
    def edit(text: str) -> tuple[str, int]:
        line = text.splitlines()[row_of(text, prefix) - 1]
        return text + line + "\n", len(text.splitlines()) + 1

    return edit


def cut_last_line(text: str) -> tuple[str, int]:
    """Truncate the file in the middle of the value of its last row (a cut download)."""
    lines = text.splitlines(keepends=True)
    year, series, value, _ = lines[-1].split(",", 3)
    return "".join(lines[:-1]) + f"{year},{series},{value[: len(value) // 2]}", len(lines)


# today's official value, read from data/ (a refresh may revise it)
_WORLD = pd.read_csv(Path(__file__).resolve().parent.parent / "data" / "world_populations.csv")
_REFUGEES = (_WORLD["series"] == "refugees_unhcr_mandate") & (_WORLD["year"] == 2015)
REFUGEES_2015 = int(_WORLD.loc[_REFUGEES, "value"].iloc[0])

BAD_INPUTS = [
    # (id, resource, edit, field, words in the message)
    ("missing-column", "world_populations", drop_column("unit"), "unit", "column missing"),
    (
        "unknown-column",
        "world_populations",
        lambda t: ("".join(line + ",x\n" for line in t.splitlines()), 1),
        "x",
        "unknown column",
    ),
    (
        "unknown-series",
        "world_populations",
        append_line("2015,migrants_iom_definition,1,persons,unhcr_refugees_pkg_2025_12_1"),
        "series",
        "enum",
    ),
    (
        "wrong-type",
        "world_populations",
        replace_line(f"2015,refugees_unhcr_mandate,{REFUGEES_2015}", "2015,refugees_unhcr_mandate,16.1 m"),
        "value",
        "type",
    ),
    (
        "negative-count",
        "hosted_by_country_of_asylum",
        replace_line("1990,AFG,Afghanistan,50", "1990,AFG,Afghanistan,-50"),
        "refugees",
        "minimum",
    ),
    (
        "duplicate-key",
        "world_populations",
        duplicate_line("2015,refugees_unhcr_mandate,"),
        "year, series",
        "primary-key",
    ),
    (
        "unknown-iso3",
        "hosted_by_country_of_asylum",
        replace_line("1990,AFG,Afghanistan", "1990,AFX,Afghanistan"),
        "iso3",
        "unknown ISO3",
    ),
    (
        "year-too-early",
        "world_populations",
        replace_line("2015,refugees_unhcr_mandate,", "1989,refugees_unhcr_mandate,"),
        "year",
        'minimum" is "1990',
    ),
    (
        "year-in-future",
        "world_populations",
        replace_line("2015,refugees_unhcr_mandate,", f"{NEXT_YEAR},refugees_unhcr_mandate,"),
        "year",
        "in the future",
    ),
    (
        "revisions-mixed",
        "world_populations",
        replace_line(
            "2015,international_migrants_undesa_ims2020,248000000,persons (published rounded to million),mdp_ims2020",
            "2015,international_migrants_undesa_ims2020,248000000,"
            "persons (published rounded to million),undesa_ims2024_destination",
        ),
        "source_id",
        "revisions must not be mixed",
    ),
    ("truncated", "world_populations", cut_last_line, "value", "truncated"),
    (
        "unknown-source",
        "agency_finances",
        replace_line(
            "2015,UNHCR,expenditure,3294814770.81,unhcr_reporting_financial_2016",
            "2015,UNHCR,expenditure,3294814770.81,unhcr_reporting_financial_2061",
        ),
        "source_id",
        "unknown source",
    ),
]


@pytest.mark.parametrize(
    ("name", "edit", "field", "words"), [case[1:] for case in BAD_INPUTS], ids=[case[0] for case in BAD_INPUTS]
)
def test_bad_input_names_file_row_and_field(
    copy: Path, name: str, edit: Callable[[str], tuple[str, int]], field: str, words: str
) -> None:
    path = copy / data.resource_descriptor(name, copy)["path"]
    text, row = edit(path.read_text(encoding="utf-8"))
    path.write_bytes(text.encode("utf-8"))
    for check in (lambda: data.load(name, data_dir=copy), lambda: data.validate_file(name, path, copy)):
        with pytest.raises(DataError) as caught:
            check()
        message = str(caught.value)
        assert str(path) in message
        assert f"row {row}," in message and caught.value.row == row, message
        assert f"field '{field}'" in message and caught.value.field == field, message
        assert words in message


def test_wrong_encoding_names_the_row_and_field_of_the_first_bad_byte(copy: Path) -> None:
    path = copy / "hosted_by_country_of_asylum.csv"
    text = path.read_text(encoding="utf-8")
    row = next(n for n, line in enumerate(text.splitlines(), 1) if not line.isascii())
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(DataError) as caught:
        data.load("hosted_by_country_of_asylum", data_dir=copy)
    assert str(path) in str(caught.value) and "not UTF-8" in str(caught.value)
    assert (caught.value.row, caught.value.field) == (row, "country_of_asylum")


@pytest.mark.parametrize(
    ("content", "row", "words"),
    [(b"", None, "file is empty"), (b"year,series,value,unit,source_id\n", 2, "no data rows")],
    ids=["empty", "header-only"],
)
def test_an_empty_file_is_refused(copy: Path, content: bytes, row: int | None, words: str) -> None:
    path = copy / "world_populations.csv"
    path.write_bytes(content)
    with pytest.raises(DataError) as caught:
        data.load("world_populations", data_dir=copy)
    assert str(path) in str(caught.value) and words in str(caught.value)
    assert caught.value.row == row


def test_a_missing_file_is_refused(copy: Path) -> None:
    (copy / "facts.csv").unlink()
    with pytest.raises(DataError, match=r"facts\.csv: file not found"):
        data.load("facts", data_dir=copy)


# --- impossible values, found by the schema; messages that name the real problem -----------


def set_cell(path: Path, column: str, value: str, row_index: int = 0) -> int:
    """Set one cell of data row ``row_index`` of a CSV; return its file row (header = 1)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[row_index + 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return row_index + 2


def first_row_with(path: Path, column: str) -> int:
    """Index of the first data row whose ``column`` is filled."""
    with path.open(encoding="utf-8", newline="") as handle:
        return next(i for i, row in enumerate(csv.DictReader(handle)) if row[column])


IMPOSSIBLE = [
    # (id, resource, column, value, words in the message)
    ("inf-number", "agency_finances", "value_usd", "inf", "not a finite number"),
    ("nan-number", "agency_finances", "value_usd", "nan", "not a finite number"),
    ("minus-inf-number", "cpi_u", "cpi_u_annual_average", "-inf", "not a finite number"),
    ("future-convention-year", "memberships", "convention_1951_year", str(NEXT_YEAR + 5), "in the future"),
    ("future-admission-year", "iom_membership", "admission_year", str(NEXT_YEAR + 5), "in the future"),
    ("future-join-year", "memberships", "iom_join_year", str(NEXT_YEAR + 5), "in the future"),
    ("future-established", "coordination_spaces", "established", str(NEXT_YEAR), "in the future"),
    ("future-as-of", "iom_membership", "as_of", f"{NEXT_YEAR + 5}-01-01", "in the future"),
    ("impossible-as-of", "facts", "as_of", "2016-13-45", "not a real calendar date"),
    ("as-of-before-bound", "facts", "as_of", "1900", "before the stated lower bound"),
    ("future-date-read", "sources", "date_read", f"{NEXT_YEAR}-01-01", "in the future"),
    ("impossible-date-read", "sources", "date_read", "2016-02-30", "type"),
    ("overflowing-integer", "world_populations", "value", "12345678901234567890123", 'constraint "maximum"'),
]


@pytest.mark.parametrize(
    ("name", "column", "value", "words"), [case[1:] for case in IMPOSSIBLE], ids=[case[0] for case in IMPOSSIBLE]
)
def test_impossible_values_are_refused_by_the_schema(
    copy: Path, name: str, column: str, value: str, words: str
) -> None:
    path = copy / data.resource_descriptor(name, copy)["path"]
    row = set_cell(path, column, value, first_row_with(path, column))
    before = path.read_bytes()
    with pytest.raises(DataError) as caught:
        data.load(name, data_dir=copy)
    assert (caught.value.path, caught.value.row, caught.value.field) == (path, row, column), str(caught.value)
    assert words in str(caught.value)
    assert path.read_bytes() == before


def add_field(copy: Path, name: str, field: dict, value: str) -> Path:
    """A new column ``field`` (with ``value`` in every row) in a copy's schema and CSV."""
    descriptor = data.read_descriptor(copy)
    resource = next(r for r in descriptor["resources"] if r["name"] == name)
    resource["schema"]["fields"].append(field)
    (copy / "datapackage.json").write_text(json.dumps(descriptor, indent=1), encoding="utf-8")
    path = copy / resource["path"]
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text(
        "\n".join([lines[0] + "," + field["name"]] + [line + "," + value for line in lines[1:]]) + "\n",
        encoding="utf-8",
    )
    return path


def test_a_new_date_column_is_checked_by_its_schema_not_its_name(copy: Path) -> None:
    field = {"name": "checked_on", "type": "date", "constraints": {"minimum": "2000-01-01"}}
    path = add_field(copy, "world_populations", field, f"{NEXT_YEAR}-06-30")
    with pytest.raises(DataError, match="in the future") as caught:
        data.load("world_populations", data_dir=copy)
    assert (caught.value.path, caught.value.row, caught.value.field) == (path, 2, "checked_on")


def test_a_year_column_without_a_lower_bound_is_refused(copy: Path) -> None:
    add_field(copy, "world_populations", {"name": "revised", "type": "year"}, "2020")
    with pytest.raises(DataError, match=r"must state its lower bound \(constraints.minimum\)"):
        data.load("world_populations", data_dir=copy)


def test_a_byte_order_mark_is_named(copy: Path) -> None:
    path = copy / "world_populations.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    with pytest.raises(DataError) as caught:
        data.load("world_populations", data_dir=copy)
    assert "UTF-8 byte-order mark" in str(caught.value) and str(path) in str(caught.value)
    assert caught.value.row == 1


def test_a_quote_left_open_names_file_and_row(copy: Path) -> None:
    path = copy / "world_populations.csv"
    text = path.read_text(encoding="utf-8")
    row = len(text.splitlines()) + 1
    path.write_text(text + '2015,"refugees_unhcr_mandate,1,persons,unhcr_refugees_pkg_2025_12_1\n', encoding="utf-8")
    with pytest.raises(DataError) as caught:
        data.load("world_populations", data_dir=copy)
    assert str(path) in str(caught.value) and f"row {row}" in str(caught.value)
    assert "never closed" in str(caught.value)


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda d: d.pop("resources"), "the package has no key 'resources'"),
        (lambda d: d["resources"][0].pop("schema"), "resource 'world_populations' has no key 'schema'"),
        (lambda d: d["resources"][0]["schema"].pop("fields"), "schema has no key 'fields'"),
        (lambda d: d["resources"][0].update(path="../../etc/passwd"), "not a plain file name"),
        (lambda d: d["resources"][0]["sources"][0].update(path="javascript:alert(1)"), "no http(s) address"),
    ],
    ids=["no-resources", "no-schema", "no-fields", "path-escape", "javascript-source"],
)
def test_a_broken_descriptor_names_the_missing_key(copy: Path, edit: Callable[[dict], object], words: str) -> None:
    descriptor = data.read_descriptor(copy)
    edit(descriptor)
    (copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        data.load("world_populations", data_dir=copy)
    assert words in str(caught.value) and "datapackage.json" in str(caught.value)
