"""The book's numbers against the publishers' documents: every row names its document and place."""

from __future__ import annotations

from iomun import spot_checks


def test_every_world_total_is_set_beside_its_headline_with_a_locator():
    table = spot_checks.spot_checks()
    totals = table[table["number in the book"].str.contains("forcibly displaced")]
    assert list(totals["publisher's figure"]) == ["65.3 million", "65.6 million", "123.2 million"]
    assert totals["where"].str.len().gt(0).all()
    assert totals["result"].str.startswith(("reconciled", "differs")).all()
    end_2016 = totals[totals["number in the book"].str.contains("end-2016")].iloc[0]
    assert end_2016["number in the book"].startswith("64.2 million")
    assert "40.3 million as published, 38.9 million revised" in end_2016["result"]


def test_each_published_part_of_the_end_2016_headline_is_checked():
    table = spot_checks.spot_checks()
    parts = table[table["where"].str.startswith("p. 2") & ~table["where"].str.endswith("headline")]
    assert len(parts) == 4
    refugees = parts[parts["number in the book"].str.contains("Refugees under UNHCR's mandate")].iloc[0]
    assert refugees["result"] == "reproduced within the published rounding"
    idps = parts[parts["number in the book"].str.contains("internally displaced", case=False)].iloc[0]
    assert idps["result"] == "differs: +1.4 million since published"


def _row(start: str):
    table = spot_checks.spot_checks()
    return table[table["number in the book"].str.startswith(start)].iloc[0]


def test_missing_migrants_revision_is_measured_from_the_first_count():
    row = _row("7,495")
    assert row["number in the book"].startswith("7,495")
    assert "+589" in row["result"]


def test_non_party_share_is_about_a_quarter_then_and_a_sixth_now():
    row = _row("25%")
    assert row["number in the book"].startswith("25% of refugees")
    assert "16% of refugees" in row["number in the book"]
