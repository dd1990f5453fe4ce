"""Time tool detection per report against a baseline commit; check the output is the same.

Usage: python benchmarks/bench_detect.py [--corpus ../shared/corpus/reports] [--sample reports]
       [--baseline REF] [--rounds 15] [--out benchmarks/results/detect.json]
       [--write-output PATH] [--compare-output PATH]

Parses every report of the corpus and of the sample once, then runs `detect_tools` on all of
them, several rounds on one core, best of the rounds in CPU time. In the same run it times
the detector as it was at the baseline commit (its ``reports/tools`` package read from git
and imported under another name, with the same catalogue file), alternating the two round
by round so the ratio means something on a noisy machine; and it checks that both give the same JSON
(``used`` with evidence, ``mentions`` with reasons) for every report, byte for byte.

``--write-output`` saves that JSON; ``--compare-output`` compares it with a saved one.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from machine import machine, write_results  # noqa: E402

from report_archive.reports.model import Report  # noqa: E402
from report_archive.reports.parser import parse_report  # noqa: E402
from report_archive.reports.tools import detect_tools, load_tool_catalogue  # noqa: E402

PACKAGE = "plugins/report_archive/reports/tools"
BASELINE = "5327ecb"  # main before these shortcuts
"""The last commit with the detector as first written (8–9 ms per report)."""

Detect = Callable[[Report], Any]


def baseline_detector(ref: str, where: Path) -> Detect:
    """The `detect_tools` of commit `ref`, imported as the package ``baseline_tools``."""
    names = subprocess.run(
        ["git", "ls-tree", "--name-only", f"{ref}:{PACKAGE}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    package = where / "baseline_tools"
    package.mkdir()
    for name in names:
        if not name.endswith(".py"):
            continue
        source = subprocess.run(
            ["git", "show", f"{ref}:{PACKAGE}/{name}"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        source = source.replace("report_archive.reports.tools", "baseline_tools")
        (package / name).write_text(source, encoding="utf-8")
    sys.path.insert(0, str(where))
    module = importlib.import_module("baseline_tools")
    return module.detect_tools  # type: ignore[no-any-return]


def output(found: Any) -> dict[str, Any]:
    """A `ToolReport` as JSON: the entries used with evidence, the mentions with reasons."""
    return {
        "used": [u.to_json() for u in found.used],
        "mentions": [m.to_json() for m in found.mentions],
    }


def outputs(detect: Detect, reports: dict[str, Report]) -> str:
    data = {name: output(detect(report)) for name, report in reports.items()}
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def one_round(detect: Detect, reports: list[Report]) -> float:
    gc.collect()
    start = time.process_time()
    for report in reports:
        detect(report)
    return time.process_time() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/reports")
    parser.add_argument("--sample", type=Path, default=ROOT / "reports")
    parser.add_argument("--baseline", default=BASELINE, help="a git commit (default %(default)s)")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/detect.json")
    parser.add_argument("--write-output", type=Path)
    parser.add_argument("--compare-output", type=Path)
    args = parser.parse_args()
    paths = {
        f"{label}/{p.parent.parent.name}/{p.parent.name}": p
        for label, root in (("corpus", args.corpus), ("sample", args.sample))
        for p in sorted(root.glob("*/*/README.md"))
    }
    corpus = sum(1 for name in paths if name.startswith("corpus/"))
    if not corpus:
        print(f"no reports under {args.corpus}", file=sys.stderr)
        return 2
    reports = {name: parse_report(path) for name, path in paths.items()}
    catalogue = load_tool_catalogue()

    def current(report: Report) -> Any:
        return detect_tools(report, catalogue)

    with tempfile.TemporaryDirectory() as tmp:
        old = baseline_detector(args.baseline, Path(tmp))
        new_text, old_text = outputs(current, reports), outputs(old, reports)
        if args.write_output:
            args.write_output.write_text(new_text, encoding="utf-8")
        same_as_saved = None
        if args.compare_output:
            same_as_saved = args.compare_output.read_text(encoding="utf-8") == new_text
        listed = list(reports.values())
        new_times, old_times = [], []
        for _ in range(args.rounds):
            old_times.append(one_round(old, listed))
            new_times.append(one_round(current, listed))
    new_ms = min(new_times) / len(listed) * 1000
    old_ms = min(old_times) / len(listed) * 1000
    parse_times = []
    for _ in range(3):
        start = time.process_time()
        for path in paths.values():
            parse_report(path)
        parse_times.append(time.process_time() - start)
    result = {
        "benchmark": "tools",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "reports": len(listed),
        "corpus_reports": corpus,
        "sample_reports": len(listed) - corpus,
        "rounds": args.rounds,
        "baseline": args.baseline,
        "ms_per_report": {
            "detect_tools": round(new_ms, 3),
            "baseline_detect_tools": round(old_ms, 3),
            "parse_report": round(min(parse_times) / len(listed) * 1000, 3),
        },
        "speed_up": round(old_ms / new_ms, 2),
        "same_output_as_baseline": new_text == old_text,
        "same_output_as_saved": same_as_saved,
        "target": "detect_tools >= 2.5x faster than the baseline (<= 3.5 ms per report)",
        "target_met": old_ms / new_ms >= 2.5 and new_ms <= 3.5 and new_text == old_text,
    }
    write_results(args.out, result)
    print(json.dumps(result, indent=2))
    return 0 if new_text == old_text and same_as_saved is not False else 1


if __name__ == "__main__":
    sys.exit(main())
