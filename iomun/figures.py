"""Figure style and rendering shared by every chart: the widths charts are drawn for, their fonts,
their PNGs, and the markup that serves a phone its own layout."""

from __future__ import annotations

import base64
import functools
import html
import io
import re
from collections.abc import Callable
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
from .legibility import rendered_px, smallest_font_pt  # noqa: E402
from .palette import BACKGROUND, MUTED_TEXT, TEXT_ACCENT  # noqa: E402

PNG_MARGIN_IN = 0.05  # white margin around a saved chart (savefig's pad_inches)
FIGURE_DPI = 144  # 2 PNG pixels per CSS pixel at the width a chart is drawn for: sharp on a phone (device scale 2)


@dataclass(frozen=True)
class FigureSpec:
    """Where a chart is read and what it must be there.

    A chart is drawn ``column_px / 72`` inches wide (less the margin :func:`figure_png` leaves
    around it), so that shown at ``column_px`` CSS pixels one point of font is one CSS pixel;
    its PNG has ``dpi`` pixels per inch. Text as rendered is ``font pt x dpi / 72 x rendered
    width / natural width`` CSS px (:func:`iomun.legibility.rendered_px`), and every text must reach ``min_px``
    in a column of ``column_px``. ``media`` is the CSS media query that serves this layout
    (empty for the default one); ``notes`` says whether the title and source are drawn in the
    chart (on a phone the caption carries them and the chart gets the room).
    """

    name: str
    column_px: int
    dpi: int
    min_px: float
    media: str = ""
    notes: bool = True

    @property
    def width_in(self) -> float:
        """The figure's width in inches: the column's, less the PNG's margin on either side."""
        return self.column_px / 72 - 2 * PNG_MARGIN_IN

    @property
    def text_pt(self) -> float:
        """The font size of ordinary chart text (ticks, labels, legends, annotations)."""
        return self.min_px

    @property
    def title_pt(self) -> float:
        """The font size of titles in the chart."""
        return self.min_px + 2

    def size(self, height_in: float) -> tuple[float, float]:
        """``figsize`` for a chart ``height_in`` inches tall."""
        return (self.width_in, height_in)

    def rc(self) -> dict[str, object]:
        """matplotlib settings that give every default text this layout's size."""
        body = self.text_pt
        return {
            "font.size": body,
            "axes.labelsize": body,
            "xtick.labelsize": body,
            "ytick.labelsize": body,
            "legend.fontsize": body,
            "legend.title_fontsize": body,
            "axes.titlesize": self.title_pt,
            "figure.titlesize": self.title_pt,
            "figure.dpi": self.dpi,
            "figure.facecolor": BACKGROUND,
            "savefig.facecolor": BACKGROUND,
        }


# The narrowest column a chart is read in, measured in Chromium (python -m maintainer.chart_sizes):
# on a 1280x900 laptop 672 CSS px in a chapter and 640 in the key findings' list; on a 390 px
# phone 342 and 310. A chart drawn for the narrower one is never shrunk. The phone layout is
# served below 600 px, on screen only: print keeps the wide chart.
WIDE = FigureSpec("wide", column_px=640, dpi=FIGURE_DPI, min_px=12.0)
PHONE = FigureSpec(
    "phone", column_px=310, dpi=FIGURE_DPI, min_px=11.0, media="screen and (max-width: 599px)", notes=False
)
LAYOUTS = (WIDE, PHONE)


@dataclass(frozen=True)
class Chart:
    """One chart drawn for each reading width: ``wide`` for a laptop and print, ``phone`` for a phone."""

    wide: Figure
    phone: Figure

    def layouts(self) -> list[tuple[FigureSpec, Figure]]:
        """Each layout with its figure."""
        return [(WIDE, self.wide), (PHONE, self.phone)]


CHARTS: dict[str, Callable[..., Chart]] = {}
"""Every chart of the book by its drawing function's ``module.name`` (filled by :func:`chart`)."""


def chart(draw: Callable[..., Figure]) -> Callable[..., Chart]:
    """Make a drawing function (taking ``spec=``) draw a :class:`Chart`: once per layout, each
    with that layout's font sizes set for every text it does not size itself."""

    @functools.wraps(draw)
    def both(*args: object, **kwargs: object) -> Chart:
        drawn = []
        for spec in LAYOUTS:
            with plt.rc_context(spec.rc()):
                drawn.append(draw(*args, spec=spec, **kwargs))
        return Chart(*drawn)

    CHARTS[f"{draw.__module__}.{draw.__name__}"] = both
    return both


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


def add_source_note(fig: Figure, text: str, spec: FigureSpec = WIDE) -> None:
    """Finish the figure's foot: its legends (``fig.legend``) stacked under the plot, then the
    source, left-aligned in muted text (not in a phone layout, whose caption carries it).

    The layout is settled first and then fixed, so that what goes under it never covers it;
    the PNG's tight box takes in whatever hangs below the figure.
    """
    if fig.get_layout_engine() is not None:
        fig.canvas.draw()  # the constrained layout places the axes
        fig.set_layout_engine("none")
    renderer = fig.canvas.get_renderer()
    top = 0.0  # figure fraction: 0 is the figure's foot, below it is negative
    for legend in fig.legends:
        legend.set_loc("upper left")
        legend.set_bbox_to_anchor((0.0, top), transform=fig.transFigure)
        top -= legend.get_window_extent(renderer).height / fig.bbox.height
    if spec.notes:
        fig.text(0.01, top - 0.01, text, ha="left", va="top", fontsize=spec.text_pt, color=MUTED_TEXT, wrap=True)


def add_title(fig: Figure, text: str, spec: FigureSpec = WIDE, **place: object) -> None:
    """The chart's title at its top left (not in a phone layout, whose caption carries it); ``place``
    may move it (``y=``, ``va=``)."""
    if spec.notes:
        fig.suptitle(
            text,
            **{"x": 0.01, "ha": "left", **place},
            fontweight="bold",
            color=TEXT_ACCENT,
            fontsize=spec.title_pt,
            wrap=True,
        )


def figure_png(fig: Figure, dpi: int = FIGURE_DPI) -> bytes:
    """Render ``fig`` to a compact, deterministic PNG (no metadata, 64-colour palette).

    Charts use a handful of flat colours, so a palette image looks the same as full colour
    at about a third of the bytes; figures travel inline in the page, so bytes matter.
    """
    buffer = io.BytesIO()
    fig.savefig(
        buffer, format="png", dpi=dpi, bbox_inches="tight", pad_inches=PNG_MARGIN_IN, metadata={"Software": None}
    )
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


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


@dataclass(frozen=True)
class Rendered:
    """One layout of a chart as a PNG, with what it takes to know its text size as shown."""

    spec: FigureSpec
    png: bytes
    font_pt: float  # the smallest font in the chart

    @property
    def natural(self) -> tuple[int, int]:
        """The PNG's width and height in pixels."""
        return Image.open(io.BytesIO(self.png)).size

    @property
    def css_width(self) -> int:
        """The CSS width it is drawn for: one point of font per CSS pixel."""
        return round(self.natural[0] * 72 / self.spec.dpi)

    def smallest_px(self, column_px: float) -> float:
        """The smallest text as rendered in a column ``column_px`` CSS px wide (never enlarged)."""
        return rendered_px(self.font_pt, self.spec.dpi, self.natural[0], min(self.css_width, column_px))


def render_chart(drawn: Chart) -> list[Rendered]:
    """Both layouts of ``drawn`` as PNGs; refuses a chart whose text would be shown below its layout's
    minimum in the column it is drawn for."""
    out = []
    for spec, fig in drawn.layouts():
        font_pt = smallest_font_pt(fig)
        rendered = Rendered(spec, figure_png(fig, spec.dpi), font_pt)
        shown = rendered.smallest_px(spec.column_px)
        if shown < spec.min_px - 0.05:
            raise ValueError(
                f"the {spec.name} layout shows text at {shown:.1f} px in a {spec.column_px} px column, "
                f"below {spec.min_px:g} px (smallest font {font_pt:g} pt, {rendered.natural[0]} px wide)"
            )
        out.append(rendered)
    return out


def chart_html(drawn: Chart, alt: str) -> str:
    """A ``<picture>`` serving the phone layout to narrow screens and the wide one to the rest (and
    to print), inline, with alt text; the image names its fonts and dpi (``data-*``) so a browser
    check can compute its text size as shown."""
    if not alt.strip():
        raise ValueError("every figure needs alt text")
    wide, phone = render_chart(drawn)
    return (
        f'<picture><source media="{phone.spec.media}" srcset="{_data_uri(phone.png)}">'
        f'<img src="{_data_uri(wide.png)}" alt="{html.escape(alt, quote=True)}" '
        f'data-font-pt="{wide.font_pt:g}" data-dpi="{wide.spec.dpi}" '
        f'data-phone-font-pt="{phone.font_pt:g}" data-phone-dpi="{phone.spec.dpi}" '
        f'style="width:{wide.css_width}px;max-width:100%;height:auto;background:{BACKGROUND}"></picture>'
    )


def download_link(frame: pd.DataFrame, filename: str, text: str) -> HTML:
    """A link that downloads ``frame`` as CSV, carried inside the page (no file to serve).

    Text cells that a spreadsheet would run as formulas are neutralised first.
    """
    csv_text = tables.spreadsheet_safe(frame).to_csv()
    data = base64.b64encode(csv_text.encode("utf-8")).decode("ascii")
    return HTML(
        f'<p><a download="{html.escape(filename)}" href="data:text/csv;base64,{data}">{html.escape(text)}</a></p>'
    )


SOURCE_LINE = "display:block;margin-top:.3em;font-size:.9em"  # a caption's sources: a smaller line of their own


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
        """ "Figure 1.1", as the prose names it."""
        return f"Figure {self.number}"

    def html(self, with_control: bool = True) -> str:
        """The ``<figcaption>``: number and point in bold, what to pick, how to read it, the source."""
        sentence = lambda text: html.escape(text.strip().rstrip(".") + ".")  # noqa: E731
        control = (
            f'<span class="figure-control">{sentence(self.control)}</span> ' if self.control and with_control else ""
        )
        return (
            f'<figcaption><span class="figure-number">{self.label}:</span> '
            f"<strong>{sentence(self.point)}</strong> {control}{sentence(self.reading)} "
            f'<small class="figure-source" style="{SOURCE_LINE}">{sentence(self.source)}</small></figcaption>'
        )


def figure_html(body: str, caption: Caption, anchored: bool = True) -> str:
    """``body`` (an image, or an image and its table) as a numbered ``<figure>`` with its caption.

    ``anchored=False`` is for a toggle's panes: the panes live in the widget state and only
    one is drawn at a time, so the id the prose links to sits in the page itself (the
    sentence that introduces the figure starts with ``<span id="figure-1-1"></span>``), and
    each pane names it in ``data-figure-id``.
    """
    target = f'id="{caption.figure_id}"' if anchored else f'data-figure-id="{caption.figure_id}"'
    return f'<figure class="book-figure" {target}>{body}{caption.html()}</figure>'


def single_pane(pane_html: str, caption: Caption, alone: Caption | None = None) -> str:
    """One pane of a toggle shown alone (on the key findings page): its caption without ``control``.

    ``alone`` replaces the toggle's shared caption, whose point may speak of panes not shown,
    by one that states only what this pane draws; it keeps the figure's number.
    """
    if caption.html() not in pane_html:
        raise ValueError(f"this pane is not captioned as {caption.label}")
    if alone is not None and alone.number != caption.number:
        raise ValueError(f"{alone.label} cannot stand for {caption.label}")
    return pane_html.replace(caption.html(), (alone or caption).html(with_control=False))


def image_html(drawn: Chart | Figure, alt: str) -> str:
    """The image of a chart drawn for both widths (:func:`chart_html`) or of a single figure."""
    return chart_html(drawn, alt) if isinstance(drawn, Chart) else img_tag(figure_png(drawn), alt)


def render_figure(drawn: Chart | Figure, alt: str, caption: Caption) -> HTML:
    """Show a chart as an inline image with alt text, numbered and captioned (outside a toggle)."""
    return HTML(figure_html(image_html(drawn, alt), caption))


def mark_briefing_year(ax: plt.Axes, year: int, spec: FigureSpec = WIDE, label: bool = True) -> None:
    """A dotted vertical line at the briefing's year, labelled at the top of the axes, left of the line:
    the charts' series grow, so the top left of the line is clear of the data (give the axes headroom)."""
    ax.axvline(year, color=TEXT_ACCENT, linestyle=":", linewidth=1.2)
    if label:
        ax.annotate(
            f"Briefing ({year})",
            xy=(year, 1),
            xycoords=("data", "axes fraction"),
            xytext=(-3, -3),
            textcoords="offset points",
            ha="right",
            va="top",
            fontsize=spec.text_pt,
            color=TEXT_ACCENT,
            bbox={"facecolor": BACKGROUND, "edgecolor": "none", "pad": 1},
        )
