"""Shape and provenance of the values read by hand from official pages.

Every value must carry a source that exists in ``sources.csv`` and a locator saying where in
that source it was read; amounts are non-negative; the CPI states its base period; measures
and revisions are never mixed; membership years are real years or missing.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
import pytest

from iomun import data

TODAY = dt.date.today()
COMPILED = [
    "cpi_u",
    "iom_membership",
    "migrant_stock_shares",
    "migrant_stock_by_destination",
    "disagreements",
    "gaps",
    "secondary_readings",
]
HAND_TAG = "read by hand"  # notes of sources whose values a maintainer read from a page


@pytest.fixture(scope="module")
def sources() -> pd.DataFrame:
    return data.load("sources").set_index("source_id")


@pytest.fixture(scope="module")
def compiled_sources(sources) -> set[str]:
    """Sources whose values were read by hand (their notes say so and when)."""
    notes = sources["notes"].fillna("")
    return set(sources.index[notes.str.contains(HAND_TAG, regex=False)])


def _blank(series: pd.Series) -> pd.Series:
    return series.isna() | (series.astype("string").str.strip() == "")


@pytest.mark.parametrize("name", COMPILED)
def test_compiled_resource_is_described_and_not_empty(name):
    descriptor = data.resource_descriptor(name)
    frame = data.load(name)
    assert len(frame) > 0
    assert list(frame.columns) == [f["name"] for f in descriptor["schema"]["fields"]]
    assert descriptor.get("caveats"), f"{name} needs caveats"
    if name not in ("gaps", "secondary_readings"):
        assert descriptor.get("sources"), f"{name} needs its sources listed"


@pytest.mark.parametrize("name", ["cpi_u", "iom_membership", "migrant_stock_shares"])
def test_every_compiled_value_has_a_source_and_a_locator(name, sources):
    frame = data.load(name)
    assert not _blank(frame["source_id"]).any()
    assert not _blank(frame["locator"]).any(), f"{name}: a value without a locator"
    assert set(frame["source_id"]) <= set(sources.index)
    listed = {s["source_id"] for s in data.resource_descriptor(name)["sources"]}
    assert set(frame["source_id"]) <= listed, f"{name}: a cited source is not listed in the descriptor"


def test_every_compiled_source_has_url_and_date(compiled_sources, sources):
    assert compiled_sources, "no source says its values were read by hand"
    for sid in compiled_sources:
        row = sources.loc[sid]
        assert str(row["url"]).startswith(("http://", "https://")), sid
        # the note says when the values were compiled, and it is the date_read
        assert f"Compiled on {row['date_read']}" in row["notes"], sid


def test_agency_finance_rows_from_compiled_sources_have_locators(compiled_sources):
    frame = data.load("agency_finances")
    new = frame[frame["source_id"].isin(compiled_sources)]
    assert len(new) > 0
    assert not _blank(new["locator"]).any()


def test_amounts_are_non_negative():
    assert (data.load("agency_finances")["value_usd"] >= 0).all()
    assert (data.load("cpi_u")["cpi_u_annual_average"] > 0).all()
    shares = data.load("migrant_stock_shares")["share_percent"]
    assert ((shares >= 0) & (shares <= 100)).all()


def test_cpi_base_period_is_stated():
    cpi = data.load("cpi_u")
    assert (cpi["base_period"] == "1982-84=100").all()
    field = next(f for f in data.resource_descriptor("cpi_u")["schema"]["fields"] if f["name"] == "base_period")
    assert field["constraints"]["enum"] == ["1982-84=100"]
    assert "1982-84=100" in data.resource_descriptor("cpi_u")["title"]


def test_cpi_rows_are_annual_and_plausibly_increasing():
    cpi = data.load("cpi_u").sort_values("year")
    assert cpi["year"].is_unique, "one CPI value per year; a disagreeing reading goes to the disagreements resource"
    # prices fell in 2009 (-0.4 %), so no monotonicity; a typo (e.g. 2l5.303 -> 25.303) would jump far outside this band
    yearly = cpi.set_index("year")["cpi_u_annual_average"]
    consecutive = yearly.index.to_series().diff() == 1
    change = yearly.pct_change()[consecutive]
    assert change.between(-0.05, 0.10).all(), change[~change.between(-0.05, 0.10)]


def test_no_measure_is_mixed_within_a_series():
    finances = data.load("agency_finances")
    ceb = finances["measure"] == "total_expenses_ceb"
    assert (finances.loc[ceb, "source_id"] == "ceb_finstats_via_openunfck").all()
    assert not (finances.loc[~ceb, "source_id"] == "ceb_finstats_via_openunfck").any()
    # one value per year, agency and measure: a line of Figure 2 never holds two readings of one year
    assert not finances.duplicated(["year", "agency", "measure"]).any()
    shares = data.load("migrant_stock_shares")
    assert shares["series"].nunique() == 1
    populations = data.load("world_populations")
    spec = data.resource_descriptor("world_populations")["seriesSources"]
    for series, allowed in spec.items():
        assert populations.loc[populations["series"] == series, "source_id"].isin(allowed).all()


def test_treaty_years_are_real_or_missing_and_cited(sources):
    members = data.load("memberships")
    for treaty, first in [("convention_1951", 1951), ("protocol_1967", 1967)]:
        years = members[f"{treaty}_year"]
        filled = years.notna()
        assert ((years[filled] >= first) & (years[filled] <= TODAY.year)).all()
        cited = ~_blank(members[f"{treaty}_source_id"])
        located = ~_blank(members[f"{treaty}_locator"])
        assert (filled == cited).all(), f"{treaty}: a year without a source, or a source without a year"
        assert (filled == located).all(), f"{treaty}: a year without a locator"
        assert set(members.loc[cited, f"{treaty}_source_id"]) <= set(sources.index)
    both = members["convention_1951_year"].notna() & members["protocol_1967_year"].notna()
    assert both.any()


def test_iom_membership_logic():
    iom = data.load("iom_membership")
    assert set(iom["status"]) <= {"member", "observer"}
    # member and observer are exclusive for one State at one date
    per_date = iom.groupby(["iso3", "as_of"])["status"].nunique()
    assert (per_date == 1).all()
    as_of_year = iom["as_of"].str.slice(0, 4).astype(int)
    assert (as_of_year <= TODAY.year).all()
    admitted = iom["admission_year"].notna()
    assert (iom.loc[admitted, "admission_year"] <= TODAY.year).all()
    assert (iom.loc[admitted, "admission_year"] <= as_of_year[admitted]).all()
    assert (iom.loc[admitted, "status"] == "member").all()


def test_gaps_name_known_resources_and_say_where_to_look():
    gaps = data.load("gaps")
    names = {r["name"] for r in data.read_descriptor()["resources"]}
    assert set(gaps["resource"]) <= names
    for column in ["what", "years", "reason", "where_to_look"]:
        assert not _blank(gaps[column]).any()


def test_validation_rejects_an_unknown_membership_status(tmp_path):
    bad = tmp_path / "iom_membership.csv"
    shutil.copy(data.DATA_DIR / "iom_membership.csv", bad)
    text = bad.read_text(encoding="utf-8").replace(",member,", ",associate,", 1)
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(data.DataError, match="status"):
        data.validate_file("iom_membership", bad)


def test_validation_rejects_a_cpi_without_base_period(tmp_path):
    bad = tmp_path / "cpi_u.csv"
    lines = (data.DATA_DIR / "cpi_u.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("1982-84=100", "", 1)
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(data.DataError, match="base_period"):
        data.validate_file("cpi_u", bad)


def test_disagreements_name_both_sources_and_match_the_value_used(sources):
    disagreements = data.load("disagreements")
    assert len(disagreements) > 0
    assert set(disagreements["source_id_used"]) <= set(sources.index)
    for other in disagreements["source_other"]:
        assert other in sources.index or other.startswith(("http://", "https://")), other
    members = data.load("memberships").set_index("iso3")
    iom = data.load("iom_membership")
    for row in disagreements.itertuples():
        assert row.value_used != row.value_other
        if row.resource == "memberships":
            assert str(int(members.loc[row.record, row.field])) == row.value_used, row
            source_field = row.field.replace("_year", "_source_id")
            assert members.loc[row.record, source_field] == row.source_id_used, row
        elif row.resource == "iom_membership":
            used = iom[(iom["iso3"] == row.record) & (iom["source_id"] == row.source_id_used)]
            assert str(int(used[row.field].iloc[0])) == row.value_used, row
        else:
            pytest.fail(f"no check for disagreements in {row.resource}")


def test_observer_rows_start_before_any_membership_of_the_same_state():
    iom = data.load("iom_membership")
    first_observed = iom[iom["status"] == "observer"].groupby("iso3")["as_of"].min()
    admitted = iom[iom["admission_year"].notna()].groupby("iso3")["admission_year"].min()
    both = first_observed.index.intersection(admitted.index)
    assert len(both) > 0
    for iso3 in both:
        assert int(first_observed[iso3][:4]) <= admitted[iso3], iso3


def test_every_source_a_resource_cites_is_listed_in_its_descriptor(sources):
    """A reader of ``datapackage.json`` sees every source behind a resource's values."""
    for resource in data.read_descriptor()["resources"]:
        if resource["name"] == "sources":  # the registry itself
            continue
        frame = data.load(resource["name"])
        columns = [c for c in frame.columns if c.endswith("source_id") or c == "source_id_used"]
        cited = {sid for c in columns for sid in frame[c].dropna() if sid in sources.index}
        listed = {s["source_id"] for s in resource.get("sources", [])}
        assert cited <= listed, f"{resource['name']}: {sorted(cited - listed)} cited but not listed"
