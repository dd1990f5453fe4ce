"""Values kept on disk between builds under a content key (a SHA-256 in hexadecimal).

The reading cache (`report_archive.reports.read_cache`) and the page cache
(`report_archive.site.page_cache`) keep their values here. A value is a pickle this package
wrote into a cache folder, which is local state like the figure cache: never a folder
students commit to. A value is written whole, then renamed, so a reader never sees half a
file; a missing, partial or outdated file is a miss; a folder that cannot be written only
makes builds slower. Values a whole build did not use are removed after it (`Store.prune`).
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["Store"]

_SUFFIX = ".pickle"


class Store:
    """A folder of pickled values, each under its key.

    Args:
        folder: Where the values are kept (created when needed).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._used: set[str] = set()

    def _file(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}{_SUFFIX}"

    def get(self, key: str) -> Any | None:
        """The value kept under a key, or None (absent or unreadable)."""
        try:
            data = self._file(key).read_bytes()
            value = pickle.loads(data)  # written by `put` only
        except Exception:  # a missing, partial or outdated file is a miss
            return None
        self._used.add(key)
        return value

    def put(self, key: str, value: Any) -> None:
        """Keep a value under a key."""
        target = self._file(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as out:
                pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(out.name, target)
        except OSError:
            return  # a cache that cannot be written is only slower
        self._used.add(key)

    def prune(self) -> int:
        """Remove every value this store did not get or put; return how many."""
        removed = 0
        for file in self.folder.glob(f"*/*{_SUFFIX}"):
            if file.name.removesuffix(_SUFFIX) not in self._used:
                try:
                    file.unlink()
                    removed += 1
                except OSError:
                    pass
        return removed
