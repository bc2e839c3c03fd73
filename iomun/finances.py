"""Agency finances shaped as the chapters read them (from ``data/agency_finances.csv``)."""

from __future__ import annotations

import pandas as pd

CEB_EXPENSES = "total_expenses_ceb"


def ceb_expenses(finances: pd.DataFrame) -> pd.DataFrame:
    """Total expenses reported to the UN CEB: one row per year, one column per agency (US dollars)."""
    rows = finances[finances["measure"] == CEB_EXPENSES]
    return rows.pivot(index="year", columns="agency", values="value_usd")
