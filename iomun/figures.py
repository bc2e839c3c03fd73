"""Figure style and rendering shared by every chapter."""

from __future__ import annotations

import base64
import html
import io
import re
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # figures are rendered to bytes; no screen on Binder's build or in CI

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from IPython.display import HTML  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402

from . import tables  # noqa: E402
from .palette import MUTED_TEXT, TEXT_ACCENT  # noqa: E402

FIGURE_DPI = 110


def apply_style() -> None:
    """Set the book's look (call once at the top of a chapter): the seaborn theme, and tables
    for people (:func:`iomun.tables.use_reader_tables`: grouped numbers, gaps as dashes)."""
    tables.use_reader_tables()
    sns.set_theme(
        context="notebook",
        style="whitegrid",
        rc={
            "figure.figsize": (8.0, 4.6),
            "axes.titleweight": "bold",
            "axes.titlecolor": TEXT_ACCENT,
            "axes.titlesize": 13,
            "axes.labelcolor": MUTED_TEXT,
            "svg.hashsalt": "iomun",  # stable ids in SVG output
            # Labels come from data/: "$" is a character there ("US$ 1 billion", an entity
            # named "UN$\\foo{HCR$"), never the start of matplotlib's mathtext.
            "text.parse_math": False,
        },
    )


def add_source_note(fig: Figure, text: str) -> None:
    """Write the source under the figure, left-aligned, in muted text."""
    fig.text(0.01, 0.005, text, ha="left", va="bottom", fontsize=8, color=MUTED_TEXT, wrap=True)


def figure_png(fig: Figure) -> bytes:
    """Render ``fig`` to a compact, deterministic PNG (no metadata, 64-colour palette).

    Charts use a handful of flat colours, so a palette image looks the same as full colour
    at about a third of the bytes; figures travel inline in the page, so bytes matter.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=FIGURE_DPI, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    image = Image.open(buffer).convert("RGB")
    compact = image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    compact.save(out, format="PNG", optimize=True)
    return out.getvalue()


def img_tag(png: bytes, alt: str) -> str:
    """An ``<img>`` carrying the PNG inline, with alt text, that scales to the page width."""
    if not alt.strip():
        raise ValueError("every figure needs alt text")
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" '
        'style="max-width:100%;height:auto">'
    )


def download_link(frame: pd.DataFrame, filename: str, text: str) -> HTML:
    """A link that downloads ``frame`` as CSV, carried inside the page (no file to serve).

    Text cells that a spreadsheet would run as formulas are neutralised first.
    """
    csv_text = tables.spreadsheet_safe(frame).to_csv()
    data = base64.b64encode(csv_text.encode("utf-8")).decode("ascii")
    return HTML(
        f'<p><a download="{html.escape(filename)}" href="data:text/csv;base64,{data}">'
        f"{html.escape(text)}</a></p>"
    )


@dataclass(frozen=True)
class Caption:
    """A figure's number and caption: the point it makes, its source, how to read it.

    ``number`` is "chapter.figure" ("1.1"); the figure's id, ``figure-1-1``, is what the
    chapter's prose links to. The same caption in every pane of a toggle keeps the number.
    ``control`` tells a toggle's reader what to pick ("Pick a period and a lens"); a page that
    shows a single pane leaves it out (:func:`single_pane`).
    """

    number: str
    point: str
    source: str
    reading: str
    control: str = ""

    def __post_init__(self) -> None:
        if not re.fullmatch(r"\d+\.\d+", self.number):
            raise ValueError(f"a figure number reads chapter.figure, like 1.1, not {self.number!r}")
        for name in ("point", "source", "reading"):
            if not getattr(self, name).strip():
                raise ValueError(f"Figure {self.number}: the caption needs its {name}")

    @property
    def figure_id(self) -> str:
        """The HTML id the prose links to, ``figure-1-1``."""
        return "figure-" + self.number.replace(".", "-")

    @property
    def label(self) -> str:
        """"Figure 1.1", as the prose names it."""
        return f"Figure {self.number}"

    def html(self, with_control: bool = True) -> str:
        """The ``<figcaption>``: number and point in bold, what to pick, how to read it, the source."""
        sentence = lambda text: html.escape(text.strip().rstrip(".") + ".")  # noqa: E731
        control = (f'<span class="figure-control">{sentence(self.control)}</span> '
                   if self.control and with_control else "")
        return (f'<figcaption><span class="figure-number">{self.label}:</span> '
                f"<strong>{sentence(self.point)}</strong> {control}{sentence(self.reading)} "
                f'<span class="figure-source">{sentence(self.source)}</span></figcaption>')


def figure_html(body: str, caption: Caption, anchored: bool = True) -> str:
    """``body`` (an image, or an image and its table) as a numbered ``<figure>`` with its caption.

    ``anchored=False`` is for a toggle's panes: the panes live in the widget state and only
    one is drawn at a time, so the id the prose links to sits in the page itself (the
    sentence that introduces the figure starts with ``<span id="figure-1-1"></span>``), and
    each pane names it in ``data-figure-id``.
    """
    target = f'id="{caption.figure_id}"' if anchored else f'data-figure-id="{caption.figure_id}"'
    return f'<figure class="book-figure" {target}>{body}{caption.html()}</figure>'


def single_pane(pane_html: str, caption: Caption) -> str:
    """One pane of a toggle shown alone (on the key findings page): its caption without ``control``."""
    if caption.html() not in pane_html:
        raise ValueError(f"this pane is not captioned as {caption.label}")
    return pane_html.replace(caption.html(), caption.html(with_control=False))


def reference(caption: Caption) -> str:
    """A link to the figure from the prose, "Figure 1.1" (glued into the text with ``glue_all``)."""
    return f'<a href="#{caption.figure_id}">{caption.label}</a>'


def render_figure(fig: Figure, alt: str, caption: Caption) -> HTML:
    """Show ``fig`` as an inline PNG with alt text, numbered and captioned (outside a toggle)."""
    return HTML(figure_html(img_tag(figure_png(fig), alt), caption))


def mark_briefing_year(ax: plt.Axes, year: int) -> None:
    """A dotted vertical line at the briefing's year, labelled at the foot of the axes."""
    ax.axvline(year, color=TEXT_ACCENT, linestyle=":", linewidth=1.2)
    ax.annotate(f"Briefing ({year})", xy=(year, 0), xycoords=("data", "axes fraction"), xytext=(-4, 4),
                textcoords="offset points", ha="right", va="bottom", fontsize=8, color=TEXT_ACCENT)
