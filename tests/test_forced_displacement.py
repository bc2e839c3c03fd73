"""Figure 1.2's one computed value: its title, caption point, alt text and glued numbers state the
same totals, years and headlines, and a missing year is an error."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from iomun.forced_displacement import ForcedDisplacement

TOTALS = pd.Series({1993: 40.2e6, 2016: 64.24e6, 2020: 90.0e6, 2024: 118.81e6})
HEADLINES = {2016: 65.6, 2024: 123.2}


def _forced() -> ForcedDisplacement:
    return ForcedDisplacement.from_totals(TOTALS, 2016, 2024, HEADLINES)


def test_every_text_states_the_same_totals_and_years() -> None:
    forced = _forced()
    for text in (forced.title, forced.point, forced.alt):
        assert "64.2 million" in text and "118.8 million" in text, text
        assert "2016" in text and "2024" in text, text
    assert forced.title.endswith("64.2 million at end-2016, 118.8 million at end-2024")
    assert "(UNHCR's headlines: 65.6 and 123.2 million)" in forced.point
    assert forced.alt.startswith("Stacked bar chart, 1993 to 2024:")


def test_the_caption_is_figure_1_2_with_its_point() -> None:
    caption = _forced().caption("Sources: UNHCR.")
    assert caption.label == "Figure 1.2"
    assert caption.point == _forced().point
    assert "<strong>Refugees, asylum-seekers" in caption.html()


def test_glued_numbers_are_the_captions() -> None:
    forced = _forced()
    glued = forced.glued()
    assert glued == {
        "forced_total_2016_m": "64.2",
        "forced_total_latest_m": "118.8",
        "headline_2016_m": "65.6",
        "headline_2024_m": "123.2",
    }
    numbers = set(re.findall(r"\d+\.\d", forced.point))
    assert set(glued.values()) == numbers


@pytest.mark.parametrize(
    "totals, headlines, message",
    [
        (TOTALS.drop(2016), HEADLINES, "no total for 2016"),
        (TOTALS.astype("float64").where(TOTALS.index != 2024), HEADLINES, "no total for 2024"),
        (TOTALS, {2016: 65.6}, "no UNHCR headline for end-2024"),
    ],
)
def test_a_missing_year_is_an_error(totals: pd.Series, headlines: dict, message: str) -> None:
    with pytest.raises(KeyError, match=message):
        ForcedDisplacement.from_totals(totals, 2016, 2024, headlines)
