"""What `report-archive check` reports: the course checker's rules, readable.

Plain functions from parsed reports to rows and to text in four formats (table, csv,
json, markdown), so the same check serves the command line, staff and CI.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from report_archive.cli.csvout import write_csv
from report_archive.reports.layout import GROUP_FILE, REPORT_FILE, SEMESTER_FILE
from report_archive.reports.meta import MetaProblem, read_group_meta, read_semester_meta
from report_archive.reports.model import Answer, Level, Range, Report, Status

__all__ = [
    "FORMATS",
    "Unreadable",
    "answer_rows",
    "metadata_problems",
    "render_details",
    "render_summary",
    "summary_rows",
]

FORMATS = ("table", "csv", "json", "markdown")


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
    """One row per report: answered, out of range, missing figures, diagnostics."""
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
                    "out_of_range": "",
                    "missing_figures": "",
                    "errors": 1,
                    "warnings": 0,
                    "ok": False,
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
                "out_of_range": sum(
                    a.status is Status.ANSWERED and not (a.words_ok and a.images_ok)
                    for a in r.answers
                ),
                "missing_figures": sum(len(a.missing_figures) for a in r.answers),
                "errors": sum(d.level is Level.ERROR for d in r.diagnostics),
                "warnings": sum(d.level is Level.WARNING for d in r.diagnostics),
                "ok": all(a.ok for a in r.answers),
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


def render_details(report: Report, fmt: str) -> str:
    """A report's per-question table and its diagnostics, in a format."""
    rows = answer_rows(report)
    if fmt == "json":
        return json.dumps(
            {
                "source": str(report.source),
                "template": report.template.id,
                "group": report.group.number,
                "questions": rows,
                "diagnostics": [d.to_json() for d in report.diagnostics],
            },
            indent=2,
        )
    table = [
        {
            "Q": r["question"],
            "question": r["title"],
            "status": r["status"],
            "words": f"{r['words']}" + (f" / {r['words_range']}" if r["words_range"] else ""),
            "images": f"{r['images']}" + (f" / {r['images_range']}" if r["images_range"] else ""),
            "missing figures": ", ".join(r["missing_figures"]),
        }
        for r in rows
    ]
    if fmt == "csv":
        return write_csv(rows)
    head = (
        f"{report.source}: template {report.template.id}, group {report.group.number}, "
        f"{len(report.group.members)} members"
    )
    diags = [f"{report.source}:{d.line or '-'}: {d.level}: {d.message}" for d in report.diagnostics]
    if fmt == "markdown":
        return "\n".join([f"### {head}", "", _markdown(table), "", *(f"- {d}" for d in diags)])
    return "\n".join([head, "", _table(table), "", *diags])


def render_summary(rows: list[dict[str, Any]], fmt: str) -> str:
    """The one-line-per-report summary, in a format."""
    if fmt == "json":
        return json.dumps(rows, indent=2)
    if fmt == "csv":
        return write_csv(rows)
    shown = [
        {
            k.replace("_", " "): ("yes" if v is True else "no" if v is False else v)
            for k, v in r.items()
        }
        for r in rows
    ]
    total = len(rows)
    bad = sum(not r["ok"] for r in rows)
    footer = (
        f"{total} report{'s' if total != 1 else ''}, {bad} with answers out of range, "
        f"unanswered or unreadable"
    )
    if fmt == "markdown":
        return _markdown(shown) + "\n\n" + footer
    return _table(shown) + "\n\n" + footer


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def _table(rows: Iterable[dict[str, Any]]) -> str:
    rows = list(rows)
    if not rows:
        return "(nothing)"
    keys = list(rows[0])
    widths = {k: max(len(k), *(len(_cell(r[k])) for r in rows)) for k in keys}
    line = "  ".join(k.ljust(widths[k]) for k in keys).rstrip()
    rule = "  ".join("-" * widths[k] for k in keys)
    body = ["  ".join(_cell(r[k]).ljust(widths[k]) for k in keys).rstrip() for r in rows]
    return "\n".join([line, rule, *body])


def _markdown(rows: Iterable[dict[str, Any]]) -> str:
    rows = list(rows)
    if not rows:
        return "(nothing)"
    keys = list(rows[0])

    def esc(value: Any) -> str:
        return _cell(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(esc(r[k]) for k in keys) + " |" for r in rows]
    return "\n".join(lines)
