"""What the tool pages cost a build: the corpus repeated to about 1,000 groups, in memory.

Usage: python benchmarks/bench_tools.py [--groups 1000] [--semesters 8] [--repeat 5]
       [--similar 1000 2000] [--corpus ../shared/corpus/reports]
       [--out benchmarks/results/tools.json] [--work benchmarks/work/tools]

The corpus is read once with tool detection; group ``i`` of the benchmark archive is corpus
group ``i mod 33`` under a new number, in one of `--semesters` semesters. The site is planned
once without any view (answers rendered, as a build does before planning pages), then each
step the tool pages add is timed `--repeat` times (best and median, in seconds of wall-clock
and of this process' CPU time):

- ``index``: counting every group's tools (`report_archive.site.tool_index.ToolIndex`);
- ``plan``: planning the list of tools and every tool page;
- ``render_tool_pages``: rendering them (with the adoption charts and co-usage);
- ``group_extras``: every group's badges and similar groups, and their part of the group
  page (``partials/group-tools.html``);
- ``semester_extras``: every semester's most used tools and their part of the page.

``corpus_build`` builds the corpus itself (33 groups) with MkDocs, `--repeat` times with
``pages.tools`` on and off in turn (no search, one process, figures cached), and reports
what detection and the tool pages together add to the whole build, and per added page.

``similar`` times the five most similar groups of every group at each `--similar` size,
with `report_archive.site.similarity.Jaccard` and, for comparison, by comparing every pair
(each copy of a corpus report drops one of its tools and adds another, seeded, so that
copies differ).
Detection itself is measured with the parser (``bench_parse.py``), not here. Results go to
``benchmarks/results/tools.json`` with the machine description.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from machine import machine, write_results  # noqa: E402

from report_archive.reports.archive import Archive, Semester, load_archive  # noqa: E402
from report_archive.reports.catalogue import load_catalogue  # noqa: E402
from report_archive.site.plan import Options, SitePlan  # noqa: E402
from report_archive.site.rendering import PageRenderer, make_environment  # noqa: E402
from report_archive.site.similarity import Jaccard, nearest_brute_force  # noqa: E402
from report_archive.site.tool_index import ToolIndex  # noqa: E402
from report_archive.site.views.tool_page import ToolView  # noqa: E402
from report_archive.site.views.tool_rows import (  # noqa: E402
    semester_tools,
    similar_groups,
    tool_badges,
)
from report_archive.site.views.tools import ToolsView  # noqa: E402


def repeated(archive: Archive, groups: int, semesters: int) -> Archive:
    """The archive's groups repeated to `groups`, spread over `semesters` new semesters."""
    source = archive.groups
    per_semester = -(-groups // semesters)
    first_year = 2026 - semesters + 1
    out = Archive(root=archive.root)
    for s in range(semesters):
        year = first_year + s
        semester = Semester(f"{year}-january", f"January {year}", year * 100 + 1, archive.root)
        for n in range(per_semester):
            i = s * per_semester + n
            if i >= groups:
                break
            entry = source[i % len(source)]
            semester.groups.append(
                replace(entry, semester=semester.slug, slug=f"group-{n + 1}", number=n + 1)
            )
        out.semesters.append(semester)
    out.semesters.sort(key=lambda s: -s.order)
    return out


def timed(step: Callable[[], object], repeat: int) -> dict[str, float]:
    """Wall-clock and CPU seconds of `step` (best and median of `repeat` runs).

    The CPU time of this process is the steadier figure on a machine shared with other
    work; the wall-clock time is what a build waits.
    """
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        step()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return {
        "best": round(min(wall), 4),
        "median": round(statistics.median(wall), 4),
        "cpu_best": round(min(cpu), 4),
        "cpu_median": round(statistics.median(cpu), 4),
    }


def bench_pages(archive: Archive, repeat: int) -> dict[str, Any]:
    plan = SitePlan(archive, load_catalogue(), Options(jobs=0), views=[])
    env = make_environment()
    renderer = PageRenderer(plan, env)

    def url(uri: str) -> str:
        return "../" + uri

    def link(uri: str | None, anchor: str | None = None) -> str | None:
        return None if uri is None else url(uri) + (f"#{anchor}" if anchor else "")

    def index() -> None:
        plan.tool_index = ToolIndex(plan.groups, archive.semesters)

    def plan_pages() -> None:
        for kind in ("tools", "tool"):
            for spec in list(plan.of_kind(kind)):
                del plan.pages[spec.src_uri]
        ToolsView().plan(plan)
        ToolView().plan(plan)

    def render_tool_pages() -> None:
        for kind in ("tools", "tool"):
            for spec in plan.of_kind(kind):
                renderer.render(spec, url)

    group_part = env.get_template("partials/group-tools.html")
    semester_part = env.get_template("partials/semester-tools.html")
    index_pages = plan.index()

    def group_extras() -> None:
        assert plan.tool_index is not None
        plan.tool_index._jaccard = None  # count the similarity index in, as a build does
        for group in plan.groups:
            group_part.render(
                tools=tool_badges(plan, group), similar=similar_groups(plan, group), link=link
            )

    def semester_extras() -> None:
        for semester in archive.semesters:
            tools = semester_tools(plan, semester)
            semester_part.render(tools=tools, link=link, index=index_pages)

    steps = {
        "index": timed(index, repeat),
        "plan": timed(plan_pages, repeat),
        "render_tool_pages": timed(render_tool_pages, repeat),
        "group_extras": timed(group_extras, repeat),
        "semester_extras": timed(semester_extras, repeat),
    }
    pages = list(plan.of_kind("tool"))
    return {
        "steps": steps,
        "total_best": round(sum(s["best"] for s in steps.values()), 4),
        "total_median": round(sum(s["median"] for s in steps.values()), 4),
        "total_cpu_best": round(sum(s["cpu_best"] for s in steps.values()), 4),
        "total_cpu_median": round(sum(s["cpu_median"] for s in steps.values()), 4),
        "tool_pages": len(pages),
        "tool_pages_split": sum(1 for p in pages if p.data.parent is not None),
    }


def bench_similar(archive: Archive, sizes: list[int], repeat: int) -> list[dict[str, Any]]:
    base = [sorted(g.tools.ids) if g.tools else [] for g in archive.groups]
    ids = sorted({t for tools in base for t in tools})
    rng = random.Random(0)
    out = []
    for n in sizes:
        # each copy of a corpus report drops one of its tools and adds another
        sets = []
        for i in range(n):
            tools = set(base[i % len(base)])
            tools.discard(rng.choice(base[i % len(base)]))
            tools.add(rng.choice(ids))
            sets.append(frozenset(tools))

        def fast(sets: list[frozenset[Any]] = sets) -> None:
            jaccard = Jaccard(sets)
            for i in range(len(sets)):
                jaccard.nearest(i, 5)

        def brute(sets: list[frozenset[Any]] = sets) -> None:
            for i in range(len(sets)):
                nearest_brute_force(sets, i, 5)

        out.append({"groups": n, "jaccard": timed(fast, repeat), "every_pair": timed(brute, 1)})
    return out


def bench_corpus_build(corpus: Path, repeat: int, work: Path) -> dict[str, Any]:
    from tests.site_check import build_site, site_config

    times: dict[bool, list[float]] = {True: [], False: []}
    pages: dict[bool, int] = {}
    for n in range(repeat + 1):  # the first round fills the figure cache
        for tools in (True, False):
            root = work / f"build-{n}-{tools}"
            shutil.rmtree(root, ignore_errors=True)
            options = {
                "search": {"engine": "none"},
                "pages": {"tools": tools},
                "jobs": 1,
                "figures": {"cache_dir": str(work / "figure-cache")},
            }
            start = time.perf_counter()
            built = build_site(root, site_config(corpus.resolve(), options))
            if n:
                times[tools].append(time.perf_counter() - start)
            pages[tools] = len(list(built.site.rglob("*.html")))
            shutil.rmtree(root)
    on, off = statistics.median(times[True]), statistics.median(times[False])
    added = pages[True] - pages[False]
    return {
        "groups": 33,
        "seconds_tools_on": round(on, 3),
        "seconds_tools_off": round(off, 3),
        "added_seconds": round(on - off, 3),
        "added_share": round((on - off) / off, 3),
        "added_pages": added,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--semesters", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--similar", type=int, nargs="*", default=[1000, 2000])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/reports")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/tools.json")
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks/work/tools")
    args = parser.parse_args(argv)
    corpus = load_archive(args.corpus, jobs=0, tools=True)
    archive = repeated(corpus, args.groups, args.semesters)
    result = {
        "benchmark": "tools",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "input": {
            "groups": args.groups,
            "semesters": args.semesters,
            "distinct_reports": len(corpus.groups),
            "repeat": args.repeat,
        },
        "pages": bench_pages(archive, args.repeat),
        "similar": bench_similar(corpus, args.similar, args.repeat),
        "corpus_build": bench_corpus_build(args.corpus, args.repeat, args.work),
    }
    write_results(args.out, result)
    print(json.dumps({k: result[k] for k in ("pages", "similar", "corpus_build")}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
