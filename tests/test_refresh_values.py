"""Checks on the values of a release: moves of past years beyond the tolerance, impossible totals,
year-on-year jumps and negative counts are refused, and the file is kept byte for byte.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from refresh_stand_ins import (
    DESA_WORLD,
    XLSX,
    YEAR_TO,
    Reply,
    Setup,
    assert_failed_cleanly,
    desa_workbook,
    read_series,
    revised,
)

from maintainer import refresh


def test_a_refused_release_adds_no_source(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    registry = (setup.data_dir / "sources.csv").read_bytes()
    setup.serve_unhcr(revised(setup.current, refugees_unhcr_mandate={2015: 1.5}))
    assert setup.run("--only", "unhcr") == refresh.EXIT_REFUSED
    assert (setup.data_dir / "sources.csv").read_bytes() == registry


@pytest.mark.parametrize(
    ("moves", "row"),
    [
        ({"refugees_unhcr_mandate": {2015: 1.10}}, r"refugees_unhcr_mandate +2015 .*\+10\.00%"),
        ({"palestine_refugees_unrwa": {1990: None}}, r"palestine_refugees_unrwa +1990 .* removed"),
    ],
    ids=["moved-10-percent", "year-removed"],
)
def test_a_past_year_beyond_tolerance_is_refused_then_forced(
    setup: Setup, capsys: pytest.CaptureFixture[str], moves: dict, row: str
) -> None:
    totals = revised(setup.current)
    for series, years in moves.items():
        for year, factor in years.items():
            if factor is None:
                del totals[series][year]
            else:
                totals[series][year] = round(totals[series][year] * factor)
    setup.serve_unhcr(totals)
    before = setup.target.read_bytes()

    status = setup.run("--only", "unhcr")
    captured = capsys.readouterr()
    assert status == refresh.EXIT_REFUSED
    assert re.search(row + r" +BEYOND 5% TOLERANCE", captured.out), captured.out
    assert "--force" in captured.err and "left unchanged" in captured.err
    assert setup.target.read_bytes() == before
    assert not list(setup.data_dir.glob(".*.tmp"))

    assert setup.run("--only", "unhcr", "--force") == refresh.EXIT_OK
    assert "accepted with --force" in capsys.readouterr().out
    assert read_series(setup.target) == {**setup.current, **totals}


def test_a_wider_tolerance_accepts_the_move(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    setup.serve_unhcr(revised(setup.current, refugees_unhcr_mandate={2015: 1.10}))
    assert setup.run("--only", "unhcr", "--tolerance", "0.2") == refresh.EXIT_OK
    assert read_series(setup.target)["refugees_unhcr_mandate"][2015] == round(16_110_276 * 1.1)


def test_a_negative_count_in_the_workbook_fails_validation_naming_file_row_field(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    before = setup.target.read_bytes()
    setup.serve("/desa/ims2024.xlsx", Reply(desa_workbook({**DESA_WORLD, 2015: -1}), content_type=XLSX))
    status = setup.run("--only", "desa")
    line = assert_failed_cleanly(
        setup, before, capsys, status, "world_populations.csv", "field 'value'", "minimum", "/desa/ims2024.xlsx"
    )
    row = int(re.search(r"row (\d+)", line).group(1))
    rows = list(csv.DictReader(io.StringIO(before.decode())))
    merged = refresh.merge(
        rows,
        [
            refresh.Release(
                series=(refresh.DESA_SERIES,),
                source_id=refresh.DESA_SOURCE,
                unit="persons",
                totals={refresh.DESA_SERIES: {**DESA_WORLD, 2015: -1}},
            )
        ],
    )
    assert merged[row - 2]["year"] == "2015" and merged[row - 2]["value"] == "-1"


def test_a_world_total_above_the_world_population_is_refused(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    before = setup.target.read_bytes()
    totals = revised(setup.current)
    totals["refugees_unhcr_mandate"][YEAR_TO] = 10**15
    setup.serve_unhcr(totals)
    status = setup.run("--only", "unhcr", "--force")  # --force cannot make it possible
    assert_failed_cleanly(
        setup, before, capsys, status, "/population/v1/population/", f"year {YEAR_TO}", "above the plausibility ceiling"
    )


def test_a_year_on_year_jump_is_refused_then_forced(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    # 2005 taken out of the file, so that only the year-on-year check (not the tolerance) can refuse it.
    lines = setup.target.read_text(encoding="utf-8").splitlines(keepends=True)
    setup.target.write_text(
        "".join(line for line in lines if not line.startswith(f"2005,{refresh.DESA_SERIES},")), encoding="utf-8"
    )
    before = setup.target.read_bytes()
    jumpy = {**DESA_WORLD, 2005: DESA_WORLD[2005] * 10}
    setup.serve("/desa/ims2024.xlsx", Reply(desa_workbook(jumpy), content_type=XLSX))
    status = setup.run("--only", "desa")
    captured = capsys.readouterr()
    assert status == refresh.EXIT_REFUSED, captured.err
    assert "jump by more than a factor of 3" in captured.err
    assert "JUMP international_migrants_undesa_ims2024 2000->2005" in captured.out
    assert setup.target.read_bytes() == before
    assert setup.run("--only", "desa", "--force") == refresh.EXIT_OK
    assert read_series(setup.target)[refresh.DESA_SERIES][2005] == jumpy[2005]
