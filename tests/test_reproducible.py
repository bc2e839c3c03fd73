"""Reproducible numbers: two clean builds of the book write identical manifests.

``book/_ext/manifest.py`` writes ``_build/html/_manifest.json`` at the end of every build:
every glued value per chapter, the SHA-256 of every file in ``data/`` and of every table
a page offers for download. Here the book is built twice from this repository into two
empty temporary folders (no execution cache, no Sphinx environment shared), at the same
time, with a different hash seed and time zone each, and the two manifests must be equal;
the published build (``make book``) must agree with them too. About a minute on 2 CPUs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from maintainer.paths import HTML, ROOT

pytestmark = [pytest.mark.book, pytest.mark.slow]

JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
MANIFEST = "_manifest.json"
# Each build gets its own process environment: order of sets and clock must not matter.
BUILD_ENVIRONMENTS = ({"PYTHONHASHSEED": "1", "TZ": "UTC"}, {"PYTHONHASHSEED": "2", "TZ": "Pacific/Kiritimati"})
CHAPTER_01 = "notebooks/01_why_join_the_un"
BUILD_TIMEOUT_S = 1200


def flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    """``{"glue": {"doc": {"key": "65"}}}`` as ``{"glue / doc / key": "65"}``."""
    flat: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key} / "))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


def differences(first: dict, second: dict) -> list[str]:
    """Every key whose value differs between two manifests, or that only one of them has."""

    def short(value: str | None) -> str:
        if value is None:
            return "<missing>"
        return repr(value if len(value) <= 40 else value[:12] + "…")

    a, b = flatten(first), flatten(second)
    return [
        f"{key}: {short(a.get(key))} != {short(b.get(key))}"
        for key in sorted(a.keys() | b.keys())
        if a.get(key) != b.get(key)
    ]


def _start_build(output: Path, environment: dict[str, str]) -> subprocess.Popen:
    output.mkdir(parents=True)
    log = (output / "build.log").open("w", encoding="utf-8")
    command = [str(JUPYTER_BOOK), "build", str(ROOT), "--path-output", str(output), "--warningiserror", "--keep-going"]
    return subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **environment})


@pytest.fixture(scope="module")
def clean_builds(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    """The manifests of two clean builds made side by side into two empty folders."""
    for needed in ("_build/widget_runtime/widgets/embed.js", "book/data_sources.md"):
        if not (ROOT / needed).is_file():
            pytest.fail(f"{needed} is missing: run `make book` first", pytrace=False)
    outputs = [tmp_path_factory.mktemp(f"build{n}") / "out" for n in (1, 2)]
    builds = [_start_build(out, env) for out, env in zip(outputs, BUILD_ENVIRONMENTS, strict=True)]
    manifests = []
    for out, build in zip(outputs, builds, strict=True):
        try:
            code = build.wait(timeout=BUILD_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            build.kill()
            pytest.fail(f"the build into {out} took over {BUILD_TIMEOUT_S} s", pytrace=False)
        if code != 0:
            tail = (out / "build.log").read_text(encoding="utf-8").splitlines()[-30:]
            pytest.fail(f"the build into {out} failed (exit {code}):\n" + "\n".join(tail), pytrace=False)
        manifests.append(json.loads((out / "_build" / "html" / MANIFEST).read_text("utf-8")))
    return manifests


def test_two_clean_builds_write_identical_manifests(clean_builds: list[dict]) -> None:
    """Same sources, two clean builds: every glued number and every digest is the same."""
    first, second = clean_builds
    glued = first.get("glue", {})
    assert glued, "the manifest lists no glued value"
    for key in ("years_outside_un", "founded_year", "joined_date"):
        assert key in glued.get(CHAPTER_01, {}), f"{CHAPTER_01}: glued key {key!r} missing"
    csvs = {f"data/{path.name}" for path in (ROOT / "data").glob("*.csv")}
    assert csvs <= set(first.get("data", {})), "a CSV of data/ has no digest"
    assert first.get("downloads"), "the manifest lists no download"
    changed = differences(first, second)
    assert not changed, f"two clean builds differ in {len(changed)} values:\n" + "\n".join(changed[:50])


def test_published_build_matches_a_clean_build(clean_builds: list[dict]) -> None:
    """The site `make book` built (with its execution cache) has the clean build's numbers."""
    published = HTML / MANIFEST
    assert published.is_file(), f"{published} is missing: run `make book`"
    changed = differences(json.loads(published.read_text("utf-8")), clean_builds[0])
    assert not changed, (
        f"_build/html differs from a clean build in {len(changed)} values "
        "(stale execution cache?):\n" + "\n".join(changed[:50])
    )


def test_differences_name_the_changed_keys() -> None:
    """The failure message names each differing key, with both values."""
    first = {
        "glue": {CHAPTER_01: {"years_outside_un": "65", "founded_year": "1951"}},
        "data": {"data/facts.csv": "a" * 64},
    }
    second = {"glue": {CHAPTER_01: {"years_outside_un": "66", "founded_year": "1951"}}, "data": {}}
    assert differences(first, first) == []
    assert differences(first, second) == [
        "data / data/facts.csv: 'aaaaaaaaaaaa…' != <missing>",
        f"glue / {CHAPTER_01} / years_outside_un: '65' != '66'",
    ]
