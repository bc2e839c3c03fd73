"""What date a world total refers to: end of year or mid-year, as the publisher defines it.

Read from the ``reference_periods`` resource, so a chapter can say "mid-2025" when it means it
and compare years on end-year figures only.
"""

from __future__ import annotations

from pathlib import Path

from . import data


def reference(series: str, year: int, data_dir: Path = data.DATA_DIR) -> str:
    """``"end-year"`` or ``"mid-year"`` for one value of ``world_populations``."""
    periods = data.load("reference_periods", data_dir)
    match = periods[(periods["series"] == series) & (periods["first_year"] <= year) & (periods["last_year"] >= year)]
    if len(match) != 1:
        raise KeyError(f"reference_periods: {len(match)} spans cover {series} {year} (expected one)")
    return str(match["reference"].iloc[0])


def label(series: str, year: int, data_dir: Path = data.DATA_DIR) -> str:
    """A reader's label for the date of a value: ``"end-2024"`` or ``"mid-2025"``."""
    return f"{reference(series, year, data_dir).split('-')[0]}-{year}"


def latest_end_year(series: str, data_dir: Path = data.DATA_DIR) -> int:
    """The latest year whose value refers to the end of the year (for comparisons across years)."""
    periods = data.load("reference_periods", data_dir)
    ends = periods[(periods["series"] == series) & (periods["reference"] == "end-year")]
    if ends.empty:
        raise KeyError(f"reference_periods: no end-year span for {series}")
    return int(ends["last_year"].max())
