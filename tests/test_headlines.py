"""Every world total the book states is reproduced from, or reconciled with, UNHCR's headline."""

from __future__ import annotations

import shutil

import pytest

from iomun import data, headlines


def test_global_trends_2016_parts_reproduce_its_headline():
    """The four groups UNHCR published on page 2 add up to its 65.6 million, within their rounding."""
    rec = headlines.reconcile("global_trends_2016")
    assert rec.headline == 65.6
    assert rec.published_parts_close()
    assert round(rec.published.sum(), 1) == 65.6


def test_end_2016_book_sum_differs_from_the_headline_by_the_idp_revision():
    """Today's four groups give 64.2 million; putting back the IDP figure as published (40.3 million,
    IDMC, in Global Trends 2016) in place of today's revised one gives UNHCR's 65.6 million."""
    rec = headlines.reconcile("global_trends_2016")
    assert round(rec.book_sum, 1) == 64.2
    idp_revision = rec.published["idps_conflict_idmc"] - rec.today["idps_conflict_idmc"]
    assert idp_revision == pytest.approx(1.38, abs=0.01)
    # the other three groups moved by less than their published rounding each
    others = rec.published.drop("idps_conflict_idmc") - rec.today[rec.published.drop("idps_conflict_idmc").index]
    assert (others.abs() <= headlines.HALF_STEP + 0.03).all()
    assert rec.book_sum + idp_revision == pytest.approx(rec.headline, abs=4 * headlines.HALF_STEP)


def test_end_2024_headline_needs_other_people_in_need_and_counts_some_once():
    """The book's four groups (118.8 million) fall short of UNHCR's 123.2 million; adding other people in
    need of international protection overshoots it, by the people UNHCR counts once (Palestine refugees
    also displaced in Gaza), less than the Palestine refugees in all."""
    rec = headlines.reconcile("global_trends_2024")
    assert rec.headline == 123.2
    assert round(rec.book_sum, 1) == 118.8
    assert rec.book_sum < rec.headline < rec.book_sum + rec.today[headlines.OTHER_IN_NEED]
    counted_once = -rec.remainder
    assert 0 < counted_once < rec.today["palestine_refugees_unrwa"]


def test_a_changed_headline_breaks_the_reproduction(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, copy)
    path = copy / "publisher_headlines.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("total,65.6", "total,66.6"), encoding="utf-8")
    assert not headlines.reconcile("global_trends_2016", copy).published_parts_close()


def test_an_unknown_edition_is_named():
    with pytest.raises(KeyError, match="global_trends_1999"):
        headlines.reconcile("global_trends_1999")
