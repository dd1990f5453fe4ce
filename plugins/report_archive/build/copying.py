"""Published figures copied into the site by another process, while MkDocs renders pages.

MkDocs copies every static file, one after another, before it renders a page: at 1,000
groups, 6,700 figures and 3 seconds. A figure's file (`FigureFile`) hands its copy to a
`FigureCopier` instead, which sends it to a small Python process (`COPY_SCRIPT`, nothing
imported but the standard library) that copies while MkDocs renders; the build waits for
the last copy after the pages are written. Threads would not do: they take Python's lock
from the rendering at every file.

A figure named from its content (the SHA-256 of its bytes) that the site folder holds
already, at the same size, is the same file: it is not copied again
(`report_archive.build.site_folder` keeps the last build's files).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
from typing import IO

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from report_archive.cli.terminal import escape_controls

__all__ = ["BATCH_LINES", "COPY_SCRIPT", "FigureCopier", "FigureFile"]

BATCH_LINES = 64
"""Copies handed to the copying process at a time (the last ones when waited for)."""

COPY_SCRIPT = """
import json, os, shutil, sys
for line in sys.stdin:
    source, target, named_by_content = json.loads(line)
    if named_by_content:
        try:
            if os.path.getsize(target) == os.path.getsize(source):
                continue
        except OSError:
            pass
    os.makedirs(os.path.dirname(target), exist_ok=True)
    shutil.copyfile(source, target)
"""
"""Reads ``[source, target, named_by_content]`` lines and copies each file (but a file named
from its content that is there already, at its size); fails at the first error."""


class FigureCopier:
    """Copies files in another process; `wait` for them all.

    A thread feeds the process (it waits on the pipe, not on Python's lock), so that `copy`
    returns at once; it is handed `BATCH_LINES` copies at a time, so that it takes Python's
    lock a hundred times for 6,000 figures, not 6,000 times.
    """

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None
        self._queue: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._feeder: threading.Thread | None = None
        self._lines: list[str] = []

    def copy(self, source: str, target: str, *, named_by_content: bool = False) -> None:
        """Copy `source` to `target` (its folder made), in the background.

        Args:
            source: The file.
            target: Where it goes.
            named_by_content: `target` is named from the file's bytes: a file there at the
                same size is the same, and is left.
        """
        if self._process is None:
            self._process = process = subprocess.Popen(
                [sys.executable, "-I", "-c", COPY_SCRIPT],
                stdin=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                errors="surrogateescape",
            )
            lines: queue.SimpleQueue[str | None] = queue.SimpleQueue()
            self._queue = lines
            self._feeder = threading.Thread(target=_feed, args=(process, lines), daemon=True)
            self._feeder.start()
        line = json.dumps([os.fspath(source), os.fspath(target), named_by_content])
        self._lines.append(line + "\n")
        if len(self._lines) >= BATCH_LINES:
            self._hand_over()

    def _hand_over(self) -> None:
        if self._lines:
            self._queue.put("".join(self._lines))
            self._lines = []

    def wait(self) -> None:
        """Wait for every copy.

        Raises:
            PluginError: A file could not be copied.
        """
        self._hand_over()
        process, self._process = self._process, None
        if process is None:
            return
        self._queue.put(None)
        if self._feeder is not None:
            self._feeder.join()
        errors = process.stderr.read() if process.stderr is not None else ""
        if process.wait() != 0:
            last = (errors or "").strip().splitlines()[-1:] or ["it stopped"]
            reason = escape_controls(last[0])  # it may name a student's file
            raise PluginError(f"report-archive: cannot copy the figures into the site: {reason}")

    def close(self) -> None:
        """Stop copying (a failed build)."""
        self._lines = []
        process, self._process = self._process, None
        if process is not None:
            process.kill()
            self._queue.put(None)
            if self._feeder is not None:
                self._feeder.join()
            process.wait()


def _feed(process: subprocess.Popen[str], lines: queue.SimpleQueue[str | None]) -> None:
    stdin: IO[str] | None = process.stdin
    assert stdin is not None
    with contextlib.suppress(OSError, ValueError):  # it stopped: `wait` says why
        while (line := lines.get()) is not None:
            stdin.write(line)
        stdin.close()


class FigureFile(File):
    """A published figure, copied by the build's `FigureCopier` (`copier`)."""

    copier: FigureCopier | None = None
    named_by_content = False
    """Its name is made from its bytes (see `FigureCopier.copy`)."""

    def copy_file(self, dirty: bool = False) -> None:
        """Hand the copy to the copier (copy here without one)."""
        if self.copier is None or (dirty and not self.is_modified()):
            super().copy_file(dirty)
            return
        assert self.abs_src_path is not None
        self.copier.copy(
            self.abs_src_path, self.abs_dest_path, named_by_content=self.named_by_content
        )
