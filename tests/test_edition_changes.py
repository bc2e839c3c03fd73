"""A second edition, made for real: one value changed in a copy of ``data/``, the book built again.

The published build (``make book``) is kept as edition N the way ``make release`` keeps it
(``editions/<N>/manifest.json``, in a copy of the repository); the copy's CITATION.cff says
edition N+1 and its ``data/facts.csv`` gives the first phase of the Joint Migration and
Development Initiative 52 projects instead of the 51 its own site counts. The copy is built
from scratch into an empty folder (every notebook executed on the changed data), and its
"What changed in this edition" page must list exactly that file, one row of it, with the
source that row cites, and the number the chapters paste moving from 51 to 52, and no other.
A few minutes on 2 CPUs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from maintainer.changes_page import edition_manifest
from maintainer.edition import read_edition
from maintainer.paths import HTML, ROOT
from maintainer.release import set_edition

pytestmark = [pytest.mark.book, pytest.mark.slow]

JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
FACT, OLD, NEW, SOURCE = "jmdi_phase1_projects_count", "51", "52", "jmdi_about"
SKIP = shutil.ignore_patterns(".git", ".venv", "_build", "node_modules", ".pytest_cache", "__pycache__", "editions")
BUILD_TIMEOUT_S = 1500


def _next(version: str) -> str:
    major, minor, _ = version.split(".")
    return f"{major}.{int(minor) + 1}.0"


@pytest.fixture(scope="module")
def second_edition(tmp_path_factory: pytest.TempPathFactory) -> BeautifulSoup:
    """The changes page of a second edition built from a copy with one value changed."""
    for needed in ("_build/widget_runtime/widgets/embed.js", "book/data_sources.md", "_build/html/_manifest.json"):
        if not (ROOT / needed).is_file():
            pytest.fail(f"{needed} is missing: run `make book` first", pytrace=False)
    base = tmp_path_factory.mktemp("second_edition")
    copy, out = base / "repo", base / "out"
    shutil.copytree(ROOT, copy, ignore=SKIP)
    shutil.copytree(ROOT / "_build" / "widget_runtime", copy / "_build" / "widget_runtime")

    first = read_edition()
    kept = copy / "editions" / first.version / "manifest.json"
    kept.parent.mkdir(parents=True)
    published = json.loads((HTML / "_manifest.json").read_text(encoding="utf-8"))
    kept.write_text(json.dumps(edition_manifest(published, first, ROOT / "data")), encoding="utf-8")
    cff = copy / "CITATION.cff"
    cff.write_text(set_edition(cff.read_text(encoding="utf-8"), _next(first.version), first.date), encoding="utf-8")

    facts = copy / "data" / "facts.csv"
    text = facts.read_text(encoding="utf-8")
    changed, count = re.subn(rf"^{FACT},{OLD},", f"{FACT},{NEW},", text, flags=re.MULTILINE)
    assert count == 1, f"data/facts.csv no longer gives {FACT} as {OLD}"
    facts.write_text(changed, encoding="utf-8")

    log = base / "build.log"
    env = {**os.environ, "IOMUN_DATA_DIR": str(copy / "data")}
    with log.open("w", encoding="utf-8") as handle:  # the data page first, as `make book` does
        subprocess.run(
            [sys.executable, "-m", "maintainer.data_page", "book/data_sources.md"],
            cwd=copy,
            stdout=handle,
            stderr=subprocess.STDOUT,
            env=env,
            check=True,
            timeout=300,
        )
        build = subprocess.run(
            [str(JUPYTER_BOOK), "build", str(copy), "--path-output", str(out), "--warningiserror", "--keep-going"],
            cwd=copy,
            stdout=handle,
            stderr=subprocess.STDOUT,
            timeout=BUILD_TIMEOUT_S,
            env=env,
        )
    assert build.returncode == 0, log.read_text(encoding="utf-8")[-3000:]
    page = out / "_build" / "html" / "book" / "changes.html"
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def _article(soup: BeautifulSoup) -> BeautifulSoup:
    return soup.select_one(".bd-article")


def test_changes_page_names_the_editions(second_edition) -> None:
    first = read_edition()
    text = " ".join(_article(second_edition).get_text(" ").split())
    assert f"Edition {_next(first.version)}" in text and f"compared with edition {first.version}" in text, text[:400]
    assert "first edition" not in text


def test_exactly_the_changed_row_and_its_source(second_edition) -> None:
    heading = _article(second_edition).find(id="changed-data")
    items = [" ".join(li.get_text().split()) for li in heading.find_next("ul").find_all("li")]
    assert len(items) == 1, items
    assert items[0].startswith("data/facts.csv: 1 row changed, citing"), items
    assert f"({SOURCE}," in items[0], items


def test_the_numbers_it_moves_and_no_other(second_edition) -> None:
    table = _article(second_edition).select_one("table.edition-changes-numbers")
    assert table is not None, "no number moved"
    rows = [[" ".join(td.get_text(" ").split()) for td in tr.find_all("td")] for tr in table.select("tbody tr")]
    moved = {(page, key): (old, new) for page, key, old, new, _ in rows}
    assert moved.get(("Why join the UN?", "jmdi_projects")) == (OLD, NEW), rows
    link = table.select_one("tbody tr td a")
    assert link["href"] == "../notebooks/01_why_join_the_un.html", link
    assert all(values == (OLD, NEW) for values in moved.values()), rows
    assert all(row[4].startswith("data/facts.csv") for row in rows), rows
