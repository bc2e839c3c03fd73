"""How large a chart's text is shown: the measure every chart is drawn to (at least 12 px on a laptop,
11 px on a phone; :class:`iomun.figures.FigureSpec`)."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.text import Text


def chart_texts(fig: Figure) -> list[Text]:
    """Every visible, non-empty text of ``fig`` (titles, ticks, labels, legends, annotations, notes)."""
    fig.canvas.draw()  # tick labels exist once drawn
    return [
        t
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and (t.axes is None or t.axes.get_visible())
    ]


def rendered_px(font_pt: float, dpi: float, natural_px: int, rendered_css_px: float) -> float:
    """A font's size in CSS px as shown: ``font_pt x dpi / 72 x rendered width / natural width``."""
    return font_pt * dpi / 72 * rendered_css_px / natural_px


def smallest_font_pt(fig: Figure) -> float:
    """The smallest font of any text in ``fig``."""
    return min(t.get_fontsize() for t in chart_texts(fig))
