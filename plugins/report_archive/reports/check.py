"""What `report-archive check` reports: the course checker's rules, as rows.

Plain functions from parsed reports (and their metadata files) to rows; the command line
writes them as a table, CSV, JSON or Markdown (`report_archive.cli.formats`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from report_archive.reports.layout import GROUP_FILE, REPORT_FILE, SEMESTER_FILE
from report_archive.reports.meta import MetaProblem, read_group_meta, read_semester_meta
from report_archive.reports.model import Answer, Level, Range, Report, Status

__all__ = ["Unreadable", "answer_rows", "metadata_problems", "summary_rows"]


@dataclass(frozen=True)
class Unreadable:
    """A file that could not be read at all."""

    source: Path
    reason: str


def metadata_problems(paths: Sequence[Path]) -> list[MetaProblem]:
    """Check the ``group.yml`` and ``semester.yml`` files that go with the given paths.

    A folder is searched for both files (hidden folders skipped); a report file brings its
    folder's ``group.yml``. Each file is read as the build reads it (`report_archive.reports.meta`),
    from the folder given, without following links.
    """
    problems: list[MetaProblem] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                f
                for name in (GROUP_FILE, SEMESTER_FILE)
                for f in path.rglob(name)
                if not any(part.startswith(".") for part in f.relative_to(path).parts[:-1])
            )
            root = path
        else:
            found, root = [path.parent / GROUP_FILE], path.parent
        for file in found:
            if file.name == SEMESTER_FILE:
                problems += read_semester_meta(file.parent, root)[1]
            elif file.is_file() or file.is_symlink():
                problems += read_group_meta(file.parent, root)[1]
    return problems


def _range(bounds: Range | None) -> str:
    if bounds is None:
        return ""
    low, high = bounds
    return str(low) if low == high else f"{low}-{high}"


def _mark(ok: bool, has_range: bool) -> str:
    return "" if ok or not has_range else " !"


def answer_rows(report: Report) -> list[dict[str, Any]]:
    """One row per question of a report: status, words and images against their ranges."""
    rows = []
    for a in report.answers:
        rows.append(
            {
                "question": a.number,
                "id": a.question,
                "title": a.title,
                "status": _status(a),
                "words": a.words,
                "words_range": _range(a.word_range),
                "images": a.images,
                "images_range": _range(a.image_range),
                "missing_figures": [r.target for r in a.missing_figures],
                "ok": a.ok,
            }
        )
    return rows


def _status(a: Answer) -> str:
    if a.status is Status.UNANSWERED:
        return "optional, blank" if a.optional else "unanswered"
    if not a.words_ok and a.word_range and a.words < a.word_range[0]:
        return "too short"
    if not a.words_ok:
        return "too long"
    if not a.images_ok:
        return "images"
    return "ok"


def summary_rows(
    reports: Sequence[Report | Unreadable], base: Path | None = None
) -> list[dict[str, Any]]:
    """One row per report, for triage: what is missing, out of range or wrong.

    ``unanswered`` counts the required questions left blank or missing (optional ones
    are not counted), ``out_of_range`` the answers outside the template's word or image
    range, ``missing_figures`` the figures referenced but not committed.
    """
    rows = []
    for r in reports:
        name = _name(r.source, base)
        if isinstance(r, Unreadable):
            rows.append(
                {
                    "report": name,
                    "group": None,
                    "template": "",
                    "answered": "",
                    "unanswered": "",
                    "out_of_range": "",
                    "missing_figures": "",
                    "errors": 1,
                    "warnings": 0,
                    "note": r.reason,
                }
            )
            continue
        answered = sum(a.status is Status.ANSWERED for a in r.answers)
        rows.append(
            {
                "report": name,
                "group": r.group.number,
                "template": r.template.id,
                "answered": f"{answered}/{len(r.answers)}",
                "unanswered": sum(
                    a.status is not Status.ANSWERED and not a.optional for a in r.answers
                ),
                "out_of_range": sum(
                    a.status is Status.ANSWERED and not (a.words_ok and a.images_ok)
                    for a in r.answers
                ),
                "missing_figures": sum(len(a.missing_figures) for a in r.answers),
                "errors": sum(d.level is Level.ERROR for d in r.diagnostics),
                "warnings": sum(d.level is Level.WARNING for d in r.diagnostics),
                "note": "",
            }
        )
    return rows


def _name(source: Path, base: Path | None) -> str:
    """A report's name: its folder relative to `base` (``group-42``), else its path."""
    shown = source.parent if source.name == REPORT_FILE else source
    if base is not None:
        try:
            return shown.relative_to(base).as_posix() or source.name
        except ValueError:
            pass
    return source.as_posix()
