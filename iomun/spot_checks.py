"""The book's own numbers against the publishers' documents, for the claims ledger page.

Each row names a number the book states (key findings, chapter text or a figure title), the
publisher's figure it is checked against, the document and the page or paragraph where that
figure was read, and whether the book reproduces it or why it differs. Every value is computed
from ``data/``; nothing is typed here.
"""

from __future__ import annotations

import pandas as pd

from . import data, headlines, sources
from .facts import BRIEFING_YEAR, fact
from .member_states import non_party_share
from .population_groups import group_of_series
from .reference_dates import latest_end_year


def _document(source_id: str) -> str:
    registry = sources.source_registry()
    return f"{registry.loc[source_id, 'publisher']}, {registry.loc[source_id, 'title']}"


def _world_total_rows() -> list[dict[str, str]]:
    rows = []
    table = headlines.headlines()
    for edition in sorted(set(table["edition"])):
        total = table[(table["edition"] == edition) & (table["part"] == "total")].iloc[0]
        rec = headlines.reconcile(edition)
        idps = rec.today["idps_conflict_idmc"]
        if rec.published_parts_close():
            revision = rec.published["idps_conflict_idmc"] - idps
            verdict = (
                f"reconciled: the edition's own parts add up to it; today's revised IDP series is "
                f"{revision:.1f} million lower ({rec.published['idps_conflict_idmc']:.1f} million as published, "
                f"{idps:.1f} million revised)"
            )
        elif rec.remainder < 0:
            other = rec.today.get(headlines.OTHER_IN_NEED, 0.0)
            verdict = (
                f"reconciled: the headline adds other people in need of international protection "
                f"({other:.1f} million) and counts once the people in two groups; with revisions since, "
                f"{-rec.remainder:.1f} million"
            )
        else:
            verdict = f"differs by {rec.remainder:+.1f} million: revisions since the edition"
        rows.append(
            {
                "number in the book": f"{rec.book_sum:.1f} million forcibly displaced, end-{rec.year} "
                "(four groups, today's revised series)",
                "publisher's figure": f"{rec.headline:.1f} million",
                "document": _document(total["source_id"]),
                "url": sources.source_registry().loc[total["source_id"], "url"],
                "where": total["locator"],
                "result": verdict,
            }
        )
        for group in rec.published.index:  # each part the edition published, beside today's series
            rows.append(
                {
                    "number in the book": f"{rec.today[group]:.1f} million: {group_of_series(group).label}, "
                    f"end-{rec.year} (today's revised series)",
                    "publisher's figure": f"{rec.published[group]:.1f} million",
                    "document": _document(total["source_id"]),
                    "url": sources.source_registry().loc[total["source_id"], "url"],
                    "where": table[(table["edition"] == edition) & (table["part"] == group)]["locator"].iloc[0],
                    "result": (
                        "reproduced within the published rounding"
                        if abs(rec.published[group] - rec.today[group]) <= headlines.HALF_STEP
                        else f"differs: {rec.published[group] - rec.today[group]:+.1f} million since published"
                    ),
                }
            )
    return rows


def _missing_migrants_row() -> dict[str, str]:
    first, later = fact("mmp_deaths_2016_first_published_2017"), fact("mmp_deaths_2016_as_published_2024")
    change = int(later["value"]) - int(first["value"])
    return {
        "number in the book": f"{int(first['value']):,} dead and missing migrants in 2016, as first published",
        "publisher's figure": f"{int(first['value']):,} ({first['as_of']}); {int(later['value']):,} ({later['as_of']})",
        "document": _document(first["source_id"]),
        "url": sources.source_registry().loc[first["source_id"], "url"],
        "where": "first paragraph",
        "result": f"reproduced; revised by {change:+,} ({change / int(first['value']):+.1%}) by {later['as_of'][:4]}",
    }


def _non_party_row() -> dict[str, str]:
    latest = latest_end_year("refugees_unhcr_mandate")
    shares = {year: non_party_share(year) for year in (BRIEFING_YEAR, latest)}
    registry = sources.source_registry()
    release = data.load("hosted_by_country_of_asylum")["source_id"].iloc[0]
    return {
        "number in the book": "; ".join(
            f"{share:.0%} of refugees under UNHCR's mandate hosted by states party to "
            f"neither refugee instrument, end-{year}"
            for year, (share, _, _) in shares.items()
        ),
        "publisher's figure": "; ".join(
            f"{hosted:,} of {world:,} refugees, end-{year}" for year, (_, hosted, world) in shares.items()
        ),
        "document": f"{registry.loc[release, 'publisher']}, {registry.loc[release, 'title']}",
        "url": registry.loc[release, "url"],
        "where": "population table, refugees by country of asylum",
        "result": "computed from the publisher's table; no published share to compare",
    }


def spot_checks() -> pd.DataFrame:
    """One row per number checked against a publisher's document, with the document's address (``url``)."""
    return pd.DataFrame([*_world_total_rows(), _missing_migrants_row(), _non_party_row()])
