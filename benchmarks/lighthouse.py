"""(f) Lighthouse (mobile defaults) on every page, served gzip-compressed from 127.0.0.1, median of runs."""

from __future__ import annotations

import gzip
import json
import os
import statistics
import subprocess
from pathlib import Path

from settings import BIN, HERE, LIGHTHOUSE_RUNS, chromium, is_foreign, log

from maintainer.site import CHROMIUM_ARGS, QuietHandler, serve

RUNTIME = "widgets/embed.js"
LIGHTHOUSE = HERE / "node_modules" / "lighthouse" / "cli" / "index.js"
LIGHTHOUSE_AUDITS = {  # report key -> Lighthouse audit
    "fcp_ms": "first-contentful-paint",
    "lcp_ms": "largest-contentful-paint",
    "tbt_ms": "total-blocking-time",
    "cls": "cumulative-layout-shift",
    "transfer_bytes": "total-byte-weight",
}


class GzipHandler(QuietHandler):
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


def lighthouse_version() -> str:
    return json.loads((LIGHTHOUSE.parent.parent / "package.json").read_text("utf-8"))["version"]


def lighthouse_page(url: str) -> dict:
    """One Lighthouse performance run (mobile defaults) of ``url``; its figures."""
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    command = [
        str(BIN / "node"),
        str(LIGHTHOUSE),
        url,
        f"--chrome-path={chromium()}",
        f"--chrome-flags={flags}",
        "--only-categories=performance",
        "--output=json",
        "--output-path=stdout",
        "--quiet",
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
        "foreign_requests": [item["url"] for item in requests if is_foreign(item["url"])],
        "widget_runtime_requested": any(RUNTIME in item["url"] for item in requests),
        # where the main thread went (simulated ms): the three costliest scripts, the long tasks
        "script_time_ms": {
            item["url"].split("/")[-1][:60]: round(item["total"]) for item in _items(audits, "bootup-time")[:3]
        },
        "long_tasks_ms": [round(item["duration"]) for item in _items(audits, "long-tasks")],
    }


def _items(audits: dict, audit: str) -> list[dict]:
    return (audits.get(audit, {}).get("details") or {}).get("items") or []


def median_run(runs: list[dict]) -> dict:
    """The page's figures over its runs: the median of each measure, every run's score and
    FCP, and whatever any run saw (a foreign request, the widget runtime)."""
    middle = {key: statistics.median(run[key] for run in runs) for key in ("score", *LIGHTHOUSE_AUDITS)}
    typical = min(runs, key=lambda run: abs(run["fcp_ms"] - middle["fcp_ms"]))  # for the details
    return {
        **typical,
        **{key: round(value, 3 if key == "cls" else 0) for key, value in middle.items()},
        "runs": len(runs),
        "scores": [run["score"] for run in runs],
        "fcps_ms": [run["fcp_ms"] for run in runs],
        "foreign_requests": sorted({url for run in runs for url in run["foreign_requests"]}),
        "widget_runtime_requested": any(run["widget_runtime_requested"] for run in runs),
    }


def lighthouse_measures(html: Path, docs: list[str], runs: int = LIGHTHOUSE_RUNS) -> dict:
    """Lighthouse ``runs`` times on every page in ``docs``, the site served gzipped from
    127.0.0.1; per page the median (Lighthouse's own advice against its run-to-run spread).

    The runs go round the pages in turn, so that a change of the machine's load falls on
    every page alike rather than on the pages measured last.
    """
    if not LIGHTHOUSE.is_file():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run `make benchmark` (it installs it)")
    server, base = serve(html, GzipHandler)
    try:
        found: dict[str, list[dict]] = {doc: [] for doc in docs}
        for round_ in range(1, runs + 1):
            for doc in docs:
                run = lighthouse_page(f"{base}{doc}.html")
                found[doc].append(run)
                log(
                    f"lighthouse {round_}/{runs} {doc}: score {run['score']}, FCP {run['fcp_ms']:.0f} ms,"
                    f" LCP {run['lcp_ms']:.0f} ms, TBT {run['tbt_ms']:.0f} ms"
                )
    finally:
        server.shutdown()
        server.server_close()
    pages = {doc: median_run(page_runs) for doc, page_runs in found.items()}
    return {"version": lighthouse_version(), "landing": docs[0], "runs": runs, "pages": pages}
