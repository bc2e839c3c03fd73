"""Write the book's "Data and sources" page from ``data/datapackage.json``.

The page is generated at build time (``make data-page``), so it always lists what the
package holds: every resource with its coverage, schema, caveats, sources with their
licences, and a download link for the CSV that the built site serves.

Texts from the descriptor are data, never markup: every one goes through :func:`literal`,
which backslash-escapes each ASCII punctuation character, so MyST shows ``{{``, ``<``,
backticks, ``[`` and ``*`` as written (no substitution, role, HTML or link is made of them)
and Sphinx escapes them for HTML. Identifiers (resource and field names, file names, source
addresses) are checked by :mod:`iomun.data` before they get here.

The downloads are copies written beside the page (``book/_data_downloads/``), with the text
cells that a spreadsheet would run as formulas neutralised (:mod:`iomun.tables`); a file
with none is copied byte for byte.
"""

from __future__ import annotations

import csv
import io
import os
import string
import sys
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from iomun import data, tables

DOWNLOADS = "_data_downloads"
_PUNCTUATION = frozenset(string.punctuation)
_TEXT_TYPES = ("string",)
SPREADSHEET_NOTE = (
    "The CSV files offered here are the package's files, except that a text cell starting "
    "with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with a single quote "
    "(`'`), as OWASP recommends against CSV injection, so that a spreadsheet shows it as text "
    "instead of running it as a formula; numbers are never changed."
)


def literal(text: object) -> str:
    """``text`` as MyST that renders exactly these characters, on one line."""
    flat = " ".join(str(text).split())
    return "".join("\\" + char if char in _PUNCTUATION else char for char in flat)


def _coverage(frame: pd.DataFrame) -> str:
    if "year" in frame and pd.api.types.is_integer_dtype(frame["year"]):
        return f"{frame['year'].min()}–{frame['year'].max()}, {len(frame):,} rows"
    return f"{len(frame):,} rows"


def resource_section(resource: dict[str, Any], frame: pd.DataFrame) -> str:
    """Markdown for one resource."""
    lines = [
        f"## {literal(resource['title'])}",
        "",
        literal(resource.get("description", "")),
        "",
        f"- **Resource**: `{resource['name']}`, coverage {_coverage(frame)}",
        f"- **Download**: {{download}}`{resource['path']} <{DOWNLOADS}/{resource['path']}>`",
        "",
        "| field | type | meaning |",
        "| --- | --- | --- |",
    ]
    for field in resource["schema"]["fields"]:
        meaning = literal(field.get("title", ""))
        if field.get("description"):
            meaning += f". {literal(field['description'])}"
        lines.append(f"| `{field['name']}` | {field['type']} | {meaning} |")
    if resource.get("caveats"):
        lines += ["", "**Caveats**", ""] + [f"- {literal(c)}" for c in resource["caveats"]]
    if resource.get("sources"):
        lines += ["", "**Sources**", ""]
        for source in resource["sources"]:
            lines.append(
                f"- [{literal(source['title'])}](<{source['path']}>), "
                f"{literal(source['publisher'])}; licence: {literal(source['license'])}; "
                f"read {literal(source['date_read'])}"
            )
    return "\n".join(lines) + "\n"


def render(data_dir: Path = data.DATA_DIR) -> str:
    """The whole page as MyST Markdown."""
    package = data.read_descriptor(data_dir)
    parts = [
        "# Data and sources",
        "",
        literal(package.get("description", "")),
        "",
        "Every resource below is validated against its schema each time a chapter loads it; "
        "a malformed file stops the build with a message naming the file, row and field. "
        "The package descriptor, `data/datapackage.json`, is a "
        "[Frictionless Data Package](https://specs.frictionlessdata.io/data-package/): "
        f"{{download}}`download it <{DOWNLOADS}/datapackage.json>`.",
        "",
        SPREADSHEET_NOTE,
        "",
    ]
    for resource in package["resources"]:
        parts.append(resource_section(resource, data.load(resource["name"], data_dir)))
    return "\n".join(parts)


def safe_csv(path: Path, resource: dict[str, Any]) -> bytes:
    """The bytes of a resource's CSV with its text cells neutralised for spreadsheets."""
    raw = path.read_bytes()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    text_columns = [index for index, field in enumerate(resource["schema"]["fields"]) if field["type"] in _TEXT_TYPES]
    changed = False
    for row in rows[1:]:
        for index in text_columns:
            if index < len(row) and tables.neutralise_cell(row[index]) != row[index]:
                row[index] = str(tables.neutralise_cell(row[index]))
                changed = True
    if not changed:
        return raw  # nothing to neutralise: the download is the package's file, byte for byte
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _write_atomic(target: Path, content: bytes) -> None:
    """Replace ``target`` in one step, so a build running beside this one never reads half."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    with os.fdopen(handle, "wb") as stream:
        stream.write(content)
    os.chmod(name, 0o644)
    os.replace(name, target)


def write_downloads(folder: Path, data_dir: Path = data.DATA_DIR) -> None:
    """Write the descriptor and every resource's spreadsheet-safe CSV into ``folder``."""
    package = data.read_descriptor(data_dir)
    _write_atomic(folder / "datapackage.json", (data_dir / "datapackage.json").read_bytes())
    for resource in package["resources"]:
        data.load(resource["name"], data_dir)  # validated before anything is offered
        _write_atomic(folder / resource["path"], safe_csv(data_dir / resource["path"], resource))


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("book/data_sources.md")
    page = render()
    write_downloads(target.parent / DOWNLOADS)
    _write_atomic(target, page.encode("utf-8"))
    print(f"data_page: wrote {target} and the downloads in {target.parent / DOWNLOADS}")


if __name__ == "__main__":
    main()
