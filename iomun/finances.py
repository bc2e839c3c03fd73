"""Agency finances shaped as the chapters read them (from ``data/agency_finances.csv``)."""

from __future__ import annotations

import pandas as pd

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
