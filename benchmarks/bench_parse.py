"""Parse the corpus repeated to about 1,000 reports; write reports/s and the machine.

Usage: python benchmarks/bench_parse.py [--corpus ../shared/corpus/reports] [--reports 1000]
       [--out benchmarks/results/parse.json]

Runs on one core (the parser is single-threaded). In the same run it times a baseline,
the course checker's own approach (split the text on ``Answer:`` and count words with
``str.split``), so the ratio means something on a noisy machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from machine import machine, write_results  # noqa: E402

from report_archive.reports import decoding  # noqa: E402
from report_archive.reports.catalogue import load_catalogue  # noqa: E402
from report_archive.reports.parser import parse_report  # noqa: E402


def course_checker(path: Path) -> int:
    """The course checker's work: split on ``Answer:``, count words of each part."""
    text = path.read_text(encoding="utf-8", errors="replace")
    return sum(len(part.split()) for part in text.split("Answer:")[1:])


def timed(paths: list[Path], func: object) -> float:
    start = time.perf_counter()
    for p in paths:
        func(p)  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    corpus_default = ROOT.parent / "shared" / "corpus" / "reports"
    parser.add_argument("--corpus", type=Path, default=corpus_default)
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "parse.json")
    args = parser.parse_args()
    corpus = sorted(args.corpus.glob("*/*/README.md"))
    if not corpus:
        print(f"no reports under {args.corpus}", file=sys.stderr)
        return 2
    paths = (corpus * (args.reports // len(corpus) + 1))[: args.reports]
    load_catalogue()  # loaded once per process, as in a build

    calls = 0
    original = decoding.ftfy.fix_encoding

    def counting(text: str) -> str:
        nonlocal calls
        calls += 1
        return original(text)

    decoding.ftfy.fix_encoding = counting
    parse_times, baseline_times = [], []
    for _ in range(args.rounds):
        baseline_times.append(timed(paths, course_checker))
        parse_times.append(timed(paths, parse_report))
    decoding.ftfy.fix_encoding = original
    best = min(parse_times)
    result = {
        "benchmark": "parse",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "distinct_reports": len(corpus),
        "reports": len(paths),
        "rounds": args.rounds,
        "parse_seconds": {
            "best": round(best, 3),
            "median": round(statistics.median(parse_times), 3),
        },
        "reports_per_second": round(len(paths) / best, 1),
        "baseline_course_checker_seconds": round(min(baseline_times), 3),
        "parse_vs_baseline": round(best / min(baseline_times), 1),
        "ftfy_calls_per_round": calls // args.rounds,
        "target": ">= 200 reports/s on one core (1,000 reports in <= 5 s)",
        "target_met": len(paths) / best >= 200,
    }
    write_results(args.out, result)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
