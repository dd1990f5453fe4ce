"""Finding and reading the reports named on the command line."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from report_archive.reports.check import Unreadable
from report_archive.reports.layout import REPORT_FILE, natural_key
from report_archive.reports.model import Report
from report_archive.reports.parser import ReportReadError, parse_report

__all__ = ["find_reports", "read_all"]


def find_reports(paths: Sequence[str]) -> Iterator[Path | Unreadable]:
    """Expand the paths given on the command line into report files.

    A file is taken as it is; a folder is searched for ``README.md`` files (``.git`` and
    other hidden folders are skipped), in natural order (``group-2`` before
    ``group-15``). A path that does not exist is reported unreadable.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                (
                    p
                    for p in path.rglob(REPORT_FILE)
                    if not any(part.startswith(".") for part in p.relative_to(path).parts[:-1])
                ),
                key=natural_key,
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
