"""Fuzz the report pipeline with mutated real reports; write the run's figures.

Usage: python benchmarks/fuzz_reports.py [--reports 10000] [--seed 0]
       [--out benchmarks/results/fuzz.json]

Every report is a sample report (``reports/``) or a corpus report (``../shared/corpus``)
with hostile mutations (`tests.fuzz.generate`), run through parse → render → search record
as the site does, and checked (`tests.fuzz.pipeline`): no exception, no unsafe HTML, no
report slower than ten times the median. Exits 1 when a check fails, and lists the reports.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from machine import machine, write_results  # noqa: E402
from tests.fuzz.generate import seed_reports  # noqa: E402
from tests.fuzz.runner import failures, fuzz, summary  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "fuzz.json")
    args = parser.parse_args()
    seeds = seed_reports()
    start = time.perf_counter()
    outcomes = fuzz(args.reports, args.seed, seeds)
    seconds = time.perf_counter() - start
    result = {
        "benchmark": "fuzz",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "random_seed": args.seed,
        **summary(outcomes),
        "seconds": round(seconds, 1),
        "seed_reports": [os.path.relpath(p, ROOT) for p in seeds],
        "machine": machine(),
    }
    write_results(args.out, result)
    problems = failures(outcomes)
    print(
        f"{result['reports']} reports from {len(seeds)} seeds in {seconds:.0f} s: "
        f"{result['exceptions']} exceptions, {result['unsafe_outputs']} unsafe, "
        f"{result['slow_reports']} slow (max/median {result['max_over_median']}); "
        f"written to {args.out}"
    )
    for line in problems[:20]:
        print(line, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
