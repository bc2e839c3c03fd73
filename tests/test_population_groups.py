"""Each population group is defined once: its label, colour and publisher live in iomun/population_groups.py.

A maintainer renaming a group or changing its colour edits one line; a chapter or module that types a
group's label, short label, colour or publisher again (a second dictionary of names, a legend keyed
by display label) fails here, naming the file.
"""

from __future__ import annotations

import ast

import pandas as pd
import pytest
from code_sources import package_and_chapter_code

from iomun import data, palette, population_groups
from iomun.definitions.lead_rules import LEAD_RULES
from iomun.population_groups import EARLIER_REVISIONS, GROUPS

HOME = "iomun/population_groups.py"


def _string_constants(source: str) -> list[str]:
    """Every string constant of ``source``, whole (an f-string's literal parts too)."""
    return [
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def _definitions() -> list[str]:
    """What a search should find once: each group's labels and colour, each distinctive publisher."""
    wanted = {text for group in GROUPS.values() for text in (group.label, group.short_label, group.colour)}
    publishers = {group.publisher for group in GROUPS.values()} | {p for _, p in EARLIER_REVISIONS.values()}
    return sorted(wanted | {p for p in publishers if ", " in p})  # "UNHCR" alone is a word, not a definition


def where_defined(code: dict[str, str]) -> dict[str, list[str]]:
    """``{text: [path, ...]}``: every file holding ``text`` as a whole string constant, once per occurrence."""
    found: dict[str, list[str]] = {text: [] for text in _definitions()}
    for path, source in code.items():
        for constant in _string_constants(source):
            if constant in found:
                found[constant].append(path)
    return found


# The lead rules name the population groups of data/mandates.csv, keys of that table written as the
# data writes them ("Asylum-seekers"): data, not a second definition of a label.
MANDATE_KEYS = "iomun/definitions/lead_rules.py"


def test_each_label_colour_and_publisher_is_written_once() -> None:
    code = package_and_chapter_code()
    mandate_groups = set(data.load("mandates")["population_group"])
    keys = {rule.population_group for rule in LEAD_RULES} - {None}
    assert keys <= mandate_groups
    code[MANDATE_KEYS] = "\n".join(
        line for line in code[MANDATE_KEYS].splitlines() if not any(f'"{key}"' in line for key in keys)
    )
    found = where_defined(code)
    elsewhere = {text: sorted(set(paths) - {HOME}) for text, paths in found.items() if set(paths) != {HOME}}
    assert not elsewhere, f"written outside {HOME} (take it from there): {elsewhere}"


def test_a_second_definition_is_found() -> None:
    """The search can fail: a chapter that types a group's label again is named."""
    code = package_and_chapter_code()
    code["notebooks/99_copy.ipynb"] = 'names = {"refugees": "Refugees (UNHCR)", "idps": "#32C189"}'
    found = where_defined(code)
    assert found["Refugees (UNHCR)"] == [HOME, "notebooks/99_copy.ipynb"]
    assert found["#32C189"] == [HOME, "notebooks/99_copy.ipynb"]


def test_the_palette_takes_the_groups_colours() -> None:
    assert palette.POPULATION_COLOURS == {key: group.colour for key, group in GROUPS.items()}


def test_every_series_drawn_is_a_series_of_the_data() -> None:
    series = set(data.load("world_populations")["series"])
    drawn = {group.series for group in GROUPS.values() if group.series} | set(EARLIER_REVISIONS)
    assert drawn <= series, drawn - series


def test_a_series_names_its_group_and_publisher() -> None:
    assert population_groups.group_of_series("idps_conflict_idmc").key == "idps"
    assert population_groups.publisher("palestine_refugees_unrwa") == "UNRWA, via UNHCR"
    assert population_groups.publisher("international_migrants_undesa_ims2015") == "UN DESA, 2015 revision"
    assert population_groups.group_of_series("international_migrants_undesa_ims2015").key == "migrant_stock"
    with pytest.raises(KeyError, match="idps_unhcr_protected"):
        population_groups.group_of_series("idps_unhcr_protected")


def test_a_pivot_names_its_columns_by_group() -> None:
    rows = pd.DataFrame(
        {"year": [2016, 2016], "series": ["refugees_unhcr_mandate", "asylum_seekers"], "value": [17.2e6, 2.8e6]}
    )
    names = population_groups.series_to_groups(["refugees", "asylum_seekers"])
    wide = rows.assign(group=rows["series"].map(names)).pivot(index="year", columns="group", values="value")
    assert list(wide.columns) == ["asylum_seekers", "refugees"]
