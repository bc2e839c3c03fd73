"""What a hostile contributor can put into ``data/``: each is refused with file, row and field.

Cases of issue 25 about the loader (links and special files, implausible values, foreign
keys, parse errors, control and bidi characters) and about citing source ids in tables.
Every case damages a copy of ``data/`` in tmp_path; the copy's other files and the real
``data/`` are left as they were.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from data_copies import digests

from iomun import claims, data, tables
from iomun.data import DataError
from maintainer import data_page


def set_cell(path: Path, column: str, value: str, match: dict[str, str] | None = None) -> int:
    """Set ``column`` of the first row matching ``match`` (raw strings); return its file row."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    chosen = frame.index[(frame[list(match)] == pd.Series(match)).all(axis=1)][0] if match else 0
    frame.loc[chosen, column] = value
    path.write_text(frame.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    return int(chosen) + 2


def refused(name: str, copy: Path) -> DataError:
    """The loader's error for resource ``name``; the copy's files are unchanged by it."""
    before = digests(copy)
    with pytest.raises(DataError) as caught:
        data.load(name, data_dir=copy)
    assert digests(copy) == before
    return caught.value


# --- case 1: source ids -----------------------------------------------------------------


@pytest.mark.parametrize("source_id", ["65", "2016", "lt", "amp", "quot"])
def test_a_source_id_that_could_read_as_a_number_or_an_entity_is_refused(copy: Path, source_id: str) -> None:
    path = copy / "sources.csv"
    row = set_cell(path, "source_id", source_id)
    error = refused("sources", copy)
    assert (error.path, error.row, error.field) == (path, row, "source_id"), str(error)
    assert "pattern" in str(error)


def test_ids_are_cited_as_whole_tokens_of_the_text_never_inside_escaped_html() -> None:
    registry = pd.DataFrame(
        {
            "publisher": ["Spoof Agency", "Spoof Agency", "United Nations"],
            "year": ["2001", "2001", "1996"],
            "url": ["https://example.org/a", "https://example.org/b", "https://undocs.org/A/51/232"],
        },
        index=pd.Index(["lt", "quot", "un_a51_232"], name="source_id"),
    )
    text = 'a < b, "quoted" & 1,234 from un_a51_232 and un_a51_232_annex'
    shown = tables.cite_source_ids(text, registry)
    assert shown.startswith("a &lt; b, &quot;quoted&quot; &amp; 1,234 from ")
    assert shown.count("<a ") == 1 and '<a href="https://undocs.org/A/51/232">UN 1996</a>' in shown
    assert shown.endswith(" and un_a51_232_annex")


# --- case 2: links and special files ----------------------------------------------------


@pytest.mark.parametrize("target", ["outside", "/dev/zero", "/etc/passwd"])
def test_a_symbolic_link_in_data_is_refused_and_never_read(copy: Path, tmp_path: Path, target: str) -> None:
    if target == "outside":
        outside = tmp_path / "elsewhere.csv"
        shutil.copy(copy / "gaps.csv", outside)
        target = str(outside)
    (copy / "gaps.csv").unlink()
    (copy / "gaps.csv").symlink_to(target)
    error = refused("gaps", copy)
    assert "symbolic link" in str(error) and str(copy / "gaps.csv") in str(error)
    assert "root:" not in str(error)


def test_a_linked_file_is_never_published_as_a_download(copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.csv"
    shutil.copy(copy / "gaps.csv", outside)
    (copy / "gaps.csv").unlink()
    (copy / "gaps.csv").symlink_to(outside)
    folder = tmp_path / "downloads"
    with pytest.raises(DataError, match="symbolic link"):
        data_page.write_downloads(folder, copy)
    assert not (folder / "gaps.csv").exists()


def test_a_linked_descriptor_is_refused(copy: Path, tmp_path: Path) -> None:
    moved = tmp_path / "datapackage.json"
    (copy / "datapackage.json").rename(moved)
    (copy / "datapackage.json").symlink_to(moved)
    with pytest.raises(DataError, match="symbolic link"):
        data.read_descriptor(copy)


def test_a_fifo_is_refused_without_waiting_for_a_writer(copy: Path) -> None:
    (copy / "gaps.csv").unlink()
    os.mkfifo(copy / "gaps.csv")
    assert "not a regular file" in str(refused("gaps", copy))


def test_a_file_above_the_size_bound_is_refused_unread(copy: Path) -> None:
    with (copy / "gaps.csv").open("r+b") as handle:
        handle.truncate(64 * 1024 * 1024)  # sparse: costs no disk
    assert "above the bound" in str(refused("gaps", copy))


# --- case 6: plausibility bounds declared in the schema ---------------------------------


def test_iom_expenses_of_1e308_are_refused_by_the_declared_maximum(copy: Path) -> None:
    path = copy / "agency_finances.csv"
    row = set_cell(path, "value_usd", "1e308", {"year": "2016", "agency": "IOM"})
    error = refused("agency_finances", copy)
    assert (error.path, error.row, error.field) == (path, row, "value_usd"), str(error)
    assert 'constraint "maximum"' in str(error) and "largest plausible value" in str(error)


def test_every_numeric_field_declares_a_plausible_maximum(copy: Path) -> None:
    descriptor = data.read_descriptor(copy)
    numeric = [
        (r["name"], f)
        for r in descriptor["resources"]
        for f in r["schema"]["fields"]
        if f["type"] in ("integer", "number", "year")
    ]
    assert numeric and all("maximum" in f["constraints"] for _, f in numeric)
    finances = next(r for r in descriptor["resources"] if r["name"] == "agency_finances")
    finances["schema"]["fields"][3]["constraints"].pop("maximum")
    (copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(DataError, match=r"largest plausible value \(constraints.maximum\)"):
        data.load("agency_finances", data_dir=copy)


# --- case 7: declared foreign keys ------------------------------------------------------


def test_an_argument_citing_no_claim_is_refused(copy: Path) -> None:
    path = copy / "briefing_arguments.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    index = int(frame.index[frame["claim_id"] != ""][0])
    row = set_cell(path, "claim_id", "no_such_claim", {"argument_id": frame.loc[index, "argument_id"]})
    error = refused("briefing_arguments", copy)
    assert (error.path, error.row, error.field) == (path, row, "claim_id"), str(error)
    assert "no_such_claim" in str(error) and "briefing_claims" in str(error)


# --- case 8: parse errors name file, row and field --------------------------------------


@pytest.mark.parametrize(
    ("column", "value"),
    [("value", "２４８０００００"), ("value", "248_000_000"), ("year", "2015\u200b"), ("value", "248 000 000")],
    ids=["full-width-digits", "underscores", "zero-width-space", "spaces"],
)
def test_a_number_not_in_ascii_digits_names_file_row_and_field(copy: Path, column: str, value: str) -> None:
    path = copy / "world_populations.csv"
    row = set_cell(path, column, value, {"series": "international_migrants_undesa_ims2020", "year": "2015"})
    error = refused("world_populations", copy)
    assert (error.path, error.row, error.field) == (path, row, column), str(error)


def test_a_zero_width_space_in_a_source_year_is_named(copy: Path) -> None:
    """``year`` of sources.csv is text: the notebooks read it as a number."""
    path = copy / "sources.csv"
    row = set_cell(path, "year", "2016\u200b")
    error = refused("sources", copy)
    assert (error.path, error.row, error.field) == (path, row, "year"), str(error)
    assert "U+200B" in str(error)


def test_a_header_of_a_million_columns_gives_a_short_message(copy: Path) -> None:
    path = copy / "world_populations.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text(
        lines[0] + "," + ",".join(f"c{i}" for i in range(10**6)) + "\n" + "\n".join(lines[1:]) + "\n", encoding="utf-8"
    )
    error = refused("world_populations", copy)
    assert error.row == 1 and "1,000,005 columns" in str(error) and len(str(error)) < 1000


def test_a_descriptor_nested_100000_deep_is_a_data_error(copy: Path) -> None:
    (copy / "datapackage.json").write_text('{"resources": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(DataError, match="nested"):
        data.read_descriptor(copy)


def test_a_descriptor_nested_just_too_deep_is_a_data_error(copy: Path) -> None:
    descriptor = data.read_descriptor(copy)
    descriptor["resources"][0]["deep"] = json.loads("[" * 40 + "]" * 40)
    (copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(DataError, match="nested more than"):
        data.read_descriptor(copy)


def test_a_source_without_publisher_is_named(copy: Path) -> None:
    descriptor = data.read_descriptor(copy)
    descriptor["resources"][0]["sources"][0].pop("publisher")
    (copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(DataError, match="resource 'world_populations' has no publisher"):
        data_page.render(copy)


def test_an_unknown_check_in_the_claims_is_named(copy: Path) -> None:
    path = copy / "briefing_claims.csv"
    row = set_cell(path, "check", "no_such_check")
    error = refused("briefing_claims", copy)
    assert (error.path, error.row, error.field) == (path, row, "check"), str(error)


def test_the_schema_lists_exactly_the_checks_the_ledger_runs() -> None:
    fields = data.resource_descriptor("briefing_claims")["schema"]["fields"]
    assert set(next(f for f in fields if f["name"] == "check")["constraints"]["enum"]) == set(claims.CHECKS)


# --- case 10: control and bidi characters -----------------------------------------------


@pytest.mark.parametrize(
    "char",
    ["\u202e", "\u200b", "\x00", "\x1b", "\u2066"],
    ids=["rtl-override", "zero-width-space", "nul", "esc", "lri"],
)
def test_control_and_bidi_characters_in_a_cell_are_refused(copy: Path, char: str) -> None:
    path = copy / "working_cultures.csv"
    row = set_cell(path, "description", f"moves{char}[31mfast")
    error = refused("working_cultures", copy)
    assert (error.path, error.row, error.field) == (path, row, "description"), str(error)
    assert f"U+{ord(char):04X}" in str(error) and char not in str(error)


@pytest.mark.parametrize("char", ["\u202e", "\x1b"], ids=["rtl-override", "esc"])
def test_control_and_bidi_characters_in_the_descriptor_are_refused(copy: Path, char: str) -> None:
    descriptor = data.read_descriptor(copy)
    descriptor["resources"][2]["title"] += f" {char}gnp"
    (copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(DataError, match=f"U\\+{ord(char):04X}") as caught:
        data.read_descriptor(copy)
    assert char not in str(caught.value)
