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
