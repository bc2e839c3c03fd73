"""Build the CPI-U, migrant-stock and treaty-year resources of ``data/`` from official files.

Run by a maintainer (``make compile-data``, or ``python -m maintainer.compile_data``) after
installing ``requirements-maintainer.txt``. Inputs:

- BLS CPI-U, series CUUR0000SA0, period M13 (annual average), from ``cpi/cpi.db`` of the
  PyPI package ``cpi`` (an SQLite copy of the BLS time-series files);
- UN DESA, *International Migrant Stock 2024: Destination* (Tables 1 and 3) and the UN Treaty
  Collection status tables of chapters V.2 and V.5, byte-faithful copies in
  ``../shared/reference/raw`` (``--raw-dir`` or ``IOMUN_RAW_DIR`` to read them elsewhere).

Every row written names its source and where in it the value was read; every changed file is
validated against ``datapackage.json`` before it replaces the old one. The script never types a
value: what the inputs do not hold stays as it was (or missing).

The package, by what each module holds:

- :mod:`.inputs`: where the raw files are, their names, and :class:`CompileError`;
- :mod:`.cpi_u`: BLS CPI-U from the ``cpi`` package (:func:`read_cpi`, :func:`build_cpi`);
- :mod:`.desa_2024`: the UN DESA 2024 workbook (:func:`read_desa` and the three resources built from it);
- :mod:`.treaties`: the UN Treaty Collection status tables (:func:`read_untc`, :func:`build_treaty_years`);
- :mod:`.provenance`: the rows of ``sources.csv`` for the inputs (:func:`source_rows`);
- :mod:`.writing`: writing resources, validated, and their sources in ``datapackage.json``;
- :mod:`.cli`: the whole step (:func:`compile_all`) and its command line (:func:`main`).

Every public name is re-exported here, so ``from maintainer import compile_data as cd`` keeps working.
"""

from __future__ import annotations

from .cli import compile_all, main, parse_args
from .cpi_u import CPI_PERIOD, CPI_SERIES, CPI_SOURCE, CPI_YEARS, build_cpi, default_cpi_db, read_cpi
from .desa_2024 import (
    AGGREGATES_WITH_DATA_TYPE,
    DESA_SERIES,
    DESA_SOURCE,
    DESA_YEARS,
    WORLD_M49,
    DesaTable,
    build_country_stock,
    build_shares,
    build_world_stock,
    m49_to_iso3,
    read_desa,
)
from .inputs import DEFAULT_RAW_DIR, DESA_FILE, UNTC_V2_FILE, UNTC_V5_FILE, CompileError
from .provenance import sha256, source_rows
from .treaties import (
    ADDED_STATES,
    LATER_ACCESSIONS,
    SOUTH_SUDAN_SOURCE,
    TREATY_SOURCES,
    UNTC_ALIASES,
    UNTC_V2_SOURCE,
    UNTC_V5_SOURCE,
    Party,
    TreatyResult,
    build_treaty_years,
    merge_disagreements,
    read_untc,
    untc_iso3,
)
from .writing import SOURCE_COLUMNS, sync_descriptor_sources, to_csv_text, upsert_sources, write_validated

__all__ = [
    "ADDED_STATES",
    "AGGREGATES_WITH_DATA_TYPE",
    "CPI_PERIOD",
    "CPI_SERIES",
    "CPI_SOURCE",
    "CPI_YEARS",
    "CompileError",
    "DEFAULT_RAW_DIR",
    "DESA_FILE",
    "DESA_SERIES",
    "DESA_SOURCE",
    "DESA_YEARS",
    "DesaTable",
    "LATER_ACCESSIONS",
    "Party",
    "SOURCE_COLUMNS",
    "SOUTH_SUDAN_SOURCE",
    "TREATY_SOURCES",
    "TreatyResult",
    "UNTC_ALIASES",
    "UNTC_V2_FILE",
    "UNTC_V2_SOURCE",
    "UNTC_V5_FILE",
    "UNTC_V5_SOURCE",
    "WORLD_M49",
    "build_country_stock",
    "build_cpi",
    "build_shares",
    "build_treaty_years",
    "build_world_stock",
    "compile_all",
    "default_cpi_db",
    "m49_to_iso3",
    "main",
    "merge_disagreements",
    "parse_args",
    "read_cpi",
    "read_desa",
    "read_untc",
    "sha256",
    "source_rows",
    "sync_descriptor_sources",
    "to_csv_text",
    "untc_iso3",
    "upsert_sources",
    "write_validated",
]
