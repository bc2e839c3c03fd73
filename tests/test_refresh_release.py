"""The refresh with a good release: the file is replaced, cites the release read, or is left as it was.

Also what happens around the replacement: invalid current data are never refreshed, and a run
killed after writing its temporary file leaves a git-ignored file that the next run removes.
Services: the stand-ins of ``tests/refresh_stand_ins.py``.
"""

from __future__ import annotations

import datetime as dt
import re
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from refresh_stand_ins import (
    API_FIELDS,
    DESA_WORLD,
    DESA_YEARS,
    SHA_LINE,
    Reply,
    Setup,
    assert_failed_cleanly,
    desa_workbook,
    revised,
)

from iomun import data
from maintainer import refresh
from maintainer.paths import ROOT


def test_good_release_updates_the_file_and_reports_changes(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    setup.serve_unhcr(revised(setup.current, refugees_unhcr_mandate={2025: 1.01}, idps_conflict_idmc={2024: 0.995}))
    before = data.load("world_populations", setup.data_dir)  # fills the loader's cache
    untouched = [
        line
        for line in setup.target.read_text().splitlines()
        if "_ims2020," in line or "_grid2016," in line or "_ims2015," in line
    ]

    status = setup.run()

    captured = capsys.readouterr()
    out = captured.out
    assert status == refresh.EXIT_OK, out + captured.err
    urls = SHA_LINE.findall(out)
    # population/ has 36 years: 4 pages of 10; unrwa/ and idmc/ 4 each; the workbook 1.
    assert len(urls) == 13, out
    assert sum("/population/v1/population/" in u for u in urls) == 4
    assert urls[-1].endswith("/desa/ims2024.xlsx")
    assert re.search(r"refugees_unhcr_mandate +2025 +[\d,]+ +[\d,]+ +\+1\.00%", out), out
    assert re.search(r"idps_conflict_idmc +2024 .* -0\.50%", out), out
    # the data hold the eight years of the 2024 revision: the fixture's 2015 is a change, not an addition
    assert re.search(r"international_migrants_undesa_ims2024 +2015 +250,042,020 +247,900,000", out), out
    assert "international_migrants_undesa_ims2024 2020" in re.sub(" +", " ", out)
    assert "replaced" in out

    after = data.load("world_populations", setup.data_dir)  # the cache was cleared
    value = after.set_index(["series", "year"])["value"]
    old = before.set_index(["series", "year"])["value"]
    assert value["refugees_unhcr_mandate", 2025] == round(old["refugees_unhcr_mandate", 2025] * 1.01)
    assert value["international_migrants_undesa_ims2024", 2024] == 304_021_813
    assert value["refugees_unhcr_mandate", 2015] == 16_110_276
    ims2024 = after[after["series"] == "international_migrants_undesa_ims2024"]
    assert sorted(ims2024["year"]) == list(DESA_YEARS)
    assert set(ims2024["unit"]) == {"persons"} and set(ims2024["source_id"]) == {refresh.DESA_SOURCE}
    text = setup.target.read_text()
    assert all(line in text for line in untouched)
    assert not list(setup.data_dir.glob(".*.tmp"))


def test_refreshed_rows_cite_the_release_read_and_the_registry_names_it(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    setup.serve_unhcr(revised(setup.current, refugees_unhcr_mandate={2025: 1.01}))
    assert setup.run("--only", "unhcr") == refresh.EXIT_OK, capsys.readouterr().err
    read_on = dt.date.today()
    source_id = f"unhcr_api_{read_on:%Y_%m_%d}"
    rows = data.load("world_populations", setup.data_dir)
    cited = set(rows.loc[rows["series"].isin(API_FIELDS), "source_id"])
    assert cited == {source_id}, "every refreshed UNHCR row cites the release read, none the old one"
    registry = data.load("sources", setup.data_dir).set_index("source_id")
    assert registry.loc[source_id, "date_read"] == read_on.isoformat()
    assert f"version served on {read_on:%Y-%m-%d}" in registry.loc[source_id, "title"]
    assert set(rows.loc[rows["series"] == "international_migrants_undesa_ims2015", "source_id"]) == {
        "undesa_ims2015_press"
    }, "series that were not refreshed keep their citation"


def test_an_identical_release_leaves_the_file_byte_for_byte(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    before = setup.target.read_bytes()
    status = setup.run("--only", "unhcr")
    out = capsys.readouterr().out
    assert status == refresh.EXIT_OK
    assert "no value changes" in out and "already up to date" in out
    assert setup.target.read_bytes() == before


def test_a_downloaded_workbook_can_be_given_as_a_file(
    setup: Setup, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    workbook = tmp_path / "undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx"
    workbook.write_bytes(desa_workbook(DESA_WORLD))
    setup.serve("/desa/ims2024.xlsx", Reply(b"", status=403, content_type="text/plain"))
    status = refresh.main(["--data-dir", str(setup.data_dir), "--only", "desa", "--desa-file", str(workbook)])
    out = capsys.readouterr().out
    assert status == refresh.EXIT_OK, out
    assert workbook.as_uri() in out
    assert setup.services.hits["/desa/ims2024.xlsx"] == 0


def test_invalid_current_data_are_not_refreshed(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    broken = setup.target.read_bytes().replace(
        b"2015,refugees_unhcr_mandate,16110276", b"2015,refugees_unhcr_mandate,lots", 1
    )
    setup.target.write_bytes(broken)
    status = setup.run("--only", "unhcr")
    assert_failed_cleanly(setup, broken, capsys, status, "current data are invalid", "field 'value'")
    assert setup.services.hits == Counter()


# The refresh writes its candidate through the name cli.write_candidate: replaced here by one that
# dies right after writing, as a power cut or the OOM killer would.
KILL_AFTER_CANDIDATE = """
import os, signal, sys
from maintainer.refresh import cli
write = cli.write_candidate
def write_then_die(*args):
    path = write(*args)
    os.kill(os.getpid(), signal.SIGKILL)
cli.write_candidate = write_then_die
sys.exit(cli.main(sys.argv[1:]))
"""


def test_a_killed_refresh_leaves_a_git_ignored_file_the_next_run_removes(
    setup: Setup, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    workbook = tmp_path / "ims.xlsx"
    workbook.write_bytes(desa_workbook(DESA_WORLD))
    args = ["--data-dir", str(setup.data_dir), "--only", "desa", "--desa-file", str(workbook)]
    killed = subprocess.run(
        [sys.executable, "-c", KILL_AFTER_CANDIDATE, *args], capture_output=True, timeout=120, check=False, cwd=ROOT
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    left = list(setup.data_dir.glob(".world_populations.*.tmp"))
    assert len(left) == 1
    ignored = subprocess.run(["git", "check-ignore", "-q", f"data/{left[0].name}"], cwd=ROOT, check=False, timeout=60)
    assert ignored.returncode == 0, f"data/{left[0].name} is not git-ignored"
    assert refresh.main(args) == refresh.EXIT_OK
    assert f"removed {left[0]}" in capsys.readouterr().out
    assert not list(setup.data_dir.glob(".*.tmp"))
