"""The import's summary: one row per group and a line of totals."""

from __future__ import annotations

from collections.abc import Iterable

from report_archive.staff.importer.run import GroupResult, GroupStatus

__all__ = ["format_summary", "result_rows"]


def result_rows(results: Iterable[GroupResult]) -> list[tuple[str, str, str, str]]:
    """Return ``(group, status, commit, note)`` rows, commits shortened to 7 characters."""
    return [
        (str(r.group), str(r.status), (r.commit or "")[:7], r.note)
        for r in sorted(results, key=lambda r: r.group)
    ]


def format_summary(results: Iterable[GroupResult]) -> str:
    """Return the summary as a plain-text table with a totals line."""
    results = list(results)
    header = ("group", "status", "commit", "note")
    rows = result_rows(results)
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
    lines = []
    for row in [header, *rows]:
        cells = [row[i].ljust(widths[i]) for i in range(3)]
        lines.append("  ".join([*cells, row[3]]).rstrip())
    counts = {s: sum(1 for r in results if r.status is s) for s in GroupStatus}
    total = ", ".join(f"{counts[s]} {s}" for s in GroupStatus)
    lines.append(f"{len(results)} groups: {total}")
    return "\n".join(lines)
