"""HTML tables for the static site, with a filter box that works inside widget panes, and
CSV downloads that a spreadsheet cannot run as formulas."""

from __future__ import annotations

import html
import numbers
import re

import pandas as pd
from IPython import get_ipython
from IPython.display import HTML

# OWASP "CSV Injection": a cell starting with one of these is run by spreadsheets as a formula
# (or a DDE command); prefixing a single quote makes it text, shown as written.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# The book's own JavaScript, a few lines: one listener on the document filters the rows of
# any table whose filter box the reader types in. Delegation matters because widget panes
# insert their HTML after page load, and scripts inside such HTML never run.
_FILTER_SCRIPT = """<script>
if (!window.iomunTableFilters) {
  window.iomunTableFilters = true;
  document.addEventListener("input", function (event) {
    var id = event.target.getAttribute && event.target.getAttribute("data-filter-table");
    if (!id) { return; }
    var needle = event.target.value.toLowerCase();
    document.querySelectorAll("#" + id + " tbody tr").forEach(function (row) {
      row.style.display = row.textContent.toLowerCase().indexOf(needle) === -1 ? "none" : "";
    });
  });
}
</script>"""


def enable_table_filters() -> HTML:
    """Display once per page, in a plain output cell, to make every filter box work."""
    return HTML(_FILTER_SCRIPT)


GAP = "—"
GAP_NOTE = f"{GAP} no value in the sources read; a gap is shown as a gap, never estimated."
GROUPED_FROM = 10_000  # four-digit numbers (years among them) are written without a separator


def reader_number(value: object) -> object:
    """A number as a reader writes it: "153,000,000", "14.9", "2016"; a gap as a dash; text as is.

    Integers (and whole floats) of five digits or more get thousands separators; other floats
    keep up to six decimals, never scientific notation; numpy scalars print as plain numbers.
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return GAP
    if isinstance(value, bool) or not isinstance(value, numbers.Number):
        return value
    number = float(value)
    if number.is_integer():
        whole = int(number)
        return f"{whole:,}" if abs(whole) >= GROUPED_FROM else str(whole)
    return f"{number:,.6f}".rstrip("0").rstrip(".")


def _shown_labels(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        levels = [_shown_labels(index.get_level_values(i)) for i in range(index.nlevels)]
        return pd.MultiIndex.from_arrays(levels, names=index.names)
    return pd.Index([reader_number(label) for label in index], name=index.name)


def _decimals(number: float) -> int:
    written = str(reader_number(number))
    return len(written.split(".")[1]) if "." in written else 0


def reader_column(values: pd.Series) -> pd.Series:
    """A column as :func:`reader_number` writes it; a column of fractions keeps one number of decimals
    for all its values, with grouped digits ("4,064.0" beside "4,258.3", not "4064")."""
    if not pd.api.types.is_float_dtype(values) or values.dropna().map(float.is_integer).all():
        return values.astype(object).map(reader_number)
    places = max(_decimals(value) for value in values.dropna())
    return values.map(lambda value: GAP if pd.isna(value) else f"{value:,.{places}f}").astype(object)


def reader_frame(frame: pd.DataFrame | pd.Series) -> pd.DataFrame:
    """``frame`` with every cell and label written for readers (all text): :func:`reader_column`
    for each column, :func:`reader_number` for the labels."""
    shown = frame.to_frame() if isinstance(frame, pd.Series) else frame.copy()
    shown = pd.DataFrame({i: reader_column(shown.iloc[:, i]) for i in range(shown.shape[1])}, index=shown.index)
    shown.columns = frame.columns if isinstance(frame, pd.DataFrame) else [frame.name if frame.name is not None else 0]
    shown.index = _shown_labels(shown.index)
    shown.columns = _shown_labels(shown.columns)
    return shown


def _escaped_labels(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        levels = [_escaped_labels(index.get_level_values(i)) for i in range(index.nlevels)]
        return pd.MultiIndex.from_arrays(levels, names=[html.escape(str(n)) if n else n for n in index.names])
    name = html.escape(str(index.name)) if index.name else index.name
    return pd.Index([html.escape(v) if isinstance(v, str) else v for v in index], name=name)


def _has_gap(frame: pd.DataFrame | pd.Series) -> bool:
    return bool(frame.isna().to_numpy().any())


Link = tuple[object, object]


def reader_table_html(
    frame: pd.DataFrame | pd.Series,
    label: str = "",
    link: Link | list[Link] | None = None,
    cite: pd.DataFrame | None = None,
) -> str:
    """A table for people: grouped numbers, gaps as dashes with a note, in a region that scrolls.

    The region is labelled (``label``, or the table's column names) and reachable with the
    keyboard, so a table wider than the column scrolls inside it, not the page. ``link``,
    ``(text column, URL column)`` or a list of such pairs, shows each text as a link to its
    URL and drops the URL column (a short linked label instead of an address squeezing the
    other columns); a row without a URL keeps its text unlinked. With ``cite``, a source
    registry, the source ids inside text cells become short linked labels
    (:func:`cite_source_ids`). Every text from data is escaped.
    """
    if isinstance(frame, pd.Series):
        frame = frame.to_frame(name=frame.name if frame.name is not None else "value")
    default_index = isinstance(frame.index, pd.RangeIndex) and frame.index.name is None
    escape = (lambda cell: html.escape(str(cell))) if cite is None else (lambda cell: cite_source_ids(cell, cite))
    shown = reader_frame(frame).map(escape)
    shown.index = _escaped_labels(shown.index)
    shown.columns = _escaped_labels(shown.columns)
    for text, url in [link] if isinstance(link, tuple) else link or []:
        shown[text] = [
            cell if pd.isna(address) else f'<a href="{html.escape(str(address), quote=True)}">{cell}</a>'
            for cell, address in zip(shown[text], frame[url], strict=True)
        ]
        shown = shown.drop(columns=url)
        frame = frame.drop(columns=url)
    table = shown.to_html(index=not default_index, border=0, classes="reader-table", escape=False)
    names = [" ".join(map(str, c)) if isinstance(c, tuple) else str(c) for c in frame.columns]
    label = label or "Table: " + ", ".join(names)
    note = f'<p class="table-note">{html.escape(GAP_NOTE)}</p>' if _has_gap(frame) else ""
    return (
        f'<div class="reader-table-region" role="region" aria-label="{html.escape(label, quote=True)}" '
        f'tabindex="0">{table}</div>{note}'
    )


def source_label(publisher: str, year: object) -> str:
    """A source as a table cell names it, publisher and year: "UNHCR 2016", "UN n.d.", "FUNDS 2016".

    A publisher's acronym in brackets stands for its name ("Future UN Development System
    (FUNDS); authors ..." is "FUNDS"); any other aside in brackets ("IOM (Moscow office
    website)") and what follows a comma or semicolon are left to the linked page, and "United
    Nations" is shortened as readers write it, so the label stays short.
    """
    acronym = re.search(r"\(([A-Z][A-Z0-9-]+)\)", str(publisher))
    name = acronym.group(1) if acronym else re.sub(r"\s*\(.*?\)", "", str(publisher))
    name = re.split(r"[,;]", name)[0].strip()
    name = re.sub(r"^United Nations\b", "UN", name)
    return f"{name} {year}".strip()


def source_labels(registry: pd.DataFrame) -> pd.Series:
    """:func:`source_label` for every source of ``registry`` (:func:`iomun.sources.source_registry`)."""
    return pd.Series(
        [source_label(p, y) for p, y in zip(registry["publisher"], registry["year"], strict=True)],
        index=registry.index,
        name="source",
    )


# A source id is a whole token of letters, digits and underscores (the schema of sources.csv).
_TOKEN = re.compile(r"[A-Za-z0-9_]+")


def cite_source_ids(text: object, registry: pd.DataFrame) -> str:
    """``text`` escaped as HTML, each ``source_id`` of ``registry`` in it as its short linked label.

    A computed basis such as "un_a51_232, as of 1996" then reads "UN 1996, as of 1996" with the
    label linking to the document, instead of showing the registry's key. Ids are matched as
    whole tokens of the text itself, before any escaping: a token is replaced only if it is
    exactly an id, and the text between tokens is escaped as it stands, so no id can rewrite
    a number, a word or an entity of the escaped HTML.
    """
    text = str(text)
    known = set(registry.index)
    parts, last = [], 0
    for match in _TOKEN.finditer(text):
        if match.group() not in known:
            continue
        source = registry.loc[match.group()]
        label = html.escape(source_label(source["publisher"], source["year"]))
        parts += [
            html.escape(text[last : match.start()]),
            f'<a href="{html.escape(str(source["url"]), quote=True)}">{label}</a>',
        ]
        last = match.end()
    return "".join(parts) + html.escape(text[last:])


def use_reader_tables() -> None:
    """Show every DataFrame and Series of this kernel as :func:`reader_table_html` (no-op outside IPython)."""
    shell = get_ipython()
    if shell is None:
        return
    formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type(pd.DataFrame, reader_table_html)
    formatter.for_type(pd.Series, reader_table_html)


def searchable_table(frame: pd.DataFrame, table_id: str, caption: str) -> str:
    """HTML for ``frame`` in a scrollable region, with a labelled filter box (and the gaps' note)."""
    if not re.fullmatch(r"[a-z][a-z0-9-]*", table_id):
        raise ValueError(f"table_id must be a lowercase HTML id, not {table_id!r}")
    shown = reader_frame(frame)  # a gap reads as a gap, not "<NA>"; numbers grouped
    table = shown.to_html(index=False, table_id=table_id, border=0, classes="searchable-table")
    table = table.replace(">\n  <thead>", f">\n  <caption>{html.escape(caption)}</caption>\n  <thead>", 1)
    box = (
        f'<p><label for="{table_id}-filter">Filter the table: </label>'
        f'<input id="{table_id}-filter" type="search" data-filter-table="{table_id}" '
        'placeholder="country, code or status"></p>'
    )
    region = (
        f'<div role="region" aria-label="{html.escape(caption, quote=True)}" tabindex="0" '
        f'style="max-height:26em;overflow:auto">{table}</div>'
    )
    note = f'<p class="table-note">{html.escape(GAP_NOTE)}</p>' if _has_gap(frame) else ""
    return box + region + note


def neutralise_cell(value: object) -> object:
    """A text that would start a spreadsheet formula, prefixed with ``'``; anything else as is.

    A carriage return becomes a line feed: CSV writers quote cells holding their line
    terminator (``\n``) but not a bare ``\r``, after which a reader would start a new row.
    """
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def _safe_labels(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        levels = [_safe_labels(index.get_level_values(i)) for i in range(index.nlevels)]
        return pd.MultiIndex.from_arrays(levels, names=index.names)
    if pd.api.types.is_object_dtype(index) or pd.api.types.is_string_dtype(index):
        return index.map(neutralise_cell)
    return index


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell and label neutralised for spreadsheets (numbers untouched)."""
    safe = frame.copy()
    for column in safe.columns:
        values = safe[column]
        if pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values):
            safe[column] = values.map(neutralise_cell, na_action="ignore")
    safe.index = _safe_labels(safe.index)
    safe.columns = _safe_labels(safe.columns)
    return safe
