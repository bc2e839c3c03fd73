"""The one data loader: read a resource of ``data/``, validate it, return a typed DataFrame.

Validation has two layers. The Frictionless schema in ``data/datapackage.json`` checks
columns, types, constraints and primary keys; the loader adds the rules a schema cannot
state: the descriptor's own shape (:func:`_check_descriptor`), the file's encoding and quoting
(:func:`_check_text`), finite numbers (:func:`_check_finite`), integers that fit 64 bits (:func:`_integers`) and, in
:func:`_check_rules`, dates and years between their stated lower bound and today, references
between resources and migrant-stock revisions that must not be mixed. Any failure raises
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
import math
import os
import re
from pathlib import Path
from typing import Any

import frictionless
import pandas as pd

# IOMUN_DATA_DIR lets a researcher (or a test) run every chapter on another copy of data/.
DATA_DIR = Path(os.environ.get("IOMUN_DATA_DIR", Path(__file__).resolve().parent.parent / "data"))

_PANDAS_TYPES = {
    "integer": "Int64", "year": "Int64", "number": "float64", "string": "string", "date": "string",
}
PARTIAL_DATE = "partial-date"
_PARTIAL_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_INT64 = 2**63
# Resource files and field names reach commands, paths and pages: plain names only.
_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\.(csv|json)")
_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_RESOURCE_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*")
_TEXT_KEYS = ("title", "description")


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
        package = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(path, None, None, f"cannot read the package descriptor: {exc}") from exc
    _check_descriptor(path, package)
    return package


def resource_descriptor(name: str, data_dir: Path = DATA_DIR) -> dict[str, Any]:
    """Return the descriptor of resource ``name``."""
    resources = read_descriptor(data_dir)["resources"]
    for resource in resources:
        if resource["name"] == name:
            return resource
    known = ", ".join(r["name"] for r in resources)
    raise KeyError(f"no resource '{name}' in {data_dir / 'datapackage.json'} (known: {known})")


def _check_descriptor(path: Path, package: Any) -> None:
    """The keys and kinds of value the loader, the pages and the refresh rely on."""
    def need(mapping: Any, key: str, kind: type, where: str) -> Any:
        if not isinstance(mapping, dict) or key not in mapping:
            raise DataError(path, None, None, f"descriptor: {where} has no key '{key}'")
        if not isinstance(mapping[key], kind):
            raise DataError(path, None, None,
                            f"descriptor: '{key}' of {where} is not a {kind.__name__}")
        return mapping[key]

    for number, resource in enumerate(need(package, "resources", list, "the package")):
        where = f"resource {number + 1}"
        name = need(resource, "name", str, where)
        if not _RESOURCE_NAME.fullmatch(name):
            raise DataError(path, None, None, f"descriptor: the name of {where} is not a "
                            f"lowercase identifier: {name!r}")
        where = f"resource '{name}'"
        if not _FILE_NAME.fullmatch(need(resource, "path", str, where)):
            raise DataError(path, None, None, f"descriptor: path of {where} is not a plain "
                            f"file name in data/: {resource['path']!r}")
        _check_texts(path, resource, where)
        for field in need(need(resource, "schema", dict, where), "fields", list, f"{where} schema"):
            _check_field(path, field, where)
        for source in resource.get("sources", []):
            _check_source(path, source, where)


def _check_texts(path: Path, resource: dict[str, Any], where: str) -> None:
    texts = [resource.get(key, "") for key in _TEXT_KEYS] + list(resource.get("caveats", []))
    if not all(isinstance(text, str) for text in texts):
        raise DataError(path, None, None, f"descriptor: a title, description or caveat of "
                        f"{where} is not a string")


def _check_field(path: Path, field: Any, where: str) -> None:
    """A field has a plain name, a known type, and a lower bound if it holds dates or years."""
    if not isinstance(field, dict) or not isinstance(field.get("name"), str):
        raise DataError(path, None, None, f"descriptor: a field of {where} has no key 'name'")
    name = field["name"]
    if not _FIELD_NAME.fullmatch(name):
        raise DataError(path, None, None, f"descriptor: field name {name!r} of {where} "
                        "is not a plain identifier")
    if field.get("type") not in _PANDAS_TYPES:
        raise DataError(path, None, name, f"descriptor: {where}: type {field.get('type')!r} "
                        f"is not one of {', '.join(_PANDAS_TYPES)}")
    if temporal_kind(field) and _lower_bound(field) is None:
        key = "earliest" if temporal_kind(field) == PARTIAL_DATE else "constraints.minimum"
        raise DataError(path, None, name, f"descriptor: {where}: a {temporal_kind(field)} "
                        f"field must state its lower bound ({key})")


def _check_source(path: Path, source: Any, where: str) -> None:
    """A source links to a web address and was read on a real day, not in the future."""
    url = source.get("path", "") if isinstance(source, dict) else ""
    if not isinstance(url, str) or not re.match(r"https?://[^\s<>\"'`]+$", url):
        raise DataError(path, None, None, f"descriptor: a source of {where} has no http(s) "
                        f"address: {url!r}")
    read = source.get("date_read")
    if read is not None and _calendar_problem(str(read), date_only=True):
        raise DataError(path, None, None, f"descriptor: a source of {where} has date_read "
                        f"{read!r}: {_calendar_problem(str(read), date_only=True)}")


def temporal_kind(field: dict[str, Any]) -> str | None:
    """``year``, ``date`` or ``partial-date`` for a field holding dates by its schema, else None."""
    if field.get("type") in ("year", "date"):
        return field["type"]
    if field.get("type") == "string" and field.get("calendar") == PARTIAL_DATE:
        return PARTIAL_DATE
    return None


def _lower_bound(field: dict[str, Any]) -> str | None:
    bound = field.get("earliest") if temporal_kind(field) == PARTIAL_DATE else (
        field.get("constraints", {}).get("minimum"))
    return None if bound is None else str(bound)


def _calendar_problem(text: str, date_only: bool = False) -> str | None:
    """Why ``text`` is no real ISO 8601 date (year, month or day precision) up to today."""
    match = _PARTIAL_DATE.fullmatch(text)
    if not match or (date_only and match.group(3) is None):
        return "not an ISO 8601 date (YYYY-MM-DD)" if date_only else (
            "not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        start = dt.date(year, month, day)
    except ValueError:
        return f"{text} is not a real calendar date"
    if start > dt.date.today():
        return f"{text} is in the future"
    return None


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
    if raw.startswith(codecs.BOM_UTF8):
        header = raw[3:].split(b"\n", 1)[0].decode("utf-8", "replace").split(",")[0]
        raise DataError(
            csv_path, 1, header or None,
            "the file starts with a UTF-8 byte-order mark (bytes EF BB BF before the first "
            "column name): save it as UTF-8 without a byte-order mark",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        row, field = _position(raw, exc.start)
        raise DataError(csv_path, row, field, f"not UTF-8 encoded ({exc.reason})") from exc
    _check_quotes(csv_path, text)
    if not raw.endswith(b"\n"):
        row, field = _position(raw, len(raw))
        raise DataError(
            csv_path, row, field,
            "the last line does not end with a line break: the file looks truncated",
        )
    _check_header(descriptor, csv_path, text)
    _check_finite(descriptor, csv_path, text)
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


def _check_quotes(csv_path: Path, text: str) -> None:
    """Name the row where a quoted cell opens and never closes (pandas would name no file)."""
    reader = csv.reader(io.StringIO(text), strict=True)
    start = 1
    try:
        for _ in reader:
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DataError(
            csv_path, start, None,
            f"a quoted cell opened in this row is never closed (no closing '\"'; {exc})",
        ) from exc


def _check_finite(descriptor: dict[str, Any], csv_path: Path, text: str) -> None:
    """Numbers are finite: inf and NaN are no measured value, and a gap is an empty cell.

    Checked before the schema, whose ``minimum`` would otherwise name NaN's failure vaguely.
    """
    numbers = [f["name"] for f in descriptor["schema"]["fields"] if f["type"] == "number"]
    for index, row in enumerate(csv.DictReader(io.StringIO(text))):
        for name in numbers:
            cell = (row.get(name) or "").strip()
            try:
                finite = not cell or math.isfinite(float(cell))
            except ValueError:
                continue  # not a number at all: the schema's type check names it
            if not finite:
                raise DataError(csv_path, _row(index), name,
                                f"not a finite number: {cell!r} (leave a gap as an empty cell)")


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
            raise DataError(csv_path, _row(index), str(column.name),
                            f"integer {cell} overflows: more than 64 bits "
                            f"(|value| must be below {_INT64:,})")
    return pd.to_numeric(column).astype("Int64")


def _row(index: int) -> int:
    """File row of a DataFrame index: the header is row 1."""
    return int(index) + 2


def _check_rules(
    name: str, descriptor: dict[str, Any], frame: pd.DataFrame, csv_path: Path, data_dir: Path
) -> None:
    for field in descriptor["schema"]["fields"]:
        if temporal_kind(field):
            _check_calendar(frame[field["name"]], field, csv_path)
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


def _check_calendar(column: pd.Series, field: dict[str, Any], csv_path: Path) -> None:
    """Every date or year is a real calendar date between the field's lower bound and today."""
    kind, earliest = temporal_kind(field), _lower_bound(field) or ""
    for index, cell in column.dropna().items():
        text = str(cell)
        if kind == "year":
            problem = f"year {text} is in the future" if int(text) > dt.date.today().year else None
        else:
            problem = _calendar_problem(text, date_only=kind == "date")
        if problem is None and text < earliest[: len(text)]:
            problem = f"{text} is before the stated lower bound {earliest}"
        if problem:
            raise DataError(csv_path, _row(index), str(column.name), problem)


def _check_membership(
    frame: pd.DataFrame, column: str, known: set[str], path: Path, what: str
) -> None:
    values = frame[column]
    bad = frame.index[values.notna() & ~values.isin(known)]
    if len(bad):
        raise DataError(path, _row(bad[0]), column, f"{what}: '{values[bad[0]]}'")


def _reference_column(name: str, column: str, data_dir: Path) -> list[str]:
    return _load_cached(name, data_dir)[column].dropna().tolist()
