"""The "What changed in this edition" page: the previous edition's manifest against this build's.

Each released edition keeps its manifest in ``editions/<version>/manifest.json``
(:func:`edition_manifest`, written by ``maintainer/release.py``): the build's manifest
(``book/_ext/manifest.py``: every glued value per page, the SHA-256 of every data file and of
every download) plus, per data file, a short digest of each row grouped by the sources the row
cites, and the sources of ``data/sources.csv``. At the end of every build
(``book/_ext/edition.py``) this build's manifest is extended the same way and compared with
the newest kept edition older than the one being built; the page lists

* every glued number that moved (page, number, earlier and new value) and the data files
  changed in this edition with the sources their changed rows cite (the releases that moved it);
* every figure whose data changed (a chart glued by digest, or a data file a page offers);
* sources added or removed, and data files added or removed.

Every string from the data or the pages is HTML-escaped. The first edition says so.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import io
import json
import os
import re
from pathlib import Path
from typing import Any

from .edition import VERSION, Edition
from .paths import ROOT

CHANGES_DOC = "book/changes"
EDITIONS = ROOT / "editions"
MANIFEST_NAME = "manifest.json"
START, END = "<!-- edition-changes -->", "<!-- /edition-changes -->"
_ROW_DIGEST_CHARS = 12


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:_ROW_DIGEST_CHARS]


def data_folder(srcdir: Path = ROOT) -> Path:
    """The data the build read: ``IOMUN_DATA_DIR`` when set, else ``data/`` (as :mod:`iomun.data`)."""
    return Path(os.environ.get("IOMUN_DATA_DIR") or srcdir / "data")


def _read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def sources(folder: Path) -> dict[str, dict[str, str]]:
    """Every source of ``sources.csv`` with what names its release: title, year, date read."""
    path = folder / "sources.csv"
    if not path.is_file():
        return {}
    return {
        row["source_id"]: {
            "title": row.get("title", ""),
            "year": row.get("year", ""),
            "date_read": row.get("date_read", ""),
        }
        for row in _read_csv(path)
    }


def row_digests(folder: Path, known_sources: set[str]) -> dict[str, dict[str, list[str]]]:
    """Per CSV file: the digests of its rows, grouped by the sources each row cites ("a+b")."""
    found: dict[str, dict[str, list[str]]] = {}
    for path in sorted(folder.glob("*.csv")):
        groups: dict[str, list[str]] = {}
        for row in _read_csv(path):
            cited = sorted({v for k, v in row.items() if k and "source" in k and v in known_sources})
            groups.setdefault("+".join(cited), []).append(_digest(json.dumps(row, sort_keys=True)))
        found[f"data/{path.name}"] = {key: sorted(rows) for key, rows in sorted(groups.items())}
    return found


def edition_manifest(build_manifest: dict, edition: Edition, folder: Path) -> dict:
    """The manifest kept for an edition: the build's, its edition, its data rows and sources."""
    known = sources(folder)
    return {
        **build_manifest,
        "edition": {"version": edition.version, "date": edition.date.isoformat()},
        "rows": row_digests(folder, set(known)),
        "sources": known,
    }


def previous_edition(version: str, editions: Path = EDITIONS) -> dict | None:
    """The manifest of the newest kept edition older than ``version``, or None (a first edition)."""
    kept = [p.name for p in editions.iterdir() if p.is_dir() and VERSION.match(p.name)] if editions.is_dir() else []
    older = sorted((v for v in kept if version_key(v) < version_key(version)), key=version_key)
    if not older:
        return None
    path = editions / older[-1] / MANIFEST_NAME
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(f"{path}: cannot read the kept manifest: {error}") from error


def _moved_rows(old: dict, new: dict, file: str) -> tuple[set[str], int]:
    """The sources cited by the rows of ``file`` that changed (either side), and how many rows changed."""

    def flat(side: dict) -> dict[str, str]:
        return {d: key for key, digests in side.get("rows", {}).get(file, {}).items() for d in digests}

    before, after = flat(old), flat(new)
    changed = set(before) ^ set(after)
    cited = {s for d in changed for s in (after.get(d) or before.get(d) or "").split("+") if s}
    return cited, len(set(after) - set(before))


def compare(old: dict, new: dict) -> dict[str, Any]:
    """What moved between two edition manifests."""
    numbers, figures = [], []
    for page in sorted(old.get("glue", {}).keys() | new.get("glue", {}).keys()):
        before, after = old.get("glue", {}).get(page, {}), new.get("glue", {}).get(page, {})
        for key in sorted(before.keys() | after.keys()):
            a, b = before.get(key), after.get(key)
            if a == b:
                continue
            if (a or "").startswith("sha256:") or (b or "").startswith("sha256:"):
                figures.append((page, key))
            else:
                numbers.append((page, key, a, b))
    for page in sorted(old.get("downloads", {}).keys() | new.get("downloads", {}).keys()):
        before, after = old.get("downloads", {}).get(page, {}), new.get("downloads", {}).get(page, {})
        figures += [
            (page.removesuffix(".html"), name)
            for name in sorted(before.keys() | after.keys())
            if before.get(name) != after.get(name)
        ]
    data_old, data_new = old.get("data", {}), new.get("data", {})
    files = []
    for file in sorted(data_old.keys() & data_new.keys()):
        if data_old[file] != data_new[file]:
            cited, rows = _moved_rows(old, new, file)
            files.append((file, rows, sorted(cited)))
    src_old, src_new = old.get("sources", {}), new.get("sources", {})
    return {
        "numbers": numbers,
        "figures": figures,
        "files": files,
        "files_added": sorted(data_new.keys() - data_old.keys()),
        "files_removed": sorted(data_old.keys() - data_new.keys()),
        "sources_added": sorted(src_new.keys() - src_old.keys()),
        "sources_removed": sorted(src_old.keys() - src_new.keys()),
        "sources": {**src_old, **src_new},
    }


def _e(text: object) -> str:
    return html.escape(str(text))


def _source_label(source_id: str, known: dict[str, dict[str, str]]) -> str:
    info = known.get(source_id, {})
    read = f", read {info['date_read']}" if info.get("date_read") else ""
    return f"{_e(info.get('title') or source_id)} (<code>{_e(source_id)}</code>{_e(read)})"


def _list(items: list[str], empty: str) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>" if items else f"<p>{_e(empty)}</p>"


def _page(doc: str, titles: dict[str, str]) -> str:
    """A link from the changes page (in book/) to the page ``doc``, by its title."""
    href = "../" + doc + ".html"
    return f'<a href="{_e(href)}">{_e(titles.get(doc) or doc)}</a>'


def _date_text(iso: str) -> str:
    try:
        date = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{date.day} {date:%B %Y}"


def render(
    changes: dict[str, Any] | None, edition: Edition, previous: dict | None, titles: dict[str, str] | None = None
) -> str:
    """The page's body (HTML, every string escaped); ``titles`` names the pages (docname: title)."""
    titles = titles or {}
    if changes is None or previous is None:
        return (
            f"<p>This is the first edition ({_e(edition.version)}, {_e(edition.date_text)}) kept with a "
            "record of its numbers: there is no earlier edition to compare it with. The next edition will "
            "list here every number and figure that moved since this one, and why.</p>"
        )
    prev = previous.get("edition", {})
    known = changes["sources"]
    moved_by = (
        "; ".join(
            f"<code>{_e(file)}</code> ({rows} row{'s' if rows != 1 else ''} changed, citing "
            + (", ".join(_source_label(s, known) for s in cited) or "no listed source")
            + ")"
            for file, rows, cited in changes["files"]
        )
        or "no data file"
    )
    parts = [
        f"<p>Edition {_e(edition.version)} ({_e(edition.date_text)}) compared with edition "
        f"{_e(prev.get('version', '?'))} ({_e(_date_text(prev.get('date', '?')))}).</p>",
        '<h2 id="changed-numbers">Numbers that moved</h2>',
    ]
    if changes["numbers"]:
        rows = "".join(
            f"<tr><td>{_page(page, titles)}</td><td><code>{_e(key)}</code></td>"
            f"<td>{_e('—' if a is None else a)}</td><td>{_e('—' if b is None else b)}</td>"
            f"<td>{moved_by}</td></tr>"
            for page, key, a, b in changes["numbers"]
        )
        parts.append(
            '<table class="table edition-changes-numbers"><thead><tr><th>Page</th><th>Number</th>'
            "<th>Earlier edition</th><th>This edition</th><th>Data changed in this edition</th></tr>"
            f"</thead><tbody>{rows}</tbody></table>"
        )
    else:
        parts.append("<p>No number in the text moved.</p>")
    parts.append('<h2 id="changed-figures">Figures whose data changed</h2>')
    parts.append(
        _list(
            [f"{_page(page, titles)}: <code>{_e(name)}</code>" for page, name in changes["figures"]],
            "No figure's data changed.",
        )
    )
    parts.append('<h2 id="changed-data">Data files and sources</h2>')
    parts.append(
        _list(
            [
                f"<code>{_e(f)}</code>: {rows} row{'s' if rows != 1 else ''} changed, citing "
                + (", ".join(_source_label(s, known) for s in cited) or "no listed source")
                for f, rows, cited in changes["files"]
            ]
            + [f"<code>{_e(f)}</code> added" for f in changes["files_added"]]
            + [f"<code>{_e(f)}</code> removed" for f in changes["files_removed"]]
            + [f"Source added: {_source_label(s, known)}" for s in changes["sources_added"]]
            + [f"Source removed: {_source_label(s, known)}" for s in changes["sources_removed"]],
            "No data file or source changed.",
        )
    )
    return "".join(parts)


def fill_page(
    page: Path, build_manifest: dict, edition: Edition, srcdir: Path = ROOT, titles: dict[str, str] | None = None
) -> None:
    """Write the comparison into the built page, between its markers (again on every build)."""
    text = page.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"{page} lacks the markers {START} … {END}")
    previous = previous_edition(edition.version, srcdir / "editions")
    current = edition_manifest(build_manifest, edition, data_folder(srcdir))
    changes = compare(previous, current) if previous else None
    body = START + render(changes, edition, previous, titles) + END
    page.write_text(pattern.sub(lambda _: body, text, count=1), encoding="utf-8")
