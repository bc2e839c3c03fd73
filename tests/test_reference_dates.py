"""Reference dates of the world totals, and the built pages' labels of them."""

from __future__ import annotations

import re

import pytest

from iomun import data, reference_dates
from maintainer.paths import HTML

END_YEAR_PHRASE = re.compile(r"\b(?:at\s+the\s+end\s+of\s+|end\s+of\s+|end-|year-end\s+)(\d{4})\b", re.I)


def test_every_world_total_has_exactly_one_reference_date():
    populations = data.load("world_populations")
    for row in populations.itertuples():
        assert reference_dates.reference(row.series, row.year) in ("end-year", "mid-year")


def test_unhcr_latest_release_year_is_mid_year_and_comparisons_use_end_year():
    populations = data.load("world_populations")
    refugees = populations[populations["series"] == "refugees_unhcr_mandate"]
    latest = int(refugees["year"].max())
    assert reference_dates.label("refugees_unhcr_mandate", latest) == f"mid-{latest}"
    assert reference_dates.latest_end_year("refugees_unhcr_mandate") == latest - 1
    assert reference_dates.label("international_migrants_undesa_ims2024", 2024) == "mid-2024"


def test_an_uncovered_year_is_an_error():
    with pytest.raises(KeyError, match="0 spans"):
        reference_dates.reference("refugees_unhcr_mandate", 1989)


def mid_year_only_years() -> set[int]:
    """Years whose UNHCR, UNRWA and IDMC values are all mid-year (no end-year figure exists)."""
    periods = data.load("reference_periods")
    displacement = periods[~periods["series"].str.startswith("international_migrants")]
    mid = {
        y
        for r in displacement[displacement["reference"] == "mid-year"].itertuples()
        for y in range(r.first_year, r.last_year + 1)
    }
    end = {
        y
        for r in displacement[displacement["reference"] == "end-year"].itertuples()
        for y in range(r.first_year, r.last_year + 1)
    }
    return mid - end


def end_year_claims(text: str, years: set[int]) -> list[str]:
    """Phrases of ``text`` that call a mid-year-only year an end of year."""
    return [m.group(0) for m in END_YEAR_PHRASE.finditer(text) if int(m.group(1)) in years]


def test_the_check_finds_a_mislabelled_year():
    assert end_year_claims("refugees at the end of 2025, and end-2024", {2025}) == ["at the end of 2025"]
    assert end_year_claims("mid-2025 and the end of 2024", {2025}) == []


@pytest.mark.book
def test_no_built_page_calls_a_mid_year_figure_an_end_year_one():
    pages = sorted(HTML.rglob("*.html"))
    if not pages:
        pytest.fail(f"{HTML} has no pages: build the book first with `make book`", pytrace=False)
    years = mid_year_only_years()
    assert years, "the latest UNHCR release should be mid-year"
    found = {}
    for page in pages:
        text = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
        claims = end_year_claims(re.sub(r"\s+", " ", text), years)
        if claims:
            found[str(page.relative_to(HTML))] = claims
    assert found == {}
