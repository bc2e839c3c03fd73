"""The one data loader: read a resource of ``data/``, validate it, return a typed DataFrame.

Validation has three layers. Before any parser, :mod:`iomun.data_files` reads the file only
if it is a regular file of bounded size reached without a link, and refuses control and bidi
characters and numbers not written in ASCII digits; :mod:`iomun.descriptor` checks the
descriptor's own shape (plausible maxima on numbers included). The Frictionless schema in
``data/datapackage.json`` checks columns, types, constraints and primary keys; the loader
adds the rules a schema cannot state: the file's encoding and quoting, integers that fit 64
bits (:func:`_integers`) and, in :func:`_check_rules`, dates and years between their stated
lower bound and today, every declared foreign key and the references to sources and
countries, and migrant-stock revisions that must not be mixed. Any failure raises
:class:`DataError` naming file, row and field.

Dates and years are found by their schema, never by their column names: a field of type
``year`` or ``date`` states its lower bound as ``constraints.minimum``; a string holding an
ISO 8601 date of year, month or day precision (``2016``, ``2016-09``, ``2016-09-19``) says
``"calendar": "partial-date"`` and states its lower bound as ``"earliest"``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import io
import json
import os
from pathlib import Path
from typing import Any

import frictionless
import pandas as pd

from .data_files import (
    DataError,
    brief,
    check_characters,
    check_descriptor_values,
    check_number_cells,
    position,
    read_regular,
)
from .descriptor import PANDAS_TYPES, PARTIAL_DATE, calendar_problem, check_descriptor, lower_bound, temporal_kind

__all__ = [
    "DATA_DIR",
    "PARTIAL_DATE",
    "DataError",
    "clear_cache",
    "load",
    "read_descriptor",
    "resource_descriptor",
    "temporal_kind",
    "validate_file",
]

# IOMUN_DATA_DIR lets a researcher (or a test) run every chapter on another copy of data/.
DATA_DIR = Path(os.environ.get("IOMUN_DATA_DIR", Path(__file__).resolve().parent.parent / "data"))

_INT64 = 2**63


def read_descriptor(data_dir: Path = DATA_DIR) -> dict[str, Any]:
    """Return ``datapackage.json`` of ``data_dir`` as a dict."""
    path = data_dir / "datapackage.json"
    try:
        package = json.loads(read_regular(path).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(path, None, None, f"cannot read the package descriptor: {exc}") from exc
    except RecursionError as exc:
        raise DataError(path, None, None, "descriptor: nested too deeply to be read") from exc
    check_descriptor_values(path, package)
    check_descriptor(path, package)
    return package


def resource_descriptor(name: str, data_dir: Path = DATA_DIR) -> dict[str, Any]:
    """Return the descriptor of resource ``name``."""
    resources = read_descriptor(data_dir)["resources"]
    for resource in resources:
        if resource["name"] == name:
            return resource
    known = ", ".join(r["name"] for r in resources)
    raise KeyError(f"no resource '{name}' in {data_dir / 'datapackage.json'} (known: {known})")


def validate_file(name: str, csv_path: Path, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Validate ``csv_path`` as resource ``name`` and return it typed.

    ``csv_path`` may differ from the resource's own file, so a refresh can validate a
    download before it replaces anything.
    """
    descriptor = resource_descriptor(name, data_dir)
    text = _check_schema(descriptor, csv_path)
    frame = _read_typed(descriptor, text, csv_path)
    if frame.empty:
        raise DataError(csv_path, 2, None, "no data rows (only the header)")
    _check_rules(name, descriptor, frame, csv_path, data_dir)
    return frame


def load(name: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Return resource ``name`` validated and typed (read once per process, copied per call)."""
    return _load_cached(name, Path(data_dir).resolve()).copy()


@functools.cache
def _load_cached(name: str, data_dir: Path) -> pd.DataFrame:
    path = data_dir / resource_descriptor(name, data_dir)["path"]
    return validate_file(name, path, data_dir)


def clear_cache() -> None:
    """Forget loaded resources (after a refresh replaced files)."""
    _load_cached.cache_clear()


def _check_schema(descriptor: dict[str, Any], csv_path: Path) -> str:
    """The file's text, once it passed every check; raise :class:`DataError` at the first failure."""
    raw = read_regular(csv_path)
    if not raw:
        raise DataError(csv_path, None, None, "file is empty (no header, no rows)")
    if raw.startswith(codecs.BOM_UTF8):
        header = raw[3:].split(b"\n", 1)[0].decode("utf-8", "replace").split(",")[0]
        raise DataError(
            csv_path,
            1,
            header or None,
            "the file starts with a UTF-8 byte-order mark (bytes EF BB BF before the first "
            "column name): save it as UTF-8 without a byte-order mark",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        row, field = position(raw, exc.start)
        raise DataError(csv_path, row, field, f"not UTF-8 encoded ({exc.reason})") from exc
    check_characters(csv_path, text)
    _check_quotes(csv_path, text)
    if not raw.endswith(b"\n"):
        row, field = position(raw, len(raw))
        raise DataError(csv_path, row, field, "the last line does not end with a line break: the file looks truncated")
    _check_header(descriptor, csv_path, text)
    check_number_cells(
        csv_path,
        text,
        {f["name"]: f["type"] for f in descriptor["schema"]["fields"] if f["type"] in ("integer", "year", "number")},
    )
    schema = {k: v for k, v in descriptor["schema"].items() if k != "foreignKeys"}
    resource = frictionless.Resource(
        raw,
        format="csv",
        encoding="utf-8",  # the bytes checked above, never the file re-read
        schema=frictionless.Schema.from_descriptor(schema),
        detector=frictionless.Detector(schema_sync=False),
    )
    report = resource.validate(checklist=frictionless.Checklist(), limit_errors=20)
    if report.valid:
        return text
    errors = report.flatten(["rowNumber", "fieldName", "type", "note", "message"])
    first_row, field, kind, note, message = errors[0]
    if kind == "primary-key" and not field:
        field = ", ".join(descriptor["schema"].get("primaryKey", []))
    extra = f" ({len(errors) - 1} more error(s) in this file)" if len(errors) > 1 else ""
    why = next((f.get("plausibility") for f in descriptor["schema"]["fields"] if f["name"] == field), None)
    if why and '"maximum"' in str(note):
        extra = f", the largest plausible value ({why}){extra}"
    raise DataError(csv_path, first_row, field, f"{kind}: {brief(note or message, 300)}{extra}")


def _check_quotes(csv_path: Path, text: str) -> None:
    """Name the row where a quoted cell opens and never closes (pandas would name no file)."""
    reader = csv.reader(io.StringIO(text), strict=True)
    start = 1
    try:
        for _ in reader:
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DataError(
            csv_path, start, None, f"a quoted cell opened in this row is never closed (no closing '\"'; {exc})"
        ) from exc


def _check_header(descriptor: dict[str, Any], csv_path: Path, text: str) -> None:
    """Name a missing, unknown or misplaced column (row 1); Frictionless matches by position."""
    header = next(csv.reader(io.StringIO(text)), [])
    expected = [f["name"] for f in descriptor["schema"]["fields"]]
    if len(header) > 2 * len(expected) + 10:
        raise DataError(
            csv_path,
            1,
            None,
            f"the header has {len(header):,} columns; this resource has {len(expected)} ({', '.join(expected)})",
        )
    shown = brief(", ".join(header), 300)
    missing = [name for name in expected if name not in header]
    if missing:
        raise DataError(csv_path, 1, missing[0], f"column missing (header: {shown})")
    unknown = [name for name in header if name not in expected]
    if unknown:
        raise DataError(csv_path, 1, unknown[0], f"unknown column (expected: {', '.join(expected)})")
    if header != expected:
        raise DataError(csv_path, 1, None, f"columns out of order: {shown} (expected: {', '.join(expected)})")


def _read_typed(descriptor: dict[str, Any], text: str, csv_path: Path) -> pd.DataFrame:
    """The checked text as a typed frame (parsed from the bytes checked, never re-read)."""
    fields = descriptor["schema"]["fields"]
    dtypes = {f["name"]: PANDAS_TYPES[f["type"]] for f in fields}
    # keep_default_na=False: "NA" is Namibia, not a missing value; empty cells are the gaps.
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    frame = frame.replace("", pd.NA)
    for name, dtype in dtypes.items():
        if dtype == "Int64":
            frame[name] = _integers(frame[name], csv_path)
        elif dtype == "float64":
            frame[name] = pd.to_numeric(frame[name]).astype(dtype)
        else:
            frame[name] = frame[name].astype(dtype)
    return frame


def _integers(column: pd.Series, csv_path: Path) -> pd.Series:
    """Integers that fit the 64-bit type the chapters compute with."""
    for index, cell in column.dropna().items():
        if abs(int(cell)) >= _INT64:
            raise DataError(
                csv_path,
                _row(index),
                str(column.name),
                f"integer {cell} overflows: more than 64 bits (|value| must be below {_INT64:,})",
            )
    return pd.to_numeric(column).astype("Int64")


def _row(index: int) -> int:
    """File row of a DataFrame index: the header is row 1."""
    return int(index) + 2


def _check_rules(name: str, descriptor: dict[str, Any], frame: pd.DataFrame, csv_path: Path, data_dir: Path) -> None:
    for field in descriptor["schema"]["fields"]:
        if temporal_kind(field):
            _check_calendar(frame[field["name"]], field, csv_path)
    if "source_id" in frame and name != "sources":
        known = set(_reference_column("sources", "source_id", data_dir))
        _check_membership(frame, "source_id", known, csv_path, "unknown source (not in sources.csv)")
    if "iso3" in frame and name != "countries":
        countries = resource_descriptor("countries", data_dir)
        known = set(_reference_column("countries", "iso3", data_dir))
        known |= set(countries.get("extraCodes", {}))
        _check_membership(frame, "iso3", known, csv_path, "unknown ISO3 code (not in countries.csv)")
    for key in descriptor["schema"].get("foreignKeys", []):
        _check_foreign_key(name, key, frame, csv_path, data_dir)
    for series, sources in descriptor.get("seriesSources", {}).items():
        rows = frame.index[(frame["series"] == series) & ~frame["source_id"].isin(sources)]
        if len(rows):
            cited = frame.loc[rows[0], "source_id"]
            raise DataError(
                csv_path,
                _row(rows[0]),
                "source_id",
                f"series '{series}' is one revision and must cite {sources}, not '{cited}': "
                "revisions must not be mixed in one series",
            )


def _check_calendar(column: pd.Series, field: dict[str, Any], csv_path: Path) -> None:
    """Every date or year is a real calendar date between the field's lower bound and today."""
    kind, earliest = temporal_kind(field), lower_bound(field) or ""
    for index, cell in column.dropna().items():
        text = str(cell)
        if kind == "year":
            problem = f"year {text} is in the future" if int(text) > dt.date.today().year else None
        else:
            problem = calendar_problem(text, date_only=kind == "date")
        if problem is None and text < earliest[: len(text)]:
            problem = f"{text} is before the stated lower bound {earliest}"
        if problem:
            raise DataError(csv_path, _row(index), str(column.name), problem)


def _check_membership(frame: pd.DataFrame, column: str, known: set[str], path: Path, what: str) -> None:
    values = frame[column]
    bad = frame.index[values.notna() & ~values.isin(known)]
    if len(bad):
        raise DataError(path, _row(bad[0]), column, f"{what}: '{values[bad[0]]}'")


def _check_foreign_key(name: str, key: dict[str, Any], frame: pd.DataFrame, csv_path: Path, data_dir: Path) -> None:
    """Every row's value of a declared foreign key is a key of the resource it references."""
    fields = [key["fields"]] if isinstance(key["fields"], str) else list(key["fields"])
    target = key["reference"].get("resource") or name  # "" references the resource itself
    columns = key["reference"]["fields"]
    columns = [columns] if isinstance(columns, str) else list(columns)
    referenced = frame if target == name else _load_cached(target, data_dir)
    known = set(referenced[columns].dropna().itertuples(index=False, name=None))
    values = frame[fields]
    for index, row in zip(values.index, values.itertuples(index=False, name=None), strict=True):
        if any(pd.isna(cell) for cell in row) or row in known:
            continue
        shown = ", ".join(map(str, row))
        raise DataError(
            csv_path,
            _row(index),
            ", ".join(fields),
            f"'{brief(shown)}' is not a {', '.join(columns)} of {target} "
            f"({resource_descriptor(target, data_dir)['path']}): the declared foreign key "
            "points at nothing",
        )


def _reference_column(name: str, column: str, data_dir: Path) -> list[str]:
    return _load_cached(name, data_dir)[column].dropna().tolist()
