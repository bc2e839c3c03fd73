"""The loader refuses bad input with a message naming file, row (header = row 1) and field.

Bad inputs are written into a copy of ``data/`` in tmp_path; the real ``data/`` is only read.
The positive tests check the package against the check values of the reference compilation
(``../shared/reference/README.md``) and of the source notes in ``data/sources.csv``.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest

from iomun import data
from iomun.data import DataError

ROOT = Path(__file__).resolve().parent.parent
NEXT_YEAR = dt.date.today().year + 1


@pytest.fixture
def copy(tmp_path: Path) -> Iterator[Path]:
    """A copy of data/ to break."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    yield target
    data.clear_cache()


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
        lines[row - 1] = new + lines[row - 1][len(prefix):]
        return "".join(lines), row
    return edit


def drop_column(name: str) -> Callable[[str], tuple[str, int]]:
    def edit(text: str) -> tuple[str, int]:
        lines = [line.split(",") for line in text.splitlines()]
        index = lines[0].index(name)
        return "".join(",".join(c for i, c in enumerate(cells) if i != index) + "\n"
                       for cells in lines), 1
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
    ("unknown-column", "world_populations",
     lambda t: ("".join(line + ",x\n" for line in t.splitlines()), 1), "x", "unknown column"),
    ("unknown-series", "world_populations",
     append_line("2015,migrants_iom_definition,1,persons,unhcr_refugees_pkg_2025_12_1"),
     "series", "enum"),
    ("wrong-type", "world_populations",
     replace_line(f"2015,refugees_unhcr_mandate,{REFUGEES_2015}", "2015,refugees_unhcr_mandate,16.1 m"),
     "value", "type"),
    ("negative-count", "hosted_by_country_of_asylum",
     replace_line("1990,AFG,Afghanistan,50", "1990,AFG,Afghanistan,-50"), "refugees", "minimum"),
    ("duplicate-key", "world_populations", duplicate_line("2015,refugees_unhcr_mandate,"),
     "year, series", "primary-key"),
    ("unknown-iso3", "hosted_by_country_of_asylum",
     replace_line("1990,AFG,Afghanistan", "1990,AFX,Afghanistan"), "iso3", "unknown ISO3"),
    ("year-too-early", "world_populations",
     replace_line("2015,refugees_unhcr_mandate,", "1989,refugees_unhcr_mandate,"), "year",
     'minimum" is "1990'),
    ("year-in-future", "world_populations",
     replace_line("2015,refugees_unhcr_mandate,", f"{NEXT_YEAR},refugees_unhcr_mandate,"), "year",
     "in the future"),
    ("revisions-mixed", "world_populations",
     replace_line("2015,international_migrants_undesa_ims2020,248000000,"
                  "persons (published rounded to million),mdp_ims2020",
                  "2015,international_migrants_undesa_ims2020,248000000,"
                  "persons (published rounded to million),undesa_ims2024_destination"),
     "source_id", "revisions must not be mixed"),
    ("truncated", "world_populations", cut_last_line, "value", "truncated"),
    ("unknown-source", "agency_finances",
     replace_line("2015,UNHCR,expenditure,3294814770.81,unhcr_reporting_financial_2016",
                  "2015,UNHCR,expenditure,3294814770.81,unhcr_reporting_financial_2061"),
     "source_id", "unknown source"),
]


@pytest.mark.parametrize(("name", "edit", "field", "words"),
                         [case[1:] for case in BAD_INPUTS], ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_names_file_row_and_field(
    copy: Path, name: str, edit: Callable[[str], tuple[str, int]], field: str, words: str
) -> None:
    path = copy / data.resource_descriptor(name, copy)["path"]
    text, row = edit(path.read_text(encoding="utf-8"))
    path.write_bytes(text.encode("utf-8"))
    for check in (lambda: data.load(name, data_dir=copy),
                  lambda: data.validate_file(name, path, copy)):
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


def test_the_real_data_are_not_touched_by_these_tests(copy: Path) -> None:
    assert copy != data.DATA_DIR and (ROOT / "data" / "world_populations.csv").stat().st_size > 0


# --- positive: the package as shipped ------------------------------------------------------


@pytest.mark.parametrize("name", [r["name"] for r in data.read_descriptor(ROOT / "data")["resources"]])
def test_every_resource_loads_typed(name: str) -> None:
    frame = data.load(name, data_dir=ROOT / "data")
    fields = data.resource_descriptor(name, ROOT / "data")["schema"]["fields"]
    assert list(frame.columns) == [f["name"] for f in fields]
    assert len(frame) > 0


@pytest.fixture(scope="module")
def populations() -> pd.Series:
    frame = data.load("world_populations", data_dir=ROOT / "data")
    return frame.set_index(["series", "year"])["value"]


@pytest.mark.parametrize(
    ("series", "year", "value"),
    [
        ("idps_conflict_idmc_as_published_grid2016", 2015, 40_800_000),
        ("international_migrants_undesa_ims2015", 2015, 244_000_000),
        ("international_migrants_undesa_ims2020", 1990, 153_000_000),
        ("international_migrants_undesa_ims2020", 2015, 248_000_000),
        ("international_migrants_undesa_ims2020", 2020, 281_000_000),
    ],
)
def test_population_check_values(populations: pd.Series, series: str, year: int, value: int) -> None:
    # figures as published at the time (they do not change with a refresh of UNHCR's series)
    assert populations[series, year] == value


def test_world_refugees_are_the_sum_over_countries_of_asylum(populations: pd.Series) -> None:
    hosted = data.load("hosted_by_country_of_asylum", data_dir=ROOT / "data").groupby("year")["refugees"].sum()
    world = populations["refugees_unhcr_mandate"]
    assert (hosted.reindex(world.index) == world).all()


@pytest.mark.parametrize(("year", "millions"), [(1990, 154), (2020, 275), (2024, 304)])
def test_migrant_stock_2024_revision_as_published(
    populations: pd.Series, year: int, millions: int
) -> None:
    """Rounded to the million as published, so exact figures from a refresh still agree."""
    assert round(populations["international_migrants_undesa_ims2024", year] / 1e6) == millions


def test_series_start_where_collection_starts(populations: pd.Series) -> None:
    """Absent years are not collected: no zeros stand in for them."""
    first = {s: y.min() for s, y in populations.reset_index().groupby("series")["year"]}
    assert first["asylum_seekers"] == 1993 and first["stateless_persons"] == 2004
    assert first["other_in_need_of_international_protection"] == 2018
    assert (populations > 0).all()


@pytest.mark.parametrize(
    ("agency", "measure", "year", "unit", "value"),
    [
        ("UNHCR", "total_expenses_ceb", 2015, 1e9, 3.279),
        ("IOM", "total_expenses_ceb", 2015, 1e9, 1.594),
        ("UNHCR", "expenditure", 2015, 1e6, 3294.8),
        ("IOM", "total_expenditure", 1998, 1e6, 242.2),
        ("IOM", "total_expenditure_estimated", 2013, 1e9, 1.3),
    ],
)
def test_finance_check_values(
    agency: str, measure: str, year: int, unit: float, value: float
) -> None:
    frame = data.load("agency_finances", data_dir=ROOT / "data")
    rows = frame[(frame["agency"] == agency) & (frame["measure"] == measure)
                 & (frame["year"] == year)]
    assert len(rows) == 1
    decimals = len(str(value).split(".")[1])
    assert round(float(rows["value_usd"].iloc[0]) / unit, decimals) == value


def test_every_cited_source_is_described() -> None:
    sources = data.load("sources", data_dir=ROOT / "data").set_index("source_id")
    for resource in data.read_descriptor(ROOT / "data")["resources"]:
        frame = data.load(resource["name"], data_dir=ROOT / "data")
        if "source_id" in frame and resource["name"] != "sources":
            assert set(frame["source_id"].dropna()) <= set(sources.index), resource["name"]
    assert sources["url"].str.match(r"https?://").all()
    assert sources["date_read"].notna().all()
