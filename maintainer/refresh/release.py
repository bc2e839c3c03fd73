"""A release: world totals per series and year from one service, and how it replaces our rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

RESOURCE = "world_populations"
YEAR_FROM = 1990  # the schema's first year


@dataclass
class Release:
    """World totals per series and year from one service, ready to replace our rows."""

    series: tuple[str, ...]
    source_id: str
    unit: str
    totals: dict[str, dict[int, int]] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    source: dict[str, str] | None = None  # a row for data/sources.csv when the release is a new source


def merge(rows: list[dict[str, str]], releases: Sequence[Release]) -> list[dict[str, str]]:
    """Replace every row of a refreshed series by the release's; keep the others as written."""
    refreshed = {series for release in releases for series in release.series}
    merged = [row for row in rows if row["series"] not in refreshed]
    for release in releases:
        for series in release.series:
            for year, value in sorted(release.totals.get(series, {}).items()):
                merged.append(
                    {
                        "year": str(year),
                        "series": series,
                        "value": str(value),
                        "unit": release.unit,
                        "source_id": release.source_id,
                    }
                )
    return sorted(merged, key=lambda row: (row["series"], int(row["year"])))
