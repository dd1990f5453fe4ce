"""Build a corpus repeated to about 1,000 groups as the archive site and as a naive baseline.

Usage: python benchmarks/bench_site.py [--groups 1000] [--semesters 8]
       [--corpus ../shared/corpus/reports] [--work benchmarks/work]
       [--out benchmarks/results/site.json] [--no-baseline] [--no-browser]
       [--no-distinct-figures] [--prepare import|none] [--reference FILE]
       [--first-year 2023] [--groups-per-year 150] [--no-tools-cost] [--input-only]
       [--rounds 2] [--serve-rounds 1] [--reference-work benchmarks/work]

The input is generated in ``benchmarks/work/`` (gitignored, reused by a later run with the
same options; see `site_input`): report ``i`` is corpus report ``i mod n`` under a new group
number in one of `--semesters` semesters. Every copy's figures are distinct (a one-pixel
change), so that no cache and no content name does the work once for all copies, and they
are stored as ``report-archive import`` stores them (``--prepare none`` keeps the committed
figures, as for reports added by hand).

Two sites are built from it, each in its own subprocess that reports its own peak memory:

- archive: this repository's plugin (``report-archive``, Pagefind search), Material theme;
- baseline: every report copied as a plain Material page (``docs/<semester>/<group>/index.md``
  with its figures beside it) with Material's own search plugin.

The archive is built twice: first with an empty figure cache (a fresh clone's first build:
GitHub evicts an Actions cache unused for a week), then again with the cache kept. Both are
done ``--rounds`` times, as is the baseline's build, and the fastest of each is kept (all
times are recorded): these shared machines make the same build a fifth slower from one run
to the next. Each build starts once the disk has written back what the last one wrote. The
last build's site (and, before a first build, its caches) is moved aside into
``<work>/trash/``, emptied at the end of the run, not deleted just before the build
(`set_aside`): a fresh clone's disk has not just freed thousands of files. The
archive is then built once more after one report was edited (`after_edit`, a new ``mkdocs
build``); then ``mkdocs serve`` runs on it and one report is edited twice (`serve_edit`: how
long staff wait for the rebuilt site; with ``--serve-rounds``, again after each of more
first builds, `serve_rounds`), and, with ``--tools-cost``, with tool detection and
pages on and off in turn (`tools_cost`). For both sites it records build time, peak memory
(of the build process, of its children, and of the largest Pagefind process alone: with
several indexes, ``search.shard_groups``, they run one after another), site size (total,
figures, HTML, search bundles), the source markdown size, the largest HTML page and the
search bytes: for the baseline the size of ``search/search_index.json``, which every full
page load downloads; for the archive the bytes a real browser (Debian's Chromium, see
``tests/browser.py``) fetches before its first result for typical queries. From the sizes it
projects the groups, and the year, at which the site reaches GitHub Pages' 1 GB
(``--groups-per-year`` from ``--first-year``). With ``--reference`` (a results file of this
benchmark at fewer groups, by default ``benchmarks/results/site.json`` when this run has
more groups), it records how build time and memory grew; with ``--reference-work`` (the
``--work`` folder of a run at fewer groups), the reference's first and later builds are
timed in the same run, each round in turn with this run's, and compared with them. Results
go to `--out` with the machine description.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import queue
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from machine import machine, write_results  # noqa: E402
from site_input import STAMP, make_inputs  # noqa: E402

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
    "speedup_warm_vs_baseline": ">= 8x faster than the baseline build (caches kept)",
    "html_vs_source": "site HTML <= 4x the source markdown",
    "largest_page": "largest HTML page < 300 KB",
    "site_size": "whole site with figures < 1 GB",
    "search_bytes": "<= 300 KB fetched before the first search result",
    "pagefind_memory": "Pagefind's peak memory <= 1 GB",
    "linear": "build time <= 2.1x the reference's for twice the groups (first and later builds)",
    "review": "mkdocs serve: rebuilt site after editing one report <= 1/4 of a first build "
    "(in every round of --serve-rounds)",
    "tools_cost": "tool detection and the tool pages add <= 10 % to a build (reading cache off)",
}
PAGES_LIMIT = 1_000_000_000
"""GitHub Pages' limit on a published site."""

PAGEFIND_WRAPPER = """#!{python}
import resource, subprocess, sys
code = subprocess.call([{binary!r}, *sys.argv[1:]])
with open({peak!r}, "a") as f:
    f.write(f"{{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}}\\n")
sys.exit(code)
"""
"""Runs the real pagefind binary and records its peak memory (``PAGEFIND_BINARY_PATH``): one
line per process, so a build that writes several indexes (``search.shard_groups``), one
process after another, records each, and `run_build` keeps the largest."""
INDEX_FOLDER = re.compile(r"pagefind(-[0-9]+)?")
"""The folders of the search indexes: ``pagefind``, then ``pagefind-2``... when split."""


# -- builds ---------------------------------------------------------------------------------


def child_build(config_file: Path, site_dir: Path) -> dict[str, Any]:
    """Build one site in this process; return its time, work and this process's peak memory.

    ``processor_seconds`` is the processor time (user and system) of the build, its worker
    processes and every other process it started and waited for (Pagefind, the writers):
    on ``cores`` cores, no build of this work can take less than it divided by ``cores``.
    """
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    def processor() -> float:
        own, children = (
            resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        )
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    before = processor()
    start = time.perf_counter()
    config = load_config(str(config_file), site_dir=str(site_dir))
    build(config)
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "seconds": round(seconds, 2),
        "processor_seconds": round(processor() - before, 1),
        "peak_rss_mb": round(own / 1024, 1),
        "peak_rss_children_mb": round(children / 1024, 1),
    }


def best_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest of several timed builds of the same site, with every run's time.

    These machines are shared: one build of the same work can take a fifth longer than the
    next. The fastest is the closest to the build's own cost; ``rounds`` keeps them all.
    """
    best = dict(min(runs, key=lambda run: float(run["seconds"])))
    best["rounds"] = [run["seconds"] for run in runs]
    best["processor_rounds"] = [run.get("processor_seconds") for run in runs]
    return best


def pagefind_wrapper(work: Path) -> tuple[Path, Path]:
    """Write the script that runs pagefind and records its peak; return it and its output."""
    from pagefind.service import get_executable

    binary = get_executable()
    assert binary is not None, "pagefind[extended] is not installed"
    script, peak = work / "pagefind-peak.py", work / "pagefind-peak.txt"
    text = PAGEFIND_WRAPPER.format(python=sys.executable, binary=str(binary), peak=str(peak))
    script.write_text(text)
    script.chmod(0o755)
    return script, peak


def run_build(config_file: Path, site_dir: Path, *, cold: bool = False) -> dict[str, Any]:
    """Build a site in a subprocess (`child_build`) and return what it reported.

    The build starts once the disk is quiet (`wait_for_disk`); the seconds waited are in
    ``waited_for_disk``.

    Args:
        config_file: The site's ``mkdocs.yml``.
        site_dir: Where to build it (emptied first).
        cold: Empty the figure cache first (a fresh clone).
    """
    set_aside(site_dir)
    if cold:
        set_aside(config_file.parent / ".cache")
    # Each build starts once the system has written back what the last one wrote (a later
    # build at 2,000 groups would otherwise run while Linux writes the first build's 1 GB).
    waited = wait_for_disk()
    wrapper, peak = pagefind_wrapper(config_file.parent)
    peak.unlink(missing_ok=True)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PAGEFIND_BINARY_PATH=str(wrapper))
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(config_file), str(site_dir)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=config_file.parent,
    )
    result = dict(json.loads(out.stdout.strip().splitlines()[-1]))
    result["waited_for_disk"] = waited
    if peak.is_file():  # the largest single pagefind process (they run one after another)
        peaks = [int(kb) for kb in peak.read_text().split()]
        result["pagefind_peak_mb"] = round(max(peaks) / 1024, 1)
        result["pagefind_processes"] = len(peaks)
    return result


TRASH = "trash"
"""The folder of `--work` where the outputs of earlier builds wait to be deleted."""
RECENT_DELETIONS = 65
"""Seconds for which ext4 without a journal (this benchmark's machines) keeps from reusing
the inodes of deleted files once their table is written (60 s; five minutes more while it is
not). Until then each new file looks past them: a build that follows the deletion of the
last build's 15,000 files spends seconds more in the kernel (``docs/reference/benchmarks.md``)."""


def set_aside(path: Path) -> None:
    """Move `path` into the trash of its work folder, to be deleted after the run.

    The trash is beside the sites (`empty_trash`), on the same disk: a rename. A path it
    cannot be moved from (another disk) is deleted.
    """
    if not path.exists():
        return
    for folder in path.parents:
        if (folder / STAMP).is_file():  # the work folder
            trash = folder / TRASH
            trash.mkdir(exist_ok=True)
            try:
                path.rename(trash / f"{time.time_ns()}-{path.name}")
                return
            except OSError:
                break
    shutil.rmtree(path, ignore_errors=True)


def empty_trash(work: Path, *, settle: bool = False) -> None:
    """Delete what `set_aside` moved into `work`'s trash.

    Args:
        work: The work folder.
        settle: Then wait until the disk has written back and `RECENT_DELETIONS` have
            passed, so that the next build is not slowed by the deletion (before a run).
    """
    trash = work / TRASH
    if not (work / STAMP).is_file() or not trash.is_dir():  # only a work folder's trash
        return
    shutil.rmtree(trash, ignore_errors=True)
    if settle:
        wait_for_disk()
        time.sleep(RECENT_DELETIONS)


FIGURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".svg")


def site_stats(site: Path) -> dict[str, Any]:
    """Return sizes of a built site: total, HTML, figures, search bundle, largest page.

    ``fixed_bytes`` is what does not grow with the groups: the theme's and the plugin's
    assets and Pagefind's own scripts (everything but pages, figures and the index data).
    """
    total = html = figures = search = fixed = 0
    largest = ("", 0)
    files = 0
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(site)
        size = path.stat().st_size
        files += 1
        total += size
        if path.suffix == ".html":
            html += size
            if size > largest[1]:
                largest = (rel.as_posix(), size)
        elif INDEX_FOLDER.fullmatch(rel.parts[0]):
            search += size
            if len(rel.parts) == 2 and not path.name.endswith(".pf_meta"):
                fixed += size
        elif rel.parts[0] in ("assets", "search"):
            fixed += size
        elif path.suffix.lower() in FIGURE_SUFFIXES:
            figures += size
    return {
        "files": files,
        "total_bytes": total,
        "html_bytes": html,
        "figure_bytes": figures,
        "search_bytes": search,
        "fixed_bytes": fixed,
        "largest_html": {"path": largest[0], "bytes": largest[1]},
    }


def projection(
    stats: dict[str, Any], groups: int, first_year: int, per_year: int
) -> dict[str, Any]:
    """When the site reaches GitHub Pages' 1 GB, growing by `per_year` groups a year."""
    per_group = (stats["total_bytes"] - stats["fixed_bytes"]) / groups
    at_limit = int((PAGES_LIMIT - stats["fixed_bytes"]) / per_group)
    return {
        "bytes_per_group": round(per_group),
        "figure_bytes_per_group": round(stats["figure_bytes"] / groups),
        "html_bytes_per_group": round(stats["html_bytes"] / groups),
        "groups_at_1gb": at_limit,
        "groups_per_year": per_year,
        "first_year": first_year,
        "year_reaching_1gb": first_year + at_limit // per_year,
    }


def search_index_stats(site: Path) -> dict[str, Any]:
    """Records, bytes and fragment bytes of a built site's search indexes, summed over them
    (``pagefind/``, then ``pagefind-2/``... when the records were split), and how many."""
    bundles = sorted(p for p in site.iterdir() if p.is_dir() and INDEX_FOLDER.fullmatch(p.name))
    records = bundle_bytes = fragment_bytes = 0
    for bundle in bundles:
        entry = json.loads((bundle / "pagefind-entry.json").read_text())
        records += entry["languages"]["en"]["page_count"]
        bundle_bytes += sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
        fragment_bytes += sum(p.stat().st_size for p in (bundle / "fragment").iterdir())
    return {
        "records": records,
        "indexes": len(bundles),
        "bundle_bytes": bundle_bytes,
        "fragment_bytes": fragment_bytes,
    }


def gzip_size(path: Path) -> int:
    """Bytes of a file gzipped as a web server would send it."""
    return len(gzip.compress(path.read_bytes(), 6))


def measure_search(site: Path, queries: list[str]) -> list[dict[str, Any]]:
    """Load the search page in a fresh Chromium context per query; count bytes to a hit.

    The site is served gzipped like GitHub Pages (`tests.browser.serve`). For each query:
    open ``search/``, type the query and press Enter, wait for the first result, and sum
    the transfer size of every response until then (page, theme, search files) and of the
    search files alone (of every index: ``pagefind/``, ``pagefind-2/``...); then the search
    files the filters' counts load after it.
    """
    from tests.browser import SEARCH_FILES, browser, serve, wait_for_results, watch

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
                    "bytes_search": traffic.bytes(SEARCH_FILES, first=first),
                    "bytes_search_filters_after": traffic.bytes(SEARCH_FILES)
                    - traffic.bytes(SEARCH_FILES, first=first),
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
    parser.add_argument(
        "--distinct-figures",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="give each copy's figures a one-pixel change (default: on)",
    )
    parser.add_argument(
        "--prepare",
        choices=("import", "none"),
        default="import",
        help="store figures as report-archive import does (default), or as committed",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="time the archive's first and later builds and the baseline's this many times "
        "each, and keep the fastest of each (default: 2)",
    )
    parser.add_argument(
        "--reference-work",
        type=Path,
        help="the --work folder of this benchmark at fewer groups (its input made): its "
        "first and later builds are timed in turn with these, to compare in the same run",
    )
    parser.add_argument("--reference", type=Path, help="results at fewer groups to compare with")
    parser.add_argument(
        "--tools-cost",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="build with tools on and off, twice each, to measure what they cost (default: on)",
    )
    parser.add_argument(
        "--serve-rounds",
        type=int,
        default=1,
        help="time the edits while serving this many times, each round after a first build "
        "of its own (with an empty cache), to compare within the round (default: 1)",
    )
    parser.add_argument(
        "--input-only", action="store_true", help="generate the input in --work, build nothing"
    )
    parser.add_argument("--first-year", type=int, default=2023)
    parser.add_argument("--groups-per-year", type=int, default=150)
    args = parser.parse_args()
    if args.rounds < 1 or args.serve_rounds < 1:
        parser.error("--rounds and --serve-rounds must be at least 1")
    # Stopped (SIGTERM), it still puts back the report it was editing (`finally` blocks).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work: Path = args.work.resolve()
    inputs = make_inputs(
        args.corpus,
        work,
        args.groups,
        args.semesters,
        distinct=args.distinct_figures,
        prepare=args.prepare,
        config={"archive": ARCHIVE_CONFIG, "baseline": BASELINE_CONFIG},
    )
    if args.input_only:
        print(json.dumps(inputs))
        return 0
    print(json.dumps(inputs), flush=True)
    empty_trash(work, settle=True)  # left by a run that stopped
    if args.reference_work:
        empty_trash(args.reference_work.resolve(), settle=True)

    results: dict[str, Any] = {
        "benchmark": "site",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "input": inputs,
        "goals": GOALS,
        "earlier_outputs": "moved aside before each build, deleted after the run (set_aside)",
    }
    archive_site = work / "archive" / "site"
    config_file = work / "archive" / "mkdocs.yml"
    ref_config = (
        args.reference_work.resolve() / "archive" / "mkdocs.yml" if args.reference_work else None
    )
    firsts, laters, ref_firsts, ref_laters = [], [], [], []
    for _ in range(args.rounds):  # a first build, then a later one, each round
        firsts.append(run_build(config_file, archive_site, cold=True))
        laters.append(run_build(config_file, archive_site))
        if ref_config is not None:  # the same at fewer groups, in turn with these
            ref_firsts.append(run_build(ref_config, ref_config.parent / "site", cold=True))
            ref_laters.append(run_build(ref_config, ref_config.parent / "site"))
    archive = best_of(firsts)
    archive["warm"] = best_of(laters)
    archive.update(site_stats(archive_site))
    archive["after_edit"] = after_edit(work / "archive", archive_site)
    archive["serve_edit"] = serve_edit(work / "archive")
    print("serve", json.dumps(archive["serve_edit"]), flush=True)
    if args.serve_rounds > 1:
        archive["serve_rounds"] = serve_rounds(
            work / "archive", archive["seconds"], archive["serve_edit"], args.serve_rounds
        )
    if args.tools_cost:
        # its own site folder: the archive's site is measured below as the default builds it
        tools_site = work / "archive" / "site-tools"
        archive["tools_cost"] = tools_cost(work / "archive", tools_site)
        set_aside(tools_site)
        print("tools", json.dumps(archive["tools_cost"]), flush=True)
    archive["html_vs_source"] = round(archive["html_bytes"] / inputs["source_markdown_bytes"], 2)
    archive["projection"] = projection(archive, args.groups, args.first_year, args.groups_per_year)
    archive["search_index"] = search_index_stats(archive_site)
    print("archive", json.dumps(archive), flush=True)
    if not args.no_browser:
        archive["search_to_first_result"] = run_search(archive_site)
        print("search", json.dumps(archive["search_to_first_result"]), flush=True)
    results["archive"] = archive

    if not args.no_baseline:
        baseline_site = work / "baseline" / "site"
        baseline_config = work / "baseline" / "mkdocs.yml"
        baseline = best_of([run_build(baseline_config, baseline_site) for _ in range(args.rounds)])
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

    reference = args.reference or ROOT / "benchmarks/results/site.json"
    if ref_config is not None:
        ref_stamp = json.loads((ref_config.parent.parent / STAMP).read_text(encoding="utf-8"))
        same_run = {
            "input": ref_stamp["input"],
            "machine": results["machine"],
            "archive": {**best_of(ref_firsts), "warm": best_of(ref_laters)},
        }
        results["vs_reference"] = compare(results, same_run, ref_config.parent.parent)
        results["vs_reference"]["same_run"] = True
        results["vs_reference"]["rounds"] = {
            "first_build": [run["seconds"] for run in ref_firsts],
            "later_build": [run["seconds"] for run in ref_laters],
        }
    elif reference.is_file() and reference.resolve() != args.out.resolve():
        earlier = json.loads(reference.read_text())
        if args.reference or earlier["input"]["groups"] < args.groups:
            results["vs_reference"] = compare(results, earlier, reference)
    results["met"] = goals_met(results)
    write_results(args.out, results)
    empty_trash(work)
    if ref_config is not None:
        empty_trash(ref_config.parent.parent)
    print(json.dumps(results["met"], indent=2))
    return 0


ARCHIVE_CONFIG: dict[str, Any] = {
    "site_name": "Report archive benchmark",
    "theme": {"name": "material", "font": False},
    "markdown_extensions": MARKDOWN_EXTENSIONS,
    "plugins": [{"report-archive": {"reports_dir": "reports"}}],
}
BASELINE_CONFIG: dict[str, Any] = {
    "site_name": "Baseline benchmark",
    "theme": {"name": "material", "font": False},
    "markdown_extensions": MARKDOWN_EXTENSIONS,
    "plugins": ["search"],
}


def after_edit(folder: Path, site: Path) -> dict[str, Any]:
    """Build again, in a new ``mkdocs build``, after a staff member edited one report.

    A sentence is added to one report (the last in path order), the site is built with
    the caches kept, and the report is put back as it was.
    """
    readme = sorted((folder / "reports").glob("*/*/README.md"))[-1]
    before = readme.read_bytes()
    try:
        readme.write_bytes(before + b"\nWe also load tested the API with Locust.\n")
        return run_build(folder / "mkdocs.yml", site)
    finally:
        readme.write_bytes(before)


BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")


def serve_edit(folder: Path, edits: int = 2, timeout: float = 180) -> dict[str, Any]:
    """Edit one report `edits` times while ``mkdocs serve`` runs, and time each rebuild.

    ``mkdocs serve`` (its own process, live reload on, as staff run it) builds the site;
    then, `edits` times, a sentence is added to one report (the last in path order) and
    the time from the write to MkDocs' "Documentation built" line is taken. The report is
    put back as it was. Each edit comes 3 seconds after the last build, and once the
    system has written to disk what that build wrote (`wait_for_disk`), as when a reviewer
    reads the site before editing: the first build writes 500 MB (the site, the caches),
    which Linux writes back 30 s later, and an edit rebuilt meanwhile takes a second or two
    more.

    Returns:
        ``first_build`` (MkDocs' own time for the served site's first build), ``seconds``
        (the slowest edit, from the write to the rebuilt site), ``edits`` (each edit's time),
        ``waited_for_disk`` (seconds waited before each edit, after the 3).
    """
    readme = sorted((folder / "reports").glob("*/*/README.md"))[-1]
    before = readme.read_bytes()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    command = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"]
    process = subprocess.Popen(
        command, cwd=folder, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    built: queue.SimpleQueue[tuple[float, float]] = queue.SimpleQueue()
    serving = threading.Event()
    log = folder / "serve.log"  # what mkdocs serve said, to see why when it did not rebuild

    def read() -> None:
        assert process.stderr is not None
        with log.open("w", encoding="utf-8") as out:
            for line in process.stderr:
                out.write(line)
                out.flush()
                if found := BUILT.search(line):
                    built.put((time.perf_counter(), float(found.group(1))))
                elif "Serving on" in line:  # watching the files from now on
                    serving.set()

    def wait() -> float:
        try:
            return built.get(timeout=timeout)[0]
        except queue.Empty:
            raise RuntimeError(f"mkdocs serve did not build in {timeout} s: see {log}") from None

    threading.Thread(target=read, daemon=True).start()
    try:
        first = built.get(timeout=timeout)[1]
        if not serving.wait(timeout):
            raise RuntimeError(f"mkdocs serve did not start serving: see {log}")
        times, waited = [], []
        for n in range(edits):
            time.sleep(3)  # a reviewer's edits are seconds apart
            waited.append(wait_for_disk())
            start = time.perf_counter()
            readme.write_bytes(
                before + f"\nWe also load tested the API with Locust ({n}).\n".encode()
            )
            times.append(round(wait() - start, 2))
    finally:
        readme.write_bytes(before)
        process.send_signal(signal.SIGINT)  # as Ctrl+C: MkDocs removes its site folder
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return {"first_build": first, "seconds": max(times), "edits": times, "waited_for_disk": waited}


def serve_rounds(
    folder: Path, first: float, edit: dict[str, Any], rounds: int
) -> list[dict[str, Any]]:
    """`serve_edit` `rounds` times, each against a first build timed in its own round.

    The first round is the run's (`first`: its fastest first build, timed minutes before;
    `edit`: its `serve_edit`); each other round builds the site with an empty cache
    (`run_build`), then edits while serving. A shared machine's speed drifts over minutes,
    so each of those ratios compares two times taken a minute apart.

    Returns:
        Each round (`serve_round`).
    """
    found = [serve_round(first, edit)]
    for _ in range(rounds - 1):
        cold = run_build(folder / "mkdocs.yml", folder / "site", cold=True)
        found.append(serve_round(cold["seconds"], serve_edit(folder)))
        print("serve round", json.dumps(found[-1]), flush=True)
    return found


def serve_round(first: float, edit: dict[str, Any]) -> dict[str, Any]:
    """A round of `serve_rounds`: ``first_build`` (seconds), ``edits`` (each edit's seconds)
    and ``ratio``, the slowest edit over the first build (rounded; `goals_met` compares
    the times themselves)."""
    slowest = max(edit["edits"])
    return {"first_build": first, "edits": edit["edits"], "ratio": round(slowest / first, 3)}


def wait_for_disk(below_kb: int = 64_000, timeout: float = 120) -> float:
    """Wait until the system's dirty pages are written back (Linux); return the seconds."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            with open("/proc/meminfo", encoding="ascii") as meminfo:
                sizes = {k: v.split()[0] for k, v in (line.split(":", 1) for line in meminfo)}
        except OSError:  # not Linux
            break
        if int(sizes.get("Dirty", "0")) + int(sizes.get("Writeback", "0")) < below_kb:
            break
        time.sleep(0.5)
    return round(time.perf_counter() - start, 1)


def tools_cost(folder: Path, site: Path, rounds: int = 2) -> dict[str, Any]:
    """What detecting tools and the tool pages add to a build (figure cache kept).

    First with the reading cache off, as a first build (every report parsed, with tools
    detected or not): the archive is built with ``pages.tools`` on and off in turn, `rounds`
    times each, the best of each kept. Then with the reading cache on, as every later build:
    on twice and off twice (the cache keeps only what the last build read), the second of
    each kept.
    """

    def build(mode: str, cache: bool) -> float:
        config = dict(ARCHIVE_CONFIG)
        plugin = {"reports_dir": "reports", "cache": cache, "pages": {"tools": mode == "on"}}
        config["plugins"] = [{"report-archive": plugin}]
        config_file = folder / f"mkdocs-tools-{mode}.yml"
        config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
        return float(run_build(config_file, site)["seconds"])

    first: dict[str, list[float]] = {"on": [], "off": []}
    for _ in range(rounds):
        for mode in ("on", "off"):
            first[mode].append(build(mode, cache=False))
    later = {mode: [build(mode, cache=True), build(mode, cache=True)] for mode in ("on", "off")}
    on, off = min(first["on"]), min(first["off"])
    on_later, off_later = later["on"][1], later["off"][1]
    return {
        "seconds": first,
        "with_tools": on,
        "without_tools": off,
        "added_share": round((on - off) / off, 3),
        "later_seconds": later,
        "later_added_share": round((on_later - off_later) / off_later, 3),
    }


def compare(results: dict[str, Any], reference: dict[str, Any], path: Path) -> dict[str, Any]:
    """How this run grew from a run at fewer groups (build times, memory).

    The build times are given as [this run's, the reference's] beside their ratios.
    """
    ours, theirs = results["archive"], reference.get("archive", {})
    groups = results["input"]["groups"] / reference["input"]["groups"]

    def ratio(a: float | None, b: float | None) -> float | None:
        return round(a / b, 2) if a and b else None

    return {
        "file": str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path),
        "groups_ratio": round(groups, 2),
        "first_build_seconds": [ours["seconds"], theirs.get("seconds")],
        "first_build_ratio": ratio(ours["seconds"], theirs.get("seconds")),
        "later_build_seconds": [ours["warm"]["seconds"], theirs.get("warm", {}).get("seconds")],
        "later_build_ratio": ratio(ours["warm"]["seconds"], theirs.get("warm", {}).get("seconds")),
        "pagefind_peak_ratio": ratio(ours.get("pagefind_peak_mb"), theirs.get("pagefind_peak_mb")),
        "same_machine": results["machine"] == reference.get("machine"),
    }


def goals_met(results: dict[str, Any]) -> dict[str, bool | None]:
    """Check each goal of `GOALS` against the results (None: not measured in this run)."""
    archive = results["archive"]
    searches = archive.get("search_to_first_result")
    speedup = results.get("speedup_vs_baseline")
    warm = results.get("speedup_warm_vs_baseline")
    peak = max(archive.get("pagefind_peak_mb") or 0, archive["warm"].get("pagefind_peak_mb") or 0)
    growth = results.get("vs_reference")
    linear = None
    if growth and growth["groups_ratio"] == 2 and growth["first_build_ratio"]:
        linear = max(growth["first_build_ratio"], growth["later_build_ratio"] or 0) <= 2.1
    return {
        "speedup_vs_baseline": None if speedup is None else speedup >= 5,
        "speedup_warm_vs_baseline": None if warm is None else warm >= 8,
        "html_vs_source": archive["html_vs_source"] <= 4,
        "largest_page": archive["largest_html"]["bytes"] < 300_000,
        "site_size": archive["total_bytes"] < PAGES_LIMIT,
        "search_bytes": (
            None
            if not isinstance(searches, list) or not searches
            else all(s["bytes_search"] <= 300_000 for s in searches)
        ),
        "pagefind_memory": None if not peak else peak * 1024 * 1024 <= PAGES_LIMIT,
        "linear": linear,
        "review": all(
            max(r["edits"]) <= r["first_build"] / 4
            for r in archive.get("serve_rounds")
            or [serve_round(archive["seconds"], archive["serve_edit"])]
        ),
        "tools_cost": (
            archive["tools_cost"]["added_share"] <= 0.10 if "tools_cost" in archive else None
        ),
    }


if __name__ == "__main__":
    sys.exit(main())
