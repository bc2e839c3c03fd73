"""The package descriptor's own shape: the keys and kinds of value the loader, the pages and the refresh rely on.

Checked by :func:`check_descriptor` when :mod:`iomun.data` reads ``data/datapackage.json``:
plain resource, file and field names; known field types; a lower bound on every field of
dates or years and an upper bound (the largest plausible value) on every numeric field, so
that a value such as 1e308 for an agency's expenses is refused by the schema; well-formed
foreign keys; and sources that name title, publisher and licence and link to a web address.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from .data_files import DataError

PANDAS_TYPES = {"integer": "Int64", "year": "Int64", "number": "float64", "string": "string", "date": "string"}
PARTIAL_DATE = "partial-date"
_PARTIAL_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
# Resource files and field names reach commands, paths and pages: plain names only.
_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\.(csv|json)")
_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_RESOURCE_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*")
_TEXT_KEYS = ("title", "description")


def check_descriptor(path: Path, package: Any) -> None:
    """The keys and kinds of value the loader, the pages and the refresh rely on."""

    def need(mapping: Any, key: str, kind: type, where: str) -> Any:
        if not isinstance(mapping, dict) or key not in mapping:
            raise DataError(path, None, None, f"descriptor: {where} has no key '{key}'")
        if not isinstance(mapping[key], kind):
            raise DataError(path, None, None, f"descriptor: '{key}' of {where} is not a {kind.__name__}")
        return mapping[key]

    for number, resource in enumerate(need(package, "resources", list, "the package")):
        where = f"resource {number + 1}"
        name = need(resource, "name", str, where)
        if not _RESOURCE_NAME.fullmatch(name):
            raise DataError(
                path, None, None, f"descriptor: the name of {where} is not a lowercase identifier: {name!r}"
            )
        where = f"resource '{name}'"
        if not _FILE_NAME.fullmatch(need(resource, "path", str, where)):
            raise DataError(
                path, None, None, f"descriptor: path of {where} is not a plain file name in data/: {resource['path']!r}"
            )
        _check_texts(path, resource, where)
        schema = need(resource, "schema", dict, where)
        for field in need(schema, "fields", list, f"{where} schema"):
            _check_field(path, field, where)
        _check_foreign_keys(path, schema, where)
        for source in resource.get("sources", []):
            _check_source(path, source, where)


def _check_texts(path: Path, resource: dict[str, Any], where: str) -> None:
    texts = [resource.get(key, "") for key in _TEXT_KEYS] + list(resource.get("caveats", []))
    if not all(isinstance(text, str) for text in texts):
        raise DataError(path, None, None, f"descriptor: a title, description or caveat of {where} is not a string")


def _check_field(path: Path, field: Any, where: str) -> None:
    """A field has a plain name, a known type, and a lower bound if it holds dates or years."""
    if not isinstance(field, dict) or not isinstance(field.get("name"), str):
        raise DataError(path, None, None, f"descriptor: a field of {where} has no key 'name'")
    name = field["name"]
    if not _FIELD_NAME.fullmatch(name):
        raise DataError(path, None, None, f"descriptor: field name {name!r} of {where} is not a plain identifier")
    if field.get("type") not in PANDAS_TYPES:
        raise DataError(
            path, None, name, f"descriptor: {where}: type {field.get('type')!r} is not one of {', '.join(PANDAS_TYPES)}"
        )
    constraints = field.get("constraints", {})
    if not isinstance(constraints, dict):
        raise DataError(path, None, name, f"descriptor: {where}: constraints are not an object")
    if temporal_kind(field) and lower_bound(field) is None:
        key = "earliest" if temporal_kind(field) == PARTIAL_DATE else "constraints.minimum"
        raise DataError(
            path, None, name, f"descriptor: {where}: a {temporal_kind(field)} field must state its lower bound ({key})"
        )
    # A plausibility bound: a value such as 1e308 is a typing error or an attack, not a figure.
    maximum = constraints.get("maximum")
    if field["type"] in ("integer", "number", "year") and (
        isinstance(maximum, bool) or not isinstance(maximum, (int, float))
    ):
        raise DataError(
            path,
            None,
            name,
            f"descriptor: {where}: a field of type {field['type']} "
            "must state the largest plausible value (constraints.maximum)",
        )


def _check_foreign_keys(path: Path, schema: dict[str, Any], where: str) -> None:
    """Each declared foreign key names fields of this resource and a resource's fields."""
    names = {field["name"] for field in schema["fields"]}
    keys = schema.get("foreignKeys", [])
    for key in keys if isinstance(keys, list) else [None]:
        reference = key.get("reference") if isinstance(key, dict) else None
        fields = key.get("fields") if isinstance(key, dict) else None
        fields = [fields] if isinstance(fields, str) else fields
        if not (
            isinstance(fields, list)
            and isinstance(reference, dict)
            and set(fields) <= names
            and isinstance(reference.get("resource", ""), str)
            and isinstance(reference.get("fields"), (str, list))
        ):
            raise DataError(
                path,
                None,
                None,
                f"descriptor: a foreign key of {where} is not "
                "{fields: [fields of the resource], reference: {resource, fields}}",
            )


def _check_source(path: Path, source: Any, where: str) -> None:
    """A source names its title, publisher and licence, links to a web address, and was read on a real day."""
    for key in ("title", "publisher", "license"):
        if not isinstance(source, dict) or not isinstance(source.get(key), str) or not source[key].strip():
            raise DataError(
                path,
                None,
                None,
                f"descriptor: a source of {where} has no {key} (every source names its title, publisher and licence)",
            )
    url = source.get("path", "")
    if not isinstance(url, str) or not re.match(r"https?://[^\s<>\"'`]+$", url):
        raise DataError(path, None, None, f"descriptor: a source of {where} has no http(s) address: {url!r}")
    read = source.get("date_read")
    if read is not None and calendar_problem(str(read), date_only=True):
        raise DataError(
            path,
            None,
            None,
            f"descriptor: a source of {where} has date_read {read!r}: {calendar_problem(str(read), date_only=True)}",
        )


def temporal_kind(field: dict[str, Any]) -> str | None:
    """``year``, ``date`` or ``partial-date`` for a field holding dates by its schema, else None."""
    if field.get("type") in ("year", "date"):
        return field["type"]
    if field.get("type") == "string" and field.get("calendar") == PARTIAL_DATE:
        return PARTIAL_DATE
    return None


def lower_bound(field: dict[str, Any]) -> str | None:
    bound = (
        field.get("earliest") if temporal_kind(field) == PARTIAL_DATE else (field.get("constraints", {}).get("minimum"))
    )
    return None if bound is None else str(bound)


def calendar_problem(text: str, date_only: bool = False) -> str | None:
    """Why ``text`` is no real ISO 8601 date (year, month or day precision) up to today."""
    match = _PARTIAL_DATE.fullmatch(text)
    if not match or (date_only and match.group(3) is None):
        return (
            "not an ISO 8601 date (YYYY-MM-DD)" if date_only else ("not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)")
        )
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        start = dt.date(year, month, day)
    except ValueError:
        return f"{text} is not a real calendar date"
    if start > dt.date.today():
        return f"{text} is in the future"
    return None
