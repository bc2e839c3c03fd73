"""Each pane of Figure 2.2 is titled by what it draws: a ratio where both agencies have a line,
UNHCR's figure alone where only UNHCR publishes the measure."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from iomun.finances import SpendingRatio, pane_point, spending_then_and_now


def test_two_agencies_give_the_ratio_of_the_year_asked() -> None:
    table = pd.DataFrame({"UNHCR": [2.4e9, 4.0e9], "IOM": [1.0e9, 3.0e9]}, index=[2016, 2024])
    assert pane_point(table, 2016) == "UNHCR spent 2.4 times as much as IOM in 2016"


def test_a_year_without_both_falls_back_to_the_latest_common_year() -> None:
    table = pd.DataFrame({"UNHCR": [2.4e9, 4.0e9], "IOM": [None, 2.0e9]}, index=[2016, 2024])
    assert pane_point(table, 2016) == "UNHCR spent 2.0 times as much as IOM in 2024"


def test_unhcr_alone_never_speaks_of_iom_spending() -> None:
    table = pd.DataFrame(
        {"UNHCR approved annual budget": [6.5e9, None], "UNHCR final budget": [7.5e9, 10.6e9]}, index=[2016, 2024]
    )
    point = pane_point(table, 2016)
    assert point == "UNHCR final budget: US$10.6 billion in 2024 (no IOM figure on this measure)"
    assert "times" not in point


def test_two_agencies_without_a_common_year_say_so() -> None:
    point = pane_point(pd.DataFrame({"UNHCR": [1.0e9, None], "IOM": [None, 2.0e9]}, index=[2003, 2016]), 2016)
    assert point == "UNHCR and IOM: no year with both agencies' figures on this measure"


def test_a_pane_without_values_is_an_error() -> None:
    with pytest.raises(ValueError, match="no value"):
        pane_point(pd.DataFrame({"UNHCR final budget": [None]}, index=[2016]), 2016)


# ------------------------------------------------ one value behind every statement of the ratio (chapter 7)


def test_the_ratio_is_unhcr_over_iom_in_the_year_asked() -> None:
    table = pd.DataFrame({"UNHCR": [3.85e9, 6.0e9], "IOM": [1.6e9, 4.5e9]}, index=[2016, 2024])
    then, now = SpendingRatio.of(table, 2016), SpendingRatio.of(table, 2024)
    assert (then.times, now.times) == ("2.4", "1.3")
    assert spending_then_and_now(then, now) == (
        "UNHCR spent 2.4 times as much as IOM in 2016 and 1.3 times as much in 2024"
    )


def test_a_year_without_iom_is_an_error_naming_it() -> None:
    table = pd.DataFrame({"UNHCR": [3.85e9, 6.0e9], "IOM": [1.6e9, None]}, index=[2016, 2024])
    with pytest.raises(ValueError, match="no IOM figure for 2024"):
        SpendingRatio.of(table, 2024)
    with pytest.raises(ValueError, match="no UNHCR or IOM figure for 2030"):
        SpendingRatio.of(table, 2030)


RATIO_SENTENCE = re.compile(
    r"UNHCR spent ([\d.]+) times as much as IOM in (\d{4}) and ([\d.]+) times as much in (\d{4})"
)
OTHER_WAY_ROUND = re.compile(r"IOM spent [^.]{0,40}as much as UNHCR|per cent as much as UNHCR")


@pytest.mark.book
def test_chapter_7_and_key_finding_2_state_one_ratio_the_same_way_round() -> None:
    """Chapter 7's lead, prose, Figure 7.1's caption and its budgets pane's alt text, and key finding 2,
    all say "UNHCR spent N times as much as IOM", with the same numbers and years."""
    from bs4 import BeautifulSoup

    from maintainer import page_audit

    chapter = page_audit.built_page("notebooks/07_since_2016")
    read = " ".join(" ".join(text.split()) for text in page_audit.reader_texts(chapter))
    alts = " ".join(
        img.get("alt", "")
        for fragment in [chapter, *page_audit.widget_panes(chapter)]
        for img in BeautifulSoup(fragment, "html.parser").find_all("img")
    )
    stated = set(RATIO_SENTENCE.findall(read + " " + alts))
    assert len(stated) == 1, f"chapter 7 states the ratio as {stated or 'nothing'}"
    then, then_year, now, now_year = stated.pop()
    assert f"UNHCR spent {then} times as much as IOM in {then_year}" in read  # the lead and prose
    assert RATIO_SENTENCE.search(alts), "the budgets pane's alt text does not state the ratio"
    assert not OTHER_WAY_ROUND.search(read + alts), OTHER_WAY_ROUND.search(read + alts)
    key_findings = page_audit.built_page("book/key_findings")
    findings = " ".join(" ".join(text.split()) for text in page_audit.reader_texts(key_findings))
    # key finding 2 and the headline of Figure 2.2 beside it
    assert set(RATIO_SENTENCE.findall(findings)) == {(then, then_year, now, now_year)}, "key finding 2 differs"
