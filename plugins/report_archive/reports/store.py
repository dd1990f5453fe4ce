"""Values kept on disk between builds under a content key (a SHA-256 in hexadecimal).

The reading cache (`report_archive.reports.read_cache`), the group and page caches
(`report_archive.site`) keep their values here. A value is a pickle this package wrote into
a cache folder, which is local state like the figure cache: never a folder students commit
to. A value is written whole, then renamed, so a reader never sees half a file; a missing,
partial or outdated file is a miss; a folder that cannot be written only makes builds
slower. Values are written in the background, by a process of its own shared by every store
(`report_archive.reports.store_writer`); `Store.flush` and `flush_all` wait for them (a build
that failed calls the latter). Values a whole build did not use are removed after it
(`Store.prune`).

A process that builds again and again (``mkdocs serve``) can keep the values in memory too
(`remember`): a value got or put once is then taken from memory by the next builds, without
reading and unpickling its file. Such a value is shared by the builds: code that takes one
from a store never changes it (the tests build twice in one process and compare the site
with a clean build's).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import pickle
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from report_archive.reports.store_writer import StoreWriter

__all__ = ["Store", "flush_all", "memory", "package_digest", "remember"]

_SUFFIX = ".pickle"

_memory: dict[Path, dict[str, Any]] | None = None
"""Folder → key → value, while `remember` is on."""

_writer = StoreWriter()
"""Writes every store's values."""


def remember(on: bool) -> None:
    """Keep every store's values in this process's memory too (on), or forget them (off)."""
    global _memory
    _memory = {} if on else None


def memory(folder: Path) -> dict[str, Any] | None:
    """The values kept in memory for `folder` (None unless `remember` is on)."""
    return _memory.setdefault(folder, {}) if _memory is not None else None


def package_digest(
    root: Path, libraries: Iterable[str], suffixes: tuple[str, ...] | None = None
) -> bytes:
    """A SHA-256 of what cached values depend on besides their input.

    The files under `root` (those with one of `suffixes`, or all), the versions of
    `libraries` and of Python.
    """
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        if suffixes is None or path.suffix in suffixes:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    for name in libraries:
        try:
            digest.update(f"{name} {importlib.metadata.version(name)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(name.encode())
    digest.update(sys.version.encode())
    return digest.digest()


class Store:
    """A folder of pickled values, each under its key.

    Args:
        folder: Where the values are kept (created when needed).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._memory = memory(folder)
        self._used: set[str] = set()
        # No folder yet (a first build): nothing to read, so no file is looked for. (Each
        # miss is a system call that lets Python's lock go; taking it back can wait for
        # another thread: a first build missed thousands of times.)
        self._empty = not folder.is_dir()

    def _file(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}{_SUFFIX}"

    def get(self, key: str) -> Any | None:
        """The value kept under a key, or None (absent or unreadable)."""
        if self._memory is not None and key in self._memory:
            self._used.add(key)
            return self._memory[key]
        if self._empty:  # a value put since is in memory, or a miss: made again
            return None
        try:
            data = self._file(key).read_bytes()
            value = pickle.loads(data)  # written by `put` only
        except Exception:  # a missing, partial or outdated file is a miss
            return None
        self._used.add(key)
        if self._memory is not None:
            self._memory[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        """Keep a value under a key (written in the background: `flush`)."""
        try:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # not picklable: not kept
            return
        self.put_pickled(key, value, data)

    def put_pickled(self, key: str, value: Any, data: bytes) -> None:
        """Keep a value whose pickle is made already: as `put`, without pickling it again.

        `data` must be ``pickle.dumps(value)`` with the newest protocol.
        """
        self._used.add(key)
        if self._memory is not None:
            self._memory[key] = value
        _writer.write(self._file(key), data)

    def flush(self) -> None:
        """Wait until every value put (in any store) is written."""
        _writer.flush()

    def prune(self) -> int:
        """Wait for the values put (in any store); remove every value not got or put here.

        Returns:
            How many values were removed.
        """
        self.flush()
        removed = 0
        if self._memory is not None:
            for key in [k for k in self._memory if k not in self._used]:
                del self._memory[key]
        for part in self.folder.glob("*/.*.part"):  # left by a build that stopped
            part.unlink(missing_ok=True)
        for file in self.folder.glob(f"*/*{_SUFFIX}"):
            if file.name.removesuffix(_SUFFIX) not in self._used:
                try:
                    file.unlink()
                    removed += 1
                except OSError:
                    pass
        return removed


def flush_all() -> None:
    """Wait until every store's values put are written, and stop the writer process.

    For a build that failed before flushing its stores: what was put is kept, and no
    process or thread is left waiting for more.
    """
    _writer.flush()
