"""The ``report-archive import`` command: fetch a semester's reports from the roster.

The work is done by `report_archive.staff.importer`; this module reads the arguments, shows
progress (a `rich` progress bar on a terminal when rich is installed, plain lines
otherwise) and prints the summary table.

Exit codes: 0 when every group was imported or unchanged, 1 when any group failed,
2 when the roster or the options are unusable.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from report_archive.cli.terminal import escape_controls, escaped_output, unescaped
from report_archive.images.encode import Encoding
from report_archive.staff.importer import (
    DEFAULT_JOBS,
    DEFAULT_MAX_FILE_SIZE,
    DEFAULT_MAX_GROUP_SIZE,
    DEFAULT_TIMEOUT,
    GroupResult,
    GroupStatus,
    ImportOptions,
    format_summary,
    groups_not_in_roster,
    import_roster,
    result_rows,
)
from report_archive.staff.roster import RosterError, read_roster

__all__ = ["add_parser", "main", "parse_size", "run"]

_SIZE = re.compile(r"(\d+)\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)", re.IGNORECASE)
_FACTORS = {"": 1, "b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}


def parse_size(text: str) -> int:
    """Parse a size such as ``1000``, ``500k`` or ``10MB`` (k, M, G are powers of 1024).

    Raises:
        argparse.ArgumentTypeError: The text is not a positive size.
    """
    m = _SIZE.fullmatch(text.strip())
    if not m or int(m.group(1)) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size such as 1000, 500k or 10MB")
    return int(m.group(1)) * _FACTORS[m.group(2)[:1].lower()]


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(text)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return value


def add_parser(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """Register the ``import`` subcommand.

    Args:
        subparsers: What ``ArgumentParser.add_subparsers()`` returned.

    Returns:
        The subcommand's parser; its defaults include ``func=run``.
    """
    parser = subparsers.add_parser(
        "import",
        help="fetch a semester's reports from the groups' repositories",
        description=(
            "Clone every repository of the roster (shallow, nothing from it is run) and copy "
            "reports/README.md and its figures into REPORTS_DIR/SEMESTER/group-<n>/, with a "
            "group.yml. The project's title and summary are read from the repository's "
            "README.md (readme_title, readme_summary; staff's title and summary are never "
            "changed). Groups whose commit did not change are skipped; --refresh-meta reads "
            "their README again. Exit code 1 when any group failed."
        ),
        epilog=(
            "examples:\n"
            "  report-archive import --roster roster.csv --semester 2026-january\n"
            "  report-archive import --roster roster.csv --semester 2026-january --dry-run\n"
            "  report-archive import --roster roster.csv --semester 2026-january --refresh-meta\n"
            "      read every group's README again (titles, summaries), even when its commit\n"
            "      did not change\n"
            "  report-archive import --roster roster.csv --semester 2026-january --prune"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--roster",
        type=Path,
        required=True,
        metavar="ROSTER.csv",
        help="CSV with group_number, student_1 … student_5, repo_url and optionally branch "
        "or commit; relative repository paths are taken from the roster's folder",
    )
    parser.add_argument("--semester", required=True, help="semester folder, e.g. 2026-january")
    parser.add_argument(
        "--reports-dir",
        type=Path,
        default=Path("reports"),
        help="the archive's reports folder (default: reports)",
    )
    parser.add_argument(
        "--jobs",
        type=_positive_int,
        default=DEFAULT_JOBS,
        help=f"repositories fetched at once (default: {DEFAULT_JOBS})",
    )
    parser.add_argument(
        "--timeout",
        type=_positive_float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"time limit per repository (default: {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--max-file-size",
        type=parse_size,
        default=DEFAULT_MAX_FILE_SIZE,
        metavar="SIZE",
        help="skip files larger than this, e.g. 1000, 500k, 10MB (default: 10MB)",
    )
    parser.add_argument(
        "--max-group-size",
        type=parse_size,
        default=DEFAULT_MAX_GROUP_SIZE,
        metavar="SIZE",
        help="stop copying a group's files past this size in all (default: 50MB)",
    )
    parser.add_argument(
        "--keep-figures",
        action="store_true",
        help="store figures as committed; by default large raster figures are stored as "
        "the site publishes them (WebP of at most 1600 px, about 100 kB), the originals "
        "staying in the group's repository at the imported commit",
    )
    parser.add_argument(
        "--prune",
        action="store_true",
        help="remove the semester's imported groups that the roster no longer lists "
        "(without it they are only named)",
    )
    parser.add_argument(
        "--refresh-meta",
        action="store_true",
        help="read the README (project title and summary) of groups whose commit did not "
        "change too, and update readme_title and readme_summary in their group.yml",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="show what would be imported; clone and write nothing",
    )
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run ``report-archive import`` with parsed arguments and return the exit code."""
    roster: Path = args.roster
    try:
        options = ImportOptions(
            semester=args.semester,
            reports_dir=args.reports_dir,
            jobs=args.jobs,
            timeout=args.timeout,
            max_file_size=args.max_file_size,
            max_group_size=args.max_group_size,
            dry_run=args.dry_run,
            refresh_meta=args.refresh_meta,
            base_dir=roster.absolute().parent,
            figures=None if args.keep_figures else Encoding(),
        )
        entries = read_roster(roster)
    except (RosterError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    fancy = _rich_available() and sys.stdout.isatty()
    try:
        with _Progress(len(entries), sys.stdout, fancy) as progress:
            results = import_roster(entries, options, progress.advance)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130

    for r in results:
        for diagnostic in r.diagnostics:
            print(f"group {r.group}: {diagnostic}", file=sys.stderr)
        if r.status is GroupStatus.FAILED:
            print(f"{roster}:{r.line}: group {r.group} failed: {r.note}", file=sys.stderr)
    sys.stderr.flush()
    if fancy:
        _print_rich_summary(results)
    else:
        print(format_summary(results))
    _report_unlisted(groups_not_in_roster(entries, options), roster, args.prune, options.dry_run)
    if options.dry_run:
        print("Dry run: nothing was written.")
    return 1 if any(r.status is GroupStatus.FAILED for r in results) else 0


def _report_unlisted(folders: list[Path], roster: Path, prune: bool, dry_run: bool) -> None:
    """Name (and with `prune` remove) imported groups that the roster no longer lists."""
    for folder in folders:
        if not prune:
            print(f"{folder}: not in {roster}; kept (--prune removes it)", file=sys.stderr)
        elif dry_run:
            print(f"{folder}: not in {roster}; would be removed", file=sys.stderr)
        else:
            shutil.rmtree(folder)
            print(f"{folder}: not in {roster}; removed", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the import command on its own (``python -m report_archive.cli.import_command import``).

    Like ``report-archive``, it escapes control characters in everything it prints.
    """
    with escaped_output():
        parser = argparse.ArgumentParser(prog="report-archive")
        add_parser(parser.add_subparsers(dest="command", required=True))
        args = parser.parse_args(argv)
        return run(args)


def _rich_available() -> bool:
    try:
        import rich  # noqa: F401
    except ImportError:
        return False
    return True


def _text(value: str) -> Any:
    """Student-controlled text for rich: control characters escaped, markup not parsed.

    Rich writes to the terminal itself (`unescaped`), so nothing escapes its text later.
    """
    from rich.text import Text

    return Text(escape_controls(value))


def _console() -> Any:
    """A rich console on the real stdout, where its own colours and cursor moves work."""
    from rich.console import Console

    return Console(file=unescaped(sys.stdout))


class _Progress:
    """A rich progress bar, or one plain line per finished group."""

    def __init__(self, total: int, stream: IO[str], fancy: bool) -> None:
        self.total = total
        self.stream = stream
        self.done = 0
        self.bar: Any = None
        self.task: Any = None
        if fancy:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.bar = Progress(
                TextColumn("Importing"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.description}", markup=False),
                console=Console(file=unescaped(stream)),
                transient=True,
                redirect_stdout=False,  # what is printed meanwhile goes through the escaping
                redirect_stderr=False,
            )

    def __enter__(self) -> _Progress:
        if self.bar is not None:
            self.bar.start()
            self.task = self.bar.add_task("", total=self.total)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.bar is not None:
            self.bar.stop()

    def advance(self, result: GroupResult) -> None:
        """Count a finished group."""
        self.done += 1
        if self.bar is not None:
            description = escape_controls(f"group {result.group}")
            self.bar.update(self.task, advance=1, description=description)
            return
        commit = f" {result.commit[:7]}" if result.commit else ""
        note = f" ({result.note})" if result.note else ""
        print(
            f"[{self.done}/{self.total}] group {result.group}: {result.status}{commit}{note}",
            file=self.stream,
            flush=True,
        )


def _print_rich_summary(results: list[GroupResult]) -> None:
    from rich.table import Table
    from rich.text import Text

    colours = {"new": "green", "updated": "cyan", "unchanged": "dim", "failed": "bold red"}
    table = Table("group", "status", "commit", "note")
    for group, status, commit, note in result_rows(results):
        table.add_row(_text(group), Text(status, style=colours[status]), _text(commit), _text(note))
    console = _console()
    console.print(table)
    console.print(_text(format_summary(results).splitlines()[-1]), highlight=False)


if __name__ == "__main__":
    sys.exit(main())
