"""The one data loader: read a resource of ``data/``, validate it, return a typed DataFrame.

Validation has two layers. The Frictionless schema in ``data/datapackage.json`` checks
columns, types, constraints and primary keys; :func:`_check_rules` adds the rules a schema
cannot state (references between resources, years in the future, migrant-stock revisions
that must not be mixed). Any failure raises :class:`DataError` naming file, row and field.
"""

from __future__ import annotations

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

# IOMUN_DATA_DIR lets a researcher (or a test) run every chapter on another copy of data/.
DATA_DIR = Path(os.environ.get("IOMUN_DATA_DIR", Path(__file__).resolve().parent.parent / "data"))

_PANDAS_TYPES = {"integer": "Int64", "number": "float64", "string": "string", "date": "string"}


class DataError(ValueError):
    """A resource in ``data/`` is malformed; the message names file, row and field."""

    def __init__(self, path: Path | str, row: int | None, field: str | None, message: str):
        self.path, self.row, self.field = Path(path), row, field
        where = [str(path)]
        if row is not None:
            where.append(f"row {row}")
        if field:
            where.append(f"field '{field}'")
        super().__init__(f"{', '.join(where)}: {message}")


def read_descriptor(data_dir: Path = DATA_DIR) -> dict[str, Any]:
    """Return ``datapackage.json`` of ``data_dir`` as a dict."""
    path = data_dir / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(path, None, None, f"cannot read the package descriptor: {exc}") from exc


def resource_descriptor(name: str, data_dir: Path = DATA_DIR) -> dict[str, Any]:
    """Return the descriptor of resource ``name``."""
    for resource in read_descriptor(data_dir)["resources"]:
        if resource["name"] == name:
            return resource
    known = ", ".join(r["name"] for r in read_descriptor(data_dir)["resources"])
    raise KeyError(f"no resource '{name}' in {data_dir / 'datapackage.json'} (known: {known})")


def validate_file(name: str, csv_path: Path, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Validate ``csv_path`` as resource ``name`` and return it typed.

    ``csv_path`` may differ from the resource's own file, so a refresh can validate a
    download before it replaces anything.
    """
    descriptor = resource_descriptor(name, data_dir)
    _check_schema(descriptor, csv_path)
    frame = _read_typed(descriptor, csv_path)
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


def _check_schema(descriptor: dict[str, Any], csv_path: Path) -> None:
    if not csv_path.exists():
        raise DataError(csv_path, None, None, "file not found")
    raw = csv_path.read_bytes()
    if not raw:
        raise DataError(csv_path, None, None, "file is empty (no header, no rows)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        row, field = _position(raw, exc.start)
        raise DataError(csv_path, row, field, f"not UTF-8 encoded ({exc.reason})") from exc
    if not raw.endswith(b"\n"):
        row, field = _position(raw, len(raw))
        raise DataError(
            csv_path, row, field,
            "the last line does not end with a line break: the file looks truncated",
        )
    _check_header(descriptor, csv_path, text)
    schema = {k: v for k, v in descriptor["schema"].items() if k != "foreignKeys"}
    resource = frictionless.Resource(
        path=csv_path.name, basepath=str(csv_path.parent), format="csv", encoding="utf-8",
        schema=frictionless.Schema.from_descriptor(schema),
        detector=frictionless.Detector(schema_sync=False),
    )
    report = resource.validate(checklist=frictionless.Checklist(), limit_errors=20)
    if report.valid:
        return
    errors = report.flatten(["rowNumber", "fieldName", "type", "note", "message"])
    first_row, field, kind, note, message = errors[0]
    if kind == "primary-key" and not field:
        field = ", ".join(descriptor["schema"].get("primaryKey", []))
    extra = f" ({len(errors) - 1} more error(s) in this file)" if len(errors) > 1 else ""
    raise DataError(csv_path, first_row, field, f"{kind}: {note or message}{extra}")


def _check_header(descriptor: dict[str, Any], csv_path: Path, text: str) -> None:
    """Name a missing, unknown or misplaced column (row 1); Frictionless matches by position."""
    header = next(csv.reader(io.StringIO(text)), [])
    expected = [f["name"] for f in descriptor["schema"]["fields"]]
    missing = [name for name in expected if name not in header]
    if missing:
        raise DataError(csv_path, 1, missing[0], f"column missing (header: {', '.join(header)})")
    unknown = [name for name in header if name not in expected]
    if unknown:
        raise DataError(
            csv_path, 1, unknown[0], f"unknown column (expected: {', '.join(expected)})"
        )
    if header != expected:
        raise DataError(
            csv_path, 1, None,
            f"columns out of order: {', '.join(header)} (expected: {', '.join(expected)})",
        )


def _position(raw: bytes, offset: int) -> tuple[int, str | None]:
    """File row (header = row 1) and column name of the byte at ``offset``."""
    start = raw.rfind(b"\n", 0, offset) + 1
    row = raw[:start].count(b"\n") + 1
    prefix = raw[start:offset].decode("utf-8", errors="replace")
    header = next(csv.reader(io.StringIO(raw.split(b"\n", 1)[0].decode("utf-8", "replace"))), [])
    column = len(next(csv.reader(io.StringIO(prefix)), [""])) - 1 if prefix else 0
    return row, header[column] if 0 <= column < len(header) else None


def _read_typed(descriptor: dict[str, Any], csv_path: Path) -> pd.DataFrame:
    fields = descriptor["schema"]["fields"]
    dtypes = {f["name"]: _PANDAS_TYPES[f["type"]] for f in fields}
    # keep_default_na=False: "NA" is Namibia, not a missing value; empty cells are the gaps.
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False, encoding="utf-8")
    frame = frame.replace("", pd.NA)
    for name, dtype in dtypes.items():
        if dtype in ("Int64", "float64"):
            frame[name] = pd.to_numeric(frame[name]).astype(dtype)
        else:
            frame[name] = frame[name].astype(dtype)
    return frame


def _row(index: int) -> int:
    """File row of a DataFrame index: the header is row 1."""
    return int(index) + 2


def _check_rules(
    name: str, descriptor: dict[str, Any], frame: pd.DataFrame, csv_path: Path, data_dir: Path
) -> None:
    this_year = dt.date.today().year
    if "year" in frame and pd.api.types.is_integer_dtype(frame["year"]):
        future = frame.index[frame["year"] > this_year]
        if len(future):
            bad = frame.loc[future[0], "year"]
            raise DataError(csv_path, _row(future[0]), "year", f"year {bad} is in the future")
    if "source_id" in frame and name != "sources":
        known = set(_reference_column("sources", "source_id", data_dir))
        _check_membership(
            frame, "source_id", known, csv_path, "unknown source (not in sources.csv)"
        )
    if "iso3" in frame and name != "countries":
        countries = resource_descriptor("countries", data_dir)
        known = set(_reference_column("countries", "iso3", data_dir))
        known |= set(countries.get("extraCodes", {}))
        _check_membership(
            frame, "iso3", known, csv_path, "unknown ISO3 code (not in countries.csv)"
        )
    for series, sources in descriptor.get("seriesSources", {}).items():
        rows = frame.index[(frame["series"] == series) & ~frame["source_id"].isin(sources)]
        if len(rows):
            cited = frame.loc[rows[0], "source_id"]
            raise DataError(
                csv_path, _row(rows[0]), "source_id",
                f"series '{series}' is one revision and must cite {sources}, not '{cited}': "
                "revisions must not be mixed in one series",
            )


def _check_membership(
    frame: pd.DataFrame, column: str, known: set[str], path: Path, what: str
) -> None:
    values = frame[column]
    bad = frame.index[values.notna() & ~values.isin(known)]
    if len(bad):
        raise DataError(path, _row(bad[0]), column, f"{what}: '{values[bad[0]]}'")


def _reference_column(name: str, column: str, data_dir: Path) -> list[str]:
    return _load_cached(name, data_dir)[column].dropna().tolist()
