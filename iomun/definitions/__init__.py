"""The chapter "Different definitions": who counts as a refugee or a migrant, and who leads.

- :mod:`.citations`: each rule's documents (ids of ``data/sources.csv``) and provisions;
- :mod:`.situation`: :class:`Situation`, the facts of one person's situation;
- :mod:`.criteria`: the three definitions, the statuses they yield and their named criteria;
- :mod:`.classification`: :func:`classify` and :func:`explain`;
- :mod:`.lead_rules`: the ordered, sourced lead rules (:func:`lead_entity`);
- :mod:`.cited_sources`: every citation, with its document (:func:`sources_table`);
- :mod:`.archetypes`: typical situations and :func:`in_world_total`;
- :mod:`.world_counts`: the chapter's drawing (:func:`draw_counts`);
- :mod:`.explorer`: the live classifier (ipywidgets, needs a kernel).

The names chapter 4 uses are re-exported here; everything else is imported from its module
(``from iomun.definitions.classification import classify``).
"""

from __future__ import annotations

from .archetypes import ARCHETYPES, archetype_table, in_world_total
from .cited_sources import sources_table
from .classification import is_included
from .criteria import DEFINITIONS, IOM, UNDESA, UNHCR, criteria_table
from .explorer import live_classifier, situation_html
from .situation import LONG_TERM_MONTHS, SHORT_TERM_MONTHS
from .world_counts import draw_counts

__all__ = [
    "ARCHETYPES",
    "DEFINITIONS",
    "IOM",
    "LONG_TERM_MONTHS",
    "SHORT_TERM_MONTHS",
    "UNDESA",
    "UNHCR",
    "archetype_table",
    "criteria_table",
    "draw_counts",
    "in_world_total",
    "is_included",
    "live_classifier",
    "situation_html",
    "sources_table",
]
