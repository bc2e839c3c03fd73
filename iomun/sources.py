"""The one source registry: ``data/sources.csv``, indexed by ``source_id``."""

from __future__ import annotations

import re

import pandas as pd

from . import data


def source_registry() -> pd.DataFrame:
    """Every source (title, publisher, year, URL, licence, notes, date read), indexed by ``source_id``."""
    return data.load("sources").set_index("source_id")


def release_label(source_id: str) -> str:
    """How a caption names the release a source stands for: its version, or the date it was read.

    The version is read from the registry's title ("..., version 2025.12.1; ..."), so a caption
    follows the data after a refresh instead of naming a release typed into the chapter.
    """
    source = source_registry().loc[source_id]
    version = re.search(r"version ([^;)]+)", source["title"])
    return version.group(1).strip() if version else f"read on {source['date_read']}"


def release_in_words(frame: pd.DataFrame, series: str | None = None) -> str:
    """The release cited by ``frame``'s latest row as a reader names it: "December 2025 release".

    A version ``YYYY.MM.N`` is the publisher's release of that month; a source without a version
    is named by the date it was read ("as read on 2025-12-05").
    """
    label = cited_release(frame, series)
    version = re.fullmatch(r"(\d{4})\.(\d{1,2})\.\d+", label)
    if not version:
        return f"as {label}"
    month = pd.Timestamp(year=int(version.group(1)), month=int(version.group(2)), day=1)
    return f"{month:%B %Y} release"


def cited_release(frame: pd.DataFrame, series: str | None = None) -> str:
    """The release cited by the latest row of ``frame`` (of ``series``, if the frame holds several)."""
    rows = frame if series is None else frame[frame["series"] == series]
    if rows.empty:
        raise KeyError(f"no rows of series {series!r}")
    return release_label(rows.sort_values("year")["source_id"].iloc[-1])
