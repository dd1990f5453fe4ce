"""The ``report-archive tools`` command: which tools an archive's groups used, per semester.

A report's semester is the name of the folder above its group's folder
(``reports/2026-january/group-15/README.md`` is in ``2026-january``). Each report is parsed
and its tools detected (`report_archive.reports.tools`), in worker processes for many.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from report_archive.cli.csvout import write_csv
from report_archive.cli.formats import FORMATS, markdown_table, text_table
from report_archive.cli.reading import find_reports
from report_archive.reports.check import Unreadable
from report_archive.reports.layout import natural_key
from report_archive.reports.parallel import process_map
from report_archive.reports.parser import ReportReadError, parse_report
from report_archive.reports.tools import ToolCatalogue, detect_tools, load_tool_catalogue

__all__ = ["add_parser", "tool_rows"]

EXAMPLES = """\
examples:
  report-archive tools reports                       every semester of the archive
  report-archive tools reports/2026-january --format csv > tools.csv
  report-archive tools reports --all                 also the entries no group used
"""


def _used(path: Path) -> tuple[str, ...] | str:
    """The ids of the entries a report used, or why it cannot be read (in a worker)."""
    try:
        report = parse_report(path)
    except ReportReadError as e:
        return e.reason
    return tuple(sorted(detect_tools(report, load_tool_catalogue()).ids))


def tool_rows(
    used: dict[Path, tuple[str, ...]], catalogue: ToolCatalogue, *, every: bool = False
) -> tuple[list[str], list[dict[str, Any]]]:
    """Count, per catalogue entry, the groups that used it, in all and per semester.

    Args:
        used: Each report's file → the ids of the entries it used.
        catalogue: The tool catalogue.
        every: Also list the entries no group used.

    Returns:
        The semesters in natural order, and one row per entry, most used first: ``id``,
        ``name``, ``category``, ``groups``, ``share`` (of all groups) and one count per
        semester.
    """
    semester_of = {path: path.parent.parent.name for path in used}
    semesters = sorted(set(semester_of.values()), key=natural_key)
    per_semester = Counter(semester_of.values())
    counts: dict[str, Counter[str]] = {tool.id: Counter() for tool in catalogue.tools}
    for path, ids in used.items():
        for tool_id in ids:
            counts[tool_id][semester_of[path]] += 1
    rows = []
    total = len(used)
    for tool in catalogue.tools:
        groups = sum(counts[tool.id].values())
        if not groups and not every:
            continue
        row: dict[str, Any] = {
            "id": tool.id,
            "name": tool.name,
            "category": tool.category,
            "groups": groups,
            "share": f"{groups / total:.0%}" if total else "",
        }
        for semester in semesters:
            row[semester] = f"{counts[tool.id][semester]}/{per_semester[semester]}"
        rows.append(row)
    rows.sort(key=lambda r: (-r["groups"], r["name"].casefold()))
    return semesters, rows


def cmd_tools(args: argparse.Namespace) -> int:
    """Print the tools table; exit 2 when a report cannot be read."""
    found = list(find_reports(args.paths))
    paths = [p for p in found if isinstance(p, Path)]
    results = process_map(_used, paths, args.jobs)
    used: dict[Path, tuple[str, ...]] = {}
    unreadable = [u for u in found if isinstance(u, Unreadable)]
    for path, result in zip(paths, results, strict=True):
        if isinstance(result, str):
            unreadable.append(Unreadable(path, result))
        else:
            used[path] = result
    for u in unreadable:
        print(f"{u.source}: cannot be read: {u.reason}", file=sys.stderr)
    catalogue = load_tool_catalogue()
    semesters, rows = tool_rows(used, catalogue, every=args.all)
    if args.format == "json":
        out = [
            {
                **{k: r[k] for k in ("id", "name", "category", "groups")},
                "semesters": {s: int(r[s].split("/")[0]) for s in semesters},
            }
            for r in rows
        ]
        groups = Counter(p.parent.parent.name for p in used)
        print(json.dumps({"groups": {s: groups[s] for s in semesters}, "tools": out}, indent=2))
    elif args.format == "csv":
        sys.stdout.write(write_csv(rows))
    else:
        table = markdown_table(rows) if args.format == "markdown" else text_table(rows)
        print(table)
        print(f"\n{len(used)} reports in {len(semesters)} semesters; {len(rows)} tools")
    return 2 if unreadable else 0


def add_parser(sub: Any) -> None:
    """Add the ``tools`` subcommand."""
    p = sub.add_parser(
        "tools",
        help="list the tools and practices groups used, with counts per semester",
        description=(
            "Detect, in every report found, the tools and practices of the catalogue the "
            "group used (a mention that is negated, hypothetical, dropped or the road not "
            "taken is not a use), and count the groups per tool and semester. Exit 0, or 2 "
            "when a report cannot be read."
        ),
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="a report file or a folder of them")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format")
    p.add_argument("--all", action="store_true", help="also list the entries no group used")
    p.add_argument("--jobs", type=int, default=0, help="worker processes (default: one per CPU)")
    p.set_defaults(func=cmd_tools)
