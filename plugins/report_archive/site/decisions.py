"""The figure decisions of the last build, kept in one file, by each figure's path and stat.

Deciding what is published for a figure (`report_archive.site.publish.FigurePublisher`)
reads its header and all its bytes to hash them: at 1,000 groups, 6,700 files and a
second of a build that converts nothing. A figure whose path, size, modification and
change times, inode and device are those of the last build, under the same code and
options, gets the same decision: the change time is set by the system at any change of the
file, so a file changed in place is decided again. A decision that publishes a file of the
cache is used only while that file is there.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from report_archive.reports.store import memory
from report_archive.site import digests
from report_archive.site.figures import Decision, Publish, Refuse

__all__ = ["DecisionMemo", "Signature", "signature"]

Signature = tuple[object, ...]
"""What a decision depends on besides the options: `signature`, and whatever else the
publisher adds (hashable, compared for equality)."""


def signature(path: Path) -> tuple[int, int, int, int, int] | None:
    """A figure file's size, modification and change times, inode and device (None: gone)."""
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


class DecisionMemo:
    """The last build's decisions (read at once), and this build's (written by `save`).

    Args:
        file: Where they are kept.
        salt: What else decisions depend on (the publishing options).
    """

    def __init__(self, file: Path, salt: str) -> None:
        self.file = file
        self.hits = 0
        self._salt = hashlib.sha256(digests.code() + salt.encode()).hexdigest()
        self._old: dict[str, tuple[Signature, Decision]] = {}
        self._new: dict[str, tuple[Signature, Decision]] = {}
        self._memory = memory(file.parent)  # `mkdocs serve`: the last build's, unpickled
        with contextlib.suppress(Exception):  # absent, partial or outdated: decide again
            kept = self._memory.get(file.name) if self._memory is not None else None
            salt_, old = kept if kept is not None else pickle.loads(file.read_bytes())
            if salt_ == self._salt and isinstance(old, dict):
                self._old = old

    def get(self, path: Path, sig: Signature) -> Decision | None:
        """The decision for `path` if its signature is the last build's, else None."""
        kept = self._old.get(str(path))
        if kept is None or kept[0] != sig:
            return None
        decision = kept[1]
        if not isinstance(decision, (Publish, Refuse)):
            return None
        if isinstance(decision, Publish) and decision.file != path and not decision.file.is_file():
            return None  # its converted file left the cache
        self._new[str(path)] = kept
        self.hits += 1
        return decision

    def put(self, path: Path, sig: Signature, decision: Decision) -> None:
        """Record this build's decision for `path` (its signature taken before deciding)."""
        self._new[str(path)] = (sig, decision)

    def save(self) -> None:
        """Write this build's decisions (whole, then renamed)."""
        if self._memory is not None:
            self._memory[self.file.name] = (self._salt, self._new)
        with contextlib.suppress(OSError):
            self.file.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.file.parent, delete=False) as out:
                pickle.dump((self._salt, self._new), out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(out.name, self.file)
