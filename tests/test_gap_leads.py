"""A gap that rests on copies says which copies were tried, so the next search starts from them.

The source policy keeps a value read only in a third-party copy out of the book until a second copy
or another official document confirms it. Such a value stays a gap; the gap is only useful to
whoever checks again if it gives the copies' addresses (in its reason, or in the
``secondary_readings``/``copy_readings`` rows it names), never as a source of the book.
"""

from __future__ import annotations

import re

import pandas as pd
from test_source_policy import SHARING_SITES, is_official_url

from iomun import data

URL = re.compile(r"https?://[^\s,;\"')]+")
RESTS_ON_COPIES = re.compile(r"document-sharing", re.I)
RECORDS_NAMED = re.compile(r"\b(secondary_readings|copy_readings)\b")


def copies_named(text: str) -> list[str]:
    """The addresses in ``text`` that are not a publisher's own."""
    return [u for u in URL.findall(text) if not is_official_url(u)]


def gaps_without_their_copies(gaps: pd.DataFrame) -> list[str]:
    """Gaps that say a document was found only in copies but name no copy's address nor the rows holding it."""
    return [
        f"{row.resource}: {row.what[:70]}"
        for row in gaps.itertuples()
        if RESTS_ON_COPIES.search(row.reason) and not copies_named(row.reason) and not RECORDS_NAMED.search(row.reason)
    ]


def test_a_gap_resting_on_copies_names_the_copies_tried():
    assert gaps_without_their_copies(data.load("gaps")) == []


def test_the_rule_catches_a_gap_that_names_no_copy():
    gaps = pd.DataFrame(
        [
            {
                "resource": "agency_finances",
                "what": "UNHCR expenditure",
                "years": "2000",
                "reason": "Found only on document-sharing sites.",
                "where_to_look": "https://www.unhcr.org",
            }
        ]
    )
    assert gaps_without_their_copies(gaps) == ["agency_finances: UNHCR expenditure"]
    gaps.loc[0, "reason"] += " Copy tried: https://moam.info/a-60-5-add-5.html"
    assert gaps_without_their_copies(gaps) == []


def test_the_copies_a_gap_names_are_never_a_source():
    """A copy tried is a lead for the next search, not a citation: no source points at it."""
    sources = set(data.load("sources")["url"])
    for row in data.load("gaps").itertuples():
        for url in copies_named(row.reason):
            assert url not in sources, f"{row.what[:50]}: {url} is cited as a source"


def test_the_figure_2_gaps_name_the_copies_of_the_financial_reports_tried():
    """The gaps behind Figure 2 list each copy tried, with the symbol it was read as."""
    finances = data.load("gaps").query("resource == 'agency_finances'").set_index("what")["reason"]
    iom = finances["IOM total expenditure (Administrative plus Operational Programmes)"]
    unhcr = finances["UNHCR expenditure (all programmes)"]
    for symbol in ("MC/2005", "MC/2079", "MC/2254"):
        assert symbol in iom
    for symbol in ("A/60/5/Add.5", "A/66/5/Add.5", "A/AC.96/1040"):
        assert symbol in unhcr
    assert all(SHARING_SITES.search(u) for u in copies_named(iom) + copies_named(unhcr))
