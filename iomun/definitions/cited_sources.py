"""Every document the definitions, criteria and lead rules cite, with its title and URL from the registry."""

from __future__ import annotations

import pandas as pd

from ..sources import source_registry
from .citations import Citation
from .criteria import CRITERIA, DEFINITIONS
from .lead_rules import LEAD_RULES


def all_citations() -> list[Citation]:
    """Every citation of a definition, a criterion or a lead rule, once, in order of first use."""
    seen: dict[Citation, None] = {}
    for definition in DEFINITIONS.values():
        seen.update(dict.fromkeys(definition.sources))
    for criterion in CRITERIA:
        seen.update(dict.fromkeys(criterion.sources))
    for rule in LEAD_RULES:
        seen.update(dict.fromkeys(rule.sources))
    return list(seen)


def sources_table() -> pd.DataFrame:
    """Every citation with the title and URL of its document from the source registry."""
    registry = source_registry()
    cited = all_citations()
    unknown = sorted({c.source_id for c in cited} - set(registry.index))
    if unknown:
        raise KeyError(f"citations name sources missing from data/sources.csv: {unknown}")
    return pd.DataFrame(
        [(registry.loc[c.source_id, "title"], c.provision, registry.loc[c.source_id, "url"]) for c in cited],
        columns=["title", "provision", "url"],
    )
