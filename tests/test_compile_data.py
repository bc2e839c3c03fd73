"""The maintainer's compile step rebuilds data/ from the official files, offline.

Run on the raw copies in ../shared/reference/raw (skipped, with the reason, where that folder is
absent) and on small fixtures for the failure cases. The first test is the strongest: compiling
into a copy of data/ must leave every file as it is, so the committed values are the compiled
ones, not typed by hand.
"""

from __future__ import annotations

import filecmp
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from iomun import data
from maintainer import compile_data as cd

RAW = Path(__import__("os").environ.get("IOMUN_RAW_DIR", cd.DEFAULT_RAW_DIR))
needs_raw = pytest.mark.skipif(not (RAW / cd.DESA_FILE).is_file(), reason=f"official raw files not present in {RAW}")
COMPILED_ON = "2026-12-01"  # date_read the committed compilation wrote


@pytest.fixture(scope="module")
def cpi_db() -> Path:
    pytest.importorskip("cpi", reason="requirements-maintainer.txt is not installed")
    return cd.default_cpi_db()


@pytest.fixture()
def data_copy(tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, copy)
    data.clear_cache()
    yield copy
    data.clear_cache()


@needs_raw
def test_compiling_again_changes_nothing(data_copy, cpi_db):
    import importlib.metadata as metadata

    report = cd.compile_all(RAW, data_copy, cpi_db, metadata.version("cpi"), COMPILED_ON)
    assert not any(report["changed"].values()), report["changed"]
    different = [
        p.name for p in sorted(data.DATA_DIR.iterdir()) if not filecmp.cmp(p, data_copy / p.name, shallow=False)
    ]
    assert different == []
    assert report["dropped"] == []


@needs_raw
def test_compiling_rebuilds_removed_rows(data_copy, cpi_db):
    import importlib.metadata as metadata

    (data_copy / "cpi_u.csv").write_text(
        "year,cpi_u_annual_average,base_period,source_id,locator\n2000,1.0,1982-84=100,bls_cpi_u_cuur0000sa0,typed\n",
        encoding="utf-8",
    )
    members = (data_copy / "memberships.csv").read_text(encoding="utf-8").splitlines()
    (data_copy / "memberships.csv").write_text(
        "\n".join(line for line in members if not line.startswith("VAT,")) + "\n", encoding="utf-8"
    )
    report = cd.compile_all(RAW, data_copy, cpi_db, metadata.version("cpi"), COMPILED_ON)
    assert report["changed"]["cpi_u"] and report["changed"]["memberships"]
    assert filecmp.cmp(data.DATA_DIR / "cpi_u.csv", data_copy / "cpi_u.csv", shallow=False)
    assert filecmp.cmp(data.DATA_DIR / "memberships.csv", data_copy / "memberships.csv", shallow=False)


def test_cpi_covers_every_year_and_equals_the_bls_series(cpi_db):
    cpi = data.load("cpi_u").set_index("year")["cpi_u_annual_average"]
    assert list(cpi.index) == list(range(2000, 2026))
    assert cpi.to_dict() == cd.read_cpi(cpi_db)
    assert (data.load("cpi_u")["source_id"] == cd.CPI_SOURCE).all()


def test_a_missing_cpi_year_stops_the_compilation(tmp_path):
    db = tmp_path / "cpi.db"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE indexes (series TEXT, year INTEGER, period TEXT, value REAL)")
        connection.executemany(
            "INSERT INTO indexes VALUES (?, ?, ?, ?)",
            [(cd.CPI_SERIES, year, cd.CPI_PERIOD, 100.0 + year - 2000) for year in range(2000, 2026) if year != 2013],
        )
    with pytest.raises(cd.CompileError, match=r"\[2013\]"):
        cd.read_cpi(db)


@needs_raw
def test_migrant_stock_2024_revision_has_all_eight_years_from_table_1():
    world = cd.read_desa(RAW / cd.DESA_FILE, "Table 1").world
    populations = data.load("world_populations")
    ims = populations[populations["series"] == cd.DESA_SERIES].set_index("year")["value"]
    assert list(ims.index) == list(cd.DESA_YEARS)
    assert ims.to_dict() == {year: int(world[year]) for year in cd.DESA_YEARS}
    shares = data.load("migrant_stock_shares")
    assert list(shares["year"]) == list(cd.DESA_YEARS)


def test_country_stock_adds_up_to_the_world():
    stock = data.load("migrant_stock_by_destination")
    populations = data.load("world_populations")
    world = populations[(populations["series"] == cd.DESA_SERIES) & (populations["year"] == 2024)]["value"]
    assert stock["m49"].is_unique
    assert int(stock["migrant_stock"].sum()) == int(world.iloc[0])


def test_treaty_years_are_the_depositary_dates():
    members = data.load("memberships").set_index("iso3")
    assert members.loc["IRN", "convention_1951_year"] == 1976  # UNTC: 28 Jul 1976 a
    assert members.loc["VAT", ["convention_1951_year", "protocol_1967_year"]].tolist() == [1956, 1967]
    assert members.loc["SSD", "protocol_1967_source_id"] == cd.SOUTH_SUDAN_SOURCE
    disagreements = data.load("disagreements")
    iran = disagreements[(disagreements["record"] == "IRN") & (disagreements["resource"] == "memberships")]
    assert set(iran["value_used"]) == {"1976"} and set(iran["value_other"]) == {"1975"}


def test_party_counts_match_the_published_counts():
    members = data.load("memberships")
    facts = data.load("facts").set_index("fact_id")["value"]
    protocol = int(members["protocol_1967_year"].notna().sum())
    convention = int(members["convention_1951_year"].notna().sum())
    either = int((members["convention_1951_year"].notna() | members["protocol_1967_year"].notna()).sum())
    assert protocol == int(facts["refugee_protocol_1967_parties_count"])
    assert convention == int(facts["refugee_convention_1951_parties_count"])
    assert either == int(facts["refugee_instruments_parties_either_count_2024"])


@needs_raw
def test_at_most_five_parties_without_a_year_each_named_in_gaps():
    desa = cd.read_desa(RAW / cd.DESA_FILE, "Table 1")
    names = {name: cd.m49_to_iso3(m49) for _, name, m49, _ in desa.countries}
    parties = set(cd.untc_iso3(cd.read_untc(RAW / cd.UNTC_V2_FILE, 2), names)) | set(
        cd.untc_iso3(cd.read_untc(RAW / cd.UNTC_V5_FILE, 1), names)
    )
    members = data.load("memberships").set_index("iso3")
    without = [
        iso3
        for iso3 in parties
        if iso3 not in members.index or pd.isna(members.loc[iso3, ["convention_1951_year", "protocol_1967_year"]]).all()
    ]
    assert len(without) <= 5
    gaps = " ".join(data.load("gaps")["what"])
    assert all(members.loc[iso3, "country"] in gaps for iso3 in without if iso3 in members.index)


def test_an_unknown_treaty_participant_stops_the_compilation(tmp_path):
    table = tmp_path / "v2.csv"
    table.write_text("Participant,Signature,Date\nAtlantis,,1 Jan 1960 a\n", encoding="utf-8")
    with pytest.raises(cd.CompileError, match="Atlantis"):
        cd.untc_iso3(cd.read_untc(table, 2), {})


def test_missing_raw_files_are_named(tmp_path, cpi_db):
    with pytest.raises(cd.CompileError, match=cd.DESA_FILE):
        cd.compile_all(tmp_path, data.DATA_DIR, cpi_db, "test")


def test_command_line_reports_a_bad_raw_dir(tmp_path, capsys, cpi_db):
    assert cd.main(["--raw-dir", str(tmp_path), "--cpi-db", str(cpi_db)]) == 1
    assert "raw file missing" in capsys.readouterr().err
