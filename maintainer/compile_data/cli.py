"""Build the CPI-U, migrant-stock and treaty-year resources of ``data/`` from official files.

The whole step (:func:`compile_all`) and its command line (:func:`main`); usage and inputs:
the docstring of :mod:`maintainer.compile_data`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from iomun import data

from ..data_lock import DataLocked, check_writable, data_lock
from .cpi_u import build_cpi, default_cpi_db, read_cpi
from .desa_2024 import build_country_stock, build_shares, build_world_stock, m49_to_iso3, read_desa
from .inputs import DEFAULT_RAW_DIR, DESA_FILE, UNTC_V2_FILE, UNTC_V5_FILE, CompileError
from .provenance import source_rows
from .treaties import Party, build_treaty_years, merge_disagreements, read_untc, untc_iso3
from .writing import sync_descriptor_sources, upsert_sources, write_validated


def compile_all(
    raw_dir: Path, data_dir: Path, cpi_db: Path, cpi_version: str, today: str | None = None
) -> dict[str, Any]:
    """Build every resource of this step into ``data_dir``; return a short report."""
    today = today or dt.date.today().isoformat()
    for name in (DESA_FILE, UNTC_V2_FILE, UNTC_V5_FILE):
        if not (raw_dir / name).is_file():
            raise CompileError(f"{raw_dir / name}: raw file missing (use --raw-dir)")
    stock = read_desa(raw_dir / DESA_FILE, "Table 1")
    shares = read_desa(raw_dir / DESA_FILE, "Table 3")
    desa_names = {name: m49_to_iso3(m49) for _, name, m49, _ in stock.countries}
    parties = {
        "convention_1951": untc_iso3(read_untc(raw_dir / UNTC_V2_FILE, 2), desa_names),
        "protocol_1967": untc_iso3(read_untc(raw_dir / UNTC_V5_FILE, 1), desa_names),
    }
    snapshot = {"convention_1951": "2013-07-06", "protocol_1967": "2014-01-27"}

    load = lambda name: data.validate_file(  # noqa: E731 - read the current file, uncached
        name, data_dir / data.resource_descriptor(name, data_dir)["path"], data_dir
    )
    sources = upsert_sources(load("sources"), source_rows(raw_dir, cpi_db, cpi_version, today))
    changed = {"sources": write_validated("sources", sources, data_dir)}
    known_iso3 = set(load("countries")["iso3"].dropna())
    treaty = build_treaty_years(load("memberships"), parties, snapshot)
    outputs = {
        "cpi_u": build_cpi(read_cpi(cpi_db), cpi_version),
        # read without the revision rule: the old rows of this series are the ones being replaced
        "world_populations": build_world_stock(
            pd.read_csv(data_dir / "world_populations.csv", dtype={"series": str, "unit": str, "source_id": str}), stock
        ),
        "migrant_stock_shares": build_shares(shares),
        "migrant_stock_by_destination": build_country_stock(stock, known_iso3),
        "memberships": treaty.memberships,
        "disagreements": merge_disagreements(load("disagreements"), treaty.disagreements, treaty.memberships),
    }
    for name, frame in outputs.items():
        changed[name] = write_validated(name, frame, data_dir)
    changed["datapackage.json"] = sync_descriptor_sources(data_dir, list(outputs))
    return {
        "changed": changed,
        "disagreements": treaty.disagreements,
        "dropped": treaty.dropped,
        "no_year": _parties_without_year(treaty.memberships, parties),
    }


def _parties_without_year(memberships: pd.DataFrame, parties: dict[str, dict[str, Party]]) -> list[str]:
    """States in a UNTC table that the memberships resource cannot hold (not in its list)."""
    listed = set(memberships["iso3"])
    return sorted({iso3 for table in parties.values() for iso3 in table} - listed)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command line: where the raw files, the data and the CPI database are."""
    parser = argparse.ArgumentParser(prog="python -m maintainer.compile_data", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--raw-dir",
        type=Path,
        default=Path(os.environ.get("IOMUN_RAW_DIR", DEFAULT_RAW_DIR)),
        help="folder of the raw official files (default: ../shared/reference/raw)",
    )
    parser.add_argument("--data-dir", type=Path, default=data.DATA_DIR, help="the data package to update")
    parser.add_argument(
        "--cpi-db", type=Path, default=None, help="SQLite CPI database (default: cpi.db of the installed cpi package)"
    )
    parser.add_argument("--today", default=None, help="date written as date_read (default: today)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the compilation and print what changed; exit 1 on a bad input."""
    args = parse_args(argv)
    try:
        import importlib.metadata as metadata  # noqa: PLC0415

        cpi_db = args.cpi_db or default_cpi_db()
        version = metadata.version("cpi") if args.cpi_db is None else f"(database {cpi_db.name})"
        check_writable(args.data_dir)
        with data_lock(args.data_dir):  # the refresh's lock: never two writers of data/ at once
            report = compile_all(args.raw_dir.resolve(), args.data_dir.resolve(), cpi_db, version, args.today)
    except (CompileError, data.DataError, DataLocked, OSError, sqlite3.Error) as exc:
        print(f"compile_data: {exc}", file=sys.stderr)
        return 1
    for name, changed in report["changed"].items():
        print(f"{name}: {'updated' if changed else 'unchanged'}")
    for row in report["disagreements"]:
        print(
            f"disagreement {row['record']} {row['field']}: UNTC {row['value_used']}, "
            f"was {row['value_other']} ({row['source_other']})"
        )
    for iso3, treaty, year, source in report["dropped"]:
        print(f"dropped {iso3} {treaty} {year} ({source}): not in the UNTC table nor a later accession")
    for iso3 in report["no_year"]:
        print(f"UNTC party {iso3} is not in memberships.csv")
    return 0
