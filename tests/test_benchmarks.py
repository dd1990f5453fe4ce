"""Every benchmark script still starts: its imports resolve against the package as it is.

The benchmarks are run by hand (`make bench-*`), not by the test run, so a renamed module
would otherwise be found only by the next person who measures.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted(
    p for p in (ROOT / "benchmarks").glob("*.py") if p.name not in {"machine.py", "site_input.py"}
)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_benchmark_starts(script: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(script), "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout


def test_site_benchmark_sets_earlier_outputs_aside(tmp_path: Path) -> None:
    """The site benchmark moves the last build's outputs into the work folder's trash (a
    rename: nothing is deleted just before a timed build) and empties it after the run."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench_site
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    work = tmp_path / "work"
    site = work / "archive" / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("x")
    (work / bench_site.STAMP).write_text("{}")
    inode = (site / "a" / "index.html").stat().st_ino
    bench_site.set_aside(site)
    assert not site.exists()
    (moved,) = (work / bench_site.TRASH).iterdir()
    assert (moved / "a" / "index.html").stat().st_ino == inode  # moved, not copied
    bench_site.set_aside(site)  # nothing there: nothing to do
    (tmp_path / bench_site.TRASH).mkdir()
    bench_site.empty_trash(tmp_path)  # not a work folder: left alone
    assert (tmp_path / bench_site.TRASH).is_dir()
    bench_site.empty_trash(work)
    assert not (work / bench_site.TRASH).exists()
    outside = tmp_path / "elsewhere" / "site"  # no work folder above it: deleted
    outside.mkdir(parents=True)
    bench_site.set_aside(outside)
    assert not outside.exists()


def test_site_benchmark_checks_the_serving_goal_in_every_round() -> None:
    """With ``--serve-rounds``, the goal for an edit while serving is met only when every
    round's slowest edit is at most a quarter of that round's own first build."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench_site
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    edit = {"seconds": 7.0, "edits": [6.5, 7.0]}
    archive = {
        "seconds": 30.0,
        "serve_edit": edit,
        "warm": {},
        "html_vs_source": 3.9,
        "largest_html": {"bytes": 250_000},
        "total_bytes": 300_000_000,
    }
    results: dict[str, Any] = {"archive": archive}
    assert bench_site.goals_met(results)["review"] is True  # one round: 7.0 <= 30 / 4
    first = bench_site.serve_round(30.0, edit)
    assert first == {"first_build": 30.0, "edits": [6.5, 7.0], "ratio": 0.233}
    fast = bench_site.serve_round(40.0, {"seconds": 8.0, "edits": [8.0, 7.5]})
    slow = bench_site.serve_round(28.0, {"seconds": 7.1, "edits": [6.9, 7.1]})  # 0.2536
    archive["serve_rounds"] = [first, fast, fast]
    assert bench_site.goals_met(results)["review"] is True
    archive["serve_rounds"] = [first, slow, fast]  # a middle round over a quarter
    assert bench_site.goals_met(results)["review"] is False
    archive["serve_rounds"] = [fast]  # the rounds, not the run's own edit, decide
    archive["serve_edit"] = {"seconds": 9.0, "edits": [9.0]}
    assert bench_site.goals_met(results)["review"] is True
    del archive["serve_rounds"]
    assert bench_site.goals_met(results)["review"] is False  # 9.0 > 30 / 4
