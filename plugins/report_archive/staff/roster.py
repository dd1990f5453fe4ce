"""Reading and checking the course roster CSV.

The roster has one row per group, with the course's columns::

    group_number,student_1,student_2,student_3,student_4,student_5,repo_url

Optional ``branch`` or ``commit`` columns pin the version to import. Any number of
``student_N`` columns is accepted; empty student cells are ignored. A malformed roster
raises `RosterError`, which names the file, the line and the column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from report_archive.reports.layout import STUDENT_NUMBER

REQUIRED_COLUMNS = ("group_number", "repo_url")
OPTIONAL_COLUMNS = ("branch", "commit")
_STUDENT_COLUMN = re.compile(r"student_(\d+)")
_FULL_HASH = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_BRANCH = re.compile(r"[A-Za-z0-9._/-]+")


class RosterError(ValueError):
    """A roster that cannot be used.

    Attributes:
        file: The roster file (or a description of where the text came from).
        line: 1-based line of the problem, or None when it concerns the whole file.
        column: Name of the column concerned, or None.
        reason: The problem, without the location.
    """

    def __init__(self, file: str | Path, line: int | None, column: str | None, reason: str) -> None:
        self.file = str(file)
        self.line = line
        self.column = column
        self.reason = reason
        where = self.file if line is None else f"{self.file}:{line}"
        if column is not None:
            where += f": column {column!r}"
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class RosterEntry:
    """One group of the roster.

    Attributes:
        group: The group number (positive).
        members: The student numbers in column order, empty cells left out. Student
            numbers such as ``S224229`` are lower-cased; other text is kept as written.
        repo_url: The repository as written: an ``https://`` or ``file://`` URL or a
            local path.
        branch: The branch to import, or None for the repository's default branch.
        commit: The full commit hash to import, or None for the branch's latest commit.
        line: 1-based line of the row in the roster file.
    """

    group: int
    members: tuple[str, ...]
    repo_url: str
    branch: str | None
    commit: str | None
    line: int


def read_roster(path: Path) -> list[RosterEntry]:
    """Read and check a roster file.

    Args:
        path: The CSV file (UTF-8, a byte order mark is allowed).

    Returns:
        The groups in file order.

    Raises:
        RosterError: The file cannot be read or is malformed.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RosterError(path, None, None, f"cannot be read: {exc.strerror or exc}") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RosterError(path, line, None, "is not UTF-8 text") from exc
    return parse_roster(text, path)


def parse_roster(text: str, source: str | Path = "<roster>") -> list[RosterEntry]:
    """Parse and check roster text.

    Args:
        text: The CSV text.
        source: Where the text came from, for error messages.

    Returns:
        The groups in file order.

    Raises:
        RosterError: The text is malformed: missing or unknown columns, a row with the
            wrong number of fields, a bad group number, a duplicate group, an empty or
            unsupported repository URL, a bad branch or commit.
    """
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    next_line = 1
    try:
        for row in reader:
            rows.append((next_line, row))
            next_line = reader.line_num + 1
    except csv.Error as exc:
        raise RosterError(source, reader.line_num or next_line, None, f"bad CSV: {exc}") from exc

    rows = [(n, r) for n, r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise RosterError(source, None, None, "is empty; expected a header line")
    header_line, header_row = rows[0]
    header = [cell.strip().lower() for cell in header_row]
    _check_header(header, header_line, source)
    student_columns = sorted(
        (i for i, name in enumerate(header) if _STUDENT_COLUMN.fullmatch(name)),
        key=lambda i: int(header[i].removeprefix("student_")),
    )

    entries: list[RosterEntry] = []
    seen: dict[int, int] = {}
    for line, row in rows[1:]:
        if len(row) != len(header):
            raise RosterError(
                source, line, None, f"expected {len(header)} fields, found {len(row)}"
            )
        cells = {name: cell.strip() for name, cell in zip(header, row, strict=True)}
        group = _group_number(cells["group_number"], source, line)
        if group in seen:
            raise RosterError(
                source,
                line,
                "group_number",
                f"group {group} is already on line {seen[group]}",
            )
        seen[group] = line
        members = tuple(_member(row[i].strip()) for i in student_columns if row[i].strip())
        repo_url = cells["repo_url"]
        problem = repo_url_problem(repo_url)
        if problem:
            raise RosterError(source, line, "repo_url", problem)
        branch = cells.get("branch") or None
        commit = cells.get("commit") or None
        if branch is not None and not _valid_branch(branch):
            raise RosterError(source, line, "branch", f"{branch!r} is not a valid branch name")
        if commit is not None:
            commit = commit.lower()
            if not _FULL_HASH.fullmatch(commit):
                raise RosterError(
                    source, line, "commit", f"{commit!r} is not a full commit hash (40 hex digits)"
                )
            if branch is not None:
                raise RosterError(
                    source, line, "commit", "give either a branch or a commit, not both"
                )
        entries.append(RosterEntry(group, members, repo_url, branch, commit, line))

    if not entries:
        raise RosterError(source, header_line, None, "has a header but no groups")
    return entries


def repo_url_problem(url: str) -> str | None:
    """Say what is wrong with a repository URL, if anything.

    Accepted: ``https://host/path`` without credentials, ``file://`` URLs and local
    paths. Refused: other schemes (``ssh``, ``git``, ``ext::`` ...), ``scp``-style
    ``user@host:path`` and anything starting with ``-``.

    Args:
        url: The URL as written in the roster.

    Returns:
        A sentence describing the problem, or None when the URL is acceptable.
    """
    if not url:
        return "is empty; every group needs a repository"
    if url.startswith("-"):
        return f"{url!r} starts with '-'"
    if any(ch.isspace() and ch != " " for ch in url) or "\0" in url:
        return f"{url!r} contains control characters"
    if "::" in url:
        return f"{url!r} uses a git remote helper; use an https:// URL"
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "https":
        if not parts.hostname:
            return f"{url!r} has no host"
        if parts.username or parts.password:
            return f"{url!r} contains credentials; they would be published in group.yml"
        return None
    if scheme == "file":
        return None
    if "://" in url:
        return f"{url!r}: only https:// and file:// URLs and local paths are supported"
    head = url.split(":", 1)[0]
    if ":" in url and "/" not in head and "\\" not in head and len(head) > 1:
        return f"{url!r} is an ssh address; use the https:// URL"
    return None


def _check_header(header: list[str], line: int, source: str | Path) -> None:
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    for name in header:
        if not name:
            raise RosterError(source, line, None, "the header has an empty column name")
        if name not in known and not _STUDENT_COLUMN.fullmatch(name):
            raise RosterError(
                source,
                line,
                name,
                "unknown column; expected group_number, student_1 … student_5, repo_url "
                "and optionally branch or commit",
            )
        if header.count(name) > 1:
            raise RosterError(source, line, name, "column appears twice")
    for name in REQUIRED_COLUMNS:
        if name not in header:
            raise RosterError(source, line, name, "missing column")


def _group_number(cell: str, source: str | Path, line: int) -> int:
    if not cell:
        raise RosterError(source, line, "group_number", "is empty")
    if not cell.isascii() or not cell.isdigit() or int(cell) < 1:
        raise RosterError(source, line, "group_number", f"{cell!r} is not a positive whole number")
    return int(cell)


def _member(cell: str) -> str:
    return cell.lower() if STUDENT_NUMBER.fullmatch(cell) else cell


def _valid_branch(name: str) -> bool:
    return (
        _BRANCH.fullmatch(name) is not None
        and not name.startswith(("-", "/", "."))
        and not name.endswith(("/", ".", ".lock"))
        and ".." not in name
        and "//" not in name
        and "/." not in name
    )
