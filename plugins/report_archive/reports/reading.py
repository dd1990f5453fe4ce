"""Reading reports: parse each, detect its tools, in worker processes when there are many."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from report_archive.reports.model import Report
from report_archive.reports.parallel import process_iter
from report_archive.reports.tools import ToolReport, detect_tools, load_tool_catalogue

__all__ = ["Parse", "Read", "ReadFailed", "ReadResult", "Reader", "read_all"]

Parse = Callable[[Path], Report]
"""Parses one report file."""
ReadResult = tuple[Report, ToolReport | None]
"""A report and its tools (None when tools are not detected)."""
Read = Callable[[Path], ReadResult]
"""Parses one report file and detects its tools."""


@dataclass(frozen=True)
class Reader:
    """Parses a report and detects its tools (picklable: it goes to worker processes).

    Attributes:
        parse: The parser.
        tools: Whether to detect tools.
    """

    parse: Parse
    tools: bool

    def __call__(self, path: Path) -> ReadResult:
        """Read one report."""
        report = self.parse(path)
        return report, detect_tools(report, load_tool_catalogue()) if self.tools else None


class ReadFailed(Exception):
    """A report that failed to parse in a worker process (its message, as raised there)."""


def _read_or_message(job: tuple[Read, Path]) -> ReadResult | str:
    read, path = job
    try:
        return read(path)
    except Exception as e:  # the caller reports it as it reports a failure here
        return str(e) or type(e).__name__


def _read_pickled(job: tuple[Read, Path]) -> ReadResult | bytes | str:
    """`_read_or_message`, the result pickled (as the reading cache keeps it) when it can be."""
    result = _read_or_message(job)
    if isinstance(result, str):
        return result
    try:
        return pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
    except Exception:  # read in this process and not picklable: returned, not kept
        return result


def read_all(
    paths: Sequence[Path],
    read: Read,
    jobs: int,
    keep: Callable[[Path, ReadResult, bytes], None] | None = None,
) -> Read:
    """Read every report now, in worker processes if many; return a lookup.

    Args:
        paths: The report files.
        read: Reads one report (a module-level callable or a `Reader`, to be picklable).
        jobs: Processes (`report_archive.reports.parallel.workers`).
        keep: Given each result read here as it is looked up, with its pickle, made where
            it was read (for the reading cache, which keeps it as it is: the build's
            process does not pickle it again).

    Returns:
        A function that returns what `read` returned for a path, raises what it raised (as
        `ReadFailed` with the same message), and reads any path it has not seen.
    """
    fn = _read_pickled if keep is not None else _read_or_message
    done: dict[Path, ReadResult | str] = {}
    pickles: dict[Path, bytes] = {}
    # Unpickled as they come, while the workers read the next ones
    for path, result in zip(paths, process_iter(fn, [(read, p) for p in paths], jobs), strict=True):
        if isinstance(result, bytes):
            pickles[path] = result
            result = pickle.loads(result)  # pickled by `_read_pickled`
        done[path] = result

    def lookup(path: Path) -> ReadResult:
        result = done.pop(path, None)
        if result is None:
            return read(path)
        if isinstance(result, str):
            raise ReadFailed(result)
        data = pickles.pop(path, None)
        if keep is not None and data is not None:
            keep(path, result, data)
        return result

    return lookup
