"""What a browser fetches before its first search result: a record per group or per answer.

Usage: python benchmarks/bench_search.py [--groups 1000] [--corpus ../shared/corpus/reports]
       [--work benchmarks/work/search] [--out benchmarks/results/search.json]

The corpus is read once (tools detected) and laid out as the site does; its search records
(`report_archive.search.answers.answer_records`) are repeated to `--groups` groups under new
URLs, in eight semesters, and written as two Pagefind indexes:

- ``group``: one record per group page, the answers as sections (the site's layout);
- ``answer``: one record per answer, with the filters Semester, Question and Tool.

Each index is served gzipped like GitHub Pages (`tests.browser.serve`) and searched in a
fresh Chromium context per query with Pagefind's JavaScript API (no UI): the bytes of
``pagefind/`` fetched until the first five results' data are loaded, then the bytes that
loading every filter (the counts a filter UI shows) adds. Results go to `--out` with the
machine description.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from machine import machine, write_results  # noqa: E402

from report_archive.reports.archive import load_archive  # noqa: E402
from report_archive.reports.catalogue import load_catalogue  # noqa: E402
from report_archive.search.answers import answer_records  # noqa: E402
from report_archive.search.pagefind import write_index  # noqa: E402
from report_archive.search.records import (  # noqa: E402
    FILTER_QUESTION,
    FILTER_SEMESTER,
    FILTER_TOOL,
    SearchRecord,
)
from report_archive.site.plan import Options, SitePlan  # noqa: E402

QUERIES = ["dvc", "cloud run", "load testing"]
SEMESTERS = 8
SEARCH = """async ([query]) => {
    const pagefind = await import('../pagefind/pagefind.js');
    await pagefind.options({ noWorker: true });
    const response = await pagefind.search(query);
    await Promise.all(response.results.slice(0, 5).map((r) => r.data()));
    return response.results.length;
}"""
FILTERS = """async () => {
    const pagefind = await import('../pagefind/pagefind.js');
    await pagefind.filters();
}"""


def layouts(corpus: Path, groups: int) -> dict[str, list[SearchRecord]]:
    """The corpus' group records repeated to `groups` groups, and the same per answer."""
    catalogue = load_catalogue()
    plan = SitePlan(load_archive(corpus, tools=True), catalogue, Options())
    titles = {q.id: q.title for q in catalogue.questions}
    base = answer_records(plan, lambda uri: uri)
    per_semester = -(-groups // SEMESTERS)
    by_group: list[SearchRecord] = []
    by_answer: list[SearchRecord] = []
    for i in range(groups):
        year = 2026 - SEMESTERS + 1 + i // per_semester
        number = i % per_semester + 1
        record = base[i % len(base)]
        semester = f"January {year}"
        filters = {**record.filters, FILTER_SEMESTER: [semester]}
        url = f"/{year}-january/group-{number}/"
        title = f"Group {number} · {semester}"
        by_group.append(replace(record, url=url, title=title, filters=filters))
        for section in record.sections:
            by_answer.append(
                SearchRecord(
                    url=f"{url}#{section.anchor}",
                    title=title,
                    content=section.content,
                    filters={
                        FILTER_SEMESTER: [semester],
                        FILTER_QUESTION: [titles.get(section.anchor, section.anchor)],
                        FILTER_TOOL: record.filters.get(FILTER_TOOL, []),
                    },
                )
            )
    return {"group": by_group, "answer": by_answer}


def measure(site: Path, queries: list[str]) -> list[dict[str, Any]]:
    """Bytes of ``pagefind/`` to the first five results, then to load every filter."""
    from tests.browser import browser, serve, watch

    out = []
    with serve(site) as base, browser() as chromium:
        for query in queries:
            context = chromium.new_context()
            page = context.new_page()
            traffic = watch(page)
            page.goto(base + "search/")
            start = time.perf_counter()
            results = page.evaluate(SEARCH, [query])
            seconds = time.perf_counter() - start
            page.wait_for_timeout(200)
            first = traffic.bytes("/pagefind/")
            page.evaluate(FILTERS)
            page.wait_for_timeout(200)
            out.append(
                {
                    "query": query,
                    "results": results,
                    "bytes_to_first_results": first,
                    "bytes_filters": traffic.bytes("/pagefind/") - first,
                    "seconds": round(seconds, 2),
                }
            )
            context.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/reports")
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "work" / "search")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/search.json")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "benchmark": "search",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "groups": args.groups,
        "layouts": {},
    }
    for name, records in layouts(args.corpus, args.groups).items():
        site = args.work.resolve() / name
        shutil.rmtree(site, ignore_errors=True)
        (site / "search").mkdir(parents=True)
        page = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head></html>'
        (site / "search" / "index.html").write_text(page, encoding="utf-8")
        stats = write_index(records, site / "pagefind")
        meta = next((site / "pagefind").glob("*.pf_meta"))
        layout = {
            "records": stats.records,
            "bundle_bytes": stats.bytes,
            "page_table_bytes": meta.stat().st_size,
            "index_seconds": round(stats.seconds, 1),
            "queries": measure(site, QUERIES),
        }
        print(name, json.dumps(layout), flush=True)
        results["layouts"][name] = layout
    write_results(args.out, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
