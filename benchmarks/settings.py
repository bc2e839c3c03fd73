"""What every part of the benchmark shares: paths, targets, units, the log line, the pages."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from maintainer.paths import ROOT
from maintainer.site import CHROMIUM_NAMES, HOST, chromium_path, toc_documents

HERE = Path(__file__).resolve().parent
BIN = ROOT / ".venv" / "bin"
MB = 1_000_000  # decimal megabyte
TARGETS = {
    "cold_build_over_bare": 1.5,  # cold build <= 1.5 x bare execution
    "cached_over_cold": 0.15,  # cached rebuild <= 0.15 x cold build
    "toggle_ms": 50.0,  # click-to-repaint <= 50 ms
    "chapter_gzip_bytes": 1.5 * MB,  # each chapter page <= 1.5 MB gzipped
    "lighthouse_score": 90,  # every page's Lighthouse performance score >= 90
    "chapter_fcp_over_landing": 1.15,  # each chapter's FCP <= 1.15 x the landing page's
    "page_growth_pct": 3.0,  # no page grows by more than 3 % while scrolled through
}
# Lighthouse runs per page; each measure is their median (Lighthouse's docs/variability.md
# advises five: one run's score can move by several points on the same build)
LIGHTHOUSE_RUNS = 5


def log(message: str) -> None:
    print(f"[benchmark] {message}", flush=True)


def chapter_documents() -> list[str]:
    """The documents of ``_toc.yml`` under ``notebooks/``, in reading order."""
    return [doc for doc in toc_documents() if doc.startswith("notebooks/")]


def is_foreign(url: str) -> bool:
    """Whether ``url`` leaves this machine (data:, blob: and about: never do)."""
    parts = urlsplit(url)
    return parts.scheme not in {"data", "blob", "about"} and parts.hostname != HOST


def chromium() -> str:
    """The one Chromium the benchmark drives, as the tests do; stop if there is none."""
    executable = chromium_path()
    if executable is None:
        raise SystemExit(f"none of {', '.join(CHROMIUM_NAMES)} is on PATH: apt-get install chromium")
    return executable
