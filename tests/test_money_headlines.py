"""Each pane of Figure 2.2 is titled by what it draws: a ratio where both agencies have a line,
UNHCR's figure alone where only UNHCR publishes the measure."""

from __future__ import annotations

import pandas as pd
import pytest

from iomun.finances import pane_point


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
