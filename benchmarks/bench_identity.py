"""Time the derived titles and README titles; write ms per report and the machine.

Usage: python benchmarks/bench_identity.py [--corpus ../shared/corpus/reports]
       [--rounds 5] [--out benchmarks/results/identity.json]

A derived title is computed while the site is planned, in the build's own process, for
every group whose ``group.yml`` has no title: this measures what that costs per report
(the reports parsed beforehand, as in a build), on one core, against the parse itself in
the same run. It also times reading a README's title and summary (what the import does
once per repository).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from machine import machine, write_results  # noqa: E402

from report_archive.reports.catalogue import load_catalogue  # noqa: E402
from report_archive.reports.identity import derive_title, readme_identity  # noqa: E402
from report_archive.reports.parser import parse_report  # noqa: E402

README = (
    "# bird_species_classifier\n\n[![tests](https://x/badge.svg)](https://x)\n\n"
    "A tool that classifies bird species from photos, with saliency maps. It runs on Cloud Run."
    "\n\n## Project structure\n\n```txt\n" + "├── data/\n" * 60 + "```\n\n"
    "## Project description\n\n### Overall goal of the project\n\n"
    + "The goal of this project is to classify bird species from photos. " * 5
    + "\n\n"
    + "## Notes\n\nSome more text about the project and how to run it.\n" * 40
).encode()


def best_of(rounds: int, run: object) -> float:
    times = []
    for _ in range(rounds):
        start = time.process_time()
        run()  # type: ignore[operator]
        times.append(time.process_time() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    corpus_default = ROOT.parent / "shared" / "corpus" / "reports"
    parser.add_argument("--corpus", type=Path, default=corpus_default)
    parser.add_argument("--rounds", type=int, default=5)
    default_out = ROOT / "benchmarks" / "results" / "identity.json"
    parser.add_argument("--out", type=Path, default=default_out)
    args = parser.parse_args()
    paths = sorted(args.corpus.glob("*/*/README.md"))
    if not paths:
        print(f"no reports under {args.corpus}", file=sys.stderr)
        return 2
    load_catalogue()
    reports = [parse_report(p, root=args.corpus) for p in paths]

    parse = best_of(args.rounds, lambda: [parse_report(p, root=args.corpus) for p in paths])
    derive = best_of(args.rounds, lambda: [derive_title(r) for r in reports])
    readme = best_of(args.rounds, lambda: [readme_identity(README) for _ in range(100)])
    result = {
        "benchmark": "identity",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "reports": len(reports),
        "rounds": args.rounds,
        "derive_ms_per_report": round(1000 * derive / len(reports), 3),
        "parse_ms_per_report": round(1000 * parse / len(reports), 3),
        "derive_to_parse": round(derive / parse, 3),
        "readme_bytes": len(README),
        "readme_ms": round(1000 * readme / 100, 3),
        "derive_s_at_1000_groups": round(1000 * derive / len(reports), 2),
    }
    write_results(args.out, result)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
