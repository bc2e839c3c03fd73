"""Phrases computed from data for glueing into prose, so that no year list is typed by hand."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def year_list(years: Iterable[int]) -> str:
    """Years as readers write them: runs collapsed, "2000–2004, 2007 and 2010"; "none" when empty."""
    ordered = sorted({int(year) for year in years})
    runs: list[list[int]] = []
    for year in ordered:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    parts = [f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs]
    if not parts:
        return "none"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def day_month_year(date: pd.Timestamp) -> str:
    """A date as the prose writes it, "19 September 2016" (no zero padding, on any platform's strftime)."""
    return f"{date.day} {date:%B %Y}"
