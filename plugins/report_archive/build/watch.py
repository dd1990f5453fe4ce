"""Watching the reports while serving, without slowing the builds it starts.

``mkdocs serve`` polls every folder it watches twice a second, in a thread: a snapshot of
the stat of every file, made in Python. An archive of 1,000 groups holds 14,000 files in
its reports folder, so each poll takes about 0.1 s of Python, and while a build runs the
poller keeps taking Python's lock from it: a rebuild after an edit took 6.3 s instead of
4.9 s (measured in one process, with and without such a poller).

So the plugin polls the reports folder itself (`ReportsWatcher`, the same polling as MkDocs',
through watchdog, but without following links) and waits while a build runs: the first
snapshot after a build is compared with the last one before it, so an edit made during a
build is seen once it ends.
A change wakes MkDocs' server as its own watches do (`wake_server`). MkDocs 1.6 has no
public call for that; with a server that lacks the attributes its watches use, the change
rewrites a file (`SignalFile`) in a folder MkDocs watches instead (one file: its poll costs
nothing, but MkDocs notices the change up to half a second later).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers.polling import PollingObserverVFS

__all__ = ["MAX_WAIT", "POLL_SECONDS", "ReportsWatcher", "SignalFile", "Watching", "wake_server"]

POLL_SECONDS = 0.5
"""How often the reports are polled (as MkDocs polls what it watches)."""

MAX_WAIT = 600.0
"""Most seconds a poll waits for a build (in case a build never said it ended)."""


class ReportsWatcher:
    """Polls a folder between builds; calls `on_change` when anything in it changed.

    Args:
        folder: The folder to watch (with everything under it).
        on_change: Called (from the watcher's thread) after each change of a file.
        interval: Seconds between polls.
    """

    def __init__(
        self, folder: Path, on_change: Callable[[], None], interval: float = POLL_SECONDS
    ) -> None:
        self.folder = folder
        self._root = str(folder)
        self._on_change = on_change
        self._idle = threading.Event()
        self._idle.set()
        self._stopping = False
        handler = FileSystemEventHandler()
        handler.on_any_event = self._changed  # type: ignore[method-assign]
        self._observer = PollingObserverVFS(self._stat, os.scandir, polling_interval=interval)
        self._observer.schedule(handler, self._root, recursive=True)
        self._observer.start()

    def building(self) -> None:
        """A build starts: the next poll waits until it ends."""
        self._idle.clear()

    def built(self) -> None:
        """The build ended (or failed): polls go on."""
        self._idle.set()

    def stop(self) -> None:
        """Stop polling (safe to call twice)."""
        self._stopping = True
        self._idle.set()
        self._observer.stop()
        self._observer.join(timeout=10)

    def _stat(self, path: str) -> os.stat_result:
        if path == self._root:  # a snapshot starts: not while a build runs
            self._idle.wait(MAX_WAIT)
            return os.stat(path)
        # A link is watched as a link: never walked into (a report's link to "/" or to its
        # own folder), as a build never reads through one
        return os.lstat(path)

    def _changed(self, event: FileSystemEvent) -> None:
        # A folder made, removed or moved changes the site (an empty group folder is a
        # problem to show); a folder's "modified" only comes with a change inside it.
        if self._stopping or (event.is_directory and event.event_type == "modified"):
            return
        self._on_change()


def wake_server(server: Any) -> Callable[[], None] | None:
    """A function that asks MkDocs' server to build again, as its own watches do, or None.

    MkDocs 1.6's `LiveReloadServer` watches set ``_want_rebuild`` under ``_rebuild_cond``
    and notify it; None when the server has no such attributes (see `SignalFile`).
    """
    condition = getattr(server, "_rebuild_cond", None)
    if not isinstance(condition, threading.Condition) or not hasattr(server, "_want_rebuild"):
        return None

    def wake() -> None:
        with condition:
            server._want_rebuild = True
            condition.notify_all()

    return wake


class SignalFile:
    """A file in a folder of its own, rewritten by `touch`.

    A server that watches the folder (`folder`) builds again when it changes.
    """

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="report-archive-watch-"))
        self.path = self.folder / "changed"
        self._count = 0
        self.path.write_text("0", encoding="ascii")

    def touch(self) -> None:
        """Rewrite the file."""
        self._count += 1
        with contextlib.suppress(OSError):  # removed: stopping
            self.path.write_text(str(self._count), encoding="ascii")

    def remove(self) -> None:
        """Remove the folder."""
        shutil.rmtree(self.folder, ignore_errors=True)


class Watching:
    """The reports watched for a ``mkdocs serve``.

    A `ReportsWatcher` that wakes the server (`wake_server`), or rewrites a `SignalFile`
    the server watches.

    Args:
        server: MkDocs' server (``on_serve``).
        folder: The reports folder; when it is not a folder, the server watches the path
            itself.
    """

    def __init__(self, server: Any, folder: Path) -> None:
        self.watcher: ReportsWatcher | None = None
        self.signal: SignalFile | None = None
        if not folder.is_dir():
            server.watch(str(folder))
            return
        wake = wake_server(server)
        if wake is None:  # the server watches a file rewritten after each change instead
            self.signal = SignalFile()
            wake = self.signal.touch
            server.watch(str(self.signal.folder))
        self.watcher = ReportsWatcher(folder, wake)

    def building(self) -> None:
        """A build starts (`ReportsWatcher.building`)."""
        if self.watcher is not None:
            self.watcher.building()

    def built(self) -> None:
        """The build ended (`ReportsWatcher.built`)."""
        if self.watcher is not None:
            self.watcher.built()

    def stop(self) -> None:
        """Stop watching; remove the signal's folder."""
        if self.watcher is not None:
            self.watcher.stop()
        if self.signal is not None:
            self.signal.remove()
