"""Chapter 1's Figure 1.2 as one computed value: the forcibly displaced, four groups added, at the
briefing's year and the latest, beside UNHCR's headlines for the same dates.

The chart's title, its caption's point, its alt text and the numbers the chapter and the key
findings page state are all phrased from one :class:`ForcedDisplacement`, so they cannot state
different numbers, years or directions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from .figures import Caption

NUMBER = "1.2"
READING = (
    "Each bar is one year's total, stacked by group, in the years all four groups are counted; "
    "the dotted line marks the briefing's year. UNHCR's headlines add other groups and use the "
    "figures as first published: chapter 1 sets them beside these sums group by group"
)


def _million(people: float) -> str:
    return f"{people / 1e6:.1f}"


@dataclass(frozen=True)
class ForcedDisplacement:
    """The four groups' total (people) at the briefing's year and the latest end-year, the first
    year all four are counted, and UNHCR's headline (million people) for each of the two dates."""

    briefing_year: int
    latest_year: int
    at_briefing: float
    at_latest: float
    first_year: int
    headline_briefing: float
    headline_latest: float

    @classmethod
    def from_totals(
        cls, totals: pd.Series, briefing_year: int, latest_year: int, headlines: Mapping[int, float]
    ) -> ForcedDisplacement:
        """From the four groups' total a year (``totals``, people, only years with all four counted)
        and UNHCR's headline a year (million people); a missing year is an error, never a zero."""
        for year in (briefing_year, latest_year):
            if year not in totals.index or pd.isna(totals[year]):
                raise KeyError(f"forced displacement: no total for {year} (all four groups must be counted)")
            if year not in headlines:
                raise KeyError(f"forced displacement: no UNHCR headline for end-{year}")
        return cls(
            briefing_year=int(briefing_year),
            latest_year=int(latest_year),
            at_briefing=float(totals[briefing_year]),
            at_latest=float(totals[latest_year]),
            first_year=int(totals.dropna().index.min()),
            headline_briefing=float(headlines[briefing_year]),
            headline_latest=float(headlines[latest_year]),
        )

    @property
    def totals(self) -> str:
        """ "64.2 million at end-2016, 118.8 million at end-2024": the comparison every text states."""
        return (
            f"{_million(self.at_briefing)} million at end-{self.briefing_year}, "
            f"{_million(self.at_latest)} million at end-{self.latest_year}"
        )

    @property
    def title(self) -> str:
        """The chart's title."""
        return f"Four groups of forcibly displaced people, today's revised series: {self.totals}"

    @property
    def point(self) -> str:
        """The caption's point: the totals, then UNHCR's headlines for the same dates."""
        return (
            f"Refugees, asylum-seekers, Palestine refugees and conflict IDPs, today's revised series: "
            f"{self.totals} (UNHCR's headlines: {self.headline_briefing:.1f} and "
            f"{self.headline_latest:.1f} million)"
        )

    @property
    def alt(self) -> str:
        """The image's alt text: what is drawn, and the same two totals."""
        return (
            f"Stacked bar chart, {self.first_year} to {self.latest_year}: refugees under UNHCR's mandate, "
            f"asylum-seekers, Palestine refugees and people internally displaced by conflict, together "
            f"{_million(self.at_briefing)} million in {self.briefing_year} and "
            f"{_million(self.at_latest)} million in {self.latest_year}."
        )

    def caption(self, source: str) -> Caption:
        """Figure 1.2's caption."""
        return Caption(NUMBER, self.point, source, READING)

    def glued(self) -> dict[str, str]:
        """The numbers chapter 1 and the key findings page state, by their glue keys."""
        return {
            "forced_total_2016_m": _million(self.at_briefing),
            "forced_total_latest_m": _million(self.at_latest),
            "headline_2016_m": f"{self.headline_briefing:.1f}",
            "headline_2024_m": f"{self.headline_latest:.1f}",
        }
