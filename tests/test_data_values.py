"""The data package as shipped: every resource loads typed and matches its check values.

The check values are those of the reference compilation (``../shared/reference/README.md``) and
of the source notes in ``data/sources.csv``; the values compared are read from ``data/``.
"""

from __future__ import annotations

import pandas as pd
import pytest

from iomun import data
from maintainer.paths import ROOT


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
def test_migrant_stock_2024_revision_as_published(populations: pd.Series, year: int, millions: int) -> None:
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
def test_finance_check_values(agency: str, measure: str, year: int, unit: float, value: float) -> None:
    frame = data.load("agency_finances", data_dir=ROOT / "data")
    rows = frame[(frame["agency"] == agency) & (frame["measure"] == measure) & (frame["year"] == year)]
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


def test_every_iom_admission_year_names_its_source_and_where_it_was_read():
    members = data.load("memberships")
    sources = set(data.load("sources")["source_id"])
    year = members["iom_join_year"].notna()
    cited = members["iom_join_source_id"].notna()
    located = members["iom_join_locator"].notna()
    assert year.sum() > 150
    assert (year == cited).all() and (year == located).all(), "a year without its source or locator"
    assert set(members.loc[cited, "iom_join_source_id"]) <= sources
    # IOM's records, not only the academic coding, stand behind some of the years
    assert (members.loc[cited, "iom_join_source_id"] != "cow_igo_v3_via_igoR").sum() >= 20
