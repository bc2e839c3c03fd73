"""The theme's render-blocking stylesheets without the rules this site can never use.

Every page waits for pydata-sphinx-theme's stylesheet (Bootstrap and the theme, 310 kB),
sphinx-book-theme's, myst-nb's and Sphinx's ``basic.css`` before its first paint, and the
phone then spends its slow CPU parsing and matching rules of which about 70 % name a class
or id that appears nowhere in the site. At ``build-finished`` each of these built copies
keeps only the selectors whose every class and id is a word somewhere in the site's pages
or scripts (scripts name the classes they add later, such as ``show`` or ``collapsing``,
so those rules stay), in the manner of PurgeCSS. What a selector only excludes or
alternates (``:not()``, ``:is()``, ``:where()``, ``:has()``), attribute selectors, element
names and every at-rule but ``@media``/``@supports``/``@layer``/``@container`` (whose
rules are filtered the same way) are kept as they are. Licence comments (``/*!``) stay.

Sphinx copies the theme's files again when they differ, so each build starts from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

STYLESHEETS = (
    "_static/styles/pydata-sphinx-theme.css",
    "_static/styles/sphinx-book-theme.css",
    "_static/basic.css",
    "_static/mystnb.*.css",
)
# Font Awesome's script names every icon and is loaded by no page (book/_templates).
NOT_LOADED = ("fontawesome.js",)
# Classes that Bootstrap's scripts build from parts (placement of tooltips and popovers).
ALWAYS = ("bs-tooltip-", "bs-popover-")
GROUPS = re.compile(r"\s*@(media|supports|layer|container)\b")
WORD = re.compile(r"[A-Za-z0-9_-]+")
NAME = re.compile(r"[.#](-?[A-Za-z_][\w-]*)")
FUNCTION = re.compile(r":(?:not|is|where|has|matches|-webkit-any|-moz-any)\(")


@dataclass
class Item:
    """A piece of a stylesheet: a rule, a group of rules, a statement or a comment."""

    kind: str  # "rule", "group", "statement" or "comment"
    prelude: str
    body: str = ""
    children: list[Item] = field(default_factory=list)


def _scan(css: str, start: int, stops: str) -> int:
    """Index of the first of ``stops`` at ``start`` or after, outside strings and parentheses."""
    depth, quote, i = 0, "", start
    while i < len(css):
        char = css[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and char in stops:
            return i
        i += 1
    return len(css)


def _block_end(css: str, opening: int) -> int:
    """Index just past the ``}`` that closes the ``{`` at ``opening`` (strings skipped)."""
    depth, i = 0, opening
    while i < len(css):
        i = _scan(css, i, "{}")
        if i >= len(css):
            break
        depth += 1 if css[i] == "{" else -1
        i += 1
        if depth == 0:
            return i
    raise ValueError("unbalanced braces in a stylesheet")


def parse(css: str, start: int = 0) -> tuple[list[Item], int]:
    """The items of ``css`` from ``start`` up to an unmatched ``}`` (or the end)."""
    items: list[Item] = []
    i = start
    while i < len(css):
        while i < len(css) and css[i].isspace():
            i += 1
        if i >= len(css):
            break
        if css[i] == "}":
            return items, i + 1
        if css.startswith("/*", i):
            end = css.index("*/", i) + 2
            items.append(Item("comment", css[i:end]))
            i = end
            continue
        stop = _scan(css, i, "{;}")
        prelude = css[i:stop]
        if stop >= len(css) or css[stop] != "{":
            items.append(Item("statement", prelude + ";"))
            i = stop + 1 if stop < len(css) and css[stop] == ";" else stop
        elif GROUPS.match(prelude):
            children, i = parse(css, stop + 1)
            items.append(Item("group", prelude, children=children))
        else:
            end = _block_end(css, stop)
            items.append(Item("rule", prelude, css[stop + 1 : end - 1]))
            i = end
    return items, i


def selectors(prelude: str) -> list[str]:
    """The selectors of a rule's prelude (commas inside parentheses kept)."""
    parts, depth, current = [], 0, []
    for char in prelude:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    return [*parts, "".join(current)]


def _without_functions(selector: str) -> str:
    out, i = [], 0
    while (match := FUNCTION.search(selector, i)) is not None:
        out.append(selector[i : match.start()])
        depth, j = 1, match.end()
        while j < len(selector) and depth:
            depth += {"(": 1, ")": -1}.get(selector[j], 0)
            j += 1
        i = j
    out.append(selector[i:])
    return "".join(out)


def can_match(selector: str, words: set[str]) -> bool:
    """Whether every class and id that ``selector`` requires is a word of the site."""
    required = re.sub(r"\[[^\]]*\]", "", _without_functions(selector))
    return all(name in words or name.startswith(ALWAYS) for name in NAME.findall(required))


def write(items: list[Item], words: set[str]) -> str:
    """``items`` as CSS, without the selectors (and rules, groups) that cannot match."""
    out = []
    for item in items:
        if item.kind == "comment":
            if item.prelude.startswith("/*!"):  # licence
                out.append(item.prelude)
        elif item.kind == "statement":
            out.append(item.prelude)
        elif item.kind == "group":
            inner = write(item.children, words)
            if inner:
                out.append(f"{item.prelude}{{{inner}}}")
        elif item.prelude.lstrip().startswith("@"):  # @font-face, @keyframes, @page ...
            out.append(f"{item.prelude}{{{item.body}}}")
        else:
            kept = [s for s in selectors(item.prelude) if can_match(s, words)]
            if kept:
                out.append(f"{','.join(s.strip() for s in kept)}{{{item.body}}}")
    return "".join(out)


def site_words(outdir: Path) -> set[str]:
    """Every word of every page and script of the built site (but scripts no page loads)."""
    words: set[str] = set()
    for path in [*outdir.rglob("*.html"), *outdir.rglob("*.js")]:
        if not path.name.endswith(NOT_LOADED):
            words.update(WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    return words


def drop_unused_rules(app: Sphinx, exception: Exception | None) -> None:
    """At ``build-finished``: each theme stylesheet without the rules no page can use."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    words = site_words(outdir)
    for pattern in STYLESHEETS:
        found = sorted(outdir.glob(pattern))
        if not found:
            logger.warning(f"unused_css: no {pattern} in the build; check the theme version")
        for path in found:
            css = path.read_text(encoding="utf-8")
            path.write_text(write(parse(css)[0], words), encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("build-finished", drop_unused_rules)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
