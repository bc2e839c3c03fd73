"""What a reader of the built site would flag: leaked reprs, raw numbers, figures without a number.

The site tests (``tests/test_pages_for_people.py``) run these over every page of ``_build/html``.
They read what a reader reads: the article's prose, tables and outputs, and the HTML of every
saved widget pane (toggles keep their panes in the page's widget state, not in its markup;
:func:`read_page` puts that state back into a built page, as its loader does in a browser).
Code cells are left out: ``1e6`` in a line of pandas is code, not a number shown to a reader.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from bs4 import BeautifulSoup

from .paths import HTML

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# A built page's saved widget state is a file of its own (book/_ext/lazy_widgets.py), named
# by its loader's data-state and holding the state's JSON between these two strings.
STATE_LINK = re.compile(r'<script\b[^>]*\sdata-state="([^"]+)"')
STATE_PREFIX = "window.iomunWidgetState = "
STATE_SUFFIX = ";\n"

# numpy 2 scalar reprs, pandas' missing values, scientific notation as pandas prints it
LEAKED_REPR = re.compile(
    r"np\.(?:int|float|bool|str)_?\d*\(|<NA>|\bNaN\b|\bnan\b|\bNaT\b"
    r"|\b\d(?:\.\d+)?e[+-]\d{2,}\b"
)
# five or more digits in a row, not part of a grouped number ("17,395,914"), a decimal part,
# a document symbol or identifier ("A/RES/73/195", "EC/68/SC/CRP.9"), a registration number
# ("United Nations Treaty Series No. 14691"), a URL, or a bound quoted from a source as published (">63000")
RAW_NUMBER = re.compile(r"(?<![\w/.,:#<>\-–])(?<!No\.\s)\d{5,}(?![\w/,\-])")
FIGURE_LABEL = re.compile(r"^Figure (\d+)\.(\d+)[.:]")
# a chart is an inline PNG, or one that the first-paint extension wrote to _images/widget-<sha256>.png
CHART_SRC = re.compile(r"^data:image/png|(?:^|/)_images/widget-[0-9a-f]+\.png$")


@dataclass(frozen=True)
class Figure:
    """An image of a chapter, where it sits and the caption it carries (empty if none)."""

    where: str
    caption: str
    figure_id: str


def _drop_code(soup: BeautifulSoup) -> None:
    for node in soup.select("div.cell_input, script, style, noscript"):
        node.decompose()


def saved_state(state_file: Path) -> dict:
    """The saved widget state in a state file; a clear error when it is not one."""
    text = state_file.read_text(encoding="utf-8")
    if not (text.startswith(STATE_PREFIX) and text.endswith(STATE_SUFFIX)):
        raise ValueError(f"{state_file}: not a saved widget state ({STATE_PREFIX!r}... expected)")
    return json.loads(text[len(STATE_PREFIX) : -len(STATE_SUFFIX)])


def read_page(page: Path) -> str:
    """A built page's HTML with its saved widget state back inside, as the loader puts it."""
    page_html = page.read_text(encoding="utf-8")
    link = STATE_LINK.search(page_html)
    if not link:
        return page_html
    state = json.dumps(saved_state(page.parent / unescape(link.group(1)))).replace("</", "<\\/")
    end = page_html.rindex("</body>")
    return f'{page_html[:end]}<script type="{WIDGET_STATE}">{state}</script>{page_html[end:]}'


def built_page(doc: str, html: Path | None = None) -> str:
    """The built page of ``doc`` (a path in ``_toc.yml`` without suffix), read as :func:`read_page`
    does; a missing page says how to build it."""
    path = (html or HTML) / f"{doc}.html"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: build the book first with `make book`")
    return read_page(path)


def widget_panes(page_html: str | BeautifulSoup) -> list[str]:
    """The HTML of every ``widgets.HTML`` value saved in the page's widget state."""
    soup = page_html if isinstance(page_html, BeautifulSoup) else BeautifulSoup(page_html, "html.parser")
    panes = []
    for script in soup.find_all("script", type=WIDGET_STATE):
        state = json.loads(script.string or "{}").get("state", {})
        for model in state.values():
            value = model.get("state", {}).get("value")
            if model.get("model_name") == "HTMLModel" and isinstance(value, str):
                panes.append(value)
    return panes


def article(page_html: str) -> BeautifulSoup:
    """The page's article (prose and outputs), without the theme's navigation."""
    soup = BeautifulSoup(page_html, "html.parser")
    main = soup.find("article") or soup.find("main") or soup
    return BeautifulSoup(str(main), "html.parser")


def reader_texts(page_html: str) -> list[str]:
    """What a reader reads on the page: the article's text, then each widget pane's text."""
    texts = []
    for fragment in [str(article(page_html)), *widget_panes(page_html)]:
        soup = BeautifulSoup(fragment, "html.parser")
        _drop_code(soup)
        texts.append(soup.get_text(" "))
    return texts


def _context(text: str, match: re.Match[str]) -> str:
    start, end = max(match.start() - 40, 0), match.end() + 40
    return " ".join(text[start:end].split())


def leaked_reprs(text: str) -> list[str]:
    """Every numpy repr, ``<NA>``/``NaN``/``None`` or scientific notation in ``text``, in context."""
    return [_context(text, m) for m in LEAKED_REPR.finditer(text)]


def raw_numbers(text: str) -> list[str]:
    """Every number of five or more digits written without separators in ``text``, in context."""
    return [_context(text, m) for m in RAW_NUMBER.finditer(text)]


def figures(page_html: str) -> list[Figure]:
    """Every chart image of the article and of its widget panes, with its ``<figure>``'s caption."""
    found = []
    fragments = [("page", str(article(page_html)))]
    fragments += [(f"widget pane {i}", pane) for i, pane in enumerate(widget_panes(page_html))]
    for where, fragment in fragments:
        soup = BeautifulSoup(fragment, "html.parser")
        _drop_code(soup)
        for img in soup.find_all("img"):
            if not CHART_SRC.search(str(img.get("src", ""))):
                continue  # the theme's icons, not charts
            holder = img.find_parent("figure")
            caption = holder.find("figcaption") if holder else None
            text = " ".join(caption.get_text(" ").split()) if caption else ""
            figure_id = (holder.get("id") or holder.get("data-figure-id") or "") if holder else ""
            found.append(Figure(where, text, figure_id))
    return found


def unnumbered(found: list[Figure]) -> list[str]:
    """The figures whose caption does not start "Figure N.M:" and say more than its number."""
    bad = []
    for figure in found:
        match = FIGURE_LABEL.match(figure.caption)
        if not match or len(figure.caption) < match.end() + 40:
            bad.append(f"{figure.where}: caption {figure.caption[:80]!r}")
    return bad


def cross_references(page_html: str) -> set[str]:
    """The ids that the article's prose links to (``href="#…"``), outside code and outputs."""
    soup = article(page_html)
    _drop_code(soup)
    for node in soup.select("div.cell_output"):
        node.decompose()
    return {a["href"][1:] for a in soup.find_all("a", href=True) if a["href"].startswith("#")}


def static_ids(page_html: str) -> set[str]:
    """Every id in the page's own markup (what a link from the prose can land on)."""
    return {node["id"] for node in article(page_html).find_all(id=True)}


# ------------------------------------------------------------------ units in table headers

# A number as a table cell shows it: "17,184,286", "55.4", "-3", "80%"; a gap's dash is no number.
TABLE_NUMBER = re.compile(r"^[+\-−]?\d[\d,]*(?:\.\d+)?\s*%?$")
# Words that name a unit, a count or a scale; "%" and a year or date column say theirs too.
UNIT_WORDS = re.compile(
    r"%|\bper cent\b|\bpercent\b|US\$|\bUSD\b|\bCHF\b|\bdollars?\b|\bmillions?\b|\bbillions?\b"
    r"|\bthousands?\b|\bpeople\b|\bpersons\b|\bstates\b|\bcountries\b|\bmembers\b|\bparties\b|\btimes\b"
    r"|\bratio\b|\bindex\b|\bscore\b|\brank\b|\bcount\b|\bnumber\b|\bvotes\b|\bdeaths\b|\byears?\b|\bdate\b",
    re.IGNORECASE,
)


def _is_year(cell: str) -> bool:
    return bool(re.fullmatch(r"(?:18|19|20)\d\d", cell))


def _header_grid(table) -> list[list[str]]:
    """The text over each column of ``table``, one list per header row (``colspan`` spread out)."""
    head = table.find("thead")
    rows = head.find_all("tr") if head else [tr for tr in table.find_all("tr") if not tr.find("td")][:1]
    grid = []
    for row in rows:
        cells = []
        for cell in row.find_all(["th", "td"]):
            cells += [" ".join(cell.get_text(" ").split())] * int(cell.get("colspan", 1) or 1)
        grid.append(cells)
    return grid


def _body_columns(table) -> list[list[str]]:
    body = table.find("tbody") or table
    columns: list[list[str]] = []
    for row in body.find_all("tr"):
        if row.parent is not body and row.find_parent("thead"):
            continue
        for i, cell in enumerate(row.find_all(["th", "td"])):
            while len(columns) <= i:
                columns.append([])
            columns[i].append(" ".join(cell.get_text(" ").split()))
    return columns


def unitless_columns(fragment: str) -> list[str]:
    """Every numeric column of every table in ``fragment`` whose header states no unit.

    A column is numeric when most of its cells (gaps aside) are plain numbers; a column of
    years says what it holds. The header is all the header rows' text above the column, so a
    spanning "People (millions)" over several columns names their unit.
    """
    soup = BeautifulSoup(fragment, "html.parser")
    _drop_code(soup)
    problems = []
    for table in soup.find_all("table"):
        grid = _header_grid(table)
        for position, cells in enumerate(_body_columns(table)):
            values = [cell for cell in cells if cell not in ("", "—", "-")]
            numbers = [cell for cell in values if TABLE_NUMBER.match(cell)]
            if not numbers or len(numbers) * 2 < len(values) or all(_is_year(cell) for cell in numbers):
                continue
            header = " ".join(row[position] for row in grid if position < len(row)).strip()
            if not UNIT_WORDS.search(header):
                problems.append(f"column {header or '(no header)'!r}: {', '.join(numbers[:3])}")
    return problems


def tables_without_units(page_html: str) -> list[str]:
    """:func:`unitless_columns` over the article and every widget pane of a page."""
    fragments = [str(article(page_html)), *widget_panes(page_html)]
    return list(dict.fromkeys(problem for fragment in fragments for problem in unitless_columns(fragment)))


# ------------------------------------------------------------------ a chapter read as an argument

# How much code a chapter shows unfolded: the methods a reader follows, not the plumbing.
MAX_VISIBLE_BLOCKS = 4
MAX_VISIBLE_LINES = 40
# Words of the data pipeline, which belong on Data and methods, never in a chapter's prose.
PIPELINE_WORDS = re.compile(
    r"\bdata package\b|\bresource\b|\bsecondary[_ ]readings?\b|\bnot read\b|\bread only in\b|\biso3\b"
    r"|\brelease \d{4}\.\d+\.\d+\b",
    re.IGNORECASE,
)
# A source or column id as the pipeline spells it ("pmindia_iom_103rd_council_2013", "source_id");
# a file a reader downloads ("cpi_deflator.csv") is named by its file name, which is fine.
SNAKE_ID = re.compile(r"(?<![\w./-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w-]|\.[a-z]{2,4}\b)")
# A float printed with four or more decimals, as pandas does ("1.8696", "65.026893").
LONG_DECIMAL = re.compile(r"(?<![\w.])\d+\.\d{4,}(?![\w.])")


def visible_code(page_html: str) -> list[int]:
    """The line count of every code cell a reader sees unfolded (not inside a ``<details>``)."""
    soup = article(page_html)
    return [
        len(cell.get_text().strip().splitlines())
        for cell in soup.select("div.cell_input")
        if not cell.find_parent("details")
    ]


def _outputs(page_html: str) -> list:
    soup = article(page_html)
    return [node for node in soup.select("div.cell_output") if not node.find_parent("details")]


def raw_outputs(page_html: str) -> list[str]:
    """Every output a reader sees that is no figure, formatted table or sentence.

    Plain-text outputs (a bare number, a pandas repr), a ``dtype:`` line, a float with four or
    more decimals, a share printed as a fraction, and a column that groups some thousands
    ("197,848") but not others ("2342").
    """
    problems = []
    for output in _outputs(page_html):
        for node in output.select("div.text_plain, div.stream, div.output.stream, div.output.text_plain"):
            problems.append(f"text output: {' '.join(node.get_text(' ').split())[:80]!r}")
        text = output.get_text(" ")
        problems += [f"dtype line: {_context(text, m)}" for m in re.finditer(r"\bdtype:", text)]
        decimals = list(dict.fromkeys(LONG_DECIMAL.findall(text)))
        if decimals:
            problems.append(f"{len(decimals)} numbers with 4+ decimals: {', '.join(decimals[:4])}")
        for table in output.find_all("table"):
            problems += _fraction_and_grouping(table)
    return list(dict.fromkeys(problems))


def _fraction_and_grouping(table) -> list[str]:
    grid = _header_grid(table)
    problems = []
    for position, cells in enumerate(_body_columns(table)):
        header = " ".join(row[position] for row in grid if position < len(row)).strip()
        numbers = [cell for cell in cells if TABLE_NUMBER.match(cell)]
        if not numbers or all(_is_year(cell) for cell in numbers) or re.search(r"\byear\b", header, re.I):
            continue
        if (
            re.search(r"\bshare\b", header, re.I)
            and "%" not in header
            and all(float(cell.replace(",", "")) <= 1 for cell in numbers if "%" not in cell)
        ):
            problems.append(f"share as a fraction in column {header!r}: {', '.join(numbers[:3])}")
        grouped = any("," in cell for cell in numbers)
        ungrouped = [cell for cell in numbers if re.fullmatch(r"\d{4,}", cell)]
        if grouped and ungrouped:
            problems.append(f"thousands grouped and not in column {header!r}: {', '.join(ungrouped[:3])}")
    return problems


def pipeline_words(text: str) -> list[str]:
    """Every pipeline word or internal id in ``text``, in context."""
    hits = [_context(text, m) for m in PIPELINE_WORDS.finditer(text)]
    return hits + [f"id {m.group(0)!r}: {_context(text, m)}" for m in SNAKE_ID.finditer(text)]


NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def numbers_in(text: str) -> set[str]:
    """The numbers written in ``text`` ("1.7", "2011", "7,495"), as written, without a trailing dot."""
    return {m.group(0).rstrip(".,") for m in NUMBER.finditer(text)}


def finding_disagreements(page_html: str) -> list[str]:
    """Each key finding whose chart's headline states a number the finding does not.

    A finding is a list item holding its sentence and its chapter's chart; the chart's headline
    is the bold lead of its caption. The two say the same thing when every number of the
    headline (its years, its ratios, its counts) is also in the finding.
    """
    problems = []
    for finding in article(page_html).select("ol > li"):
        sentence = " ".join(finding.find("p").get_text(" ").split()) if finding.find("p") else ""
        caption = finding.find("figcaption")
        headline = caption.find("strong") if caption else None
        if not headline:
            continue
        title = " ".join(headline.get_text(" ").split())
        missing = sorted(numbers_in(title) - numbers_in(sentence))
        if missing:
            problems.append(f"{sentence[:70]!r} vs its chart {title[:90]!r}: not in the finding {missing}")
    return problems
