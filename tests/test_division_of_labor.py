"""Figure 2 drawing: lines named after their agency, kept apart without colour."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from iomun.division_of_labor import agency_of, draw_agency_money  # noqa: E402
from iomun.palette import AGENCY_COLOURS  # noqa: E402


def test_agency_is_the_first_word_and_unknown_agencies_are_refused():
    assert agency_of("UNHCR final budget") == "UNHCR"
    assert agency_of("IOM") == "IOM"
    with pytest.raises(ValueError, match="agency"):
        agency_of("World Bank budget")


def test_three_lines_of_one_agency_differ_in_dash_and_marker_and_share_its_colour():
    years = range(2000, 2005)
    table = pd.DataFrame({"UNHCR a": [1e9, None, 2e9, None, None], "UNHCR b": [None, 1e9, None, 3e9, None],
                          "UNHCR c": [None, None, None, 2e9, 2.5e9], "IOM": [0.5e9] * 5}, index=years)
    fig = draw_agency_money(table, "USD bn", "t", "s", 2002).wide
    lines = [line for line in fig.axes[0].get_lines() if line.get_label() in table.columns]
    styles = {(line.get_linestyle(), line.get_marker()) for line in lines if line.get_label().startswith("UNHCR")}
    assert len(styles) == 3
    assert {line.get_color() for line in lines if line.get_label().startswith("UNHCR")} == {AGENCY_COLOURS["UNHCR"]}
    # a gap stays a gap: no value is drawn for a missing year
    line_a = next(line for line in lines if line.get_label() == "UNHCR a")
    assert pd.isna(line_a.get_ydata()[1])
