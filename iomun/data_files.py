"""Reading a file of ``data/`` safely, before any parser sees it.

A file of the package is read only if it is a regular file of bounded size, reached without
following a symbolic link (a link to ``/dev/zero`` would exhaust the memory, one to a file
outside the repository would be published as a download, one to ``/etc/passwd`` would have
its first line printed in an error message). Its text holds no control or invisible
formatting characters: a right-to-left override (U+202E), a zero-width space (U+200B), NUL or
ESC in a cell would reach pages and terminals looking like something else. Numbers are
written in ASCII digits, as the schema's types expect (``１２３``, ``1_000`` and ``2016`` with
a zero-width space are refused, not parsed by whichever parser is lenient).

Each problem raises :class:`DataError` naming file, row and field; quoted values in messages
are cut short, so a hostile file cannot make a message of megabytes.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import re
import stat
import unicodedata
from pathlib import Path
from typing import Any

# The largest file of the package is about 0.3 MB; 16 MiB leaves room for growth and still
# bounds what a hostile or broken file can make the loader hold.
MAX_FILE_BYTES = 16 * 1024 * 1024
# A descriptor is a few levels deep (package, resources, schema, fields, constraints, enum).
MAX_DESCRIPTOR_DEPTH = 16
MAX_QUOTED = 60
# Categories refused in any text: controls (Cc, except line breaks and tab handled below),
# format characters (Cf: bidi overrides and isolates, zero-width spaces and joiners, BOM),
# surrogates, private use, line and paragraph separators.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
_ALLOWED_CONTROLS = frozenset("\n")
INTEGER = re.compile(r"-?[0-9]+")
NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
NON_FINITE = frozenset({"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "nan", "+nan", "-nan"})


class DataError(ValueError):
    """A resource in ``data/`` is malformed; the message names file, row and field."""

    def __init__(self, path: Path | str, row: int | None, field: str | None, message: str):
        self.path, self.row, self.field = Path(path), row, field
        where = [str(path)]
        if row is not None:
            where.append(f"row {row}")
        if field:
            where.append(f"field '{brief(field)}'")
        super().__init__(f"{', '.join(where)}: {message}")


def brief(text: object, limit: int = MAX_QUOTED) -> str:
    """``text`` for a message: non-printing characters escaped, cut at ``limit`` characters."""
    shown = "".join(char if char.isprintable() else f"\\u{ord(char):04x}" for char in str(text)[: limit + 1])
    return shown if len(shown) <= limit else shown[:limit] + "…"


def read_regular(path: Path) -> bytes:
    """The bytes of ``path`` if it is a regular file (no symbolic link) of bounded size."""
    try:
        # O_NOFOLLOW: a link is refused by the kernel, not after it was followed;
        # O_NONBLOCK: opening a FIFO does not wait for a writer.
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError as exc:
        raise DataError(path, None, None, "file not found") from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise DataError(
                path,
                None,
                None,
                "is a symbolic link: the package's files must be "
                "regular files inside data/ (replace the link by the file itself)",
            ) from exc
        raise DataError(path, None, None, f"cannot be read ({exc.strerror})") from exc
    with os.fdopen(handle, "rb") as stream:
        status = os.fstat(stream.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise DataError(
                path,
                None,
                None,
                "is not a regular file (a device, folder, FIFO or socket): the package's files must be regular files",
            )
        if status.st_size > MAX_FILE_BYTES:
            raise DataError(
                path,
                None,
                None,
                f"is {status.st_size:,} bytes, above the bound of {MAX_FILE_BYTES:,} bytes of a file of the package",
            )
        raw = stream.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:  # grew while read
        raise DataError(path, None, None, f"is above the bound of {MAX_FILE_BYTES:,} bytes")
    return raw


def refused_character(text: str) -> tuple[int, str] | None:
    """Offset and description of the first control or invisible formatting character."""
    for offset, char in enumerate(text):
        if char in _ALLOWED_CONTROLS or unicodedata.category(char) not in _REFUSED_CATEGORIES:
            continue
        if char == "\r" and text[offset + 1 : offset + 2] == "\n":
            continue  # a Windows line end
        name = unicodedata.name(char, "a control character")
        return offset, f"U+{ord(char):04X} ({name})"
    return None


def position(raw: bytes, offset: int) -> tuple[int, str | None]:
    """File row (header = row 1) and column name of the byte at ``offset``."""
    start = raw.rfind(b"\n", 0, offset) + 1
    row = raw[:start].count(b"\n") + 1
    prefix = raw[start:offset].decode("utf-8", errors="replace")
    header = next(csv.reader(io.StringIO(raw.split(b"\n", 1)[0].decode("utf-8", "replace"))), [])
    column = len(next(csv.reader(io.StringIO(prefix)), [""])) - 1 if prefix else 0
    return row, header[column] if 0 <= column < len(header) else None


def check_characters(path: Path, text: str) -> None:
    """Refuse control, bidi and zero-width characters in a CSV, naming row and field."""
    found = refused_character(text)
    if found is None:
        return
    offset, what = found
    raw = text.encode("utf-8")
    row, field = position(raw, len(text[:offset].encode("utf-8")))
    raise DataError(
        path,
        row,
        field,
        f"holds the invisible or control character {what}, which "
        "would reach pages and terminals as something else: remove it",
    )


def check_descriptor_values(path: Path, value: Any, depth: int = 0, where: str = "the package") -> None:
    """The descriptor is a few levels deep and its texts hold no control or bidi character."""
    if depth > MAX_DESCRIPTOR_DEPTH:
        raise DataError(
            path, None, None, f"descriptor: nested more than {MAX_DESCRIPTOR_DEPTH} levels deep (at {brief(where)})"
        )
    if isinstance(value, dict):
        for key, item in value.items():
            check_descriptor_values(path, key, depth + 1, where)
            check_descriptor_values(path, item, depth + 1, f"{where} / {key}")
    elif isinstance(value, list):
        for number, item in enumerate(value):
            check_descriptor_values(path, item, depth + 1, f"{where} / {number + 1}")
    elif isinstance(value, str) and (found := refused_character(value)):
        raise DataError(
            path,
            None,
            None,
            f"descriptor: {brief(where)} holds the invisible or control character {found[1]}: remove it",
        )


def check_number_cells(path: Path, text: str, kinds: dict[str, str]) -> None:
    """Cells of integer, year and number fields are ASCII numerals, finite, in the file's row.

    ``kinds`` maps a field name to its schema type. Checked before the schema, whose
    messages would name NaN vaguely and whose parsers accept ``１２３`` or ``1_000``.
    """
    for index, row in enumerate(csv.DictReader(io.StringIO(text))):
        for name, kind in kinds.items():
            cell = row.get(name) or ""
            if not cell:
                continue
            if kind == "number" and cell.strip().lower() in NON_FINITE:
                raise DataError(
                    path, index + 2, name, f"not a finite number: {brief(cell)!r} (leave a gap as an empty cell)"
                )
            pattern = NUMBER if kind == "number" else INTEGER
            if not pattern.fullmatch(cell):
                example = "1234.5" if kind == "number" else "1234"
                raise DataError(
                    path,
                    index + 2,
                    name,
                    f"type: {brief(cell)!r} is not a {kind} "
                    f"written in ASCII digits (such as {example}: no spaces, "
                    "underscores, thousands separators or other scripts' digits)",
                )
