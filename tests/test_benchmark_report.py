"""The benchmark's Lighthouse figures: medians over runs, and verdicts against the landing page."""

from __future__ import annotations

import importlib
import sys

from maintainer.paths import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))  # the benchmark's parts import each other by name
lighthouse = importlib.import_module("lighthouse")
report = importlib.import_module("report")


def _run(score: int, fcp: float, foreign: tuple[str, ...] = (), runtime: bool = False) -> dict:
    return {
        "score": score,
        "fcp_ms": fcp,
        "lcp_ms": fcp + 300,
        "tbt_ms": 100 - score,
        "cls": 0.0,
        "transfer_bytes": 100_000,
        "foreign_requests": list(foreign),
        "widget_runtime_requested": runtime,
        "requests": 20,
    }


def test_median_run_takes_each_measure_median_and_keeps_what_any_run_saw() -> None:
    runs = [_run(99, 1200), _run(80, 2400, foreign=("https://cdn.example/x.js",)), _run(95, 1300, runtime=True)]
    page = lighthouse.median_run(runs)
    assert (page["score"], page["fcp_ms"], page["lcp_ms"], page["tbt_ms"]) == (95, 1300, 1600, 5)
    assert page["scores"] == [99, 80, 95] and page["fcps_ms"] == [1200, 2400, 1300]
    assert page["foreign_requests"] == ["https://cdn.example/x.js"]
    assert page["widget_runtime_requested"] is True
    assert page["runs"] == 3


def test_rows_judge_chapters_by_median_fcp_against_the_landing_page() -> None:
    found = {
        "version": "x",
        "landing": "book/intro",
        "runs": 3,
        "pages": {
            "book/intro": lighthouse.median_run([_run(99, 1000), _run(98, 1100), _run(97, 1500)]),
            "notebooks/01": lighthouse.median_run([_run(95, 1200), _run(96, 1260), _run(94, 2000)]),
            "notebooks/02": lighthouse.median_run([_run(95, 1300), _run(96, 1300), _run(94, 1300)]),
        },
    }
    rows = {row["measure"]: row for row in report.lighthouse_rows(found)}
    first, second = rows["(f) notebooks/01 Lighthouse, mobile"], rows["(f) notebooks/02 Lighthouse, mobile"]
    assert first["result"] == "PASS" and "1.15x landing" in first["value"]  # 1260 <= 1.15 x 1100
    assert second["result"] == "FAIL"  # 1300 > 1265
    assert first["value"].startswith("95 (94–96); FCP 1.26 s (1.20–2.00)")


def test_growth_rows_judge_the_page_that_grows_most_per_viewport() -> None:
    def measure(before: int, after: int) -> dict:
        return {"before": before, "after": after, "growth_pct": round(100 * (after - before) / before, 2)}

    growth = {
        "laptop": {"book/intro": measure(3000, 3010), "notebooks/04": measure(7249, 17460)},
        "phone": {"book/intro": measure(5000, 5000), "notebooks/04": measure(9414, 9500)},
    }
    laptop, phone = report.growth_rows(growth)
    assert laptop["result"] == "FAIL" and "notebooks/04: 7,249 to 17,460 px" in laptop["value"]
    assert phone["result"] == "PASS" and phone["value"].startswith("at most 0.9 %")
