"""BLS CPI-U, series CUUR0000SA0, period M13 (annual average), from the ``cpi`` package's SQLite copy."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd

from .inputs import CompileError

CPI_SERIES, CPI_PERIOD = "CUUR0000SA0", "M13"
CPI_YEARS = (2000, 2025)
CPI_SOURCE = "bls_cpi_u_cuur0000sa0"


def default_cpi_db() -> Path:
    """``cpi.db`` of the installed ``cpi`` package (imported only here: it is a maintainer need)."""
    import cpi  # noqa: PLC0415 - optional maintainer dependency

    return Path(cpi.__file__).resolve().parent / "cpi.db"


def read_cpi(db_path: Path, years: tuple[int, int] = CPI_YEARS) -> dict[int, float]:
    """Annual averages of CPI-U (1982-84=100) for every year in ``years``, from the BLS copy."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as connection:
        rows = connection.execute(
            "SELECT year, value FROM indexes WHERE series = ? AND period = ? AND year BETWEEN ? AND ? ORDER BY year",
            (CPI_SERIES, CPI_PERIOD, *years),
        ).fetchall()
    values = {int(year): float(value) for year, value in rows}
    missing = [y for y in range(years[0], years[1] + 1) if y not in values]
    if missing:
        raise CompileError(f"{db_path}: {CPI_SERIES} {CPI_PERIOD} has no value for {missing}")
    return values


def build_cpi(values: dict[int, float], package_version: str) -> pd.DataFrame:
    """The cpi_u resource: one row per year."""
    locator = (
        f"BLS series {CPI_SERIES} (CPI-U, U.S. city average, all items, not seasonally "
        f"adjusted), period {CPI_PERIOD} (annual average), year {{year}}; read from cpi.db "
        f"of the PyPI package cpi {package_version}"
    )
    return pd.DataFrame(
        [
            {
                "year": year,
                "cpi_u_annual_average": value,
                "base_period": "1982-84=100",
                "source_id": CPI_SOURCE,
                "locator": locator.format(year=year),
            }
            for year, value in sorted(values.items())
        ]
    )
