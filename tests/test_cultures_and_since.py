"""Chapters "Different working cultures" and "Since 2016": their data and their drawings."""

from __future__ import annotations

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import pandas as pd
import pytest

from iomun import data
from iomun.palette import AGENCY_COLOURS, POPULATION_COLOURS
from iomun.since_2016 import draw_then_now, then_now_view
from iomun.working_cultures import draw_expenses_relative, draw_spending_vs_budget

SOURCE = "Source: test note"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.texts]


def _line_colours(ax) -> set[str]:
    return {mcolors.to_hex(line.get_color()).upper() for line in ax.get_lines()}


# --- data ------------------------------------------------------------------------------------


def test_budget_parts_are_a_named_gap_not_a_resource():
    # IOM's budgets by part were read only in leaked cables and a document-sharing copy
    names = {r["name"] for r in data.read_descriptor()["resources"]}
    assert "iom_budget_parts" not in names
    gaps = data.load("gaps")
    assert gaps["what"].str.startswith("IOM budget by part").any()


def test_working_cultures_cite_known_sources_for_both_agencies():
    cultures = data.load("working_cultures")
    sources = set(data.load("sources")["source_id"])
    assert set(cultures["source_id"]) <= sources
    assert set(cultures["agency"]) == {"UNHCR", "IOM"}
    listed = {s["source_id"] for s in data.resource_descriptor("working_cultures")["sources"]}
    assert set(cultures["source_id"]) <= listed
    assert not _blank(cultures["locator"]).any()


def test_since_2016_facts_are_dated_and_ordered():
    facts = data.load("facts").set_index("fact_id")
    dates = {
        key: pd.Timestamp(facts.loc[key, "value"])
        for key in [
            "gcr_affirmed_ga_date",
            "un_network_on_migration_decision_date",
            "iom_un_migration_agency_label_first_seen",
        ]
    }
    assert dates["un_network_on_migration_decision_date"] < dates["gcr_affirmed_ga_date"]
    joined = pd.Timestamp(facts.loc["iom_un_relationship_agreement_signed_date", "value"])
    assert all(date > joined for date in dates.values())
    assert facts.loc[list(dates), "source_id"].notna().all()
    # the Global Compact for Migration dates were read only in a non-official copy: empty, and a gap
    gcm = facts.loc[["gcm_adopted_marrakech_date", "gcm_endorsed_ga_date"], ["value", "source_id"]]
    assert gcm.isna().all().all()
    assert data.load("gaps")["what"].str.contains("Global Compact for Migration").any()


def _blank(series: pd.Series) -> pd.Series:
    return series.isna() | (series.astype("string").str.strip() == "")


# --- drawings --------------------------------------------------------------------------------


def test_spending_bars_carry_title_units_source_and_agency_colours():
    table = pd.DataFrame(
        {"agency": ["UNHCR", "UNHCR", "IOM"], "year": [2015, 2016, 2006], "percent": [45.6, 52.8, 171.8]}
    )
    fig = draw_spending_vs_budget(table, "Spending against budget", SOURCE).wide
    ax = fig.axes[0]
    assert fig.get_suptitle() == "Spending against budget"
    assert "%" in ax.get_ylabel() and ax.get_xlabel()
    assert SOURCE in _texts(fig)
    colours = [mcolors.to_hex(bar.get_facecolor()).upper() for bar in ax.patches]
    assert colours == [AGENCY_COLOURS[a].upper() for a in table["agency"]]
    assert ax.get_ylim()[1] > 171.8


def test_spending_bars_refuse_a_table_without_percent():
    with pytest.raises(ValueError, match="percent"):
        draw_spending_vs_budget(pd.DataFrame({"agency": ["IOM"], "year": [2006]}), "t", SOURCE)


def test_relative_expenses_draw_both_agencies_and_the_ratio():
    expenses = pd.DataFrame({"UNHCR": [2.0e9, 4.0e9], "IOM": [1.0e9, 3.0e9]}, index=[2016, 2024])
    fig = draw_expenses_relative(expenses, "Expenses", SOURCE, 2016).wide
    money, ratio = fig.axes
    assert {AGENCY_COLOURS["UNHCR"].upper(), AGENCY_COLOURS["IOM"].upper()} <= _line_colours(money)
    share = [
        line for line in ratio.get_lines() if mcolors.to_hex(line.get_color()).upper() == AGENCY_COLOURS["IOM"].upper()
    ][0]
    assert list(share.get_ydata()) == pytest.approx([50.0, 75.0])
    assert money.get_ylabel() and ratio.get_ylabel() and SOURCE in _texts(fig)


def test_relative_expenses_need_both_agencies():
    with pytest.raises(ValueError, match="IOM"):
        draw_expenses_relative(pd.DataFrame({"UNHCR": [1.0]}, index=[2016]), "t", SOURCE, 2016)


def _panel(rows: dict[str, tuple[int, float, int, float]], colour: str) -> pd.DataFrame:
    frame = pd.DataFrame(rows, index=["then_year", "then", "now_year", "now"]).T
    return frame.assign(colour=colour)


def test_then_now_starts_every_axis_at_zero_and_labels_years():
    displaced = _panel({"Refugees": (2016, 17.2e6, 2025, 28.5e6)}, POPULATION_COLOURS["refugees"])
    stock = _panel(
        {"Stock, 2024 revision": (2020, 275e6, 2024, 304e6)}, POPULATION_COLOURS["other_international_migrants"]
    )
    fig = draw_then_now(
        {"Displaced": displaced, "Stock": stock}, "Then and now", 1e6, "Millions of people", SOURCE
    ).wide
    assert len(fig.axes) == 2
    for ax in fig.axes:
        assert ax.get_xlim()[0] == 0
        assert ax.get_xlabel() == "Millions of people"
    years = {t.get_text() for ax in fig.axes for t in ax.texts}
    assert {"2016", "2025", "2020", "2024"} <= years
    assert SOURCE in _texts(fig) and fig.get_suptitle() == "Then and now"


def test_then_now_refuses_a_panel_without_years():
    bad = pd.DataFrame({"then": [1.0], "now": [2.0], "colour": ["#000000"]}, index=["x"])
    with pytest.raises(ValueError, match="then_year"):
        draw_then_now({"bad": bad}, "t", 1, "units", SOURCE)
    with pytest.raises(ValueError, match="no panel"):
        draw_then_now({}, "t", 1, "units", SOURCE)


def test_then_now_view_names_each_value_column_with_its_unit():
    table = pd.DataFrame(
        {
            "then_year": [2016],
            "then": [3_846_900_000.0],
            "now_year": [2024],
            "now": [4_894_600_000.0],
            "change (%)": [27.2],
            "colour": ["#000000"],
        },
        index=["UNHCR, total expenses (UN CEB)"],
    )
    view = then_now_view(table, "US$ millions", divide_by=1e6, decimals=1)
    assert list(view.columns) == [
        "earlier year",
        "earlier (US$ millions)",
        "latest year",
        "latest (US$ millions)",
        "change (%)",
    ]
    assert view.iloc[0].tolist() == [2016, 3846.9, 2024, 4894.6, 27.2]
