"""Make the chapters' prose readable in JupyterLab on Binder, where no Sphinx resolves MyST roles.

The static book is built by myst-nb, which pastes ``{glue:text}`` values, numbers citations and
resolves ``{ref}``/``{doc}`` at build time. JupyterLab renders Markdown cells with the
``jupyterlab-myst`` extension (pinned in requirements.txt), which knows none of the glue roles and
has no bibliography. Binder's ``postBuild`` therefore runs this on the image's copy of the
notebooks (never on the repository's: the static book keeps its roles):

- ``{glue:text}`key``` becomes a MyST inline expression, ``{eval}`` of the value the chapter glued
  (``iomun.prose.glued``), with the stored result of that glue in the cell's ``user_expressions``
  metadata, which ``jupyterlab-myst`` shows on opening and refreshes from the kernel on Run All;
- ``{cite}`key``` becomes the book's label (``[MW16]``, pybtex's alpha style, as
  sphinxcontrib-bibtex numbers it) linking to the reference list, the full reference as its title;
- ``{ref}`label``` and ``{doc}`page``` become links titled with the section's or page's heading.

Whatever is left that JupyterLab cannot render is named in one line at the top of the notebook.
Re-running is harmless: converted cells have no roles left, the expressions' stored results are
recomputed from the notebook's glue outputs, and the note is replaced, not added twice.

Run as ``python -m maintainer.binder_prose notebooks/*.ipynb``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

import nbformat
import yaml

from .paths import ROOT

GLUE_PREFIX = "application/papermill.record/"
GLUE_ROLE = re.compile(r"\{glue(?::text)?\}`([A-Za-z0-9_]+)`")
EVAL_ROLE = re.compile(r"\{eval\}`([^`]+)`")
GLUED_EXPRESSION = '__import__("iomun.prose").prose.glued("{key}")'
GLUED_KEY = re.compile(r'^__import__\("iomun\.prose"\)\.prose\.glued\("([A-Za-z0-9_]+)"\)$')
CITE_ROLE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")
REF_ROLE = re.compile(r"\{(ref|doc)\}`(?:([^`<]*?)\s*<([^`>]+)>|([^`]+))`")
LABEL_LINE = re.compile(r"^\(([A-Za-z0-9_-]+)\)=\s*$")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$")
# Admonitions, which jupyterlab-myst renders as the book does.
ADMONITIONS = "admonition|attention|caution|danger|error|hint|important|note|seealso|tip|warning"
# Roles and directives that still need Sphinx after the conversion (the note names them).
LEFT_RAW = re.compile(rf"\{{[a-z]+(?::[a-z]+)?\}}`|^(?:```|:::)\{{(?!(?:{ADMONITIONS})\}})[a-z-]+\}}", re.MULTILINE)
NOTE_TAG = "binder-note"
USER_EXPRESSIONS = "user_expressions"  # jupyterlab-myst's cell metadata key


def glued_outputs(notebook: nbformat.NotebookNode) -> dict[str, dict[str, str]]:
    """Every value the notebook glued, as stored: key -> MIME bundle (``text/plain``, ...)."""
    glued: dict[str, dict[str, str]] = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                glued[name] = {mime.removeprefix(GLUE_PREFIX): value for mime, value in output.get("data", {}).items()}
    return glued


def citation_labels(bib: Path) -> dict[str, tuple[str, str]]:
    """Citation key -> (label, full reference as text), as sphinxcontrib-bibtex's default style writes them."""
    from pybtex.database import parse_file  # sphinxcontrib-bibtex's own parser, in requirements.txt
    from pybtex.plugin import find_plugin

    data = parse_file(str(bib))
    style = find_plugin("pybtex.style.formatting", "alpha")()
    return {entry.key: (entry.label, entry.text.render_as("text")) for entry in style.format_bibliography(data)}


def page_markdown(path: Path) -> Iterable[str]:
    """The Markdown lines of a book page or of a notebook's Markdown cells."""
    if path.suffix == ".ipynb":
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                yield from cell.source.splitlines()
    elif path.is_file():
        yield from path.read_text(encoding="utf-8").splitlines()


def labels_and_titles(root: Path) -> tuple[dict[str, tuple[Path, str]], dict[Path, str]]:
    """Every ``(label)=`` of the book -> (file, heading under it), and every file -> its first heading."""
    labels: dict[str, tuple[Path, str]] = {}
    titles: dict[Path, str] = {}
    files = sorted((root / "notebooks").glob("*.ipynb")) + sorted((root / "book").glob("*.md"))
    for path in files:
        pending: list[str] = []
        for line in page_markdown(path):
            if match := LABEL_LINE.match(line):
                pending.append(match.group(1))
            elif match := HEADING.match(line):
                titles.setdefault(path, match.group(1))
                labels.update({label: (path, match.group(1)) for label in pending})
                pending = []
            elif line.strip():
                labels.update({label: (path, "this section") for label in pending})
                pending = []
    return labels, titles


def toc_titles(root: Path) -> dict[str, str]:
    """Titles _toc.yml gives to pages (for pages generated at build time, such as the data sources)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    found: dict[str, str] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "file" in node and "title" in node:
                found[node["file"]] = node["title"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(toc)
    return found


def link_text(text: str) -> str:
    """Text safe inside a Markdown link's brackets."""
    return re.sub(r"([\[\]\\])", r"\\\1", text)


class Converter:
    """Rewrites the MyST roles of one notebook's Markdown for JupyterLab (see the module docstring)."""

    def __init__(self, root: Path = ROOT) -> None:
        self.root = root
        self.citations = citation_labels(root / "book" / "references.bib")
        self.labels, self.titles = labels_and_titles(root)
        self.toc = toc_titles(root)

    def relative(self, target: Path, notebook: Path) -> str:
        """``target`` as a link from ``notebook``'s folder."""
        return Path(
            *([".."] * len(notebook.parent.relative_to(self.root).parts)), target.relative_to(self.root)
        ).as_posix()

    def cite(self, match: re.Match[str], notebook: Path) -> str:
        """``{cite}`a,b``` -> ``[[Lab16]](../book/references.md "full reference"), ...``."""
        links = []
        for key in (k.strip() for k in match.group(1).split(",")):
            if key not in self.citations:
                return match.group(0)  # unknown key: left raw, and named in the note
            label, full = self.citations[key]
            title = full.replace('"', "'")
            links.append(
                f'[\\[{link_text(label)}\\]]({self.relative(self.root / "book" / "references.md", notebook)} "{title}")'
            )
        return ", ".join(links)

    def reference(self, match: re.Match[str], notebook: Path) -> str:
        """``{ref}`label``` or ``{doc}`page``` (with or without explicit text) -> a Markdown link."""
        role, text, target = match.group(1), match.group(2), match.group(3) or match.group(4)
        if role == "ref":
            if target not in self.labels:
                return match.group(0)
            path, title = self.labels[target]
            href = f"{self.relative(path, notebook)}#{target}" if path != notebook else f"#{target}"
        else:
            page = (notebook.parent / target).resolve()
            candidates = [page.with_suffix(".ipynb"), page.with_suffix(".md")]
            path = next((p for p in candidates if p.is_file()), candidates[-1])
            toc_name = path.relative_to(self.root).with_suffix("").as_posix()
            title = self.titles.get(path) or self.toc.get(toc_name) or path.stem.replace("_", " ").capitalize()
            href = self.relative(path, notebook)
        return f"[{link_text(text or title)}]({href})"

    def convert(self, path: Path) -> bool:
        """Convert ``path`` in place; return True when it changed."""
        notebook = nbformat.read(path, as_version=4)
        before = nbformat.writes(notebook)
        glued = glued_outputs(notebook)
        notebook.cells = [c for c in notebook.cells if NOTE_TAG not in c.metadata.get("tags", [])]
        left: set[str] = set()
        for cell in notebook.cells:
            if cell.cell_type != "markdown":
                continue
            source = GLUE_ROLE.sub(lambda m: "{eval}`" + GLUED_EXPRESSION.format(key=m.group(1)) + "`", cell.source)
            source = CITE_ROLE.sub(lambda m: self.cite(m, path), source)
            source = REF_ROLE.sub(lambda m: self.reference(m, path), source)
            cell.source = source
            stored = []
            for expression in EVAL_ROLE.findall(source):
                key = GLUED_KEY.match(expression)
                if key and key.group(1) in glued:
                    result = {"status": "ok", "data": glued[key.group(1)], "metadata": {}}
                    stored.append({"expression": expression, "result": result})
                elif key:
                    left.add(f"glued value {key.group(1)}")
            if stored:
                cell.metadata[USER_EXPRESSIONS] = stored
            else:
                cell.metadata.pop(USER_EXPRESSIONS, None)
            left.update(m.group(0).strip("`") for m in LEFT_RAW.finditer(EVAL_ROLE.sub("", source)))
        if left:
            note = nbformat.v4.new_markdown_cell(
                "*Read in JupyterLab, this chapter shows some markup raw ("
                + ", ".join(sorted(left)).replace("`", "")
                + "): the book's web pages render it.*"
            )
            note.metadata["tags"] = [NOTE_TAG]
            if "id" in notebook.cells[0]:
                note.id = NOTE_TAG  # a fixed id: a second run writes the same notebook
            else:
                note.pop("id", None)
            notebook.cells.insert(0, note)
        after = nbformat.writes(notebook)
        if after != before:
            nbformat.write(notebook, path)
        return after != before


def main(argv: list[str] | None = None) -> int:
    """Convert every notebook named on the command line."""
    names = sys.argv[1:] if argv is None else argv
    converter = Converter()
    for name in names:
        changed = converter.convert(Path(name).resolve())
        print(f"binder_prose: {name}: {'converted' if changed else 'already converted'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
