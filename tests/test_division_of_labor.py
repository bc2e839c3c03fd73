"""Figure 2 drawing: lines named after their agency, kept apart without colour."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from iomun import data  # noqa: E402
from iomun.division_of_labor import READ_IN_COPY_LABEL, agency_of, draw_agency_money  # noqa: E402
from iomun.finances import read_in_copies, reconcile_with_ceb  # noqa: E402
from iomun.palette import AGENCY_COLOURS, BACKGROUND  # noqa: E402


def test_agency_is_the_first_word_and_unknown_agencies_are_refused():
    assert agency_of("UNHCR final budget") == "UNHCR"
    assert agency_of("IOM") == "IOM"
    with pytest.raises(ValueError, match="agency"):
        agency_of("World Bank budget")


def test_three_lines_of_one_agency_differ_in_dash_and_marker_and_share_its_colour():
    years = range(2000, 2005)
    table = pd.DataFrame(
        {
            "UNHCR a": [1e9, None, 2e9, None, None],
            "UNHCR b": [None, 1e9, None, 3e9, None],
            "UNHCR c": [None, None, None, 2e9, 2.5e9],
            "IOM": [0.5e9] * 5,
        },
        index=years,
    )
    fig = draw_agency_money(table, "USD bn", "t", "s", 2002).wide
    lines = [line for line in fig.axes[0].get_lines() if line.get_label() in table.columns]
    styles = {(line.get_linestyle(), line.get_marker()) for line in lines if line.get_label().startswith("UNHCR")}
    assert len(styles) == 3
    assert {line.get_color() for line in lines if line.get_label().startswith("UNHCR")} == {AGENCY_COLOURS["UNHCR"]}
    # a gap stays a gap: no value is drawn for a missing year
    line_a = next(line for line in lines if line.get_label() == "UNHCR a")
    assert pd.isna(line_a.get_ydata()[1])


def hollow_points(fig):
    """(x, y) of the markers drawn hollow (face in the background colour), and the legends' labels."""
    ax = fig.axes[0]
    points = [
        (x, y)
        for line in ax.get_lines()
        if line.get_markerfacecolor() == BACKGROUND
        for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True)
    ]
    legends = [*fig.legends, *([ax.get_legend()] if ax.get_legend() else [])]
    return points, [text.get_text() for legend in legends for text in legend.get_texts()]


def test_values_read_in_a_copy_are_drawn_hollow_and_named_in_the_legend():
    table = pd.DataFrame({"UNHCR": [1.0e9, 1.2e9, np.nan], "IOM": [0.5e9, 0.7e9, 0.9e9]}, index=[2000, 2001, 2002])
    copied = pd.DataFrame({"UNHCR": [False, True, True], "IOM": [False, False, True]}, index=table.index)
    marked = draw_agency_money(table, "USD bn", "t", "s", 2002, read_in_copy=copied)
    plain = draw_agency_money(table, "USD bn", "t", "s", 2002)
    for layout in ("wide", "phone"):
        points, labels = hollow_points(getattr(marked, layout))
        # the missing UNHCR 2002 stays missing: a hollow marker is drawn only where a value exists
        assert sorted(points) == [(2001, 1.2), (2002, 0.9)], layout
        assert labels.count(READ_IN_COPY_LABEL) == 1, layout
        points, labels = hollow_points(getattr(plain, layout))
        assert points == [] and READ_IN_COPY_LABEL not in labels, layout


def test_the_ceb_series_is_set_beside_each_agency_own_total_for_the_years_both_exist():
    finances = pd.DataFrame(
        {
            "year": [2012, 2012, 2013, 2013, 2014],
            "agency": ["UNHCR", "UNHCR", "UNHCR", "IOM", "IOM"],
            "measure": ["expenditure", "total_expenses_ceb", "budget_final", "total_expenses_ceb", "total_expenditure"],
            "value_usd": [2.0e9, 1.9e9, 5.0e9, 1.2e9, 1.4e9],
            "source_id": ["a"] * 5,
        }
    )
    table = reconcile_with_ceb(finances)
    # only 2012 UNHCR has both: a budget is not a total, and IOM's years do not overlap
    assert table[["year", "agency", "own_measure"]].values.tolist() == [[2012, "UNHCR", "expenditure"]]
    assert table.loc[0, "difference_usd"] == pytest.approx(-0.1e9)
    assert table.loc[0, "ceb_share_of_own_pct"] == pytest.approx(95.0)


def test_values_resting_on_a_copy_are_found_through_their_source():
    finances = data.load("agency_finances")
    sources = data.load("sources").set_index("source_id")
    assert not read_in_copies(finances, sources).any()  # no such value in the data today
    sources.loc["unhcr_speech_20031208_pledging", "provenance"] = "read_in_copy"
    marked = finances[read_in_copies(finances, sources)]
    assert marked[["year", "agency", "measure"]].values.tolist() == [[2004, "UNHCR", "budget_approved"]]
