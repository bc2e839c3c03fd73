"""The one source registry: ``data/sources.csv``, indexed by ``source_id``."""

from __future__ import annotations

import pandas as pd

from . import data


def source_registry() -> pd.DataFrame:
    """Every source (title, publisher, year, URL, licence, notes, date read), indexed by ``source_id``."""
    return data.load("sources").set_index("source_id")
