"""The command line's outputs: a report's rows and a folder's summary, in four formats.

Text tables, CSV, JSON or Markdown; the rows come from `report_archive.reports.check`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from report_archive.cli.csvout import write_csv
from report_archive.reports.check import answer_rows
from report_archive.reports.model import Report

__all__ = ["FORMATS", "markdown_table", "render_details", "render_summary", "text_table"]

FORMATS = ("table", "csv", "json", "markdown")


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
        return "\n".join([f"### {head}", "", markdown_table(table), "", *(f"- {d}" for d in diags)])
    return "\n".join([head, "", text_table(table), "", *diags])


def render_summary(rows: list[dict[str, Any]], fmt: str) -> str:
    """The one-line-per-report summary, in a format."""
    if fmt == "json":
        return json.dumps(rows, indent=2)
    if fmt == "csv":
        return write_csv(rows)
    shown = [{k.replace("_", " "): v for k, v in r.items()} for r in rows]
    footer = triage_line(rows)
    if fmt == "markdown":
        return markdown_table(shown) + "\n\n" + footer
    return text_table(shown) + "\n\n" + footer


def triage_line(rows: list[dict[str, Any]]) -> str:
    """One line that says how many reports need a look, and why."""
    total = len(rows)
    read = [r for r in rows if r["template"] != "" or r["group"] is not None]
    unreadable = total - len(read)
    unanswered = sum(bool(r["unanswered"]) for r in read)
    out_of_range = sum(bool(r["out_of_range"]) for r in read)
    figures = sum(bool(r["missing_figures"]) for r in read)
    clean = sum(
        not (r["unanswered"] or r["out_of_range"] or r["missing_figures"] or r["errors"])
        for r in read
    )
    parts = [
        f"{total} report{'s' if total != 1 else ''}: {clean} complete",
        f"{unanswered} with unanswered questions",
        f"{out_of_range} with answers out of range",
        f"{figures} with missing figures",
    ]
    if unreadable:
        parts.append(f"{unreadable} unreadable")
    return ", ".join(parts)


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def text_table(rows: Iterable[dict[str, Any]]) -> str:
    """Rows as a plain-text table with aligned columns."""
    rows = list(rows)
    if not rows:
        return "(nothing)"
    keys = list(rows[0])
    widths = {k: max(len(k), *(len(_cell(r[k])) for r in rows)) for k in keys}
    line = "  ".join(k.ljust(widths[k]) for k in keys).rstrip()
    rule = "  ".join("-" * widths[k] for k in keys)
    body = ["  ".join(_cell(r[k]).ljust(widths[k]) for k in keys).rstrip() for r in rows]
    return "\n".join([line, rule, *body])


def markdown_table(rows: Iterable[dict[str, Any]]) -> str:
    """Rows as a Markdown table (``|`` escaped, one line per cell)."""
    rows = list(rows)
    if not rows:
        return "(nothing)"
    keys = list(rows[0])

    def esc(value: Any) -> str:
        return _cell(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(esc(r[k]) for k in keys) + " |" for r in rows]
    return "\n".join(lines)
