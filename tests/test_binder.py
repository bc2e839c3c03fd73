"""Binder, simulated: every chapter opened in JupyterLab reads as prose, before and after Run All.

As Binder (repo2docker) does it: the repository's files are copied into a folder, an environment
is made from ``requirements.txt`` alone plus the JupyterLab that Binder's image brings
(``requirements-binder-test.txt``), ``postBuild`` runs there, and JupyterLab is served on
127.0.0.1. Chromium opens each chapter and reads its rendered Markdown: no MyST markup may show
raw, no inline expression may show an error, and the saved toggles must render, on opening (from
what is stored) and after Run All (from the kernel). Screenshots go to ``_build/binder/shots``.

The environment is cached in ``_build/binder/env-<hash>``, keyed on the requirement files it was
made from; the copy and ``postBuild`` are redone on every run. A few minutes on 2 CPUs.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from maintainer.paths import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WORK = ROOT / "_build" / "binder"
REQUIREMENTS = ("requirements.txt", "requirements-binder-test.txt")
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# What MyST leaves on the page when nothing renders it.
RAW_MARKUP = ("{glue", "{cite}", "{numref}", "{ref}", "{doc}", "{eval}", ")=")
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"  # the chapter shown
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
START_TIMEOUT_S = 120
RUN_TIMEOUT_S = 300


def environment() -> Path:
    """A virtual environment made from the requirement files alone, cached on their hash."""
    digest = hashlib.sha256(b"".join((ROOT / name).read_bytes() for name in (*REQUIREMENTS, "pyproject.toml")))
    env = WORK / f"env-{digest.hexdigest()[:12]}"
    if not (env / ".complete").is_file():
        shutil.rmtree(env, ignore_errors=True)
        for old in WORK.glob("env-*"):
            shutil.rmtree(old, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
        # -e . in requirements.txt installs the book's package from the copy (cwd), as on Binder
        installed = subprocess.run(
            [
                "nice",
                "-n",
                "10",
                str(env / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                *(arg for name in REQUIREMENTS for arg in ("-r", str(ROOT / name))),
            ],
            cwd=WORK / "repo",
            timeout=1800,
            capture_output=True,
            text=True,
        )
        assert installed.returncode == 0, f"pip install failed:\n{installed.stderr[-3000:]}"
        (env / ".complete").write_text("installed\n")
    return env


def copy_repository(target: Path) -> None:
    """The repository's files (tracked, and new ones not ignored), as Binder clones them."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True, check=True
        )
        .stdout.decode()
        .split("\0")
    )
    shutil.rmtree(target, ignore_errors=True)
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


STORED_MARK = " [as stored]"


def mark_one_stored_result(repo: Path, env: Path, variables: dict[str, str]) -> None:
    """Mark the first stored inline result of each chapter, so the test can tell stored from re-run.

    On opening the mark must show (the prose comes from what is stored); after Run All it must be
    gone (the kernel evaluated the expression again). The notebook is signed again, as postBuild does.
    """
    for path in sorted((repo / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        stored = next(c.metadata["user_expressions"] for c in notebook.cells if c.metadata.get("user_expressions"))
        data = stored[0]["result"]["data"]
        data["text/plain"] = repr(data["text/plain"].strip("'\"") + STORED_MARK)
        nbformat.write(notebook, path)
        subprocess.run(
            [str(env / "bin" / "jupyter"), "trust", str(path)], env=variables, check=True, capture_output=True
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab() -> Iterator[str]:
    """JupyterLab from the Binder-like environment, after postBuild, on 127.0.0.1."""
    repo = WORK / "repo"
    copy_repository(repo)
    env = environment()
    home = WORK / "home"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    variables = {
        **os.environ,
        "PATH": f"{env / 'bin'}:{os.environ['PATH']}",
        "HOME": str(home),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "IPYTHONDIR": str(home / "ipython"),
        "VIRTUAL_ENV": str(env),
    }
    variables.pop("IOMUN_DATA_DIR", None)
    # The reader's JupyterLab settings, with two changes for the test: every cell in the page
    # (no windowing, so that all of them can be read) and no pop-up about Jupyter news.
    settings = home / "settings" / "@jupyterlab"
    for name, value in (
        ("notebook-extension/tracker", '{"windowingMode": "none"}'),
        ("apputils-extension/notification", '{"fetchNews": "false"}'),
    ):
        (settings / f"{name}.jupyterlab-settings").parent.mkdir(parents=True, exist_ok=True)
        (settings / f"{name}.jupyterlab-settings").write_text(value)
    variables["JUPYTERLAB_SETTINGS_DIR"] = str(home / "settings")
    subprocess.run(["nice", "-n", "10", "bash", "postBuild"], cwd=repo, env=variables, check=True, timeout=1200)
    mark_one_stored_result(repo, env, variables)
    port = free_port()
    server = subprocess.Popen(
        [
            str(env / "bin" / "jupyter"),
            "lab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            "--allow-root",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            f"--ServerApp.root_dir={repo}",
        ],
        cwd=repo,
        env=variables,
        stdout=subprocess.DEVNULL,
        stderr=(WORK / "jupyterlab.log").open("w"),
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status", timeout=5)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start; see {WORK / 'jupyterlab.log'}")
                time.sleep(1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def stored_widget_views(path: Path) -> int:
    """How many saved widget views (the toggles) the notebook's outputs hold."""
    notebook = nbformat.read(path, as_version=4)
    return sum(
        WIDGET_VIEW in output.get("data", {})
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )


def read_prose(page) -> list[str]:
    """The rendered text of every Markdown cell, in order (all cells, on screen or not)."""
    return page.eval_on_selector_all(
        f"{NOTEBOOK} .jp-MarkdownCell",
        "cells => cells.map(c => { const shown = c.querySelector('.myst');"
        " return shown ? shown.textContent : 'NOT RENDERED BY jupyterlab-myst: ' + c.textContent; })",
    )


def bare_keys(path: Path) -> set[str]:
    """What jupyterlab-myst shows for a role it cannot resolve: glue keys, citation keys, labels."""
    notebook = nbformat.read(path, as_version=4)
    keys = {
        output.metadata["scrapbook"]["name"]
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if "scrapbook" in output.get("metadata", {})
    }
    keys |= set(re.findall(r"^@\w+\{([^,\s]+),", (ROOT / "book" / "references.bib").read_text(), re.MULTILINE))
    keys |= {
        label
        for cell in notebook.cells
        if cell.cell_type == "markdown"
        for label in re.findall(r"^\(([\w-]+)\)=", cell.source, re.MULTILINE)
        if "_" in label
    }
    return keys


def problems(page, expected_widgets: int, keys: set[str] = frozenset()) -> list[str]:
    """Raw markup, bare keys, errors in inline expressions, and missing toggles, as a reader would notice them."""
    found = []
    for number, text in enumerate(read_prose(page)):
        shown = set(re.findall(r"[\w-]+", text)) & keys
        if shown:
            found.append(f"Markdown cell {number} shows keys instead of values: {sorted(shown)[:5]}")
        for marker in RAW_MARKUP:
            if marker in text:
                at = text.index(marker)
                found.append(f"Markdown cell {number} shows {marker!r}: …{text[max(0, at - 60) : at + 60]}…")
        for error in ("KeyError", "NameError", "Error:"):
            if error in text:
                found.append(f"Markdown cell {number} shows an error: …{text[text.index(error) :][:120]}…")
    widgets = page.locator(f"{NOTEBOOK} .jp-OutputArea-output .widget-toggle-buttons").count()
    raw_widgets = page.locator(f"{NOTEBOOK} .jp-OutputArea-output pre", has_text="ToggleButtons(").count()
    if expected_widgets and not widgets:
        found.append(f"no toggle rendered ({expected_widgets} saved widget views; {raw_widgets} shown as text)")
    return found


def wait_until_rendered(page, expected_widgets: int) -> None:
    """The notebook is shown, its Markdown rendered by jupyterlab-myst and its saved toggles drawn."""
    page.wait_for_selector(f"{NOTEBOOK} .jp-MarkdownCell", timeout=60_000)
    page.wait_for_function(f"document.querySelectorAll('{NOTEBOOK} .jp-MarkdownCell .myst').length > 0", timeout=60_000)
    if expected_widgets:
        try:
            page.wait_for_selector(f"{NOTEBOOK} .jp-OutputArea-output .widget-toggle-buttons", timeout=60_000)
        except PlaywrightTimeout:
            pass  # problems() names it
    page.wait_for_timeout(3000)  # inline expressions render after the cell's text


def shut_down_kernels(page) -> None:
    """Stop every kernel from the page (with its XSRF cookie), so chapters do not run side by side."""
    page.evaluate("""async () => {
        const xsrf = (document.cookie.match(/_xsrf=([^;]+)/) || [])[1];
        const headers = xsrf ? {'X-XSRFToken': decodeURIComponent(xsrf)} : {};
        for (const kernel of await (await fetch('/api/kernels')).json()) {
            await fetch('/api/kernels/' + kernel.id, {method: 'DELETE', headers});
        }
    }""")


def run_all(page) -> None:
    """Run ▸ Run All Cells; wait until the cells are queued ([*]), then until every one has run."""
    prompts = f"[...document.querySelectorAll('{NOTEBOOK} .jp-CodeCell .jp-InputPrompt')]"
    page.click(".lm-MenuBar-itemLabel:text-is('Run')", timeout=10_000)
    page.click(".lm-Menu-item[data-command='runmenu:run-all']", timeout=10_000)
    page.wait_for_function(f"() => {prompts}.some(e => e.textContent.includes('[*]'))", timeout=60_000)
    page.wait_for_function(
        f"() => {prompts}.every(e => /\\[\\d+\\]/.test(e.textContent))", timeout=RUN_TIMEOUT_S * 1000
    )
    # jupyterlab-myst asks the kernel for the Markdown cells' expressions after the code has run
    try:
        page.wait_for_function(
            f"() => !{prompts}.length || !document.querySelector('{NOTEBOOK}').textContent.includes('{STORED_MARK}')",
            timeout=30_000,
        )
    except PlaywrightTimeout:
        pass  # the assertion that follows names it


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_chapter_reads_in_jupyterlab_before_and_after_run_all(jupyterlab: str, browser, path: Path) -> None:
    shots = WORK / "shots"
    shots.mkdir(parents=True, exist_ok=True)
    expected_widgets = stored_widget_views(path)
    keys = bare_keys(path)
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{jupyterlab}/lab/tree/notebooks/{path.name}?reset", timeout=120_000)
        wait_until_rendered(page, expected_widgets)
        page.screenshot(path=str(shots / f"{path.stem}-opened.png"))
        before = problems(page, expected_widgets, keys)
        stored_shown = STORED_MARK in "".join(read_prose(page))
        run_all(page)
        page.screenshot(path=str(shots / f"{path.stem}-after-run-all.png"))
        after = problems(page, expected_widgets, keys)
        stored_left = STORED_MARK in "".join(read_prose(page))
        shut_down_kernels(page)
    finally:
        context.close()
    assert not before, f"{path.name} on opening:\n" + "\n".join(before)
    assert not after, f"{path.name} after Run All:\n" + "\n".join(after)
    assert stored_shown, f"{path.name}: on opening, the prose does not show the stored results"
    assert not stored_left, f"{path.name}: after Run All, the prose still shows a stored result, not the kernel's"
