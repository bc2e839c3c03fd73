"""Figure style and rendering shared by every chapter."""

from __future__ import annotations

import base64
import html
import io

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
    """Set the book's seaborn theme (call once at the top of a chapter)."""
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


def render_figure(fig: Figure, alt: str) -> HTML:
    """Show ``fig`` as an inline PNG with alt text (for figures outside a toggle)."""
    return HTML(img_tag(figure_png(fig), alt))


def mark_briefing_year(ax: plt.Axes, year: int) -> None:
    """A dotted vertical line at the briefing's year, labelled at the foot of the axes."""
    ax.axvline(year, color=TEXT_ACCENT, linestyle=":", linewidth=1.2)
    ax.annotate(f"Briefing ({year})", xy=(year, 0), xycoords=("data", "axes fraction"), xytext=(-4, 4),
                textcoords="offset points", ha="right", va="bottom", fontsize=8, color=TEXT_ACCENT)
