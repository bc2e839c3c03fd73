"""What keeps the first paint light: the theme's assets as the built pages load them.

Icons cut to the ones shown (each still has its rule and its glyph), stylesheets that the
first paint does not need loaded without blocking it (and still there without JavaScript),
no sphinx-design where no page uses it, the documentation options written into the page.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from maintainer.site import HTML, PAGES

STYLESHEET = HTML / "_static" / "styles" / "pydata-sphinx-theme.css"
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


def _glyphs(woff_base64: str) -> set[int]:
    import base64
    import io

    from fontTools.ttLib import TTFont

    return set(TTFont(io.BytesIO(base64.b64decode(woff_base64))).getBestCmap())


@pytest.mark.book
@pytest.mark.parametrize("doc", PAGES)
def test_every_icon_shown_has_its_rule_and_its_glyph(doc: str) -> None:
    css = STYLESHEET.read_text(encoding="utf-8")
    fonts = re.findall(r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", css)
    assert fonts and "webfonts/" not in css, "an icon font is still a file of its own (or whole)"
    glyphs = set().union(*(_glyphs(font) for font in fonts))
    sizes = {"fa-lg", "fa-solid", "fa-brands", "fa-regular"}  # styles and sizes, not icons
    for icon in _assets(doc).icons - sizes:
        rule = re.search(rf'(?:^|[}},])\.{icon}:before(?:,[^{{]*)?\{{content:"\\([0-9a-f]+)"\}}', css)
        assert rule, f"{doc}: the icon {icon} lost its rule"
        assert int(rule.group(1), 16) in glyphs, f"{doc}: the icon {icon} has no glyph in the subset fonts"


@pytest.mark.book
@pytest.mark.parametrize("doc", PAGES)
def test_late_stylesheets_never_block_the_first_paint(doc: str) -> None:
    links = _assets(doc).links
    for name in LATE:
        loaded = [link for link, noscript in links if _href(link).endswith(name) and not noscript]
        assert len(loaded) == 1, f"{doc}: {name} linked {len(loaded)} times"
        assert loaded[0].get("media") == "print" and "this.media='all'" in (loaded[0].get("onload") or "")
        assert [link for link, noscript in links if _href(link).endswith(name) and noscript], (
            f"{doc}: {name} has no copy for readers without JavaScript"
        )
    printing = [link for link, _ in links if _href(link).endswith("print.css")]
    assert printing and all(link.get("media") == "print" for link in printing), f"{doc}: print.css blocks"


@pytest.mark.book
@pytest.mark.parametrize("doc", PAGES)
def test_sphinx_design_only_where_a_page_uses_it(doc: str) -> None:
    page = (HTML / f"{doc}.html").read_text(encoding="utf-8")
    assets = _assets(doc)
    loaded = [_href(link) for link, _ in assets.links if "sphinx-design" in _href(link)]
    loaded += [s.get("src") for s in assets.scripts if "design-tabs" in (s.get("src") or "")]
    if 'class="sd-' not in page:
        assert not loaded, f"{doc} loads sphinx-design without using it: {loaded}"


@pytest.mark.book
@pytest.mark.parametrize("doc", PAGES)
def test_documentation_options_are_in_the_page_as_in_the_file(doc: str) -> None:
    assets = _assets(doc)
    assert not [s for s in assets.scripts if "documentation_options.js" in (s.get("src") or "")]
    written = (HTML / "_static" / "documentation_options.js").read_text(encoding="utf-8").strip()
    assert written in [script.strip() for script in assets.inline_scripts], f"{doc}: options differ from the file"


def _extension(name: str):
    """A module of book/_ext (not a package)."""
    import importlib.util
    import sys

    path = HTML.parent.parent / "book" / "_ext" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses resolve their module's names
    spec.loader.exec_module(module)
    return module


def test_unused_rules_go_and_what_a_page_or_script_names_stays() -> None:
    unused_css = _extension("unused_css")
    css = (
        "/*! licence */ /* note */ .used,.gone{a:1}.gone{b:2}.used:not(.gone) > p:hover{c:3}"
        '@media (min-width:1px){.gone{d:4}.used::before{content:"}{"}}@media print{.gone{e:5}}'
        '@font-face{font-family:x}:root{--v:1}#shown[data-x="a,b"]{f:6}.added-by-js{g:7}'
    )
    kept = unused_css.write(unused_css.parse(css)[0], {"used", "shown", "added-by-js"})
    assert kept == (
        "/*! licence */.used{a:1}.used:not(.gone) > p:hover{c:3}"
        '@media (min-width:1px){.used::before{content:"}{"}}'
        '@font-face{font-family:x}:root{--v:1}#shown[data-x="a,b"]{f:6}.added-by-js{g:7}'
    )
    assert unused_css.write(unused_css.parse(kept)[0], {"used", "shown", "added-by-js"}) == kept


def _theme_originals() -> dict[str, bytes]:
    """The theme stylesheets as their packages ship them (before unused_css), by built path."""
    import myst_nb
    import pydata_sphinx_theme
    import sphinx_book_theme

    def static(module, *parts: str) -> bytes:
        return Path(module.__file__).parent.joinpath(*parts).read_bytes()

    return {
        "_static/styles/pydata-sphinx-theme.css": static(
            pydata_sphinx_theme, "theme", "pydata_sphinx_theme", "static", "styles", "pydata-sphinx-theme.css"
        ),
        "_static/styles/sphinx-book-theme.css": static(
            sphinx_book_theme, "theme", "sphinx_book_theme", "static", "styles", "sphinx-book-theme.css"
        ),
        "_static/mystnb.": static(myst_nb, "static", "mystnb.css"),
    }


# Per element of the body: where it is and how it looks (the properties a reader sees).
# Scripts are left out: none is seen, and the widget loader adds one (the saved state) when
# the page goes idle, which may fall between the two looks.
LOOKS_JS = """() => [...document.body.querySelectorAll('*:not(script)')].map((el, i) => {
    const s = getComputedStyle(el), r = el.getBoundingClientRect();
    return [i, el.tagName, el.className && String(el.className).slice(0, 60),
            [r.x, r.y, r.width, r.height].map(Math.round).join(','),
            s.display, s.visibility, s.color, s.backgroundColor, s.fontSize, s.fontWeight,
            s.borderTopWidth, s.borderTopColor].join(' | ');
})"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [412, 1280])
@pytest.mark.parametrize("doc", [PAGES[0], *[d for d in PAGES if d.startswith("notebooks/")][:2]])
def test_pages_look_the_same_with_the_theme_stylesheets_whole(browser, site, doc: str, width: int) -> None:
    """Every element of the page sits where it sits, and looks as it looks, with the theme's
    stylesheets as shipped instead of the built copies without unused rules."""
    originals = _theme_originals()

    def whole(route) -> None:
        path = route.request.url.removeprefix(site).split("?")[0]
        body = next((css for name, css in originals.items() if path.startswith(name)), None)
        if body is None:
            route.continue_()
        else:
            route.fulfill(body=body, content_type="text/css")

    looks = []
    for swap in (False, True):
        context = browser.new_context(viewport={"width": width, "height": 900})
        try:
            if swap:
                context.route("**/*.css*", whole)
            page = context.new_page()
            page.goto(site + f"{doc}.html", wait_until="load")
            # every section laid out (not left to content-visibility's estimate)
            page.add_style_tag(content="section { content-visibility: visible !important; }")
            # fonts in, late stylesheets on, transitions (the theme fades colours in) over
            page.wait_for_function(
                "() => document.fonts.status === 'loaded'"
                " && [...document.querySelectorAll('link[onload]')].every(l => l.media === 'all')"
                " && document.getAnimations().every(a => a.playState !== 'running')"
            )
            looks.append(page.evaluate(LOOKS_JS))
        finally:
            context.close()
    built, shipped = looks
    differences = [f"{a}\n  whole: {b}" for a, b in zip(built, shipped, strict=True) if a != b]
    assert len(built) == len(shipped)
    assert not differences, f"{doc} at {width} px differs in {len(differences)} elements:\n" + "\n".join(
        differences[:10]
    )


def test_saved_state_file_carries_no_code_and_reads_back(tmp_path: Path) -> None:
    """A pane's text cannot end the state's value in its script file (run by Node.js, the
    file only sets the state), and the site checks read back exactly what was saved."""
    import subprocess
    import sys

    from maintainer import page_audit

    lazy_widgets = _extension("lazy_widgets")
    state = {
        "state": {
            "m": {
                "model_name": "HTMLModel",
                "state": {"value": '"; alert(1); "</script><script>alert(2)</script>\u2028\u2029'},
            }
        }
    }
    name = lazy_widgets.write_state(tmp_path, "notebooks/x", json.dumps(state))
    assert name == "_widget_state/notebooks/x.js" and (tmp_path / name).read_text("utf-8").isascii()
    run = "globalThis.window = {}; require(process.argv[1]); console.log(JSON.stringify(window.iomunWidgetState))"
    ran = subprocess.run(
        [str(Path(sys.executable).with_name("node")), "-e", run, str(tmp_path / name)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(ran.stdout) == state
    assert page_audit.saved_state(tmp_path / name) == state
    page = tmp_path / "notebooks" / "x.html"
    page.parent.mkdir()
    page.write_text(
        f'<html><body><script defer src="../_static/lazy_widgets.js" data-state="../{name}"></script></body></html>',
        encoding="utf-8",
    )
    assert page_audit.widget_panes(page_audit.read_page(page)) == [state["state"]["m"]["state"]["value"]]
    (tmp_path / name).write_text("alert(1)", encoding="utf-8")
    with pytest.raises(ValueError, match="not a saved widget state"):
        page_audit.read_page(page)
