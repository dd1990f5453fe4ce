"""The tool-use labels (read by hand, one file per corpus report) and the detector's score.

``tests/fixtures/tools/labels/<semester>_<group>.yml`` says, for one report of
``../shared/corpus``, which catalogue entries the group used (with a quote), which mentions
are not uses (with the reason) and which cases are unclear. Every entry not listed is not
used. A cell is (report, entry); unclear cells are left out of the score.

``python -m tests.tool_labels [dev|held-out|all] [--keyword]`` prints the score and every
wrong cell, for working on the detector (``--keyword``: of the keyword baseline, every entry
named counts as used); the test (tests/test_tool_detection.py) asserts the targets.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

import yaml

from report_archive.reports.parser import parse_bytes
from report_archive.reports.tools import (
    Evidence,
    ToolReport,
    ToolUse,
    detect_tools,
    load_tool_catalogue,
)
from tests.helpers import CORPUS, FIXTURES

LABELS = FIXTURES.parent / "fixtures" / "tools" / "labels"
HELD_OUT = frozenset(
    {
        "2023-january/group-26",
        "2024-january/group-28",
        "2024-january/group-70",
        "2025-january/group-42",
        "2025-january/group-83",
        "2026-january/group-35",
        "2026-january/group-41",
        "2026-january/group-55",
        "2026-january/group-60",
        "2026-january/group-85",
    }
)
"""Reports kept apart while the detector's rules were written, to check they carry over."""


@dataclass(frozen=True)
class Labels:
    """One report's labels."""

    report: str
    used: dict[str, dict[str, str]]
    not_used: dict[str, dict[str, str]]
    unclear: dict[str, dict[str, str]]


def load_labels() -> list[Labels]:
    out = []
    for path in sorted(LABELS.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out.append(
            Labels(
                data["report"],
                data.get("used") or {},
                data.get("not_used") or {},
                data.get("unclear") or {},
            )
        )
    return out


@dataclass
class Score:
    """Counts over labelled cells, and the wrong cells."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.tn += other.tn
        self.errors += other.errors


def detect(report: str) -> ToolReport:
    path = CORPUS / report / "README.md"
    return detect_tools(parse_bytes(path.read_bytes(), path))


def keyword(found: ToolReport) -> ToolReport:
    """The baseline: every entry named in the students' text counts as used."""
    named = {u.tool.id: u for u in found.used}
    for m in found.mentions:
        named.setdefault(m.tool.id, ToolUse(m.tool, (Evidence(m.question, m.text),)))
    return ToolReport(tuple(named.values()), ())


def score(labels: Labels, found: ToolReport) -> Score:
    result = Score()
    used = {u.tool.id: u for u in found.used}
    for tool in load_tool_catalogue().tools:
        if tool.id in labels.unclear:
            continue
        truth = tool.id in labels.used
        said = tool.id in used
        if truth and said:
            result.tp += 1
        elif said:
            result.fp += 1
            result.errors.append(
                f"FP {labels.report} {tool.id}: {used[tool.id].evidence[0].text[:160]!r}"
            )
        elif truth:
            result.fn += 1
            quote = labels.used[tool.id].get("quote", "")[:120]
            why = [m.reason for m in found.mentions if m.tool.id == tool.id]
            result.errors.append(f"FN {labels.report} {tool.id} {why}: {quote!r}")
        else:
            result.tn += 1
    return result


def evaluate(which: str = "all", *, baseline: bool = False) -> Score:
    """Score the detector (or, with `baseline`, the keyword matcher) on labelled reports."""
    total = Score()
    for labels in load_labels():
        held = labels.report in HELD_OUT
        if (which == "dev" and held) or (which == "held-out" and not held):
            continue
        found = detect(labels.report)
        total.add(score(labels, keyword(found) if baseline else found))
    return total


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--keyword"]
    which = args[0] if args else "dev"
    result = evaluate(which, baseline="--keyword" in sys.argv)
    for line in sorted(result.errors, key=lambda e: (e.split()[2], e)):
        print(line)
    print(
        f"{which}: precision {result.precision:.3f} recall {result.recall:.3f} "
        f"(tp {result.tp}, fp {result.fp}, fn {result.fn})",
        file=sys.stderr,
    )
