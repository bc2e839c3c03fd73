"""Pages a reader would cite: no plumbing in the text, every figure numbered, every table column with its
unit, nothing wider than the column.

The HTML checks read the built site (``_build/html``) as a reader does, prose, tables, outputs
and every saved widget pane (``maintainer/page_audit.py``); the layout check opens each page in
Chromium at 1,280 x 900. The audit's own rules are tested first, on small made-up pages.
"""

from __future__ import annotations

import re

import pytest

from maintainer import page_audit
from maintainer.site import CHAPTERS, PAGES, has_widgets, offline_context, wait_for_widgets

# ------------------------------------------------------------------ the audit's rules


@pytest.mark.parametrize(
    "text", ["np.int64(135) parties", "a <NA> cell", "NaN", "3.942840e+09 dollars", "np.float64(1.5)"]
)
def test_audit_flags_leaked_reprs(text: str) -> None:
    assert page_audit.leaked_reprs(text)


@pytest.mark.parametrize("text", ["135 parties", "Nantes", "a dash — for a gap", "1e6 in code is not here"])
def test_audit_passes_plain_prose(text: str) -> None:
    assert not page_audit.leaked_reprs(text.replace("1e6", "a million"))


@pytest.mark.parametrize("text", ["153000000 migrants", "17395914", "588700000.0", "in 2016 17184286"])
def test_audit_flags_raw_numbers(text: str) -> None:
    assert page_audit.raw_numbers(text)


@pytest.mark.parametrize(
    "text",
    [
        "153,000,000",
        "17.4 million",
        "2016 and 2025",
        "A/RES/73/195",
        "EC/68/SC/CRP.9",
        "https://example.org/12345678",
        "0.123456",
        "'>63000'",
        "United Nations Treaty Series No. 14691",
    ],
)
def test_audit_passes_formatted_numbers_years_and_symbols(text: str) -> None:
    assert not page_audit.raw_numbers(text)


def _page(body: str, panes: tuple[str, ...] = ()) -> str:
    import json

    state = {"state": {f"m{i}": {"model_name": "HTMLModel", "state": {"value": pane}} for i, pane in enumerate(panes)}}
    return (
        f"<html><body><article>{body}</article>"
        f'<script type="{page_audit.WIDGET_STATE}">{json.dumps(state)}</script></body></html>'
    )


PNG = '<img src="data:image/png;base64,AAAA" alt="chart">'


def test_audit_reads_widget_panes_and_skips_code() -> None:
    page = _page('<div class="cell_input"><pre>x = 12345678</pre></div><p>ok</p>', ("<td>1234567</td>",))
    texts = page_audit.reader_texts(page)
    assert not page_audit.raw_numbers(texts[0])
    assert page_audit.raw_numbers(texts[1])


def test_audit_finds_uncaptioned_figures_in_panes() -> None:
    captioned = (
        f'<figure id="figure-1-1">{PNG}<figcaption>Figure 1.1: migrants outnumber refugees '
        "ten to one. Source: UN DESA. Read each line against its own axis.</figcaption></figure>"
    )
    page = _page(captioned, (PNG, f"<figure>{PNG}<figcaption>Figure 1.1:</figcaption></figure>"))
    found = page_audit.figures(page)
    assert len(found) == 3
    assert [f.where for f in found if f.caption.startswith("Figure 1.1: migrants")] == ["page"]
    assert len(page_audit.unnumbered(found)) == 2


def test_audit_counts_widget_figures_written_as_files() -> None:
    written = '<img src="../_images/widget-0123456789abcdef0123.png" width="800" height="400" alt="chart">'
    page = _page(
        f'<figure data-figure-id="figure-1-1">{written}<figcaption>Figure 1.1: x</figcaption></figure>'
        '<img src="../_static/logo.png" alt="logo">'
    )
    assert [f.figure_id for f in page_audit.figures(page)] == ["figure-1-1"]


def test_audit_reads_cross_references_from_prose_only() -> None:
    page = _page(
        '<p>See <a href="#figure-2-1">Figure 2.1</a>.</p><div class="cell_output"><a href="#figure-9-9">x</a></div>'
    )
    assert page_audit.cross_references(page) == {"figure-2-1"}


def test_audit_reads_the_target_of_a_figure_in_a_pane() -> None:
    pane = f'<figure data-figure-id="figure-4-1">{PNG}<figcaption>Figure 4.1: x</figcaption></figure>'
    page = _page('<p><span id="figure-4-1"></span>See it.</p>', (pane,))
    assert [f.figure_id for f in page_audit.figures(page)] == ["figure-4-1"]
    assert "figure-4-1" in page_audit.static_ids(page)


def _table(head: str, *rows: str) -> str:
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(f'<tr>{r}</tr>' for r in rows)}</tbody></table>"


@pytest.mark.parametrize(
    "table",
    [
        _table(
            "<th>year</th><th>refugees</th>", "<td>2016</td><td>17,184,286</td>", "<td>2024</td><td>30,958,200</td>"
        ),
        _table("<th></th><th>then</th>", "<th>Refugees</th><td>17.2</td>"),
        _table("<th>score</th><th>Independence of IOM</th>", "<td>a</td><td>3</td>", "<td>b</td><td>0</td>"),
    ],
)
def test_audit_flags_a_numeric_column_without_its_unit(table: str) -> None:
    assert page_audit.unitless_columns(table)


@pytest.mark.parametrize(
    "table",
    [
        _table("<th>year</th><th>Refugees (millions, end-year)</th>", "<td>2016</td><td>17.2</td>"),
        _table("<th>Expenditure (US$ millions)</th><th>source</th>", "<td>2,357.7</td><td>UNHCR 2016</td>"),
        _table("<th>spent / budget (%)</th><th>IOM as % of UNHCR</th>", "<td>55.4</td><td>60</td>"),
        _table("<th>established</th><th>name</th>", "<td>2006</td><td>Global Migration Group</td>"),
        _table("<th>date</th><th>event</th>", "<td>2016-09-19</td><td>IOM joins</td>"),
        _table("<th>Refugees (people)</th>", "<td>—</td>", "<td>17,184,286</td>"),
    ],
)
def test_audit_passes_units_years_dates_and_text(table: str) -> None:
    assert not page_audit.unitless_columns(table)


def test_audit_reads_a_unit_spanning_several_columns() -> None:
    spanned = (
        '<table><thead><tr><th></th><th colspan="2">People (millions)</th></tr>'
        "<tr><th>year</th><th>refugees</th><th>IDPs</th></tr></thead>"
        "<tbody><tr><th>2016</th><td>17.2</td><td>38.9</td></tr></tbody></table>"
    )
    assert not page_audit.unitless_columns(spanned)
    assert page_audit.unitless_columns(spanned.replace("People (millions)", "Groups"))


def test_audit_reads_tables_inside_widget_panes() -> None:
    pane = _table("<th>measure</th><th>then</th>", "<td>Refugees</td><td>17,184,286</td>")
    assert page_audit.tables_without_units(_page("<p>no table here</p>", (pane,)))


# ------------------------------------------------------------------ the built site


@pytest.mark.book
@pytest.mark.parametrize("doc", PAGES)
def test_no_leaked_repr_or_raw_number(doc: str) -> None:
    """No numpy repr, <NA>, NaN or scientific notation; no 5+ digit number without separators."""
    problems = []
    for text in page_audit.reader_texts(page_audit.built_page(doc)):
        problems += [f"repr: {hit}" for hit in page_audit.leaked_reprs(text)]
        problems += [f"raw number: {hit}" for hit in page_audit.raw_numbers(text)]
    assert not problems, f"{doc}:\n" + "\n".join(dict.fromkeys(problems))


@pytest.mark.book
@pytest.mark.parametrize("doc", CHAPTERS)
def test_every_figure_numbered_captioned_and_cited(doc: str) -> None:
    """Each chart sits in a <figure> whose caption starts "Figure N.M:", and the prose links to it."""
    page = page_audit.built_page(doc)
    found = page_audit.figures(page)
    assert found, f"{doc}: no figure"
    assert not page_audit.unnumbered(found), f"{doc}:\n" + "\n".join(page_audit.unnumbered(found))
    ids = {figure.figure_id for figure in found}
    assert "" not in ids, f"{doc}: a figure without an id to link to"
    missing = ids - page_audit.cross_references(page)
    assert not missing, f"{doc}: figures never referred to from the text: {sorted(missing)}"
    unanchored = ids - page_audit.static_ids(page)
    assert not unanchored, f"{doc}: no element of the page carries the id the text links to: {sorted(unanchored)}"


@pytest.mark.book
@pytest.mark.parametrize("doc", PAGES)
def test_every_numeric_column_states_its_unit(doc: str) -> None:
    """A reader of a table sees the unit of each numeric column in its header ("Refugees (millions)")."""
    problems = page_audit.tables_without_units(page_audit.built_page(doc))
    assert not problems, f"{doc}: numeric columns without a unit:\n" + "\n".join(problems)


@pytest.mark.book
def test_every_key_finding_has_its_chapters_chart_beside_it() -> None:
    """Five to eight findings, each linking to its chapter and followed by that chapter's numbered chart."""
    findings = page_audit.article(page_audit.built_page("book/key_findings")).select("ol > li")
    assert 5 <= len(findings) <= 8, f"{len(findings)} findings"
    for finding in findings:
        sentence = " ".join(finding.find("p").get_text(" ").split())
        chapter = finding.find("a", href=re.compile(r"notebooks/0(\d)_"))
        figure = finding.find("figure")
        assert chapter and figure and figure.find("img"), f"no chapter link or chart: {sentence[:80]}"
        caption = " ".join(figure.find("figcaption").get_text(" ").split())
        number = page_audit.FIGURE_LABEL.match(caption)
        assert number, f"chart without a numbered caption: {sentence[:80]}"
        linked = re.search(r"notebooks/0(\d)_", chapter["href"]).group(1)
        assert number.group(1) == linked, f"Figure {number.group(1)}.x beside a link to chapter {linked}"
        # one pane of a toggle, shown alone: nothing to pick, so no "Pick ..." in its caption
        assert not figure.select(".figure-control"), f"a toggle's instruction under a single chart: {caption[:80]}"


# Elements wider than the article's column, except inside a labelled region that scrolls and
# that the keyboard reaches (tabindex), where sideways scrolling is the reader's choice.
OVERFLOW_JS = """
() => {
    const column = document.querySelector('.bd-article');
    const right = column.getBoundingClientRect().right + 1;
    const scrollsInRegion = (el) => {
        for (let up = el.parentElement; up && up !== column; up = up.parentElement) {
            const style = getComputedStyle(up);
            if (['auto', 'scroll'].includes(style.overflowX) && up.getAttribute('aria-label')
                && up.tabIndex >= 0) return true;
        }
        return false;
    };
    const wide = [];
    const flagged = new Set();
    for (const el of column.querySelectorAll('*')) {
        if (!el.checkVisibility()) continue;
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.right <= right) continue;
        if (scrollsInRegion(el)) continue;
        flagged.add(el);
        if (flagged.has(el.parentElement)) continue;  // the outermost offender names the problem
        wide.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ` +
                  `(${Math.round(box.right - right)} px): ${(el.textContent || '').trim().slice(0, 60)}`);
    }
    return wide;
}
"""


@pytest.mark.browser
@pytest.mark.parametrize("doc", PAGES)
def test_nothing_wider_than_the_column(browser, site, doc: str) -> None:
    context = offline_context(browser, {"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(site + f"{doc}.html", wait_until="load")
        if has_widgets(doc):
            wait_for_widgets(page)
        wide = page.evaluate(OVERFLOW_JS)
    finally:
        context.close()
    assert not wide, f"{doc}: {len(wide)} elements wider than the column:\n" + "\n".join(wide[:15])


# JupyterLab at 1,280 px with the file browser open leaves a notebook's outputs about 850 px.
JUPYTERLAB_OUTPUT_WIDTH = 850


@pytest.mark.browser
def test_live_classifier_fits_jupyterlab_with_the_file_browser_open(browser, site) -> None:
    """The classifier's saved view, drawn by the book's widget runtime in an 850 px output area."""
    import json

    from maintainer.paths import ROOT

    notebook = json.loads((ROOT / "notebooks" / "04_different_definitions.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in notebook["cells"] if "definitions.live_classifier()" in "".join(c["source"]))
    mime = page_audit.WIDGET_VIEW
    view = next(o["data"][mime] for o in cell["outputs"] if mime in o.get("data", {}))
    state = notebook["metadata"]["widgets"][page_audit.WIDGET_STATE]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(site + "book/intro.html", wait_until="load")
        page.set_content(
            f'<html><body><div id="output" style="width:{JUPYTERLAB_OUTPUT_WIDTH}px">'
            f'<script type="{page_audit.WIDGET_STATE}">{json.dumps(state)}</script>'
            f'<script type="{page_audit.WIDGET_VIEW}">{json.dumps(view)}</script></div>'
            f'<script src="{site}_static/widgets/embed.js"></script></body></html>'
        )
        page.wait_for_selector("#output .widget-gridbox")
        widths = page.evaluate("""() => {
            const output = document.getElementById('output');
            const right = output.getBoundingClientRect().right + 1;
            const wide = [...output.querySelectorAll('*')].filter(el => el.checkVisibility()
                && el.getBoundingClientRect().right > right);
            return {scroll: output.scrollWidth, wide: wide.slice(0, 5).map(el => el.className + ': '
                + (el.textContent || '').trim().slice(0, 50))};
        }""")
    finally:
        context.close()
    assert widths["scroll"] <= JUPYTERLAB_OUTPUT_WIDTH, widths
    assert not widths["wide"], widths
