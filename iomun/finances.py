"""Agency finances shaped as the chapters read them (from ``data/agency_finances.csv``)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .briefing_terms import window_growth
from .facts import published_count

CEB_EXPENSES = "total_expenses_ceb"


def ceb_expenses(finances: pd.DataFrame) -> pd.DataFrame:
    """Total expenses reported to the UN CEB: one row per year, one column per agency (US dollars)."""
    rows = finances[finances["measure"] == CEB_EXPENSES]
    return rows.pivot(index="year", columns="agency", values="value_usd")


# The agencies' own totals the CEB series can be set beside (expenditure as each reports it).
OWN_TOTALS = ("expenditure", "total_expenditure", "total_expenditure_estimated")


def reconcile_with_ceb(finances: pd.DataFrame) -> pd.DataFrame:
    """CEB expenses beside each agency's own total for the years both exist, with the gap.

    One row per year and agency: the agency's measure and amount, the CEB amount, the
    difference (CEB minus own) and the CEB amount as a share of the agency's own (per cent).
    """
    own = finances[finances["measure"].isin(OWN_TOTALS)][["year", "agency", "measure", "value_usd"]]
    ceb = finances[finances["measure"] == CEB_EXPENSES][["year", "agency", "value_usd"]]
    both = own.merge(ceb, on=["year", "agency"], suffixes=("_own", "_ceb"))
    both = both.rename(columns={"measure": "own_measure", "value_usd_own": "own_usd", "value_usd_ceb": "ceb_usd"})
    both["difference_usd"] = both["ceb_usd"] - both["own_usd"]
    both["ceb_share_of_own_pct"] = 100 * both["ceb_usd"] / both["own_usd"]
    return both.sort_values(["agency", "year"]).reset_index(drop=True)


def read_in_copies(finances: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    """Which rows of ``finances`` rest on an official document read in a third-party copy.

    ``sources`` is the sources resource indexed by ``source_id``; such values are marked in
    figures (hollow markers and a caption note), as the source policy asks.
    """
    provenance = finances["source_id"].map(sources["provenance"])
    return provenance.eq("read_in_copy").rename("read_in_copy")


def pane_point(table: pd.DataFrame, year: int) -> str:
    """The headline of one pane of the money chart, stating only what that pane draws.

    ``table`` holds one measure, a column per line, in US dollars by year. With a UNHCR and an
    IOM line, the headline is their ratio in ``year`` (or, failing that, the latest year both
    have; none, it says so); with UNHCR's lines alone, UNHCR's last line in its latest year, saying IOM is absent.
    """
    if {"UNHCR", "IOM"} <= set(table.columns):
        both = table[["UNHCR", "IOM"]].dropna()
        if both.empty:  # the agencies' own reports cover different years
            return "UNHCR and IOM: no year with both agencies' figures on this measure"
        when = year if year in both.index else int(both.index.max())
        ratio = both.loc[when, "UNHCR"] / both.loc[when, "IOM"]
        return f"UNHCR spent {ratio:.1f} times as much as IOM in {when}"
    line = table.columns[-1]
    values = table[line].dropna()
    if values.empty:
        raise ValueError(f"no value for {line}")
    when = int(values.index.max())
    return f"{line}: US${values.loc[when] / 1e9:.1f} billion in {when} (no IOM figure on this measure)"


# UNHCR's own population series (the people it counts as its concern), summed for Figure 2's operations reading.
UNHCR_CONCERN_SERIES = ("refugees_unhcr_mandate", "asylum_seekers", "idps_unhcr_protected", "stateless_persons")


@dataclass(frozen=True)
class GrowthReading:
    """One of the briefing's two readings of Figure 2: an agency's spending beside what it grew with."""

    start: int
    end: int
    spending: float  # end over start
    beside: float  # end over start of what the spending is set beside
    sentence_format: str

    def sentence(self) -> str:
        """The reading in the words of the chapter and the claims ledger."""
        return self.sentence_format.format(self=self)


def iom_spending_and_membership(finances: pd.DataFrame) -> GrowthReading | None:
    """IOM's own total expenditure, first and last year read, beside its published member counts nearest
    to those years' ends; None with fewer than two years."""
    own = finances[(finances["agency"] == "IOM") & finances["measure"].str.startswith("total_expenditure")]
    spent = own.set_index("year")["value_usd"]
    if len(spent) < 2:
        return None
    start, end = int(spent.index.min()), int(spent.index.max())
    counts = {year: published_count("iom_member_states", pd.Timestamp(f"{year}-12-31")) for year in (start, end)}
    states = {year: int(row["value"]) for year, row in counts.items()}
    member_years = {year: str(row["as_of"])[:4] for year, row in counts.items()}
    return GrowthReading(
        start,
        end,
        spent[end] / spent[start],
        states[end] / states[start],
        "{self.start}-{self.end}: expenditure ×{self.spending:.2f}; member states ×{self.beside:.2f} "
        f"({states[start]} in {member_years[start]}, {states[end]} in {member_years[end]})",
    )


def unhcr_spending_and_concern(finances: pd.DataFrame, populations: pd.DataFrame, end: int) -> GrowthReading:
    """UNHCR's CEB expenses beside the people it counts as its concern, from the CEB's first year to ``end``."""
    ceb = ceb_expenses(finances)["UNHCR"].dropna()
    people = populations[populations["series"].isin(UNHCR_CONCERN_SERIES)]
    concern = people.pivot(index="year", columns="series", values="value").dropna().sum(axis=1)
    start = int(ceb.index.min())
    return GrowthReading(
        start,
        end,
        window_growth(ceb, (start, end)),
        window_growth(concern, (start, end)),
        "{self.start}-{self.end}: expenses ×{self.spending:.2f}, people of concern ×{self.beside:.2f}",
    )
