"""Run the pipeline over generated reports and sum up what happened."""

from __future__ import annotations

import statistics
import time
import traceback
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.fuzz.generate import Case, cases, seed_reports
from tests.fuzz.pipeline import problems, run

SLOW = 10.0
"""A report is slow when it takes more than this many times the median report."""
RETIME = 5.0
"""A report over this many times the median is timed again (see `fuzz`)."""


@dataclass
class Outcome:
    """What one generated report gave.

    Attributes:
        case: The report.
        seconds: The pipeline's CPU time (the fastest of the tries, see `fuzz`).
        problems: What was unsafe in the output.
        error: The exception's traceback, if the pipeline raised.
    """

    case: Case
    seconds: float
    problems: list[str] = field(default_factory=list)
    error: str | None = None


def fuzz(
    count: int, seed: int = 0, seeds: list[Path] | None = None, retries: int = 3
) -> list[Outcome]:
    """Run `count` generated reports through the pipeline.

    Times are CPU times. A report over `RETIME` times the median is timed again, up to
    `retries` times, and keeps its fastest time: on a shared machine one time can include
    a cache emptied by someone else's work; a report that is slow by itself stays slow.

    Args:
        count: How many reports.
        seed: The generator's seed.
        seeds: The reports to mutate (default: `generate.seed_reports`).
        retries: How many more times a slow report is timed.
    """
    paths = seed_reports() if seeds is None else seeds
    run(paths[0].read_bytes(), paths[0])  # load the catalogue and warm the caches first
    outcomes = [_one(case) for case in cases(count, seed, paths)]
    timed = [o.seconds for o in outcomes if o.error is None]
    median = statistics.median(timed) if timed else 0.0
    for outcome in outcomes:
        for _ in range(retries):
            if outcome.error is not None or outcome.seconds <= RETIME * median:
                break
            outcome.seconds = min(outcome.seconds, _one(outcome.case).seconds)
    return outcomes


def _one(case: Case) -> Outcome:
    start = time.process_time()
    try:
        output = run(case.data, case.source)
    except Exception:
        return Outcome(case, time.process_time() - start, error=traceback.format_exc())
    seconds = time.process_time() - start
    return Outcome(case, seconds, problems(output))


def summary(outcomes: Iterable[Outcome]) -> dict[str, Any]:
    """Return a run's figures: counts, times per report, and the worst reports."""
    done = list(outcomes)
    times = sorted(o.seconds for o in done if o.error is None)
    median = statistics.median(times) if times else 0.0
    slow = [o for o in done if o.error is None and o.seconds > SLOW * median]
    worst = sorted((o for o in done if o.error is None), key=lambda o: -o.seconds)[:5]
    return {
        "reports": len(done),
        "exceptions": sum(o.error is not None for o in done),
        "unsafe_outputs": sum(bool(o.problems) for o in done),
        "slow_reports": len(slow),
        "seconds_per_report": {
            "median": round(median, 5),
            "p99": round(times[min(len(times) - 1, int(len(times) * 0.99))], 5) if times else 0,
            "max": round(times[-1], 5) if times else 0,
        },
        "max_over_median": round(times[-1] / median, 2) if median else 0,
        "mutations": dict(sorted(Counter(m for o in done for m in o.case.mutations).items())),
        "slowest": [
            {
                "report": o.case.number,
                "seed": _name(o.case.source),
                "mutations": list(o.case.mutations),
                "seconds": round(o.seconds, 5),
                "kilobytes": round(len(o.case.data) / 1000, 1),
            }
            for o in worst
        ],
    }


def failures(outcomes: Iterable[Outcome]) -> list[str]:
    """Describe every report that raised, was unsafe or slow (empty when all is well)."""
    done = list(outcomes)
    times = [o.seconds for o in done if o.error is None]
    median = statistics.median(times) if times else 0.0
    out = []
    for o in done:
        what = f"report {o.case.number} ({_name(o.case.source)}, {', '.join(o.case.mutations)})"
        if o.error is not None:
            out.append(f"{what} raised:\n{o.error}")
        elif o.problems:
            out.append(f"{what} is unsafe: {o.problems[:5]}")
        elif o.seconds > SLOW * median:
            out.append(f"{what} took {o.seconds:.3f} s, over {SLOW:g}× the median {median:.4f} s")
    return out


def _name(source: Path) -> str:
    return f"{source.parent.parent.name}/{source.parent.name}"
