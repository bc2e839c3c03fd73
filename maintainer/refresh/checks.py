"""Checks on the values of a release: impossible totals, year-on-year jumps, moves of past years."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .release import Release
from .transport import RefreshError

# Plausibility: a world total of persons above this many is impossible (more people than are
# alive; a bound, not a figure); a value more than MAX_JUMP times (or less than 1/MAX_JUMP of)
# the series' previous year is refused unless --force (the largest move in data/ is under 2.5).
PERSONS_CEILING = 10_000_000_000
MAX_JUMP = 3.0


@dataclass(frozen=True)
class Change:
    """One (series, year) whose value or unit differs between the file and the release."""

    series: str
    year: int
    old: int | None
    new: int | None
    old_unit: str | None
    new_unit: str | None

    def beyond(self, tolerance: float) -> bool:
        """True if a year already in the file disappears or moves by more than ``tolerance``."""
        if self.old is None:
            return False
        if self.new is None:
            return True
        return abs(self.new - self.old) > tolerance * self.old

    def describe(self) -> str:
        """The change as text: relative move, added or removed."""
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        if self.old == 0:
            return "from 0"
        return f"{(self.new - self.old) / self.old:+.2%}"


def check_ceilings(releases: Sequence[Release]) -> None:
    """Refuse a world total no population can reach (never overridable: it is impossible)."""
    for release in releases:
        for series, totals in release.totals.items():
            for year, value in sorted(totals.items()):
                if value > PERSONS_CEILING:
                    raise RefreshError(
                        f"{release.urls.get(series, release.source_id)}: year {year}, series "
                        f"'{series}': {value:,} persons is above the plausibility ceiling of "
                        f"{PERSONS_CEILING:,} (more than the world's population)"
                    )


def jumps(rows: list[dict[str, str]], series: set[str], factor: float) -> list[str]:
    """Each value of ``series`` more than ``factor`` times above or below its previous year's."""
    found = []
    previous: dict[str, tuple[int, int]] = {}
    for row in sorted(rows, key=lambda r: (r["series"], int(r["year"]))):
        name, year, value = row["series"], int(row["year"]), int(row["value"])
        if name in series and name in previous:
            before_year, before = previous[name]
            if min(before, value) > 0 and max(value / before, before / value) > factor:
                found.append(
                    f"{name} {before_year}->{year}: {before:,} -> {value:,} "
                    f"(x{value / before:.2f}, beyond the factor {factor:g})"
                )
        previous[name] = (year, value)
    return found


def compare(old_rows: list[dict[str, str]], new_rows: list[dict[str, str]], series: set[str]) -> list[Change]:
    """Every (series, year) of the refreshed series whose value or unit differs."""

    def index(rows: list[dict[str, str]]) -> dict[tuple[str, int], tuple[int, str]]:
        return {(r["series"], int(r["year"])): (int(r["value"]), r["unit"]) for r in rows if r["series"] in series}

    old, new = index(old_rows), index(new_rows)
    changes = []
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        if before != after:
            changes.append(
                Change(
                    key[0],
                    key[1],
                    before[0] if before else None,
                    after[0] if after else None,
                    before[1] if before else None,
                    after[1] if after else None,
                )
            )
    return changes


def change_table(changes: Sequence[Change], tolerance: float) -> str:
    """The changes as a fixed-width table, each move beyond the tolerance marked."""
    if not changes:
        return "  no value changes"
    lines = [f"  {'series':<42} {'year':>4} {'old':>13} {'new':>13} {'change':>8}  note"]
    for change in changes:
        old = f"{change.old:,}" if change.old is not None else "-"
        new = f"{change.new:,}" if change.new is not None else "-"
        notes = []
        if change.beyond(tolerance):
            notes.append(f"BEYOND {tolerance:.0%} TOLERANCE")
        if None not in (change.old_unit, change.new_unit) and change.old_unit != change.new_unit:
            notes.append(f"unit now '{change.new_unit}'")
        lines.append(
            f"  {change.series:<42} {change.year:>4} {old:>13} {new:>13} "
            f"{change.describe():>8}  {'; '.join(notes)}".rstrip()
        )
    return "\n".join(lines)
