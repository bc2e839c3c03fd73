"""Phrases computed from data for glueing into prose, so that no year list is typed by hand."""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping

import pandas as pd
from myst_nb import glue

from .tables import reader_number


def year_list(years: Iterable[int]) -> str:
    """Years as readers write them: runs collapsed, "2000–2004, 2007 and 2010"; "none" when empty."""
    ordered = sorted({int(year) for year in years})
    runs: list[list[int]] = []
    for year in ordered:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    parts = [f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs]
    if not parts:
        return "none"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def counted_list(items: Iterable[str], noun: str) -> str:
    """Named things as a reader lists them, each of which may hold "and" itself: "three groups:
    migrants in crisis, migrants in general, and migration and development" (the serial comma
    keeps the last item whole); "one group: refugees"; "no group" when empty."""
    names = list(items)
    numbers = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}
    if not names:
        return f"no {noun}"
    count = f"{numbers.get(len(names), len(names))} {noun if len(names) == 1 else noun + 's'}"
    if len(names) == 1:
        return f"{count}: {names[0]}"
    joined = names[0] + " and " + names[1] if len(names) == 2 else ", ".join(names[:-1]) + ", and " + names[-1]
    return f"{count}: {joined}"


def day_month_year(date: pd.Timestamp) -> str:
    """A date as the prose writes it, "19 September 2016" (no zero padding, on any platform's strftime)."""
    return f"{date.day} {date:%B %Y}"


def glued_value(value: object) -> object:
    """What the prose shows for ``value``: numbers (numpy's too) as :func:`reader_number` writes them."""
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return reader_number(value)
    return value


# What this kernel glued, by key: JupyterLab (jupyterlab-myst) evaluates the Binder copy's
# {eval} expressions against it, since it knows no glue roles (maintainer/binder_prose.py).
GLUED: dict[str, object] = {}


def glued(key: str) -> object:
    """The value glued as ``key`` in this kernel, as the prose shows it."""
    if key not in GLUED:
        raise KeyError(f"{key!r} is not glued yet: run the cell that glues it first")
    return GLUED[key]


def glue_all(values: Mapping[str, object]) -> None:
    """Glue every ``key: value`` for ``{glue:text}`` in the prose, without displaying anything.

    The one place a chapter glues: a numpy scalar never reaches a page as ``np.int64(135)``,
    and a count of five digits or more reads "17,184,286".
    """
    for key, value in values.items():
        GLUED[key] = glued_value(value)
        glue(key, GLUED[key], display=False)
