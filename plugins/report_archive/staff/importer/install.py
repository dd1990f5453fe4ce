"""Writing a group's folder: the imported files replaced at once, and ``group.yml``.

The new files are staged beside the folder and swapped in by renames, so a reader never
sees half a group; files the import does not make (notes staff added) are kept.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import shutil
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from report_archive.reports.identity import ReadmeIdentity
from report_archive.reports.layout import GROUP_FILE, IMAGE_SUFFIXES, REPORT_FILE
from report_archive.reports.meta import GroupMeta, MetaProblem, read_group_meta, write_group_meta
from report_archive.staff.importer.errors import GroupFailure
from report_archive.staff.roster import RosterEntry

__all__ = ["install", "now", "read_group_file", "roster_changes", "write_group_file"]


def install(
    entry: RosterEntry,
    semester_dir: Path,
    folder: Path,
    previous: GroupMeta,
    commit: str,
    extracted: Path,
    files: list[str],
    readme: ReadmeIdentity | None = None,
    *,
    prepared: dict[str, Any] | None = None,
) -> str:
    """Replace the group's imported files with `files` from `extracted`.

    Files in the folder that an import does not make (anything but the report, images
    and group.yml) are kept; `readme` is what the repository's README says and `prepared`
    the figures made ready to publish (`FigureNote.record`), both written to ``group.yml``.
    Returns the note saying what changed.
    """
    old = _imported_files(folder) if folder.is_dir() else {}
    new = {f: _digest(extracted / f) for f in files}
    semester_dir.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".group-{entry.group}.", dir=semester_dir))
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
    write_group_file(
        folder, entry, commit, previous, imported=now(), readme=readme, prepared=prepared
    )
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
        relative in (REPORT_FILE, GROUP_FILE)
        or relative.split("/", 1)[0] == "figures"
        or posixpath.splitext(relative)[1].lower() in IMAGE_SUFFIXES
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
    figures_old = {k: v for k, v in old.items() if k != REPORT_FILE}
    figures_new = {k: v for k, v in new.items() if k != REPORT_FILE}
    if previous is None and not old:
        return _count(len(figures_new), "figure")
    parts = []
    if previous:
        parts.append(f"was {previous[:7]}")
    changes = []
    if old.get(REPORT_FILE) != new.get(REPORT_FILE):
        changes.append(f"{REPORT_FILE} changed")
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


def read_group_file(folder: Path) -> tuple[GroupMeta, list[MetaProblem]]:
    """Read the group's ``group.yml`` with the archive's schema (`report_archive.reports.meta`).

    Bad values are problems the import reports and goes past (the keys the import writes
    are written anew; the others are kept as they are). A file that cannot be read at all
    stops this group's import, with the file and line.
    """
    meta, problems = read_group_meta(folder)
    fatal = next((p for p in problems if p.fatal), None)
    if fatal is not None:
        raise GroupFailure(f"{fatal}; fix or delete it")
    return meta, problems


def now() -> str:
    """The time now, as ``group.yml`` records it (UTC, to the second)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_group_file(
    folder: Path,
    entry: RosterEntry,
    commit: str,
    previous: GroupMeta,
    imported: str,
    readme: ReadmeIdentity | None = None,
    prepared: dict[str, Any] | Literal[False] | None = False,
) -> None:
    """Write ``group.yml`` with the roster's values and the commit; keep staff's keys.

    With `readme`, ``readme_title`` and ``readme_summary`` are written anew (left out when
    the README gives none); without, they are kept as they were. `prepared` is written as
    ``prepared_figures`` (None leaves it out: the figures are new and none was prepared);
    False keeps it as it was (the files did not change). Staff's ``title`` and ``summary``
    are never written here.
    """
    values: dict[str, object] = {
        "repository": entry.repo_url,
        "commit": commit,
        "branch": entry.branch,
        "imported": imported,
        "members": list(entry.members),
    }
    if readme is not None:
        values |= {"readme_title": readme.title, "readme_summary": readme.summary}
    if prepared is not False:
        values["prepared_figures"] = prepared
    write_group_meta(folder, values, keep=previous.raw)


def roster_changes(entry: RosterEntry, previous: GroupMeta) -> list[str]:
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
