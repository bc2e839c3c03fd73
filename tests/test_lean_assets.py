"""What keeps the first paint light: the theme's assets as the built pages load them.

Icons cut to the ones shown (each still has its rule and its glyph), stylesheets that the
first paint does not need loaded without blocking it (and still there without JavaScript),
no sphinx-design where no page uses it, the documentation options written into the page.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from maintainer.site import HTML, PAGES

STYLESHEET = HTML / "_static" / "styles" / "pydata-sphinx-theme.css"
WEBFONTS = HTML / "_static" / "vendor" / "fontawesome" / "webfonts"
LATE = ("pygments.css", "copybutton.css", "togglebutton.css")


class _Assets(HTMLParser):
    """The stylesheet links (inside ``<noscript>`` or not), scripts and icon classes of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[dict[str, str | None], bool]] = []
        self.scripts: list[dict[str, str | None]] = []
        self.inline_scripts: list[str] = []
        self.icons: set[str] = set()
        self._noscript = False
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "noscript":
            self._noscript = True
        elif tag == "link" and found.get("rel") == "stylesheet":
            self.links.append((found, self._noscript))
        elif tag == "script":
            self.scripts.append(found)
            self._script = not found.get("src") and not found.get("type")
        elif tag == "i":
            self.icons.update(re.findall(r"\bfa-[a-z0-9-]+", found.get("class") or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "noscript":
            self._noscript = False
        elif tag == "script":
            self._script = False

    def handle_data(self, data: str) -> None:
        if self._script:
            self.inline_scripts.append(data)


def _assets(doc: str) -> _Assets:
    parser = _Assets()
    parser.feed((HTML / f"{doc}.html").read_text(encoding="utf-8"))
    return parser


def _href(link: dict[str, str | None]) -> str:
    return (link.get("href") or "").split("?")[0]


def _glyphs(font_file: str) -> set[int]:
    from fontTools.ttLib import TTFont

    return set(TTFont(WEBFONTS / font_file).getBestCmap())


@pytest.mark.parametrize("doc", PAGES)
def test_every_icon_shown_has_its_rule_and_its_glyph(doc: str) -> None:
    css = STYLESHEET.read_text(encoding="utf-8")
    fonts = re.findall(r"webfonts/([\w.-]+\.woff)\)", css)
    assert fonts and not re.search(r"webfonts/[\w.-]+\.woff2", css), "a whole icon font is still linked"
    glyphs = set().union(*(_glyphs(font) for font in fonts))
    sizes = {"fa-lg", "fa-solid", "fa-brands", "fa-regular"}  # styles and sizes, not icons
    for icon in _assets(doc).icons - sizes:
        rule = re.search(rf'(?:^|[}},])\.{icon}:before(?:,[^{{]*)?\{{content:"\\([0-9a-f]+)"\}}', css)
        assert rule, f"{doc}: the icon {icon} lost its rule"
        assert int(rule.group(1), 16) in glyphs, f"{doc}: the icon {icon} has no glyph in the subset fonts"


@pytest.mark.parametrize("doc", PAGES)
def test_late_stylesheets_never_block_the_first_paint(doc: str) -> None:
    links = _assets(doc).links
    for name in LATE:
        loaded = [link for link, noscript in links if _href(link).endswith(name) and not noscript]
        assert len(loaded) == 1, f"{doc}: {name} linked {len(loaded)} times"
        assert loaded[0].get("media") == "print" and "this.media='all'" in (loaded[0].get("onload") or "")
        assert [link for link, noscript in links if _href(link).endswith(name) and noscript], (
            f"{doc}: {name} has no copy for readers without JavaScript")
    printing = [link for link, _ in links if _href(link).endswith("print.css")]
    assert printing and all(link.get("media") == "print" for link in printing), f"{doc}: print.css blocks"


@pytest.mark.parametrize("doc", PAGES)
def test_sphinx_design_only_where_a_page_uses_it(doc: str) -> None:
    page = (HTML / f"{doc}.html").read_text(encoding="utf-8")
    assets = _assets(doc)
    loaded = [_href(link) for link, _ in assets.links if "sphinx-design" in _href(link)]
    loaded += [s.get("src") for s in assets.scripts if "design-tabs" in (s.get("src") or "")]
    if 'class="sd-' not in page:
        assert not loaded, f"{doc} loads sphinx-design without using it: {loaded}"


@pytest.mark.parametrize("doc", PAGES)
def test_documentation_options_are_in_the_page_as_in_the_file(doc: str) -> None:
    assets = _assets(doc)
    assert not [s for s in assets.scripts if "documentation_options.js" in (s.get("src") or "")]
    written = (HTML / "_static" / "documentation_options.js").read_text(encoding="utf-8").strip()
    assert written in [script.strip() for script in assets.inline_scripts], f"{doc}: options differ from the file"
