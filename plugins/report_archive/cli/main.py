"""The `report-archive` command line: parse and check (tools and import in their modules)."""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from report_archive import __version__
from report_archive.cli import import_command, tools_command
from report_archive.cli.formats import FORMATS, render_details, render_summary
from report_archive.cli.reading import read_all
from report_archive.cli.terminal import escaped_output, json_safe
from report_archive.reports.check import Unreadable, metadata_problems, summary_rows
from report_archive.reports.model import Report
from report_archive.reports.tools import detect_tools, load_tool_catalogue

EXIT_OK = 0
EXIT_OUT_OF_RANGE = 1
EXIT_UNREADABLE = 2
EXIT_CRASH = 1  # as Python exits on an uncaught exception


def _unreadable_message(u: Unreadable) -> str:
    return f"{u.source}: cannot be read: {u.reason}"


def cmd_parse(args: argparse.Namespace) -> int:
    """Print parsed reports, as JSON or as a short summary per report."""
    results = read_all(args.paths)
    reports = [r for r in results if isinstance(r, Report)]
    for u in results:
        if isinstance(u, Unreadable):
            print(_unreadable_message(u), file=sys.stderr)
    if args.json:
        catalogue = load_tool_catalogue()
        objects = []
        for r in reports:
            tools = detect_tools(r, catalogue)
            objects.append(
                {
                    **r.to_json(),
                    "tools": [u.to_json() for u in tools.used],
                    "mentions": [m.to_json() for m in tools.mentions],
                }
            )
        text = json.dumps(objects, indent=2, ensure_ascii=False)
        sys.stdout.write(json_safe(text) + "\n")
    else:
        for r in reports:
            answered = sum(a.status == "answered" for a in r.answers)
            print(
                f"{r.source}: template {r.template.id}, group {r.group.number}, "
                f"{len(r.group.members)} members, {answered}/{len(r.answers)} answered, "
                f"{len(r.checklist)} checklist items, {len(r.diagnostics)} diagnostics"
            )
    return EXIT_UNREADABLE if len(reports) < len(results) else EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    """Check reports against the template's ranges; see the module docs for exit codes."""
    results = read_all(args.paths)
    reports = [r for r in results if isinstance(r, Report)]
    unreadable = [r for r in results if isinstance(r, Unreadable)]
    for u in unreadable:
        print(_unreadable_message(u), file=sys.stderr)
    meta = metadata_problems([Path(p) for p in args.paths])
    for problem in meta:
        print(str(problem), file=sys.stderr)
    base = Path(args.paths[0]) if len(args.paths) == 1 and Path(args.paths[0]).is_dir() else None
    if (len(results) == 1 and reports) or args.details:
        for r in reports:
            print(render_details(r, args.format))
            print()
    else:
        print(render_summary(summary_rows(results, base), args.format))
    if unreadable:
        return EXIT_UNREADABLE
    if args.strict and (meta or any(not a.ok for r in reports for a in r.answers)):
        return EXIT_OUT_OF_RANGE
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="report-archive",
        description="Read 02476 MLOps report templates; check them; import a semester.",
        epilog="Run 'report-archive COMMAND --help' for a command's options and examples.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "parse",
        help="parse reports and print them (as JSON with --json)",
        description=(
            "Read each report as the site reads it: its template version, group, answers, "
            "checklist and diagnostics. Without --json, one line per report; with --json, "
            "a JSON array with one object per report, with the tools the group used and the "
            "mentions judged not to be uses (see docs/reference/report-json.md). Exit 0, or "
            "2 when a report cannot be read."
        ),
        epilog=(
            "examples:\n"
            "  report-archive parse reports/2026-january/group-15/README.md\n"
            "  report-archive parse --json reports/2026-january > january.json"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="a report file or a folder of them")
    p.add_argument("--json", action="store_true", help="print a JSON array, one object a report")
    p.set_defaults(func=cmd_parse)

    c = sub.add_parser(
        "check",
        help="check reports against the template's word and image ranges",
        description=(
            "One report: a table per question and its diagnostics. Several (a folder such as "
            "reports/2026-january): one line per report. Problems in group.yml and "
            "semester.yml files are printed with their file and line. Exit 0 when every "
            "report was read, 1 with --strict when an answer is out of range or unanswered "
            "or a metadata file has a bad value, 2 when a report cannot be read."
        ),
        epilog=(
            "examples:\n"
            "  report-archive check reports/2026-january               one line per group\n"
            "  report-archive check reports/2026-january/group-15/README.md\n"
            "  report-archive check reports/2026-january --format csv > triage.csv\n"
            "  report-archive check reports --strict                   exit 1 on any problem"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    c.add_argument("paths", nargs="+", metavar="PATH", help="a report file or a folder of them")
    c.add_argument("--format", choices=FORMATS, default="table", help="output format")
    c.add_argument("--strict", action="store_true", help="exit 1 if any answer is not ok")
    c.add_argument("--details", action="store_true", help="per-question tables for every report")
    c.set_defaults(func=cmd_check)

    tools_command.add_parser(sub)
    import_command.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Everything it prints, even argparse's messages and an unexpected traceback, has its
    control characters escaped (`report_archive.cli.terminal`).
    """
    with escaped_output():
        args = build_parser().parse_args(argv)
        try:
            return int(args.func(args))
        except KeyboardInterrupt:
            return 130
        except BrokenPipeError:
            return EXIT_OK
        except Exception:
            traceback.print_exc()
            return EXIT_CRASH


if __name__ == "__main__":
    sys.exit(main())
