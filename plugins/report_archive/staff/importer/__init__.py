"""Importing the groups' reports from their git repositories.

For each roster entry: ask the remote for its commit (``git ls-remote``), skip the group
when `group.yml` already records that commit, otherwise make a shallow clone without a
checkout and copy ``reports/README.md``, the images it references inside ``reports/``
and the images under ``reports/figures/`` into ``<reports_dir>/<semester>/group-<n>/``,
then write `group.yml`.

Repositories are treated as hostile. Nothing from them is ever run: hooks are disabled,
LFS smudging and submodules are off, terminal prompts are off and each repository has a
time limit. Files are read from git's object store (``git ls-tree`` + ``git cat-file``)
rather than from a checkout, so symbolic links are never created, let alone followed;
only regular files with an image extension (and the report) under ``reports/`` and
within the size limit are written, and every written path is checked to stay inside
the group's folder.

Nothing here prints: `import_roster` reports each finished group through a callback.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import posixpath
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from report_archive.reports.decoding import decode_report
from report_archive.reports.links import find_references, resolve_target
from report_archive.reports.meta import (
    GROUP_FILE,
    GroupMeta,
    MetaProblem,
    read_group_meta,
    write_group_meta,
)
from report_archive.staff.roster import RosterEntry

__all__ = [
    "DEFAULT_JOBS",
    "DEFAULT_MAX_FILE_SIZE",
    "DEFAULT_MAX_GROUP_SIZE",
    "DEFAULT_TIMEOUT",
    "IMAGE_EXTENSIONS",
    "GroupResult",
    "GroupStatus",
    "ImportOptions",
    "format_summary",
    "group_folder",
    "groups_not_in_roster",
    "import_group",
    "import_roster",
    "summary_rows",
]

IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"})
"""The only files copied besides the report."""
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
"""Files larger than this (10 MiB) are skipped."""
DEFAULT_MAX_GROUP_SIZE = 50 * 1024 * 1024
"""A group's files together are kept under this (50 MiB; the largest group of the corpus has
6 MB): files past it are skipped, the report's own figures first in line."""
DEFAULT_TIMEOUT = 120.0
"""Seconds allowed per repository (ls-remote, clone and reading together)."""
DEFAULT_JOBS = 4

REPORT_NAME = "README.md"
_SEMESTER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_HASH = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_LFS_POINTER = b"version https://git-lfs.github.com/spec/"
# Environment variables that would make git look at another repository than ours.
_GIT_LOCATION_VARS = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_ASKPASS",
    "SSH_ASKPASS",
)


_GROUP_FOLDER = re.compile(r"group-(\d+)")


class GroupStatus(StrEnum):
    """What an import did to a group."""

    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True)
class ImportOptions:
    """How to import.

    Attributes:
        semester: Folder name of the semester (``2026-january``).
        reports_dir: The archive's reports folder; groups go to
            ``reports_dir/semester/group-<n>/``.
        jobs: How many repositories to fetch at once.
        timeout: Seconds allowed per repository.
        max_file_size: Files larger than this many bytes are skipped.
        max_group_size: Files that would take a group's files past this many bytes in all
            are skipped (one blob named many times counts each time it is written).
        dry_run: Only find out what would change; write nothing and clone nothing.
        base_dir: Folder against which relative local repository paths are resolved
            (the roster's folder); None for the current folder.
        git: The git executable.

    Raises:
        ValueError: On construction, for an unsafe semester name or a non-positive
            number.
    """

    semester: str
    reports_dir: Path = Path("reports")
    jobs: int = DEFAULT_JOBS
    timeout: float = DEFAULT_TIMEOUT
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    max_group_size: int = DEFAULT_MAX_GROUP_SIZE
    dry_run: bool = False
    base_dir: Path | None = None
    git: str = "git"

    def __post_init__(self) -> None:
        if not _SEMESTER.fullmatch(self.semester) or ".." in self.semester:
            raise ValueError(
                f"semester {self.semester!r} is not a plain folder name such as 2026-january"
            )
        if self.jobs < 1:
            raise ValueError("jobs must be at least 1")
        if self.timeout <= 0:
            raise ValueError("timeout must be positive")
        if self.max_file_size < 1:
            raise ValueError("max_file_size must be positive")
        if self.max_group_size < 1:
            raise ValueError("max_group_size must be positive")

    @property
    def semester_dir(self) -> Path:
        """The folder the semester's groups go to."""
        return self.reports_dir / self.semester


@dataclass(frozen=True)
class GroupResult:
    """The outcome of importing one group.

    Attributes:
        group: The group number.
        status: New, updated, unchanged or failed.
        commit: The imported (or, in a dry run, the remote) commit, when known.
        note: One line for the summary table: what changed, or why it failed.
        previous_commit: The commit recorded in `group.yml` before the import, if any.
        diagnostics: Things worth knowing that did not stop the import (files skipped
            because they are symbolic links, too large, in Git LFS ...).
        files: The files written from the repository, relative to the group's folder,
            sorted (empty when nothing was written).
        folder: The group's folder.
        line: The roster line of the group.
    """

    group: int
    status: GroupStatus
    commit: str | None
    note: str
    previous_commit: str | None = None
    diagnostics: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    folder: Path | None = None
    line: int | None = None


class _GroupFailure(Exception):
    """An expected failure of one group; the message goes to the summary."""


def group_folder(reports_dir: Path, semester: str, group: int) -> Path:
    """Return the folder of a group: ``reports_dir/semester/group-<n>``."""
    return reports_dir / semester / f"group-{group}"


def import_roster(
    entries: Sequence[RosterEntry],
    options: ImportOptions,
    on_result: Callable[[GroupResult], None] | None = None,
) -> list[GroupResult]:
    """Import every group of a roster, `options.jobs` at a time.

    One group's failure never stops the others: it becomes a `GroupResult` with status
    FAILED (even an unexpected error, noted as an internal error).

    Args:
        entries: The roster's groups.
        options: How to import.
        on_result: Called in the calling thread with each result as it finishes
            (for progress display).

    Returns:
        One result per entry, sorted by group number.
    """
    results: list[GroupResult] = []
    cancel = threading.Event()
    pool = ThreadPoolExecutor(max_workers=options.jobs, thread_name_prefix="import")
    try:
        futures: dict[Future[GroupResult], RosterEntry] = {
            pool.submit(import_group, entry, options, cancel): entry for entry in entries
        }
        for future in as_completed(futures):
            entry = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # a bug must not cost the other groups
                result = GroupResult(
                    entry.group,
                    GroupStatus.FAILED,
                    entry.commit,
                    f"internal error: {exc!r}",
                    folder=group_folder(options.reports_dir, options.semester, entry.group),
                    line=entry.line,
                )
            results.append(result)
            if on_result is not None:
                on_result(result)
    except BaseException:
        cancel.set()
        _kill_all()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return sorted(results, key=lambda r: r.group)


def import_group(
    entry: RosterEntry, options: ImportOptions, cancel: threading.Event | None = None
) -> GroupResult:
    """Import one group; expected failures become a FAILED result, never an exception.

    Args:
        entry: The group's roster entry.
        options: How to import.
        cancel: When set, the import stops as soon as possible.

    Returns:
        What happened.
    """
    folder = group_folder(options.reports_dir, options.semester, entry.group)
    previous = GroupMeta()
    commit = entry.commit
    try:
        previous, problems = _read_group_file(folder)
        git = _Git(options, _is_local(entry.repo_url), cancel)
        url = _source_url(entry.repo_url, options.base_dir)
        if commit is None:
            commit = git.remote_commit(url, entry.branch)
        result = _import(entry, options, folder, previous, commit, git, url)
    except _GroupFailure as exc:
        return GroupResult(
            entry.group,
            GroupStatus.FAILED,
            commit,
            str(exc),
            previous_commit=previous.commit,
            folder=folder,
            line=entry.line,
        )
    if problems:
        notes = tuple(str(p) for p in problems)
        result = dataclasses.replace(result, diagnostics=notes + result.diagnostics)
    return result


def groups_not_in_roster(entries: Sequence[RosterEntry], options: ImportOptions) -> list[Path]:
    """Return the semester's imported group folders whose group the roster no longer lists.

    Only ``group-<n>`` folders whose ``group.yml`` records an import count: a folder added
    by hand, or whose ``group.yml`` cannot be read, is never offered for removal.

    Returns:
        The folders, by group number.
    """
    listed = {entry.group for entry in entries}
    try:
        children = list(options.semester_dir.iterdir())
    except OSError:
        return []
    found: list[tuple[int, Path]] = []
    for folder in children:
        m = _GROUP_FOLDER.fullmatch(folder.name)
        if m is None or int(m.group(1)) in listed or not folder.is_dir():
            continue
        try:
            meta, _ = _read_group_file(folder)
        except _GroupFailure:
            continue
        if "imported" in meta.raw:
            found.append((int(m.group(1)), folder))
    return [folder for _, folder in sorted(found)]


def summary_rows(results: Iterable[GroupResult]) -> list[tuple[str, str, str, str]]:
    """Return ``(group, status, commit, note)`` rows, commits shortened to 7 characters."""
    return [
        (str(r.group), str(r.status), (r.commit or "")[:7], r.note)
        for r in sorted(results, key=lambda r: r.group)
    ]


def format_summary(results: Iterable[GroupResult]) -> str:
    """Return the summary as a plain-text table with a totals line."""
    results = list(results)
    header = ("group", "status", "commit", "note")
    rows = summary_rows(results)
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
    lines = []
    for row in [header, *rows]:
        cells = [row[i].ljust(widths[i]) for i in range(3)]
        lines.append("  ".join([*cells, row[3]]).rstrip())
    counts = {s: sum(1 for r in results if r.status is s) for s in GroupStatus}
    total = ", ".join(f"{counts[s]} {s}" for s in GroupStatus)
    lines.append(f"{len(results)} groups: {total}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# One group


def _import(
    entry: RosterEntry,
    options: ImportOptions,
    folder: Path,
    previous: GroupMeta,
    commit: str,
    git: _Git,
    url: str,
) -> GroupResult:
    previous_commit = previous.commit
    has_report = (folder / REPORT_NAME).is_file()

    def result(status: GroupStatus, note: str, **kw: Any) -> GroupResult:
        return GroupResult(
            entry.group,
            status,
            commit,
            note,
            previous_commit=previous_commit,
            folder=folder,
            line=entry.line,
            **kw,
        )

    if previous_commit == commit and has_report:
        changed = _roster_changes(entry, previous)
        if not changed:
            return result(GroupStatus.UNCHANGED, "")
        note = f"{' and '.join(changed)} changed in the roster"
        if options.dry_run:
            return result(GroupStatus.UPDATED, f"would rewrite group.yml: {note}")
        _write_group_file(folder, entry, commit, previous, imported=previous.imported or _now())
        return result(GroupStatus.UPDATED, f"group.yml rewritten: {note}")

    status = GroupStatus.UPDATED if previous_commit else GroupStatus.NEW
    if options.dry_run:
        if previous_commit:
            return result(status, f"would update from {previous_commit[:7]}")
        return result(status, "would import")

    with tempfile.TemporaryDirectory(prefix="report-archive-") as tmp:
        repo = Path(tmp) / "repo"
        commit = git.fetch(url, entry, repo)
        if previous_commit == commit and has_report:  # the remote moved back meanwhile
            return result(GroupStatus.UNCHANGED, "")
        extracted = Path(tmp) / "reports"
        extracted.mkdir()
        files, diagnostics = _extract(
            git, repo, commit, extracted, options.max_file_size, options.max_group_size
        )
        note = _install(entry, options, folder, previous, commit, extracted, files)
    return result(status, note, diagnostics=tuple(diagnostics), files=tuple(sorted(files)))


def _roster_changes(entry: RosterEntry, previous: GroupMeta) -> list[str]:
    """Return the roster's values that differ from what ``group.yml`` records.

    Compared as written there: a local repository path is no URL the site can link, but it
    is what was imported.
    """
    recorded = previous.raw
    changed = []
    if recorded.get("repository") != entry.repo_url:
        changed.append("repository")
    if recorded.get("branch") != entry.branch:
        changed.append("branch")
    if list(recorded.get("members") or []) != list(entry.members):
        changed.append("members")
    return changed


# --------------------------------------------------------------------------------------
# Reading the repository


@dataclass(frozen=True)
class _TreeEntry:
    mode: str
    kind: str
    oid: str
    size: int | None
    path: str  # relative to reports/


def _extract(
    git: _Git, repo: Path, commit: str, extracted: Path, max_size: int, max_total: int
) -> tuple[list[str], list[str]]:
    """Write the report and the images to copy into `extracted`.

    Files are written until the group's files reach `max_total` bytes: the images whose
    path the report names come first, so what is left out is what the report does not show.

    Returns:
        The written paths relative to `extracted`, and the diagnostics.
    """
    diagnostics: list[str] = []
    entries = git.list_reports(repo, commit)
    report = next((e for e in entries if e.path == REPORT_NAME), None)
    if report is None:
        report = next((e for e in entries if e.path.lower() == REPORT_NAME.lower()), None)
    if report is None:
        raise _GroupFailure(f"no reports/{REPORT_NAME} at commit {commit[:7]}")
    if report.mode == "120000":
        raise _GroupFailure(f"reports/{report.path} is a symbolic link; not imported")
    if report.kind != "blob" or report.size is None:
        raise _GroupFailure(f"reports/{report.path} is not a file")
    if report.size > max_size:
        raise _GroupFailure(
            f"reports/{report.path} is {_size(report.size)}, over the {_size(max_size)} limit"
        )
    report_data = git.read_blob(repo, report.oid)
    _write_inside(extracted, REPORT_NAME, report_data)
    total = len(report_data)
    named = report_data.decode("utf-8", "replace").lower()

    written: set[str] = set()
    for e in sorted(entries, key=lambda e: e.path.lower() not in named):
        if e is report:
            continue
        if e.mode == "120000":
            diagnostics.append(f"reports/{e.path}: symbolic link; not copied")
            continue
        if posixpath.splitext(e.path)[1].lower() not in IMAGE_EXTENSIONS:
            continue
        problem = _entry_problem(e, max_size)
        if problem is None and e.size is not None and total + e.size > max_total:
            problem = f"the group's files would pass the {_size(max_total)} limit"
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
        except (OSError, _GroupFailure) as exc:
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
    return [REPORT_NAME, *sorted(keep)], diagnostics


def _entry_problem(entry: _TreeEntry, max_size: int) -> str | None:
    if entry.mode == "120000":
        return "symbolic link"
    if entry.kind != "blob" or entry.mode not in ("100644", "100755") or entry.size is None:
        return "not a regular file"
    if entry.size > max_size:
        return f"{_size(entry.size)}, over the {_size(max_size)} limit"
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
        raise _GroupFailure(f"unsafe path {relative!r}")
    target = root / relative
    real_root = root.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.parent.resolve().is_relative_to(real_root):
        raise _GroupFailure(f"{relative!r} leaves the folder")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(target, flags, 0o644)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


# --------------------------------------------------------------------------------------
# Writing the group's folder


def _install(
    entry: RosterEntry,
    options: ImportOptions,
    folder: Path,
    previous: GroupMeta,
    commit: str,
    extracted: Path,
    files: list[str],
) -> str:
    """Replace the group's imported files with `files` from `extracted`.

    Files in the folder that an import does not make (anything but the report, images
    and group.yml) are kept. Returns the note saying what changed.
    """
    old = _imported_files(folder) if folder.is_dir() else {}
    new = {f: _digest(extracted / f) for f in files}
    options.semester_dir.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".group-{entry.group}.", dir=options.semester_dir))
    try:
        for f in files:
            (stage / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(extracted / f, stage / f)
        retired: Path | None = None
        if folder.exists():
            retired = folder.with_name(f".{folder.name}.old-{os.getpid()}-{threading.get_ident()}")
            folder.rename(retired)
            _keep_own_files(retired, stage)
        stage.rename(folder)
        if retired is not None:
            shutil.rmtree(retired)
    finally:
        if stage.exists():
            shutil.rmtree(stage)
    _write_group_file(folder, entry, commit, previous, imported=_now())
    return _describe_changes(old, new, previous.commit)


def _keep_own_files(old_folder: Path, stage: Path) -> None:
    """Move files the import does not make (and group.yml) from `old_folder` to `stage`."""
    for path in sorted(old_folder.rglob("*")):
        relative = path.relative_to(old_folder).as_posix()
        if path.is_dir() and not path.is_symlink():
            continue
        if _is_import_product(relative) and relative != GROUP_FILE:
            continue
        destination = stage / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        path.rename(destination)


def _is_import_product(relative: str) -> bool:
    return (
        relative in (REPORT_NAME, GROUP_FILE)
        or relative.split("/", 1)[0] == "figures"
        or posixpath.splitext(relative)[1].lower() in IMAGE_EXTENSIONS
    )


def _imported_files(folder: Path) -> dict[str, str]:
    found = {}
    for path in folder.rglob("*"):
        relative = path.relative_to(folder).as_posix()
        if (
            path.is_file()
            and not path.is_symlink()
            and relative != GROUP_FILE
            and _is_import_product(relative)
        ):
            found[relative] = _digest(path)
    return found


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _describe_changes(old: dict[str, str], new: dict[str, str], previous: str | None) -> str:
    figures_old = {k: v for k, v in old.items() if k != REPORT_NAME}
    figures_new = {k: v for k, v in new.items() if k != REPORT_NAME}
    if previous is None and not old:
        return _count(len(figures_new), "figure")
    parts = []
    if previous:
        parts.append(f"was {previous[:7]}")
    changes = []
    if old.get(REPORT_NAME) != new.get(REPORT_NAME):
        changes.append(f"{REPORT_NAME} changed")
    added = len(figures_new.keys() - figures_old.keys())
    removed = len(figures_old.keys() - figures_new.keys())
    modified = sum(1 for k in figures_new.keys() & figures_old.keys() if old[k] != new[k])
    for n, what in ((added, "added"), (removed, "removed"), (modified, "changed")):
        if n:
            changes.append(f"{_count(n, 'figure')} {what}")
    parts.append(", ".join(changes) if changes else "same files")
    return "; ".join(parts)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _read_group_file(folder: Path) -> tuple[GroupMeta, list[MetaProblem]]:
    """Read the group's ``group.yml`` with the archive's schema (`report_archive.reports.meta`).

    Bad values are problems the import reports and goes past (the keys the import writes
    are written anew; the others are kept as they are). A file that cannot be read at all
    stops this group's import, with the file and line.
    """
    meta, problems = read_group_meta(folder)
    fatal = next((p for p in problems if p.fatal), None)
    if fatal is not None:
        raise _GroupFailure(f"{fatal}; fix or delete it")
    return meta, problems


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _write_group_file(
    folder: Path, entry: RosterEntry, commit: str, previous: GroupMeta, imported: str
) -> None:
    values = {
        "repository": entry.repo_url,
        "commit": commit,
        "branch": entry.branch,
        "imported": imported,
        "members": list(entry.members),
    }
    write_group_meta(folder, values, keep=previous.raw)


# --------------------------------------------------------------------------------------
# Running git


def _is_local(repo_url: str) -> bool:
    return urlsplit(repo_url).scheme.lower() != "https"


def _source_url(repo_url: str, base_dir: Path | None) -> str:
    """Return what to give git: https and file URLs as they are, paths as file URLs.

    Local paths go through the file:// transport so that ``--depth`` applies and git does
    not copy the repository's files directly.
    """
    scheme = urlsplit(repo_url).scheme.lower()
    if scheme in ("https", "file"):
        return repo_url
    path = Path(repo_url).expanduser()
    if not path.is_absolute():
        path = (base_dir or Path.cwd()) / path
    if not path.exists():
        raise _GroupFailure(f"repository not found: {path}")
    return path.resolve().as_uri()


_live: set[subprocess.Popen[bytes]] = set()
_live_lock = threading.Lock()


def _kill(process: subprocess.Popen[bytes]) -> None:
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass


def _kill_all() -> None:
    with _live_lock:
        for process in list(_live):
            _kill(process)


class _Git:
    """Runs git with everything a hostile repository could use switched off."""

    def __init__(self, options: ImportOptions, local: bool, cancel: threading.Event | None):
        self.executable = options.git
        self.timeout = options.timeout
        self.deadline = time.monotonic() + options.timeout
        self.cancel = cancel
        self.config = [
            "-c", "core.hooksPath=/dev/null",
            "-c", "core.fsmonitor=false",
            "-c", "protocol.ext.allow=never",
            "-c", f"protocol.file.allow={'always' if local else 'never'}",
            "-c", "submodule.recurse=false",
            "-c", "fetch.recurseSubmodules=false",
            "-c", "advice.detachedHead=false",
            "-c", "init.defaultBranch=main",
        ]  # fmt: skip
        env = {k: v for k, v in os.environ.items() if k not in _GIT_LOCATION_VARS}
        env.update(
            GIT_TERMINAL_PROMPT="0",
            GIT_LFS_SKIP_SMUDGE="1",
            GIT_NO_REPLACE_OBJECTS="1",
            LC_ALL="C",
            LANGUAGE="C",
        )
        self.env = env

    def run(self, args: list[str], action: str, cwd: Path | None = None) -> bytes:
        """Run git within the repository's time limit; return its standard output."""
        if self.cancel is not None and self.cancel.is_set():
            raise _GroupFailure("cancelled")
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise _GroupFailure(f"{action} timed out after {self.timeout:g} s")
        try:
            process = subprocess.Popen(
                [self.executable, *self.config, *args],
                cwd=cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except OSError as exc:
            raise _GroupFailure(f"cannot run {self.executable}: {exc.strerror or exc}") from exc
        with _live_lock:
            _live.add(process)
        try:
            out, err = process.communicate(timeout=remaining)
        except subprocess.TimeoutExpired:
            _kill(process)
            process.communicate()
            raise _GroupFailure(f"{action} timed out after {self.timeout:g} s") from None
        finally:
            with _live_lock:
                _live.discard(process)
        if process.returncode != 0:
            if self.cancel is not None and self.cancel.is_set():
                raise _GroupFailure("cancelled")
            raise _GroupFailure(_explain(action, err))
        return out

    def remote_commit(self, url: str, branch: str | None) -> str:
        """Ask the remote for the commit of `branch` (or of its default branch)."""
        if branch is None:
            out = self.run(["ls-remote", "--symref", "--", url, "HEAD"], "ls-remote")
            wanted = "HEAD"
        else:
            wanted = f"refs/heads/{branch}"
            out = self.run(["ls-remote", "--", url, wanted], "ls-remote")
        for line in out.decode("utf-8", "replace").splitlines():
            oid, _, name = line.partition("\t")
            if name == wanted and _HASH.fullmatch(oid):
                return oid
        if branch is None:
            raise _GroupFailure("repository is empty (no default branch)")
        raise _GroupFailure(f"branch {branch!r} not found")

    def fetch(self, url: str, entry: RosterEntry, repo: Path) -> str:
        """Fetch the wanted commit into a new repository at `repo`, without a checkout.

        Returns:
            The full hash of the fetched commit.
        """
        if entry.commit is None:
            args = ["clone", "--template=", "--depth", "1", "--no-tags", "--single-branch"]
            args += ["--no-checkout", "--no-recurse-submodules", "--quiet"]
            if entry.branch is not None:
                args += ["--branch", entry.branch]
            self.run([*args, "--", url, str(repo)], "clone")
            head = self.run(["rev-parse", "--verify", "HEAD^{commit}"], "clone", cwd=repo)
            return head.decode().strip()
        self.run(["init", "--quiet", "--template=", str(repo)], "clone")
        try:
            self.run(
                ["fetch", "--quiet", "--depth", "1", "--no-tags", "--", url, entry.commit],
                "clone",
                cwd=repo,
            )
        except _GroupFailure as exc:
            if "timed out" in str(exc) or "cancelled" in str(exc):
                raise
            # The server refuses to serve a commit by hash: fetch its branches instead.
            self.run(
                ["fetch", "--quiet", "--no-tags", "--", url, "+refs/heads/*:refs/remotes/o/*"],
                "clone",
                cwd=repo,
            )
        try:
            self.run(["cat-file", "-e", f"{entry.commit}^{{commit}}"], "clone", cwd=repo)
        except _GroupFailure:
            raise _GroupFailure(f"commit {entry.commit[:7]} not found in the repository") from None
        return entry.commit

    def list_reports(self, repo: Path, commit: str) -> list[_TreeEntry]:
        """List every entry under ``reports/`` at `commit`, recursively."""
        out = self.run(
            ["ls-tree", "-r", "-l", "-z", "--full-tree", commit, "--", "reports/"],
            "reading the repository",
            cwd=repo,
        )
        entries = []
        for record in out.split(b"\0"):
            if not record:
                continue
            meta, _, raw_path = record.partition(b"\t")
            try:
                mode, kind, oid, size = meta.decode("ascii").split()
                path = raw_path.decode("utf-8")
            except (UnicodeDecodeError, ValueError):
                continue
            if not path.startswith("reports/"):
                continue
            entries.append(
                _TreeEntry(
                    mode, kind, oid, int(size) if size.isdigit() else None, path[len("reports/") :]
                )
            )
        return entries

    def read_blob(self, repo: Path, oid: str) -> bytes:
        """Return a blob's content."""
        return self.run(["cat-file", "blob", oid], "reading the repository", cwd=repo)


def _explain(action: str, stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    message = next(
        (line for line in lines if line.startswith("fatal:")), lines[-1] if lines else ""
    )
    message = message.removeprefix("fatal:").strip()
    lowered = text.lower()
    if any(
        s in lowered
        for s in (
            "repository not found",
            "could not read username",
            "terminal prompts disabled",
            "authentication failed",
            "does not appear to be a git repository",
            "access denied",
            "permission denied",
        )
    ):
        return (
            f"repository not found or private ({message})"
            if message
            else "repository not found or private"
        )
    return f"{action} failed: {message}" if message else f"{action} failed"


def _size(n: int) -> str:
    if n < 1000:
        return f"{n} bytes"
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if n >= factor:
            return f"{n / factor:.1f} {unit}".replace(".0 ", " ")
    return f"{n} bytes"
