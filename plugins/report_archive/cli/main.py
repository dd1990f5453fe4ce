"""The `report-archive` command line: parse, check (and import, in `cli_import`)."""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path

from report_archive import __version__
from report_archive.cli.formats import FORMATS, render_details, render_summary
from report_archive.cli.terminal import escaped_output, json_safe
from report_archive.reports.check import Unreadable, metadata_problems, summary_rows
from report_archive.reports.layout import REPORT_FILE
from report_archive.reports.model import Report
from report_archive.reports.parser import ReportReadError, parse_report

EXIT_OK = 0
EXIT_OUT_OF_RANGE = 1
EXIT_UNREADABLE = 2
EXIT_CRASH = 1  # as Python exits on an uncaught exception


def find_reports(paths: Sequence[str]) -> Iterator[Path | Unreadable]:
    """Expand the paths given on the command line into report files.

    A file is taken as it is; a folder is searched for ``README.md`` files (``.git`` and
    other hidden folders are skipped). A path that does not exist is reported unreadable.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob(REPORT_FILE)
                if not any(part.startswith(".") for part in p.relative_to(path).parts[:-1])
            )
            if not found:
                yield Unreadable(path, "no README.md found in this folder")
            yield from found
        elif path.exists():
            yield path
        else:
            yield Unreadable(path, "no such file or folder")


def read_all(paths: Sequence[str]) -> list[Report | Unreadable]:
    """Parse every report found; a file that cannot be read becomes `Unreadable`."""
    out: list[Report | Unreadable] = []
    for item in find_reports(paths):
        if isinstance(item, Unreadable):
            out.append(item)
            continue
        try:
            out.append(parse_report(item))
        except ReportReadError as e:
            out.append(Unreadable(item, e.reason))
        except Exception as e:  # the parser must not fail, but a check must never crash
            out.append(Unreadable(item, f"internal error while reading ({type(e).__name__}: {e})"))
    return out


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
        text = json.dumps([r.to_json() for r in reports], indent=2, ensure_ascii=False)
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
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("parse", help="parse reports and print them (as JSON with --json)")
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
    )
    c.add_argument("paths", nargs="+", metavar="PATH", help="a report file or a folder of them")
    c.add_argument("--format", choices=FORMATS, default="table", help="output format")
    c.add_argument("--strict", action="store_true", help="exit 1 if any answer is not ok")
    c.add_argument("--details", action="store_true", help="per-question tables for every report")
    c.set_defaults(func=cmd_check)

    # subcommands
    try:
        from report_archive.cli import import_command as cli_import
    except ImportError:  # pragma: no cover - the import command ships with the package
        pass
    else:
        cli_import.add_parser(sub)
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
