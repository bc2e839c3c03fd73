"""What the briefing itself bounds or names, for the chapters and the claims ledger alike.

The briefing's date is in :mod:`iomun.facts` (``BRIEFING_DATE``); here are the window of its
Figure 1 and the states it names as outside the refugee instruments, and the growth over a window.
"""

from __future__ import annotations

import pandas as pd

# The briefing's "last quarter-century" (Figure 1): 1990 to 2015, the last year every series had
# published in September 2016. Chapter 1 and the ledger use this one window.
QUARTER_CENTURY = (1990, 2015)

# The states the briefing names as missing from the refugee instruments (section "Different member states").
NAMED_NON_PARTIES = {
    "ERI": "Eritrea",
    "IND": "India",
    "JOR": "Jordan",
    "LBY": "Libya",
    "NPL": "Nepal",
    "PAK": "Pakistan",
    "SSD": "South Sudan",
    "LKA": "Sri Lanka",
    "THA": "Thailand",
    "VNM": "Viet Nam",
}


def window_growth(values: pd.Series, window: tuple[int, int] = QUARTER_CENTURY) -> float:
    """End over start of ``values`` (indexed by year) for the two years of ``window``; NaN if either is missing."""
    start, end = window
    if start not in values.index or end not in values.index:
        return float("nan")
    return float(values[end] / values[start])
