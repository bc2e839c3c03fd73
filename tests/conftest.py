"""Shared fixtures of the test suite: a copy of data/ to break, the built site served on 127.0.0.1, and
Chromium driven by Playwright.

Paths come from ``maintainer/paths.py`` and the site's settings from ``maintainer/site.py``. The
refresh tests' stand-in services (fixtures ``stand_in_services`` and ``setup``) live in ``tests/refresh_stand_ins.py``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from data_copies import changed_files, digests
from refresh_stand_ins import setup, stand_in_services  # noqa: F401 - fixtures of tests/test_refresh_*.py

from iomun import data
from maintainer.paths import ROOT
from maintainer.site import CHROMIUM_ARGS, CHROMIUM_NAMES, HTML, chromium_path, serve


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses Chromium or the served site is a browser or book test, marked or not,
    so `make test-fast` (which deselects both) never fails for want of a build."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "browser" in names:
            item.add_marker(pytest.mark.browser)
        if "site" in names:
            item.add_marker(pytest.mark.book)


@pytest.fixture
def copy(tmp_path: Path) -> Iterator[Path]:
    """A copy of data/ to break. After the test, data/ itself must be as it was: a test that wrote
    to the real files instead of the copy fails here, naming them."""
    real = ROOT / "data"
    before = digests(real)
    target = tmp_path / "data"
    shutil.copytree(real, target)
    yield target
    data.clear_cache()
    changed = changed_files(before, digests(real))
    assert not changed, f"the test changed files of data/ instead of its copy: {changed}"


@pytest.fixture(scope="session")
def site() -> Iterator[str]:
    """The built book served over HTTP on 127.0.0.1 (a free port), for the whole session."""
    if not (HTML / "index.html").is_file():
        pytest.fail(f"{HTML / 'index.html'} is missing: build the book first with `make book`", pytrace=False)
    server, url = serve(HTML)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    """The system's Chromium (the one found on PATH is the one launched), driven by Playwright."""
    executable = chromium_path()
    if executable is None:
        pytest.fail(
            f"none of {', '.join(CHROMIUM_NAMES)} is on PATH: install it with `apt-get install chromium`", pytrace=False
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
