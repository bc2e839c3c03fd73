"""Only the icons the book shows: Font Awesome's rules and fonts cut down to them.

pydata-sphinx-theme's stylesheet carries a rule for each of Font Awesome's ~1,900 icons
(90 kB of its 400 kB, all parsed before the first paint), and every page downloads the
solid and brands fonts whole (275 kB) for a dozen header icons. At ``build-finished``:

* the icon rules (``.fa-NAME:before{content:"\\fXXX"}``) of icons that no page and no
  script of the site names are dropped from the built stylesheet;
* each Font Awesome face becomes a WOFF font holding only the glyphs still named (the
  kept icons and the theme's own ``--pst-icon-*`` characters), 1–4 kB, embedded in the
  stylesheet as a ``data:`` URL. A font file would be requested only once the stylesheet
  has arrived and the header is laid out: a third round trip before the icons can paint,
  which a phone on slow 4G waits for.

The theme's own files are untouched: only the copies in ``_build/html`` change, and the
run is idempotent (a rebuild starts again from the theme's files where Sphinx re-copied them).
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

STYLESHEET = "_static/styles/pydata-sphinx-theme.css"
WEBFONTS = "_static/vendor/fontawesome/webfonts"
# Scripts that name every icon (Font Awesome's own, never loaded by a page) or only their
# own font's (the widget runtime brings Font Awesome 4 with its own stylesheet).
NOT_SITE_SCRIPTS = ("fontawesome.js", "embed.js")
ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:(?:before|after),?)+)\{content:"\\([0-9a-f]+)"\}')
ICON_NAME = re.compile(r"\bfa-[a-z0-9-]+")
THEME_ICON = re.compile(r'--pst-icon-[a-z0-9-]+:"([^"]+)"')
FONT_FACE = re.compile(r"@font-face\{[^}]*\}")
FACE_SOURCE = re.compile(r"src:url\(\.\./vendor/fontawesome/webfonts/(fa-[a-z0-9-]+)\.woff2\)[^;}]*")


def names_in_use(outdir: Path) -> set[str]:
    """Every ``fa-…`` name in a page or a script of the built site."""
    names: set[str] = set()
    for path in [*outdir.rglob("*.html"), *outdir.rglob("*.js")]:
        if path.name.endswith(NOT_SITE_SCRIPTS) or "_static/vendor" in path.as_posix():
            continue
        names.update(ICON_NAME.findall(path.read_text(encoding="utf-8", errors="replace")))
    return names


def drop_unused_icons(css: str, used: set[str]) -> tuple[str, set[int]]:
    """``css`` without the rules of unused icons; the code points of the icons kept."""
    kept: set[int] = set()

    def keep_or_drop(match: re.Match[str]) -> str:
        selectors = match.group(1).split(",")
        if not any(selector.split(":")[0].lstrip(".") in used for selector in selectors):
            return ""
        kept.add(int(match.group(2), 16))
        return match.group(0)

    return ICON_RULE.sub(keep_or_drop, css), kept


def theme_code_points(css: str) -> set[int]:
    """The characters of the theme's ``--pst-icon-*`` variables."""
    points = set()
    for value in THEME_ICON.findall(css):
        text = re.sub(r"\\([0-9a-f]+)", lambda m: chr(int(m.group(1), 16)), value)
        points.update(ord(character) for character in text)
    return points


def subset_font(source: Path, code_points: set[int]) -> bytes:
    """``source`` (TrueType) cut to ``code_points``, as WOFF."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff"  # zlib: WOFF2 would need the brotli module
    options.layout_features = ["*"]
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(code_points))
    subsetter.subset(font)
    out = io.BytesIO()
    subset.save_font(font, out, options)
    return out.getvalue()


def point_faces_at_subsets(css: str, outdir: Path, code_points: set[int]) -> str:
    """Every Font Awesome face of ``css`` served from its subset, embedded as a ``data:`` URL."""
    fonts = outdir / WEBFONTS

    def replace(match: re.Match[str]) -> str:
        source = fonts / f"{match.group(1)}.ttf"
        if not source.is_file():
            return match.group(0)
        woff = base64.b64encode(subset_font(source, code_points)).decode("ascii")
        return f'src:url(data:font/woff;base64,{woff}) format("woff")'

    return FONT_FACE.sub(lambda face: FACE_SOURCE.sub(replace, face.group(0)), css)


def trim_icons(app: Sphinx, exception: Exception | None) -> None:
    """At ``build-finished``: unused icon rules out, fonts cut to the icons kept."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    path = outdir / STYLESHEET
    if not path.is_file():
        logger.warning(f"icon_subset: {STYLESHEET} is missing; check the theme version")
        return
    css = path.read_text(encoding="utf-8")
    css, kept = drop_unused_icons(css, names_in_use(outdir))
    if not kept:
        logger.warning("icon_subset: no Font Awesome icon rule found; check the theme version")
        return
    css = point_faces_at_subsets(css, outdir, kept | theme_code_points(css))
    path.write_text(css, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("build-finished", trim_icons)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
