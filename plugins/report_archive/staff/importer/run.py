"""Importing a roster's groups: what to do for each group, and the results.

For each roster entry: ask the remote for its commit (``git ls-remote``), skip the group
when `group.yml` already records that commit, otherwise make a shallow clone without a
checkout, extract ``reports/README.md`` and its images (`extract`) and install them into
``<reports_dir>/<semester>/group-<n>/`` with a new ``group.yml`` (`install`).

Nothing here prints: `import_roster` reports each finished group through a callback.
"""

from __future__ import annotations

import dataclasses
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from report_archive.images.encode import Encoding
from report_archive.reports.identity import ReadmeIdentity
from report_archive.reports.layout import GROUP_FOLDER, REPORT_FILE, SAFE_FOLDER, group_folder
from report_archive.reports.meta import GroupMeta
from report_archive.staff.importer.errors import GroupFailure
from report_archive.staff.importer.extract import extract
from report_archive.staff.importer.figures import prepare_figures
from report_archive.staff.importer.git import Git, Processes, is_local, source_url
from report_archive.staff.importer.install import (
    install,
    now,
    read_group_file,
    roster_changes,
    write_group_file,
)
from report_archive.staff.importer.readme import read_readme
from report_archive.staff.roster import RosterEntry

__all__ = [
    "DEFAULT_JOBS",
    "DEFAULT_MAX_FILE_SIZE",
    "DEFAULT_MAX_GROUP_SIZE",
    "DEFAULT_TIMEOUT",
    "GroupResult",
    "GroupStatus",
    "ImportOptions",
    "group_path",
    "groups_not_in_roster",
    "import_group",
    "import_roster",
]

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
"""Files larger than this (10 MiB) are skipped."""


DEFAULT_MAX_GROUP_SIZE = 50 * 1024 * 1024
"""A group's files together are kept under this (50 MiB; the largest group of the corpus has
6 MB): files past it are skipped, the report's own figures first in line."""


DEFAULT_TIMEOUT = 120.0
"""Seconds allowed per repository (ls-remote, clone and reading together)."""


DEFAULT_JOBS = 4


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
        refresh_meta: Read the README of groups whose commit did not change too, and write
            its title and summary to ``group.yml`` (``readme_title``, ``readme_summary``).
            A group imported from a new commit always has its README read.
        base_dir: Folder against which relative local repository paths are resolved
            (the roster's folder); None for the current folder.
        git: The git executable.
        figures: How raster figures are stored ready to publish
            (`report_archive.staff.importer.figures`); None stores them as committed.

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
    refresh_meta: bool = False
    base_dir: Path | None = None
    git: str = "git"
    figures: Encoding | None = field(default_factory=Encoding)

    def __post_init__(self) -> None:
        if not SAFE_FOLDER.fullmatch(self.semester) or ".." in self.semester:
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


def group_path(reports_dir: Path, semester: str, group: int) -> Path:
    """Return the folder of a group: ``reports_dir/semester/group-<n>``."""
    return reports_dir / semester / group_folder(group)


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
    processes = Processes()
    pool = ThreadPoolExecutor(max_workers=options.jobs, thread_name_prefix="import")
    try:
        futures: dict[Future[GroupResult], RosterEntry] = {
            pool.submit(import_group, entry, options, cancel, processes): entry for entry in entries
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
                    folder=group_path(options.reports_dir, options.semester, entry.group),
                    line=entry.line,
                )
            results.append(result)
            if on_result is not None:
                on_result(result)
    except BaseException:
        cancel.set()
        processes.kill_all()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return sorted(results, key=lambda r: r.group)


def import_group(
    entry: RosterEntry,
    options: ImportOptions,
    cancel: threading.Event | None = None,
    processes: Processes | None = None,
) -> GroupResult:
    """Import one group; expected failures become a FAILED result, never an exception.

    Args:
        entry: The group's roster entry.
        options: How to import.
        cancel: When set, the import stops as soon as possible.
        processes: Where the git processes are registered (to stop them all at once).

    Returns:
        What happened.
    """
    folder = group_path(options.reports_dir, options.semester, entry.group)
    previous = GroupMeta()
    commit = entry.commit
    try:
        previous, problems = read_group_file(folder)
        git = Git(
            options.git,
            options.timeout,
            local=is_local(entry.repo_url),
            processes=processes or Processes(),
            cancel=cancel,
        )
        url = source_url(entry.repo_url, options.base_dir)
        if commit is None:
            commit = git.remote_commit(url, entry.branch)
        result = _import(entry, options, folder, previous, commit, git, url)
    except GroupFailure as exc:
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
        m = GROUP_FOLDER.fullmatch(folder.name)
        if m is None or int(m.group(1)) in listed or not folder.is_dir():
            continue
        try:
            meta, _ = read_group_file(folder)
        except GroupFailure:
            continue
        if "imported" in meta.raw:
            found.append((int(m.group(1)), folder))
    return [folder for _, folder in sorted(found)]


def _import(
    entry: RosterEntry,
    options: ImportOptions,
    folder: Path,
    previous: GroupMeta,
    commit: str,
    git: Git,
    url: str,
) -> GroupResult:
    previous_commit = previous.commit
    has_report = (folder / REPORT_FILE).is_file()

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

    unchanged = previous_commit == commit and has_report
    if unchanged and not options.refresh_meta:
        changed = roster_changes(entry, previous)
        if not changed:
            return result(GroupStatus.UNCHANGED, "")
        note = f"{' and '.join(changed)} changed in the roster"
        if options.dry_run:
            return result(GroupStatus.UPDATED, f"would rewrite group.yml: {note}")
        write_group_file(folder, entry, commit, previous, imported=previous.imported or now())
        return result(GroupStatus.UPDATED, f"group.yml rewritten: {note}")

    status = GroupStatus.UPDATED if previous_commit else GroupStatus.NEW
    if options.dry_run:
        if unchanged:
            return result(GroupStatus.UNCHANGED, "would read the README again")
        if previous_commit:
            return result(status, f"would update from {previous_commit[:7]}")
        return result(status, "would import")

    with tempfile.TemporaryDirectory(prefix="report-archive-") as tmp:
        repo = Path(tmp) / "repo"
        commit = git.fetch(url, entry, repo)
        readme, notes = read_readme(git, repo, commit)
        if previous_commit == commit and has_report:  # asked to refresh, or moved back
            if not options.refresh_meta:
                return result(GroupStatus.UNCHANGED, "")
            status, note = _refresh(entry, folder, previous, commit, readme)
            return result(status, note, diagnostics=tuple(notes))
        extracted = Path(tmp) / "reports"
        extracted.mkdir()
        files, diagnostics = extract(
            git, repo, commit, extracted, options.max_file_size, options.max_group_size
        )
        figures = prepare_figures(extracted, files, options.figures) if options.figures else None
        note = install(
            entry,
            options.semester_dir,
            folder,
            previous,
            commit,
            extracted,
            files,
            readme,
            prepared=figures.record() if figures is not None else None,
        )
        note = "; ".join(part for part in (note, str(figures or "")) if part)
    return result(status, note, diagnostics=tuple(notes + diagnostics), files=tuple(sorted(files)))


def _refresh(
    entry: RosterEntry, folder: Path, previous: GroupMeta, commit: str, readme: ReadmeIdentity
) -> tuple[GroupStatus, str]:
    """Rewrite ``group.yml`` of a group whose commit did not change, if anything changed."""
    roster = roster_changes(entry, previous)
    changed = [f"{' and '.join(roster)} changed in the roster"] if roster else []
    recorded = (previous.raw.get("readme_title"), previous.raw.get("readme_summary"))
    if recorded != (readme.title, readme.summary):
        changed.append("title and summary read again from the README")
    if not changed:
        return GroupStatus.UNCHANGED, ""
    imported = previous.imported or now()
    write_group_file(folder, entry, commit, previous, imported=imported, readme=readme)
    return GroupStatus.UPDATED, f"group.yml rewritten: {'; '.join(changed)}"
