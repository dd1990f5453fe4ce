"""Each report's reading (parse and tool detection) kept on disk between builds.

A report is read again only when something it is read from changed. The key of a reading
(`ReadCache.key`) is a SHA-256 over:

- the code that reads it: every file of the ``report_archive.reports`` package (the parser,
  the catalogues, the tool detector), the versions of the libraries it uses (ftfy, PyYAML)
  and of Python;
- how it is read: the parser and its options (the reports folder, the size limit) and
  whether tools are detected;
- what it is read from: the report file's path and bytes, and its folder's listing (every
  entry's path, kind and size, and where a symbolic link points), since whether a figure
  it references is found depends on them.

A report that is a symbolic link, or whose folder holds more than `MAX_ENTRIES` entries or
cannot be listed, is read every time. The results are kept in a `Store`; results not used
by a whole build are removed after it (`ReadCache.prune`).
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
from pathlib import Path
from typing import Any

from report_archive.reports.reading import Reader, ReadResult
from report_archive.reports.store import Store, package_digest

__all__ = ["MAX_ENTRIES", "ReadCache"]

MAX_ENTRIES = 10_000
"""A report folder with more entries is not cached (its listing would cost more than it saves)."""

_PACKAGE = Path(__file__).resolve().parent


@functools.cache
def _code() -> bytes:
    """What the reading depends on besides its input: this package's files, library versions."""
    return package_digest(_PACKAGE, ("ftfy", "PyYAML"), (".py", ".yml", ".yaml", ".json", ".txt"))


def _describe(value: Any) -> str:
    """A description of a callable and its options that is the same in every process."""
    if isinstance(value, functools.partial):
        keywords = ", ".join(f"{k}={v!r}" for k, v in sorted(value.keywords.items()))
        args = ", ".join(repr(a) for a in value.args)
        return f"partial({_describe(value.func)}, {args}, {keywords})"
    if isinstance(value, Reader):
        return f"Reader({_describe(value.parse)}, tools={value.tools})"
    module = getattr(value, "__module__", type(value).__module__)
    name = getattr(value, "__qualname__", type(value).__qualname__)
    return f"{module}.{name}"


def _listing(folder: Path) -> list[str] | None:
    """Every entry under `folder` (path, kind, size; link target), or None when too many."""
    entries: list[str] = []
    skip = len(os.path.join(folder, ""))  # each path is `folder`'s, then "/" and the rest
    for top, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        for name in sorted(dirs + files):
            path = os.path.join(top, name)
            info = os.lstat(path)
            rel = path[skip:]
            if stat.S_ISLNK(info.st_mode):
                entries.append(f"L {rel} -> {os.readlink(path)}")
            elif stat.S_ISDIR(info.st_mode):
                entries.append(f"D {rel}")
            else:
                entries.append(f"F {rel} {info.st_size} {stat.S_IFMT(info.st_mode)}")
            if len(entries) > MAX_ENTRIES:
                return None
    return entries


class ReadCache:
    """A `Reader` whose results are kept in a folder, keyed by what they are read from.

    Args:
        read: Reads one report (not cached).
        folder: Where the results are kept (created when needed).
    """

    def __init__(self, read: Reader, folder: Path) -> None:
        self.read = read
        self.folder = folder
        self.hits = 0
        self.misses = 0
        self.keys: dict[Path, str] = {}
        """Report file → its key, for every report whose key was asked for."""
        self._store = Store(folder)
        self._how = _describe(read).encode()

    def key(self, path: Path) -> str | None:
        """The key of a report's reading, or None when it is not cached."""
        try:
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode):
                return None
            listing = _listing(path.parent)
            if listing is None:
                return None
            digest = hashlib.sha256(_code())
            digest.update(self._how)
            digest.update(str(path).encode())
            digest.update(path.read_bytes())
            digest.update("\n".join(listing).encode("utf-8", "surrogateescape"))
        except OSError:
            return None
        key = self.keys[path] = digest.hexdigest()
        return key

    def get(self, key: str) -> ReadResult | None:
        """The kept result of a key, or None (absent or unreadable)."""
        result: ReadResult | None = self._store.get(key)
        return result

    def put(self, key: str, result: ReadResult, data: bytes | None = None) -> None:
        """Keep a result (`data`: its pickle, when made already)."""
        if data is None:
            self._store.put(key, result)
        else:
            self._store.put_pickled(key, result, data)

    def __call__(self, path: Path) -> ReadResult:
        """Read one report, from the cache when its key is there."""
        key = self.key(path)
        if key is not None and (kept := self.get(key)) is not None:
            self.hits += 1
            return kept
        self.misses += 1
        result = self.read(path)
        if key is not None:
            self.put(key, result)
        return result

    def prune(self) -> int:
        """Remove every kept result this cache did not use; return how many."""
        return self._store.prune()
