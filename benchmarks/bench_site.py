"""Build the corpus repeated to about 1,000 groups as the archive site and as a naive baseline.

Usage: python benchmarks/bench_site.py [--groups 1000] [--semesters 8]
       [--corpus ../shared/corpus/reports] [--work benchmarks/work]
       [--out benchmarks/results/site.json] [--no-baseline] [--no-browser]

The input is generated in ``benchmarks/work/`` (gitignored): report ``i`` is corpus report
``i mod 33`` (copied for the archive, linked for the baseline), in one of `--semesters` semesters
(``2019-january`` ...) under a new group number, so every URL is unique.

Two sites are built from it, each in its own subprocess that reports its own peak memory:

- archive: this repository's plugin (``report-archive``, Pagefind search), Material theme;
- baseline: every report copied as a plain Material page (``docs/<semester>/<group>/index.md``
  with its figures beside it) with Material's own search plugin.

The archive is built twice: first with an empty figure cache (a new archive's first build,
which converts every large figure), then again with the cache kept (every later build, as in
CI with the cache saved). For both sites it records build time, peak memory, site size
(total and HTML only), the source markdown size, the largest HTML page and the search
bytes: for the baseline the size of ``search/search_index.json``, which every full page
load downloads; for the archive the bytes a real browser (Debian's Chromium, see
``tests/browser.py``) fetches before its first result for typical queries. Results go to
``benchmarks/results/site.json`` with the machine description.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from machine import machine  # noqa: E402

MARKDOWN_EXTENSIONS: list[Any] = [
    "admonition",
    "attr_list",
    "md_in_html",
    "pymdownx.details",
    "pymdownx.superfences",
    "tables",
    {"toc": {"permalink": True}},
]
QUERIES = ["dvc", "cloud run", "load testing"]
"""Typical queries for the browser measurement (the first one is the headline figure)."""

GOALS = {
    "speedup_vs_baseline": ">= 5x faster than the baseline build (first build, empty cache)",
    "speedup_warm_vs_baseline": ">= 5x faster than the baseline build (figure cache kept)",
    "html_vs_source": "site HTML <= 4x the source markdown",
    "largest_page": "largest HTML page < 300 KB",
    "site_size": "whole site with figures < 1 GB",
    "search_bytes": "<= 300 KB fetched before the first search result",
}


# -- input ----------------------------------------------------------------------------------


def _link_tree(
    source: Path, target: Path, rename: dict[str, str] | None = None, *, copy: bool = False
) -> int:
    """Put every file of `source` into `target`; return the bytes of README.md.

    The archive gets copies (it never reads through a link, and a hard link to the corpus
    would make the corpus' own files hard links); the baseline gets symbolic links.
    """
    readme = 0
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(source).as_posix()
        dest = target / (rename or {}).get(rel, rel)
        dest.parent.mkdir(parents=True, exist_ok=True)
        if copy:
            shutil.copyfile(path, dest)
        else:
            os.symlink(path.resolve(), dest)
        if rel == "README.md":
            readme = path.stat().st_size
    return readme


def make_inputs(corpus: Path, work: Path, groups: int, semesters: int) -> dict[str, Any]:
    """Write the archive's ``reports/`` and the baseline's ``docs/`` under `work`."""
    reports = sorted(p.parent for p in corpus.glob("*/*/README.md"))
    if not reports:
        raise SystemExit(f"no reports under {corpus}")
    for name in ("archive", "baseline"):
        shutil.rmtree(work / name, ignore_errors=True)
    per_semester = -(-groups // semesters)
    first_year = 2026 - semesters + 1
    source_bytes = 0
    for i in range(groups):
        source = reports[i % len(reports)]
        semester = f"{first_year + i // per_semester}-january"
        group = f"group-{i % per_semester + 1}"
        source_bytes += _link_tree(
            source, work / "archive" / "reports" / semester / group, copy=True
        )
        _link_tree(
            source,
            work / "baseline" / "docs" / semester / group,
            rename={"README.md": "index.md"},
        )
    theme = {"name": "material", "font": False}
    archive = {
        "site_name": "Report archive benchmark",
        "theme": theme,
        "markdown_extensions": MARKDOWN_EXTENSIONS,
        "plugins": [{"report-archive": {"reports_dir": "reports"}}],
    }
    (work / "archive" / "docs").mkdir(parents=True, exist_ok=True)
    (work / "archive" / "mkdocs.yml").write_text(yaml.safe_dump(archive), encoding="utf-8")
    baseline = {
        "site_name": "Baseline benchmark",
        "theme": theme,
        "markdown_extensions": MARKDOWN_EXTENSIONS,
        "plugins": ["search"],
    }
    (work / "baseline" / "docs" / "index.md").write_text("# Reports\n", encoding="utf-8")
    (work / "baseline" / "mkdocs.yml").write_text(yaml.safe_dump(baseline), encoding="utf-8")
    return {
        "groups": groups,
        "semesters": semesters,
        "distinct_reports": len(reports),
        "source_markdown_bytes": source_bytes,
    }


# -- builds ---------------------------------------------------------------------------------


def child_build(config_file: Path, site_dir: Path) -> dict[str, Any]:
    """Build one site in this process; return its time and this process's peak memory."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    start = time.perf_counter()
    config = load_config(str(config_file), site_dir=str(site_dir))
    build(config)
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(own / 1024, 1),
        "peak_rss_children_mb": round(children / 1024, 1),
    }


def run_build(config_file: Path, site_dir: Path) -> dict[str, Any]:
    """Build a site in a subprocess (`child_build`) and return what it reported."""
    shutil.rmtree(site_dir, ignore_errors=True)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(config_file), str(site_dir)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=config_file.parent,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def site_stats(site: Path) -> dict[str, Any]:
    """Return sizes of a built site: total, HTML, largest page, file count."""
    total = html = 0
    largest = ("", 0)
    files = 0
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        files += 1
        total += size
        if path.suffix == ".html":
            html += size
            if size > largest[1]:
                largest = (path.relative_to(site).as_posix(), size)
    return {
        "files": files,
        "total_bytes": total,
        "html_bytes": html,
        "largest_html": {"path": largest[0], "bytes": largest[1]},
    }


def gzip_size(path: Path) -> int:
    """Bytes of a file gzipped as a web server would send it."""
    return len(gzip.compress(path.read_bytes(), 6))


def measure_search(site: Path, queries: list[str]) -> list[dict[str, Any]]:
    """Load the search page in a fresh Chromium context per query; count bytes to a hit.

    The site is served gzipped like GitHub Pages (`tests.browser.serve`). For each query:
    open ``search/``, type the query and press Enter, wait for the first result, and sum
    the transfer size of every response until then (page, theme, search files) and of the
    search files alone; then the search files the filters' counts load after it.
    """
    from tests.browser import browser, serve, wait_for_results, watch

    out = []
    with serve(site) as base, browser() as chromium:
        for query in queries:
            context = chromium.new_context()
            page = context.new_page()
            traffic = watch(page)
            start = time.perf_counter()
            page.goto(base + "search/")
            page.fill("#ra-search-input", query)
            page.press("#ra-search-input", "Enter")
            wait_for_results(page)
            seconds = time.perf_counter() - start
            first = len(traffic.finished)
            page.wait_for_load_state("networkidle")
            out.append(
                {
                    "query": query,
                    "results": page.locator(".ra-search-status").inner_text(),
                    "bytes_total": traffic.bytes(first=first),
                    "bytes_search": traffic.bytes("/pagefind/", first=first),
                    "bytes_search_filters_after": traffic.bytes("/pagefind/")
                    - traffic.bytes("/pagefind/", first=first),
                    "requests": first,
                    "seconds_to_first_result": round(seconds, 2),
                    "console_errors": traffic.console_errors,
                }
            )
            context.close()
    return out


def run_search(site: Path) -> list[dict[str, Any]] | dict[str, str]:
    """Run `measure_search` in a fresh process (own browser and server); errors are kept."""
    out = subprocess.run(
        [sys.executable, __file__, "--search-child", str(site)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"}
    result: list[dict[str, Any]] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(child_build(Path(sys.argv[2]), Path(sys.argv[3]))))
        return 0
    if len(sys.argv) == 3 and sys.argv[1] == "--search-child":
        print(json.dumps(measure_search(Path(sys.argv[2]), QUERIES)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/reports")
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--semesters", type=int, default=8)
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "work")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/site.json")
    parser.add_argument("--no-baseline", action="store_true", help="skip the baseline build")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser measure")
    args = parser.parse_args()
    work: Path = args.work.resolve()
    inputs = make_inputs(args.corpus, work, args.groups, args.semesters)
    print(json.dumps(inputs), flush=True)

    results: dict[str, Any] = {
        "benchmark": "site",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "input": inputs,
        "goals": GOALS,
    }
    archive_site = work / "archive" / "site"
    archive = run_build(work / "archive" / "mkdocs.yml", archive_site)
    archive["warm"] = run_build(work / "archive" / "mkdocs.yml", archive_site)
    archive.update(site_stats(archive_site))
    archive["html_vs_source"] = round(archive["html_bytes"] / inputs["source_markdown_bytes"], 2)
    bundle = archive_site / "pagefind"
    archive["search_index"] = {
        "records": json.loads((bundle / "pagefind-entry.json").read_text())["languages"]["en"][
            "page_count"
        ],
        "bundle_bytes": sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file()),
    }
    print("archive", json.dumps(archive), flush=True)
    if not args.no_browser:
        archive["search_to_first_result"] = run_search(archive_site)
        print("search", json.dumps(archive["search_to_first_result"]), flush=True)
    results["archive"] = archive

    if not args.no_baseline:
        baseline_site = work / "baseline" / "site"
        baseline = run_build(work / "baseline" / "mkdocs.yml", baseline_site)
        baseline.update(site_stats(baseline_site))
        baseline["html_vs_source"] = round(
            baseline["html_bytes"] / inputs["source_markdown_bytes"], 2
        )
        index = baseline_site / "search" / "search_index.json"
        baseline["search_index"] = {"bytes": index.stat().st_size, "gzip_bytes": gzip_size(index)}
        print("baseline", json.dumps(baseline), flush=True)
        results["baseline"] = baseline
        results["speedup_vs_baseline"] = round(baseline["seconds"] / archive["seconds"], 1)
        results["speedup_warm_vs_baseline"] = round(
            baseline["seconds"] / archive["warm"]["seconds"], 1
        )

    results["met"] = goals_met(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {args.out}")
    print(json.dumps(results["met"], indent=2))
    return 0


def goals_met(results: dict[str, Any]) -> dict[str, bool | None]:
    """Check each goal of `GOALS` against the results (None: not measured in this run)."""
    archive = results["archive"]
    searches = archive.get("search_to_first_result")
    speedup = results.get("speedup_vs_baseline")
    warm = results.get("speedup_warm_vs_baseline")
    return {
        "speedup_vs_baseline": None if speedup is None else speedup >= 5,
        "speedup_warm_vs_baseline": None if warm is None else warm >= 5,
        "html_vs_source": archive["html_vs_source"] <= 4,
        "largest_page": archive["largest_html"]["bytes"] < 300_000,
        "site_size": archive["total_bytes"] < 1_000_000_000,
        "search_bytes": (
            None
            if not isinstance(searches, list) or not searches
            else all(s["bytes_search"] <= 300_000 for s in searches)
        ),
    }


if __name__ == "__main__":
    sys.exit(main())
