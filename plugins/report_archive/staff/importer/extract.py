"""Reading a group's report and figures out of git's object store, never from a checkout.

Symbolic links are never created, let alone followed; only regular files with an image
extension (and the report) under ``reports/`` and within the size limits are written, and
every written path is checked to stay inside the folder it is written to.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path

from report_archive.reports.decoding import decode_report
from report_archive.reports.layout import IMAGE_SUFFIXES, REPORT_FILE
from report_archive.reports.links import find_references, resolve_target
from report_archive.staff.importer.errors import GroupFailure
from report_archive.staff.importer.git import Git, TreeEntry

__all__ = ["extract", "size_text"]

_LFS_POINTER = b"version https://git-lfs.github.com/spec/"


def extract(
    git: Git, repo: Path, commit: str, extracted: Path, max_size: int, max_total: int
) -> tuple[list[str], list[str]]:
    """Write the report and the images to copy into `extracted`.

    Files are written until the group's files reach `max_total` bytes: the images whose
    path the report names come first, so what is left out is what the report does not show.

    Returns:
        The written paths relative to `extracted`, and the diagnostics.
    """
    diagnostics: list[str] = []
    entries = git.list_reports(repo, commit)
    report = next((e for e in entries if e.path == REPORT_FILE), None)
    if report is None:
        report = next((e for e in entries if e.path.lower() == REPORT_FILE.lower()), None)
    if report is None:
        raise GroupFailure(f"no reports/{REPORT_FILE} at commit {commit[:7]}")
    if report.mode == "120000":
        raise GroupFailure(f"reports/{report.path} is a symbolic link; not imported")
    if report.kind != "blob" or report.size is None:
        raise GroupFailure(f"reports/{report.path} is not a file")
    if report.size > max_size:
        size, limit = size_text(report.size), size_text(max_size)
        raise GroupFailure(f"reports/{report.path} is {size}, over the {limit} limit")
    report_data = git.read_blob(repo, report.oid)
    _write_inside(extracted, REPORT_FILE, report_data)
    total = len(report_data)
    named = report_data.decode("utf-8", "replace").lower()

    written: set[str] = set()
    for e in sorted(entries, key=lambda e: e.path.lower() not in named):
        if e is report:
            continue
        if e.mode == "120000":
            diagnostics.append(f"reports/{e.path}: symbolic link; not copied")
            continue
        if posixpath.splitext(e.path)[1].lower() not in IMAGE_SUFFIXES:
            continue
        problem = _entry_problem(e, max_size)
        if problem is None and e.size is not None and total + e.size > max_total:
            problem = f"the group's files would pass the {size_text(max_total)} limit"
        if problem:
            diagnostics.append(f"reports/{e.path}: {problem}; not copied")
            continue
        data = git.read_blob(repo, e.oid)
        total += len(data)
        if data.startswith(_LFS_POINTER):
            diagnostics.append(f"reports/{e.path}: stored in Git LFS; not copied")
            continue
        try:
            _write_inside(extracted, e.path, data)
        except (OSError, GroupFailure) as exc:
            diagnostics.append(f"reports/{e.path}: cannot be written ({exc}); not copied")
            continue
        written.add(e.path)

    keep = {p for p in written if p.split("/", 1)[0].lower() == "figures" and "/" in p}
    markdown = "\n".join(decode_report(report_data).lines)
    listings: dict[str, frozenset[str]] = {}
    for line, kind, target in find_references(markdown):
        status, path = resolve_target(target, extracted, listings)
        if status == "found" and path is not None and path in written:
            keep.add(path)
        elif status == "outside" and kind == "image":
            diagnostics.append(
                f"reports/{report.path}:{line}: image {target!r} is outside reports/; not copied"
            )
    for path in written - keep:
        (extracted / path).unlink()
    return [REPORT_FILE, *sorted(keep)], diagnostics


def _entry_problem(entry: TreeEntry, max_size: int) -> str | None:
    if entry.mode == "120000":
        return "symbolic link"
    if entry.kind != "blob" or entry.mode not in ("100644", "100755") or entry.size is None:
        return "not a regular file"
    if entry.size > max_size:
        return f"{size_text(entry.size)}, over the {size_text(max_size)} limit"
    if not _safe_path(entry.path):
        return "unsafe path"
    return None


def _safe_path(path: str) -> bool:
    parts = path.split("/")
    return all(
        part not in ("", ".", "..")
        and part.lower() != ".git"
        and "\\" not in part
        and not any(ord(ch) < 32 for ch in part)
        for part in parts
    )


def _write_inside(root: Path, relative: str, data: bytes) -> None:
    """Create `root/relative` with `data`, refusing any path that leaves `root`."""
    if not _safe_path(relative):
        raise GroupFailure(f"unsafe path {relative!r}")
    target = root / relative
    real_root = root.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.parent.resolve().is_relative_to(real_root):
        raise GroupFailure(f"{relative!r} leaves the folder")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(target, flags, 0o644)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def size_text(n: int) -> str:
    """A size for people: ``950 bytes``, ``1.5 MB`` (k, M, G are powers of 1024)."""
    if n < 1000:
        return f"{n} bytes"
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if n >= factor:
            return f"{n / factor:.1f} {unit}".replace(".0 ", " ")
    return f"{n} bytes"
