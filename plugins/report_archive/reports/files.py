"""Reading files of the archive without ever leaving it.

Everything under the reports folder is untrusted: a group can commit a ``README.md`` or a
``group.yml`` that is a symbolic link to ``/etc/passwd``, or a folder that is a link to
another one, and a hard link can give a file inside the folder the content of one outside.
Every file the build reads from the archive goes through `read_inside` (or `check_inside`
for files MkDocs copies itself): each folder on the way down from the archive's root is
opened without following links, the file is opened without following links, and it must be
a regular file whose other hard links, if any, are all inside its own report's folder. The
same rule as `report-archive import`, which never writes a link.

Sizes are limited too: `read_inside` refuses a file larger than the limit it is given, so a
20 MB report is a problem with a clear message, not minutes of parsing.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

__all__ = ["FileTooLarge", "UnsafeFile", "check_inside", "read_inside"]

_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_FILE_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_LINK_ERRORS = (errno.ELOOP, errno.ENOTDIR, getattr(errno, "EMLINK", errno.ELOOP))


class UnsafeFile(OSError):
    """A file that is not read: a link, not a regular file, or outside the root.

    Attributes:
        path: The file.
        reason: Why it is not read, as a sentence end ("is a symbolic link").
    """

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class FileTooLarge(UnsafeFile):
    """A file larger than the limit it is read with.

    Attributes:
        size: Its size in bytes.
        limit: The limit in bytes.
    """

    def __init__(self, path: Path, size: int, limit: int) -> None:
        super().__init__(
            path, f"is {_megabytes(size)}, over the limit of {_megabytes(limit)}; not read"
        )
        self.size = size
        self.limit = limit


def read_inside(path: Path, root: Path, limit: int, scope: Path | None = None) -> bytes:
    """Return a file's bytes, if it is a regular file reached from `root` without links.

    Args:
        path: The file; it must be `root` joined with a relative path (no ``..``).
        root: The folder it must stay in (the archive's reports folder, or a report's own
            folder); the root itself may be reached through links.
        limit: Largest size in bytes.
        scope: The folder every hard link of the file must be in (default: its folder).

    Raises:
        FileNotFoundError: There is no such file.
        UnsafeFile: It is a link, a folder on the way is a link, it is not a regular file,
            it has other hard links, or it is outside `root`.
        FileTooLarge: It is larger than `limit`.
        OSError: It cannot be read.
    """
    fd = _open_inside(path, root, scope or path.parent)
    with os.fdopen(fd, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size > limit:
            raise FileTooLarge(path, size, limit)
        data = f.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(path, len(data), limit)
    return data


def check_inside(path: Path, root: Path, scope: Path | None = None) -> int:
    """Check a file as `read_inside` does, without reading it; return its size in bytes.

    Raises:
        FileNotFoundError, UnsafeFile, OSError: As `read_inside`.
    """
    fd = _open_inside(path, root, scope or path.parent)
    try:
        return os.fstat(fd).st_size
    finally:
        os.close(fd)


def _open_inside(path: Path, root: Path, scope: Path) -> int:
    """Open `path` for reading, walking down from `root` without following links."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        raise UnsafeFile(path, "is outside the archive") from None
    if not parts or ".." in parts:
        raise UnsafeFile(path, "is outside the archive")
    if os.open in os.supports_dir_fd and _NOFOLLOW:
        fd = _open_walk(path, root, parts)
    else:  # pragma: no cover - platforms without openat (Windows)
        fd = _open_lstat(path, root, parts)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile(path, "is not a regular file")
        if info.st_nlink > 1 and _names_in(scope, info) < info.st_nlink:
            raise UnsafeFile(path, f"is a hard link to a file outside {scope.name}/")
    except BaseException:
        os.close(fd)
        raise
    return fd


def _open_walk(path: Path, root: Path, parts: tuple[str, ...]) -> int:
    folder = os.open(root, _DIR_FLAGS)
    try:
        for index, part in enumerate(parts[:-1]):
            try:
                inner = os.open(part, _DIR_FLAGS | _NOFOLLOW, dir_fd=folder)
            except OSError as e:
                if e.errno in _LINK_ERRORS:
                    where = "/".join(parts[: index + 1])
                    what = "a symbolic link" if _is_link(part, folder) else "not a folder"
                    raise UnsafeFile(path, f"is under {where}, which is {what}") from e
                raise
            os.close(folder)
            folder = inner
        try:
            return os.open(parts[-1], _FILE_FLAGS, dir_fd=folder)
        except OSError as e:
            if e.errno in _LINK_ERRORS and _is_link(parts[-1], folder):
                raise UnsafeFile(path, "is a symbolic link") from e
            raise
    finally:
        os.close(folder)


def _names_in(scope: Path, info: os.stat_result) -> int:
    """How many names the file of `info` has inside `scope` (links not followed)."""
    count = 0
    for folder, _, files in os.walk(scope):
        for name in files:
            try:
                other = os.lstat(os.path.join(folder, name))
            except OSError:
                continue
            count += (other.st_ino, other.st_dev) == (info.st_ino, info.st_dev)
    return count


def _is_link(name: str, folder: int) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode)
    except OSError:
        return False


def _open_lstat(path: Path, root: Path, parts: tuple[str, ...]) -> int:  # pragma: no cover
    current = root
    for part in parts:
        current = current / part
        if current.is_symlink():
            raise UnsafeFile(path, f"{current} is a symbolic link")
    return os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))


def _megabytes(size: int) -> str:
    if size < 1_000_000:
        return f"{size / 1000:.0f} kB"
    return f"{size / 1_000_000:.1f} MB"
