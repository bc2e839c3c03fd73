"""The edition in one place (CITATION.cff), its citations, its release step, and what moves between editions.

Fast tests (no build): ``.zenodo.json`` and CITATION.cff's preferred citation agree with the
edition; a hostile title stays data in HTML, BibTeX and RIS; the release step refuses a dirty
tree and failing tests (leaving the files as they were) and otherwise keeps the manifest,
commits and tags; a changed value in a copy of ``data/`` is found as exactly one changed row
of one file, citing its source. The built pages and the second edition: test_edition_site.py,
test_edition_changes.py.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from maintainer import release as release_step
from maintainer.changes_page import compare, edition_manifest, render
from maintainer.edition import Citation, Edition, read_edition, zenodo_text
from maintainer.paths import ROOT

HOSTILE = 'A {title} with 50% & $5 #1_x ~^\\ <script>alert("x")</script>\nRIS: ER  - '


def test_zenodo_and_preferred_citation_follow_citation_cff() -> None:
    edition = read_edition()
    assert (ROOT / ".zenodo.json").read_text(encoding="utf-8") == zenodo_text(edition), (
        ".zenodo.json differs from CITATION.cff: the release step writes it (make release)"
    )
    preferred = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))["preferred-citation"]
    assert (preferred["edition"], preferred["year"], preferred["month"], preferred["url"]) == (
        edition.version,
        edition.date.year,
        edition.date.month,
        edition.url,
    )


def _edition() -> Edition:
    return Edition(
        "Book & {co}", ("The iomun contributors",), "1.2.3", dt.date(2027, 1, 31), "https://example.org/book/"
    )


def test_citation_keeps_a_hostile_title_as_data() -> None:
    citation = Citation(_edition(), HOSTILE, "notebooks/x.html")
    assert "<script>" not in citation.html() and "&lt;script&gt;" in citation.html()
    assert "(edition 1.2.3, 31 January 2027)" in citation.text()
    bibtex = citation.bibtex()
    depth = 0
    for i, char in enumerate(bibtex):  # every unescaped brace is balanced
        if char in "{}" and (i == 0 or bibtex[i - 1] != "\\"):
            depth += 1 if char == "{" else -1
            assert depth >= 0, bibtex
    assert depth == 0, bibtex
    assert r"50\% \& \$5 \#1\_x \textasciitilde{}\textasciicircum{}\textbackslash{}" in bibtex
    assert "edition = {1.2.3}" in bibtex and "@incollection{iomun2027-x," in bibtex
    ris = citation.ris().splitlines()
    assert [line[:2] for line in ris] == ["TY", "AU", "TI", "T2", "ET", "PY", "DA", "UR", "ER"], ris
    assert ris[-1] == "ER  -"


def _repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(ROOT / "CITATION.cff", root / "CITATION.cff")
    shutil.copy(ROOT / ".zenodo.json", root / ".zenodo.json")
    shutil.copytree(ROOT / "data", root / "data")
    (root / ".gitignore").write_text("_build/\n", encoding="utf-8")
    for command in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "start"],
    ):
        subprocess.run(["git", "-C", str(root), *command], check=True)
    return root


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GIT_AUTHOR_NAME", "t")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "t@example.org")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "t")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "t@example.org")
    monkeypatch.delenv("IOMUN_DATA_DIR", raising=False)
    return _repo(tmp_path)


def _files(root: Path) -> dict[str, str]:
    return {name: (root / name).read_text(encoding="utf-8") for name in ("CITATION.cff", ".zenodo.json")}


def test_release_refuses_a_dirty_tree(repo: Path) -> None:
    (repo / "data" / "gaps.csv").write_text("changed\n", encoding="utf-8")
    before = _files(repo)
    with pytest.raises(release_step.Refused, match="not clean"):
        release_step.release("9.0.0", dt.date(2027, 1, 31), ["true"], root=repo)
    assert _files(repo) == before


def test_release_refuses_failing_tests_and_restores_the_files(repo: Path) -> None:
    before = _files(repo)
    with pytest.raises(release_step.Refused, match="tests failed"):
        release_step.release("9.0.0", dt.date(2027, 1, 31), ["false"], root=repo)
    assert _files(repo) == before
    assert not (repo / "editions").exists()


def test_release_refuses_an_older_version(repo: Path) -> None:
    with pytest.raises(release_step.Refused, match="not newer"):
        release_step.release("0.0.1", dt.date(2027, 1, 31), ["true"], root=repo)


def test_release_keeps_the_manifest_commits_and_tags(repo: Path) -> None:
    built = {"glue": {"notebooks/x": {"total": "65.3"}}, "data": {}, "downloads": {}}
    # the test command stands for `make test`, which builds the site and its manifest
    script = f"mkdir -p _build/html && printf '%s' '{json.dumps(built)}' > _build/html/_manifest.json"
    kept = release_step.release("9.0.0", dt.date(2027, 1, 31), ["sh", "-c", script], root=repo)
    edition = read_edition(repo / "CITATION.cff")
    assert (edition.version, edition.date) == ("9.0.0", dt.date(2027, 1, 31))
    assert json.loads((repo / ".zenodo.json").read_text(encoding="utf-8"))["version"] == "9.0.0"
    manifest = json.loads(kept.read_text(encoding="utf-8"))
    assert manifest["glue"] == built["glue"] and manifest["edition"] == {"version": "9.0.0", "date": "2027-01-31"}
    assert "data/facts.csv" in manifest["rows"] and manifest["sources"]
    git = ["git", "-C", str(repo)]
    assert subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True).stdout == ""
    assert subprocess.run([*git, "tag"], capture_output=True, text=True).stdout.split() == ["v9.0.0"]


def test_one_changed_value_is_one_changed_row_of_one_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    old = edition_manifest({"data": {}}, _edition(), data)
    lines = (data / "facts.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    row = next(i for i, line in enumerate(lines[1:], 1) if line.split(",")[1].replace(".", "").isdigit())
    cells = lines[row].split(",")
    fact, value, source = cells[0], cells[1], cells[header.index("source_id")]
    cells[1] = str(float(value) + 1)
    lines[row] = ",".join(cells)
    (data / "facts.csv").write_text("".join(lines), encoding="utf-8")
    new = edition_manifest({"data": {}}, _edition(), data)
    old["data"], new["data"] = {"data/facts.csv": "a"}, {"data/facts.csv": "b"}
    changes = compare(old, new)
    assert changes["files"] == [("data/facts.csv", 1, [source])], (fact, changes["files"])
    assert not changes["sources_added"] and not changes["sources_removed"]
    page = render(changes, _edition(), {"edition": {"version": "1.0.0", "date": "2026-01-01"}})
    assert "data/facts.csv</code>: 1 row changed" in page and f"<code>{source}</code>" in page


def test_changes_page_keeps_data_as_data(tmp_path: Path) -> None:
    """A source title or a glued value with markup in it is shown as text on the changes page."""
    hostile = '<img src=x onerror="alert(1)"> & {{x}}'
    old = {
        "edition": {"version": "1.0.0", "date": "2026-01-01"},
        "glue": {"notebooks/x": {"n": "1"}},
        "data": {"data/a.csv": "1"},
        "rows": {"data/a.csv": {"s": ["r1"]}},
        "sources": {},
    }
    new = {
        "glue": {"notebooks/x": {"n": hostile}},
        "data": {"data/a.csv": "2"},
        "rows": {"data/a.csv": {"s": ["r2"]}},
        "sources": {"s": {"title": hostile, "date_read": "2027-01-01"}},
    }
    page = render(compare(old, new), _edition(), old, {"notebooks/x": hostile})
    assert "<img" not in page and page.count("&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; {{x}}") == 5
    assert "1 row changed" in page and "Source added" in page
    first = render(None, _edition(), None)
    assert "first edition (1.2.3, 31 January 2027)" in first
