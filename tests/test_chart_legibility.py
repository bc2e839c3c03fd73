"""Every chart is legible where it is read: text at least 12 px in the laptop column, 11 px on a phone.

Each chart of the book (every drawing function made with :func:`iomun.figures.chart`) is drawn
here with inputs shaped like the chapter's (the real mandate matrix, the real world outlines,
labels as long as the chapters'), and its text as rendered is computed from the package's
figure specs and the figure's own text artists: font pt x dpi / 72 x rendered width / natural
width, in the column each layout is served to.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from iomun import data, figures, maps
from iomun.figures import PHONE, WIDE, Chart, figure_png
from iomun.legibility import chart_texts, rendered_px
from iomun.member_states import MEMBERSHIP_ORDER
from iomun.palette import AGENCY_COLOURS, POPULATION_COLOURS
from maintainer.paths import ROOT

MODULES = [
    "iomun.why_join",
    "iomun.division_of_labor",
    "iomun.what_will_change",
    "iomun.definitions.world_counts",
    "iomun.member_states",
    "iomun.working_cultures",
    "iomun.since_2016",
]
for module in MODULES:
    importlib.import_module(module)


@pytest.fixture(autouse=True)
def chapter_style() -> None:
    """The look every chapter sets first (bold titles, the seaborn theme)."""
    figures.apply_style()


YEARS = list(range(1990, 2025))
LONG_POINT = (
    "Under either lens, people living outside their country of birth far outnumber refugees, "
    "asylum-seekers and Palestine refugees together"
)
SOURCE = (
    "Sources: UN DESA International Migrant Stock 2024 (mid-year); UNHCR Refugee Population Statistics "
    "(release 2025-06), end-year; no value is interpolated."
)


def _populations() -> pd.DataFrame:
    ramp = np.linspace(0, 1, len(YEARS))
    table = pd.DataFrame(
        {
            "other_international_migrants": 135e6 + 150e6 * ramp,
            "refugees": 17e6 + 15e6 * ramp,
            "asylum_seekers": 1e6 + 7e6 * ramp,
            "palestine_refugees": 2.5e6 + 3.5e6 * ramp,
            "idps": 20e6 + 50e6 * ramp,
        },
        index=YEARS,
    )
    table.loc[[y for y in YEARS if y % 5 and y < 2015], "other_international_migrants"] = np.nan  # DESA: 5-yearly
    return table


def _money() -> pd.DataFrame:
    years = list(range(2000, 2025))
    unhcr = pd.Series(np.linspace(1.1e9, 5.2e9, len(years)), index=years)
    iom = pd.Series(np.linspace(0.9e9, 3.4e9, len(years)), index=years)
    return pd.DataFrame({"UNHCR": unhcr.where(unhcr.index >= 2011), "IOM": iom.where(iom.index >= 2011)})


def _panel(rows: dict[str, tuple[int, float, int, float]], colour: str) -> pd.DataFrame:
    return pd.DataFrame(rows, index=["then_year", "then", "now_year", "now"]).T.assign(colour=colour)


def _world() -> tuple[dict, pd.DataFrame]:
    world_map = data.load("world_map", data_dir=ROOT / "data")
    return maps.country_paths(world_map), maps.symbol_points(world_map)


def _membership_map() -> Chart:
    from iomun.member_states import draw_membership_map

    paths, _ = _world()
    groups = pd.Series({key: MEMBERSHIP_ORDER[i % 4] for i, key in enumerate(paths)})
    return draw_membership_map(
        paths, groups, "Not in the state list (territory, or no country code)", LONG_POINT, SOURCE
    )


def _people_map() -> Chart:
    from iomun.member_states import draw_people_map

    paths, points = _world()
    values = pd.Series(np.linspace(1e4, 3.5e6, len(points)), index=points.index)
    return draw_people_map(
        paths, points, values, POPULATION_COLOURS["refugees"], "refugees", "No figure in the source", LONG_POINT, SOURCE
    )


def _mandates() -> Chart:
    from iomun.division_of_labor import draw_mandate_matrix

    mandates = data.load("mandates", data_dir=ROOT / "data")
    matrix = mandates.pivot_table(index="population_group", columns="entity", values="role", aggfunc="first")
    return draw_mandate_matrix(matrix.fillna("none found"), SOURCE, "No entity leads for migrants in general")


CASES: dict[str, Callable[[], Chart]] = {
    "iomun.why_join.draw_unhcr_lens": lambda: figures.CHARTS["iomun.why_join.draw_unhcr_lens"](
        _populations(), 2016, SOURCE, LONG_POINT
    ),
    "iomun.why_join.draw_iom_lens": lambda: figures.CHARTS["iomun.why_join.draw_iom_lens"](
        _populations(), 2016, SOURCE, LONG_POINT
    ),
    "iomun.why_join.draw_forced_displacement": lambda: figures.CHARTS["iomun.why_join.draw_forced_displacement"](
        _populations(), "Forcibly displaced people: 64.2 million in 2016, 118.8 million in 2024", SOURCE, 2016
    ),
    "iomun.division_of_labor.draw_mandate_matrix": _mandates,
    "iomun.division_of_labor.draw_agency_money": lambda: figures.CHARTS["iomun.division_of_labor.draw_agency_money"](
        _money(),
        "Billions of current US dollars",
        LONG_POINT + "\nUN CEB total expenses, current US dollars",
        SOURCE,
        2016,
    ),
    "iomun.what_will_change.draw_missing_migrants": lambda: figures.CHARTS[
        "iomun.what_will_change.draw_missing_migrants"
    ](
        ["2016, published 6 January 2017", "2016, published 6 March 2024", "2014-2023, published 6 March 2024"],
        pd.Series([5079, 8084, 63285]),
        pd.Series(["More than 5,000", "8,084", "63,285"]),
        SOURCE,
        LONG_POINT,
    ),
    "iomun.definitions.world_counts.draw_counts": lambda: figures.CHARTS["iomun.definitions.world_counts.draw_counts"](
        pd.DataFrame(
            {"migrant_stock": [244e6, 304e6], "idps": [40.8e6, 68.3e6]},
            index=["2015\n(nearest to 2016)", "2024\n(latest)"],
        ),
        LONG_POINT,
        SOURCE,
        420e6,
    ),
    "iomun.member_states.draw_overlap": lambda: figures.CHARTS["iomun.member_states.draw_overlap"](
        pd.Series([120, 25, 40, 8], index=MEMBERSHIP_ORDER), LONG_POINT, SOURCE
    ),
    "iomun.member_states.draw_hosted_share": lambda: figures.CHARTS["iomun.member_states.draw_hosted_share"](
        pd.Series(np.linspace(0.3, 0.45, 11), index=range(2014, 2025)),
        2016,
        SOURCE,
        marked={2016: "end-2016", 2024: "end-2024"},
    ),
    "iomun.member_states.draw_membership_map": _membership_map,
    "iomun.member_states.draw_people_map": _people_map,
    "iomun.working_cultures.draw_spending_vs_budget": lambda: figures.CHARTS[
        "iomun.working_cultures.draw_spending_vs_budget"
    ](
        pd.DataFrame({"agency": ["UNHCR"] * 4, "year": [2012, 2013, 2014, 2015], "percent": [58.0, 56.0, 55, 50]}),
        "UNHCR spent 50–58% of its final budget in 2012–2015",
        SOURCE,
    ),
    "iomun.working_cultures.draw_expenses_relative": lambda: figures.CHARTS[
        "iomun.working_cultures.draw_expenses_relative"
    ](_money().dropna(), "IOM's expenses went from 80% of UNHCR's in 2011 to 66% in 2024", SOURCE, 2016),
    "iomun.since_2016.draw_then_now": lambda: figures.CHARTS["iomun.since_2016.draw_then_now"](
        {
            "Displaced people": _panel(
                {
                    "Refugees under UNHCR's mandate": (2016, 17.2e6, 2024, 31.0e6),
                    "Palestine refugees under UNRWA's mandate": (2016, 5.3e6, 2024, 6.0e6),
                    "Internally displaced by conflict (IDMC)": (2016, 36.6e6, 2024, 73.5e6),
                },
                POPULATION_COLOURS["refugees"],
            ),
            "International migrant stock (each revision apart)": _panel(
                {
                    "Migrant stock, UN DESA 2020 revision": (2015, 248e6, 2020, 281e6),
                    "Migrant stock, UN DESA 2024 revision": (2015, 250e6, 2024, 304e6),
                },
                AGENCY_COLOURS["IOM"],
            ),
        },
        "Refugees under UNHCR's mandate: 17.2 million in 2016, 31.0 million in 2024",
        1e6,
        "Millions of people",
        SOURCE,
    ),
}


def test_every_chart_of_the_book_is_checked() -> None:
    assert set(figures.CHARTS) == set(CASES)


def _shown(fig, spec) -> list[tuple[str, float]]:
    """Each text of ``fig`` with its size in CSS px as shown in ``spec``'s column."""
    sizes = [(text.get_text(), text.get_fontsize()) for text in chart_texts(fig)]
    png = figure_png(fig, spec.dpi)
    natural = figures.Image.open(figures.io.BytesIO(png)).size[0]
    shown_width = min(natural * 72 / spec.dpi, spec.column_px)  # an image is never enlarged
    return [(text, rendered_px(pt, spec.dpi, natural, shown_width)) for text, pt in sizes]


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_text_is_legible_on_a_laptop_and_a_phone(name: str) -> None:
    drawn = CASES[name]()
    for spec, fig in ((WIDE, drawn.wide), (PHONE, drawn.phone)):
        assert fig.get_size_inches()[0] == pytest.approx(spec.column_px / 72 - 0.1), f"{spec.name}: for its column"
        small = [(text[:40], round(px, 1)) for text, px in _shown(fig, spec) if px < spec.min_px - 0.05]
        assert not small, f"{name}, {spec.name} layout in a {spec.column_px} px column: text below {spec.min_px} px"


def test_a_wide_chart_shrunk_into_a_phone_is_what_the_phone_layout_is_for() -> None:
    """The check bites: the wide layout shown in the phone's column falls below 11 px."""
    drawn = CASES["iomun.why_join.draw_unhcr_lens"]()
    phone_column = figures.FigureSpec("wide on a phone", PHONE.column_px, WIDE.dpi, PHONE.min_px)
    assert min(px for _, px in _shown(drawn.wide, phone_column)) < PHONE.min_px


def test_a_chart_below_the_minimum_is_refused_when_rendered() -> None:
    drawn = CASES["iomun.member_states.draw_overlap"]()
    drawn.phone.axes[0].set_xlabel("Number of states", fontsize=7)
    with pytest.raises(ValueError, match="phone layout shows text at 7.0 px"):
        figures.chart_html(drawn, "alt")


def test_the_phone_layout_is_served_to_narrow_screens_only_and_print_keeps_the_wide_one() -> None:
    markup = figures.chart_html(CASES["iomun.member_states.draw_overlap"](), "Bar chart")
    assert markup.startswith(f'<picture><source media="{PHONE.media}" srcset="data:image/png;base64,')
    assert PHONE.media.startswith("screen and (max-width:")
    assert 'data-font-pt="12" data-dpi="144" data-phone-font-pt="11"' in markup
