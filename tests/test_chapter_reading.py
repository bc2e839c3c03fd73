"""A chapter reads as an argument: no raw output, little unfolded code, a reader's words, one value
behind each statement.

The rules (``maintainer/page_audit.py``) are tested first on small made-up pages; the ``book`` tests
then read every chapter and the key findings page of the built site (``_build/html``) as a reader
does: prose, captions, outputs and every saved widget pane, code left out.
"""

from __future__ import annotations

import pytest

from maintainer import page_audit
from maintainer.site import CHAPTERS

KEY_FINDINGS = "book/key_findings"


def _page(body: str) -> str:
    return f"<html><body><article>{body}</article></body></html>"


def _code(lines: int, folded: bool = False) -> str:
    cell = '<div class="cell_input"><pre>' + "\n".join(f"x{i} = {i}" for i in range(lines)) + "</pre></div>"
    return f'<details class="hide above-input"><summary>Show code</summary>{cell}</details>' if folded else cell


def _output(html: str) -> str:
    return f'<div class="cell_output docutils container">{html}</div>'


# ------------------------------------------------------------------ the rules


def test_folded_code_is_not_counted() -> None:
    page = _page(_code(3) + _code(30, folded=True) + _code(5))
    assert page_audit.visible_code(page) == [3, 5]


@pytest.mark.parametrize(
    "output",
    [
        '<div class="output text_plain"><pre>65</pre></div>',
        '<div class="output stream highlight-myst-ansi"><pre>done</pre></div>',
        '<div class="output text_html"><table><tr><td>65.300000</td></tr></table></div>',
        '<div class="output text_html"><pre>year\n2016 0.15\nName: share, dtype: float64</pre></div>',
        (
            '<div class="output text_html"><table><thead><tr><th>year</th><th>share hosted</th></tr></thead>'
            "<tbody><tr><td>1990</td><td>0.207</td></tr><tr><td>2000</td><td>0.201</td></tr></tbody></table></div>"
        ),
        (
            '<div class="output text_html"><table><thead><tr><th>country</th><th>refugees (people)</th></tr></thead>'
            "<tbody><tr><td>Eritrea</td><td>2342</td></tr><tr><td>India</td><td>197,848</td></tr></tbody></table></div>"
        ),
    ],
)
def test_raw_outputs_are_flagged(output: str) -> None:
    assert page_audit.raw_outputs(_page(_output(output)))


@pytest.mark.parametrize(
    "output",
    [
        (
            '<div class="output text_html"><table><thead><tr><th>year</th><th>share hosted (%)</th></tr></thead>'
            "<tbody><tr><td>1990</td><td>20.7</td></tr></tbody></table></div>"
        ),
        (
            '<div class="output text_html"><table><thead><tr><th>country</th><th>refugees (people)</th></tr></thead>'
            "<tbody><tr><td>Eritrea</td><td>2,342</td></tr><tr><td>India</td><td>197,848</td></tr></tbody></table></div>"
        ),
        '<div class="output text_html"><p>UNHCR spent 2.4 times as much as IOM in 2016.</p></div>',
    ],
)
def test_formatted_outputs_pass(output: str) -> None:
    assert not page_audit.raw_outputs(_page(_output(output)))


@pytest.mark.parametrize(
    "text",
    [
        "as the data package records",
        "the gaps resource lists them",
        "its secondary_readings",
        "secondary readings",
        "a value not read",
        "UNHCR (release 2025.12.1)",
        "its dates were read only in a copy",
        "source pmindia_iom_103rd_council_2013",
        "iom_southafrica_2016_07",
        "the iso3 column",
    ],
)
def test_pipeline_words_and_ids_are_flagged(text: str) -> None:
    assert page_audit.pipeline_words(text)


@pytest.mark.parametrize(
    "text",
    [
        "UNHCR's December 2025 release",
        "no official figure is published for 2000–2010",
        "Download refugees_by_year.csv",
        "A/RES/73/195",
        "financial resources of both agencies",
    ],
)
def test_a_readers_words_pass(text: str) -> None:
    assert not page_audit.pipeline_words(text)


def _finding(sentence: str, headline: str) -> str:
    return (
        f"<ol><li><p>{sentence}</p><figure><img src='data:image/png;base64,AA'><figcaption>"
        f"<span>Figure 2.2:</span> <strong>{headline}</strong> More.</figcaption></figure></li></ol>"
    )


def test_a_finding_that_states_other_numbers_than_its_chart_is_flagged() -> None:
    page = _page(
        _finding(
            "UNHCR spent 2.4 times as much as IOM in 2016 (Figure 2.2).",
            "UNHCR spent 1.7 times as much as IOM in 2011.",
        )
    )
    problems = page_audit.finding_disagreements(page)
    assert problems and "1.7" in problems[0] and "2011" in problems[0]


def test_a_finding_that_states_its_charts_numbers_passes() -> None:
    page = _page(
        _finding(
            "UNHCR spent 1.7 times as much as IOM in 2011, 1.3 times in 2024 (Figure 2.2).",
            "UNHCR spent 1.7 times as much as IOM in 2011 and 1.3 times as much in 2024.",
        )
    )
    assert not page_audit.finding_disagreements(page)


# ------------------------------------------------------------------ the built site


@pytest.mark.book
@pytest.mark.parametrize("doc", CHAPTERS)
def test_no_raw_output(doc: str) -> None:
    """Every output is a figure, a formatted table with units, or a number in a sentence."""
    problems = page_audit.raw_outputs(page_audit.built_page(doc))
    assert not problems, f"{doc}:\n" + "\n".join(problems)


@pytest.mark.book
@pytest.mark.parametrize("doc", CHAPTERS)
def test_code_shown_is_the_methods_only(doc: str) -> None:
    """At most four code blocks and about 40 lines unfolded; the rest folded (hide-input) but present."""
    blocks = page_audit.visible_code(page_audit.built_page(doc))
    assert len(blocks) <= page_audit.MAX_VISIBLE_BLOCKS and sum(blocks) <= page_audit.MAX_VISIBLE_LINES, (
        f"{doc}: {len(blocks)} code blocks, {sum(blocks)} lines unfolded ({blocks}); at most "
        f"{page_audit.MAX_VISIBLE_BLOCKS} blocks and {page_audit.MAX_VISIBLE_LINES} lines"
    )


@pytest.mark.book
@pytest.mark.parametrize("doc", [*CHAPTERS, KEY_FINDINGS])
def test_no_pipeline_words_or_ids(doc: str) -> None:
    """Chapters speak of documents, publishers and dates, never of the pipeline or its ids."""
    texts = page_audit.reader_texts(page_audit.built_page(doc))
    problems = [hit for text in texts for hit in page_audit.pipeline_words(text)]
    assert not problems, f"{doc}:\n" + "\n".join(dict.fromkeys(problems))


@pytest.mark.book
def test_each_key_finding_states_its_charts_numbers() -> None:
    """A finding and the headline of the chart beside it state the same years and values."""
    problems = page_audit.finding_disagreements(page_audit.built_page(KEY_FINDINGS))
    assert not problems, "\n".join(problems)
