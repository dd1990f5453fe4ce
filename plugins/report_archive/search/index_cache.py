"""Pagefind bundles kept on disk between builds, each under the key of its records.

An archive split into several indexes (`report_archive.search.shards`) mostly changes in one
of them, the current semester's: the others are copied from the cache instead of indexed
again. A bundle's key is a SHA-256 over this package and its libraries
(`report_archive.site.digests.code`, which covers how a record is sent), Pagefind's version
and every field of every record of the index. A bundle is copied in whole, then renamed, so a
build never takes half of one; bundles a build did not use are removed after it. A site
folder that holds the same bundle already (the last build's, `report_archive.build.site_folder`)
keeps it: the same files, byte for byte, are not copied again.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from report_archive.search.records import SearchRecord
from report_archive.site import digests

__all__ = ["IndexCache"]


_COPY_TREE = "import shutil, sys; shutil.copytree(sys.argv[1], sys.argv[2], dirs_exist_ok=True)"


def _copy_tree(source: Path, target: Path) -> None:
    """Copy a folder's files into `target` in a Python process of its own.

    Bundles are copied from a background thread while the pages render; copying a thousand
    files there would wait for Python's lock after each (every file call lets it go).
    """
    subprocess.run(
        [sys.executable, "-c", _COPY_TREE, str(source), str(target)],
        check=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=600,
    )


def _pagefind_version() -> str:
    try:
        return importlib.metadata.version("pagefind")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


class IndexCache:
    """Pagefind bundles kept in a folder.

    Args:
        folder: Where the bundles are kept (created when needed).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.hits = 0
        self._used: set[str] = set()

    def key(self, records: Iterable[SearchRecord]) -> str:
        """The key of the bundle of these records."""
        digest = hashlib.sha256(digests.code())
        digest.update(_pagefind_version().encode())
        for record in records:
            head = (record.url, record.title, sorted(record.filters.items()), record.tools)
            digest.update(repr(head).encode("utf-8", "surrogateescape"))
            for text in (
                record.content,
                *(part for s in record.sections for part in (s.anchor, s.title, s.content)),
            ):
                digest.update(b"\0")
                digest.update(text.encode("utf-8", "surrogateescape"))
            digest.update(b"\1")
        return digest.hexdigest()

    def same(self, key: str, output: Path) -> bool:
        """Whether `output` holds the bundle kept under `key` already (then it is used)."""
        kept = self.folder / key
        try:
            if not (kept.is_dir() and output.is_dir() and _same_files(kept, output)):
                return False
        except OSError:
            return False
        self._used.add(key)
        self.hits += 1
        return True

    def copy(self, key: str, output: Path) -> bool:
        """Copy the bundle kept under `key` into `output` (replaced); False when none is.

        The files are copied by a Python process of its own (`_copy_tree`).
        """
        if self.same(key, output):
            return True
        kept = self.folder / key
        if not kept.is_dir():
            return False
        try:
            if output.exists():
                shutil.rmtree(output)
            _copy_tree(kept, output)
        except (OSError, subprocess.SubprocessError):
            return False
        self._used.add(key)
        self.hits += 1
        return True

    def put(self, key: str, bundle: Path) -> None:
        """Keep a copy of a written bundle under `key`."""
        self._used.add(key)
        target = self.folder / key
        if target.is_dir():
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            part = Path(tempfile.mkdtemp(dir=self.folder, prefix=".part-"))
            _copy_tree(bundle, part)
            part.rename(target)
        except (OSError, subprocess.SubprocessError):
            return  # a cache that cannot be written is only slower

    def prune(self) -> int:
        """Remove the bundles this build did not use (and unfinished copies)."""
        removed = 0
        if not self.folder.is_dir():
            return 0
        for folder in self.folder.iterdir():
            if folder.is_dir() and folder.name not in self._used:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        return removed


def _same_files(one: Path, other: Path) -> bool:
    """Whether two folders hold the same regular files, byte for byte (and nothing else)."""
    files = _sizes(one)
    if files is None or files != _sizes(other):
        return False
    return all((one / path).read_bytes() == (other / path).read_bytes() for path in files)


def _sizes(folder: Path) -> dict[str, int] | None:
    """Each file's size by its path in `folder`; None when a link or another kind is there."""
    found: dict[str, int] = {}
    for path in folder.rglob("*"):
        if path.is_symlink() or not (path.is_file() or path.is_dir()):
            return None
        if path.is_file():
            found[str(path.relative_to(folder))] = path.stat().st_size
    return found
