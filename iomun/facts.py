"""The one facts lookup (``data/facts.csv``) and the briefing's date, for claims and every chapter."""

from __future__ import annotations

import pandas as pd

from . import data

BRIEFING_DATE = pd.Timestamp("2016-09-19")  # signature of the IOM-UN agreement, the briefing's "now"
BRIEFING_YEAR = BRIEFING_DATE.year


def fact_table() -> pd.DataFrame:
    """Every fact of ``data/facts.csv``, indexed by ``fact_id``."""
    return data.load("facts").set_index("fact_id")


def fact(fact_id: str) -> pd.Series:
    """One fact: its value, as_of date, source_id and locator."""
    return fact_table().loc[fact_id]


def published_count(prefix: str, when: pd.Timestamp | None = None, on_or_before: bool = False) -> pd.Series:
    """The dated count in facts whose id starts with ``prefix``: nearest to ``when`` (with ``on_or_before``,
    the latest published by ``when``, so a later count is never shown as the one of that date), or the latest
    if ``when`` is None."""
    table = fact_table()
    rows = table[table.index.str.startswith(prefix)].assign(date=lambda d: pd.to_datetime(d["as_of"], format="ISO8601"))
    if when is not None and on_or_before:
        rows = rows[rows["date"] <= when]
    if rows.empty:
        dated = f" dated on or before {when:%Y-%m-%d}" if on_or_before and when is not None else ""
        raise KeyError(f"no fact id starts with {prefix!r}{dated}")
    if when is None or on_or_before:
        return rows.loc[rows["date"].idxmax()]
    return rows.loc[(rows["date"] - when).abs().idxmin()]
