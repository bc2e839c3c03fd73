"""Publishers' headline world totals beside the book's own sums: reproduced, or reconciled.

UNHCR's *Global Trends* headline of forcibly displaced people adds refugees under its mandate,
Palestine refugees under UNRWA's, asylum-seekers, people internally displaced by conflict (IDMC)
and, in its recent editions, other people in need of international protection; it now counts once
the Palestine refugees who are also internally displaced in Gaza. Chapter 1 adds
four of these groups from today's revised series. ``reconcile`` sets the edition's figures
(``data/publisher_headlines.csv``) beside today's series and names every difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import data
from .population_groups import group_of_series

# The four groups chapter 1 adds (Figure 1.2), and the group the headline adds from 2018 on.
FOUR_GROUPS = ("refugees_unhcr_mandate", "palestine_refugees_unrwa", "asylum_seekers", "idps_conflict_idmc")
OTHER_IN_NEED = "other_in_need_of_international_protection"
HALF_STEP = 0.05  # headlines and their parts are published rounded to 0.1 million


@dataclass(frozen=True)
class Reconciliation:
    """One headline beside today's series, in million people."""

    edition: str
    year: int
    headline: float
    published: pd.Series  # the parts the edition published (empty when it gave none that were read)
    today: pd.Series  # today's series for the same date, every group of the headline
    book_sum: float  # the four groups chapter 1 adds
    remainder: float  # headline minus today's groups: revisions and people counted once

    def published_parts_close(self) -> bool:
        """Whether the edition's own parts add up to its headline within their rounding."""
        if self.published.empty:
            return False
        return abs(self.published.sum() - self.headline) <= HALF_STEP * (len(self.published) + 1)

    def table(self) -> pd.DataFrame:
        """Group by group: as published, today's revised series, and the difference (million people)."""
        edition = f"as published, {self.edition.replace('_', ' ').title()} (million people)"
        today = "today's revised series (million people)"
        rows = {
            group_of_series(group).label: (self.published.get(group, float("nan")), self.today.get(group, float("nan")))
            for group in (*FOUR_GROUPS, OTHER_IN_NEED)
        }
        published_sum = self.published.sum() if not self.published.empty else float("nan")
        counted_once = self.headline - published_sum if self.published_parts_close() else float("nan")
        rows["Counted in two groups (headline minus the published parts)"] = (
            round(counted_once, 1) if pd.notna(counted_once) else float("nan"),
            float("nan"),
        )
        rows["The book's sum of the first four groups (Figure 1.2)"] = (float("nan"), self.book_sum)
        rows["UNHCR's headline minus today's groups: revisions and people counted once"] = (
            float("nan"),
            self.remainder,
        )
        rows["Forcibly displaced: UNHCR's headline"] = (self.headline, self.headline)
        frame = pd.DataFrame.from_dict(rows, orient="index", columns=[edition, today])
        frame = frame.dropna(how="all")  # a group the edition did not count and today's series does not hold
        frame["difference (million people)"] = frame[edition] - frame[today]
        return frame.round(2)


def headlines(data_dir: Path = data.DATA_DIR) -> pd.DataFrame:
    """Every published headline and part (``data/publisher_headlines.csv``)."""
    return data.load("publisher_headlines", data_dir)


def reconcile(edition: str, data_dir: Path = data.DATA_DIR) -> Reconciliation:
    """The edition's headline beside today's series for the same end-year date."""
    rows = headlines(data_dir)
    rows = rows[rows["edition"] == edition]
    if rows.empty:
        raise KeyError(f"publisher_headlines: no rows for edition {edition!r}")
    parts = rows.set_index("part")["value_million"].astype("float64")
    if "total" not in parts.index:
        raise KeyError(f"publisher_headlines: edition {edition!r} has no total")
    year = pd.Timestamp(rows["as_of"].iloc[0]).year
    series = data.load("world_populations", data_dir)
    at = series[(series["year"] == year) & series["series"].isin([*FOUR_GROUPS, OTHER_IN_NEED])]
    today = at.set_index("series")["value"].astype("float64") / 1e6
    missing = set(FOUR_GROUPS) - set(today.index)
    if missing:
        raise KeyError(f"world_populations: no {year} value for {sorted(missing)}")
    book_sum = float(today[list(FOUR_GROUPS)].sum())
    headline = float(parts["total"])
    return Reconciliation(
        edition=edition,
        year=year,
        headline=headline,
        published=parts.drop("total"),
        today=today,
        book_sum=round(book_sum, 2),
        remainder=round(headline - float(today.sum()), 2),
    )
