"""The project's title and summary from the repository's top-level README, at the commit.

The README is read from git's object store like the report (never from a checkout), only
when it is a regular file within `MAX_README_BYTES`; what it says is untrusted text, made
plain and one line by `report_archive.reports.identity.readme_identity`.
"""

from __future__ import annotations

from pathlib import Path

from report_archive.reports.identity import ReadmeIdentity, readme_identity
from report_archive.reports.identity.readme import MAX_README_BYTES
from report_archive.staff.importer.extract import size_text
from report_archive.staff.importer.git import Git, TreeEntry

__all__ = ["read_readme"]

_NAMES = ("readme.md", "readme.markdown", "readme")
"""Names of a README, in the order they are looked for (any letter case)."""
_LFS_POINTER = b"version https://git-lfs.github.com/spec/"


def read_readme(git: Git, repo: Path, commit: str) -> tuple[ReadmeIdentity, list[str]]:
    """Read the title and summary of the README at the top of the repository at `commit`.

    Returns:
        What the README says (empty when there is none or it says nothing of the project),
        and notes on a README that could not be read (a link, too large, in Git LFS).
    """
    entry = _find(git.list_top(repo, commit))
    if entry is None:
        return ReadmeIdentity(), []
    if entry.mode == "120000":
        return ReadmeIdentity(), [f"{entry.path}: symbolic link; no title read from it"]
    if entry.kind != "blob" or entry.size is None:
        return ReadmeIdentity(), []
    if entry.size > MAX_README_BYTES:
        size, limit = size_text(entry.size), size_text(MAX_README_BYTES)
        return ReadmeIdentity(), [f"{entry.path}: {size}, over the {limit} limit; not read"]
    data = git.read_blob(repo, entry.oid)
    if data.startswith(_LFS_POINTER):
        return ReadmeIdentity(), [f"{entry.path}: stored in Git LFS; no title read from it"]
    return readme_identity(data), []


def _find(entries: list[TreeEntry]) -> TreeEntry | None:
    by_name = {e.path.lower(): e for e in sorted(entries, key=lambda e: e.path, reverse=True)}
    return next((by_name[name] for name in _NAMES if name in by_name), None)
