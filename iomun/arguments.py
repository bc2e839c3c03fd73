"""The argument map: every argument of the briefing, where the book takes it up, what the data say.

``data/briefing_arguments.csv`` holds one row per argument, paraphrased, with the page and the
MyST label of the section that takes it up, a verdict and a short note. Where a row names a claim
of the claims ledger, the number shown beside it is the ledger's recomputed value, never typed.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path, PurePosixPath

import pandas as pd

from . import claims, data, sources
from .tables import cite_source_ids

ROOT = Path(__file__).resolve().parent.parent
VERDICTS = ("supports", "complicates", "not checkable")
# The verdicts a ledger status allows: a claim the data confirm cannot be mapped as complicated, and so on.
VERDICTS_FOR_STATUS = {
    "agrees": {"supports"},
    "differs": {"complicates"},
    "partly checkable": {"supports", "complicates"},
    "not checkable from data": {"not checkable"},
}
LABEL = re.compile(r"^\(([A-Za-z0-9_-]+)\)=\s*$", re.MULTILINE)
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.MULTILINE)


def source_text(page: str) -> str:
    """The Markdown of a book page (``.md``) or of a notebook's Markdown cells (``.ipynb``)."""
    notebook = ROOT / f"{page}.ipynb"
    if notebook.is_file():
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        return "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")
    return (ROOT / f"{page}.md").read_text(encoding="utf-8")


def slug(heading: str) -> str:
    """The id docutils gives a section from its title (lower case, runs of other characters to one hyphen)."""
    return re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")


def page_anchors(page: str) -> set[str]:
    """Every MyST label and section id a page defines."""
    text = source_text(page)
    return set(LABEL.findall(text)) | {slug(title) for title in HEADING.findall(text)}


def page_title(page: str) -> str:
    """The first heading of a page."""
    return HEADING.search(source_text(page)).group(1)


def section_title(page: str, anchor: str) -> str:
    """The heading a label stands on (or whose id is ``anchor``); the page title for a label on a paragraph."""
    text = source_text(page)
    label = re.search(rf"^\({re.escape(anchor)}\)=\s*\n+(.*)$", text, re.MULTILINE)
    if label:
        heading = HEADING.match(label.group(1))
        return heading.group(1) if heading else page_title(page)
    return next((title for title in HEADING.findall(text) if slug(title) == anchor), page_title(page))


def link_text(page: str, anchor: str) -> str:
    """Page title and, when it is another heading, the section's title."""
    title, section = page_title(page), section_title(page, anchor)
    return title if section == title else f"{title}: {section}"


def href(page: str, anchor: str, from_page: str = "book/argument_map") -> str:
    """The relative URL of ``page#anchor`` in the built site, seen from ``from_page``."""
    start = PurePosixPath(from_page).parent
    target = PurePosixPath(f"{page}.html")
    up = [".."] * len(start.parts)
    relative = PurePosixPath(*up, target) if start.parts else target
    # Drop a "../book/" detour when both pages are in the same folder.
    if start.parts and target.parent == start:
        relative = PurePosixPath(target.name)
    return f"{relative.as_posix()}#{anchor}"


def argument_map() -> pd.DataFrame:
    """One row per argument, with the ledger's value and status for the rows that name a claim."""
    arguments = data.load("briefing_arguments")
    ledger = claims.ledger().assign(claim_id=data.load("briefing_claims")["claim_id"]).set_index("claim_id")
    named = arguments["claim_id"].notna()
    arguments["data"] = arguments["claim_id"].map(ledger["data"]).where(named, "")
    arguments["ledger_status"] = arguments["claim_id"].map(ledger["status"]).where(named, "")
    return arguments


def map_html(table: pd.DataFrame) -> str:
    """The map as an HTML table; every string from data/ is escaped, links are built, not copied."""
    rows, registry = [], sources.source_registry()
    for row in table.itertuples():
        link = (
            f'<a href="{html.escape(href(row.page, row.anchor), quote=True)}">'
            f"{html.escape(link_text(row.page, row.anchor))}</a>"
        )
        number = f"<br><small>{cite_source_ids(row.data, registry)} (claims ledger)</small>" if row.data else ""
        rows.append(
            f"<tr><td>{html.escape(row.section)}</td><td>{html.escape(row.argument)}</td><td>{link}</td>"
            f"<td><b>{html.escape(row.verdict)}</b>{number}</td><td>{html.escape(row.evidence)}</td></tr>"
        )
    head = (
        "<thead><tr><th>Section</th><th>The briefing argues (our paraphrase)</th>"
        "<th>Where the book takes it up</th><th>What the data say</th><th>Why</th></tr></thead>"
    )
    return f'<table class="argument-map">{head}<tbody>{"".join(rows)}</tbody></table>'
