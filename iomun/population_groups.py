"""The population groups the book counts, each defined once: its series, its names, its colour, its publisher.

Every chart, table and legend that names a group takes the name, the colour and the publisher from
here (:data:`GROUPS`); ``iomun.palette.POPULATION_COLOURS`` is derived from this table too.

Colours follow UNHCR's data-visualisation guidance for the groups it colours (refugees, asylum-seekers,
IDPs, stateless, others in need of international protection), so readers who know UNHCR's charts
read ours the same way. The groups its guidance does not colour were given colours that keep every
pair apart under protanopia, deuteranopia and tritanopia (``tests/test_palette.py`` checks it).
The migrant stock and the migrants outside the refugee groups share UNHCR's grey: the second is the
first minus the refugee groups, and no chart draws both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class PopulationGroup:
    """One group of people: the book's key, its names for readers, its colour and its series."""

    key: str
    label: str  # a laptop's legends and the tables' rows
    short_label: str  # a phone's legend and the tables' column headers: one short line
    colour: str
    series: str | None  # the series of data/world_populations.csv the chapters draw; None when computed
    publisher: str  # who publishes that series, as a source column names it


_MIGRANTS_GREY = "#8C8C8C"

GROUPS: dict[str, PopulationGroup] = {
    group.key: group
    for group in (
        PopulationGroup(
            "refugees",
            "Refugees under UNHCR's mandate",
            "Refugees (UNHCR)",
            "#0072BC",
            "refugees_unhcr_mandate",
            "UNHCR",
        ),
        PopulationGroup("asylum_seekers", "Asylum-seekers", "Asylum-seekers", "#6CD8FD", "asylum_seekers", "UNHCR"),
        PopulationGroup(
            "idps",
            "Internally displaced by conflict and violence (IDMC)",
            "Internally displaced (IDMC)",
            "#32C189",
            "idps_conflict_idmc",
            "IDMC, via UNHCR",
        ),
        PopulationGroup(
            "stateless",
            "Stateless persons under UNHCR's mandate",
            "Stateless (UNHCR)",
            "#FFC740",
            "stateless_persons",
            "UNHCR",
        ),
        PopulationGroup(
            "other_in_need_of_international_protection",
            "Other people in need of international protection",
            "Others in need of protection",
            "#D25A45",
            "other_in_need_of_international_protection",
            "UNHCR",
        ),
        PopulationGroup(
            "palestine_refugees",
            "Palestine refugees under UNRWA's mandate",
            "Palestine refugees (UNRWA)",
            "#762A83",
            "palestine_refugees_unrwa",
            "UNRWA, via UNHCR",
        ),
        PopulationGroup(
            "other_international_migrants",
            "Other international migrants (UN DESA stock minus refugees and asylum-seekers)",
            "Other international migrants",
            _MIGRANTS_GREY,
            None,
            "UN DESA's stock less UNHCR's refugees and asylum-seekers",
        ),
        PopulationGroup(
            "migrant_stock",
            "International migrant stock (UN DESA)",
            "Migrant stock (UN DESA)",
            _MIGRANTS_GREY,
            "international_migrants_undesa_ims2024",
            "UN DESA, 2024 revision",
        ),
    )
}

EARLIER_REVISIONS: dict[str, tuple[str, str]] = {
    "international_migrants_undesa_ims2015": ("migrant_stock", "UN DESA, 2015 revision"),
    "international_migrants_undesa_ims2020": ("migrant_stock", "UN DESA, 2020 revision"),
}
"""Series of an earlier revision of a group's count: (group, publisher). Revisions are never mixed in one line."""


def group_of_series(series: str) -> PopulationGroup:
    """The group a series of ``data/world_populations.csv`` counts (its latest or an earlier revision)."""
    for group in GROUPS.values():
        if group.series == series:
            return group
    if series in EARLIER_REVISIONS:
        return GROUPS[EARLIER_REVISIONS[series][0]]
    raise KeyError(f"series {series!r} counts none of the population groups ({', '.join(GROUPS)})")


def publisher(series: str) -> str:
    """Who publishes ``series``, as a table's source column names it."""
    if series in EARLIER_REVISIONS:
        return EARLIER_REVISIONS[series][1]
    return group_of_series(series).publisher


def series_to_groups(keys: Iterable[str]) -> dict[str, str]:
    """``{series id: group key}`` for the groups ``keys`` (each with a series): to name a pivot's columns."""
    return {GROUPS[key].series: key for key in keys if GROUPS[key].series is not None}


def labels(short: bool = False) -> dict[str, str]:
    """``{group key: label}``, the short labels when ``short``."""
    return {key: group.short_label if short else group.label for key, group in GROUPS.items()}
