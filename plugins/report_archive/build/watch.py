"""Watching the reports while serving, without slowing the builds it starts.

``mkdocs serve`` polls every folder it watches twice a second, in a thread: a snapshot of
the stat of every file, made in Python. An archive of 1,000 groups holds 14,000 files in
its reports folder, so each poll takes about 0.1 s of Python, and while a build runs the
poller keeps taking Python's lock from it: a rebuild after an edit took 6.3 s instead of
4.9 s (measured in one process, with and without such a poller). And an edit waits for
the next poll, a quarter of a second on average.

So the plugin watches the reports folder itself (`ReportsWatcher`). Where the system tells
of changes (inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows: watchdog's
native observers), it listens: nothing runs until a file changes, and an edit is seen at
once; it is asked for changes only, not for every file a build opens and reads. Elsewhere,
or when the system cannot watch every folder (Linux's limit on inotify watches, past which
watchdog leaves folders unwatched without a word), it polls as MkDocs does, through
watchdog, and waits while a build runs. Either way links are
watched as links, never followed, and a change made during a build is signalled once the
build ends.
A change wakes MkDocs' server as its own watches do (`wake_server`). MkDocs 1.6 has no
public call for that; with a server that lacks the attributes its watches use, the change
rewrites a file (`SignalFile`) in a folder MkDocs watches instead (one file: its poll costs
nothing, but MkDocs notices the change up to half a second later).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.plugins import get_plugin_logger
from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserverVFS

__all__ = [
    "CHANGES",
    "LISTENED",
    "MAX_WAIT",
    "NATIVE",
    "POLL_SECONDS",
    "WATCHES_FILE",
    "ReportsWatcher",
    "SignalFile",
    "Watching",
    "native_observer",
    "wake_server",
]

log = get_plugin_logger("report_archive.plugin")

POLL_SECONDS = 0.5
"""How often the reports are polled (as MkDocs polls what it watches)."""

MAX_WAIT = 600.0
"""Most seconds a poll waits for a build (in case a build never said it ended)."""

CHANGES = frozenset({"created", "deleted", "modified", "moved", "closed"})
"""The events that change the site: not a file opened or closed unwritten (a build reads)."""

LISTENED: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    DirCreatedEvent,
    FileDeletedEvent,
    DirDeletedEvent,
    FileMovedEvent,
    DirMovedEvent,
    FileModifiedEvent,
    FileClosedEvent,
]
"""What the system is asked to tell (`CHANGES`): not each file a build opens and reads."""

NATIVE = ("inotify", "fsevents", "read_directory_changes")
"""Watchdog's observers told of changes by the system (not kqueue: a file descriptor per file)."""


WATCHES_FILE = Path("/proc/sys/fs/inotify/max_user_watches")
"""Linux's limit on inotify watches per user (one per folder watched)."""


def _no_room(root: str) -> str | None:
    """Why inotify cannot watch every folder under `root` (else None).

    Watchdog leaves a folder unwatched, silently, when the limit is reached: rather poll,
    when the folders would take more than half of the limit (other programs watch too).
    """
    try:
        limit = int(WATCHES_FILE.read_text(encoding="ascii"))
    except (OSError, ValueError):
        return None
    folders = sum(1 for _ in os.walk(root))
    if folders <= limit // 2:
        return None
    return (
        f"{folders} folders, and fs.inotify.max_user_watches is {limit} in all; "
        "raise it to be told of changes instead"
    )


def native_observer() -> BaseObserver | None:
    """Watchdog's observer told of changes by this system, or None where there is none."""
    from watchdog.observers import Observer

    return Observer() if Observer.__module__.rsplit(".", 1)[-1] in NATIVE else None


class ReportsWatcher:
    """Watches a folder; calls `on_change` when anything in it changed, never during a build.

    Args:
        folder: The folder to watch (with everything under it).
        on_change: Called (from the watcher's thread) after each change of a file.
        interval: Seconds between polls, when polling.
        native: Whether to listen to the system (`native_observer`) where it can tell;
            when it cannot, or refuses, the folder is polled.
        observer: Makes the listening observer (tests); default `native_observer`.
    """

    def __init__(
        self,
        folder: Path,
        on_change: Callable[[], None],
        interval: float = POLL_SECONDS,
        *,
        native: bool = True,
        observer: Callable[[], BaseObserver | None] = native_observer,
    ) -> None:
        self.folder = folder
        self._root = str(folder)
        self._on_change = on_change
        self._idle = threading.Event()
        self._idle.set()
        self._lock = threading.Lock()
        self._pending = False  # a change came during a build
        self._stopping = False
        self.heard = 0
        """Events the watcher was told of (a build reading the reports should add none)."""
        handler = FileSystemEventHandler()
        handler.on_any_event = self._changed  # type: ignore[method-assign]
        self._observer = self._listen(handler, observer) if native else None
        self.native = self._observer is not None
        """Whether the system tells of changes (else the folder is polled)."""
        if self._observer is None:
            self._observer = PollingObserverVFS(self._stat, os.scandir, polling_interval=interval)
            self._observer.schedule(handler, self._root, recursive=True)
            self._observer.start()

    def _listen(
        self, handler: FileSystemEventHandler, observer: Callable[[], BaseObserver | None]
    ) -> BaseObserver | None:
        """A started observer told of changes by the system, or None."""
        try:
            listening = observer()
            if listening is None:
                return None
            if type(listening).__module__.endswith(".inotify") and (
                why := _no_room(os.path.realpath(self._root))
            ):
                raise OSError(errno.ENOSPC, why)
            # The folder itself, where a link to it leads: links under it are not followed
            listening.schedule(
                handler, os.path.realpath(self._root), recursive=True, event_filter=LISTENED
            )
            listening.start()
        except OSError as e:  # e.g. Linux's limit on inotify watches
            log.info(
                "Polling the reports for changes: the system cannot watch %s (%s)",
                self._root,
                e.strerror or e,
            )
            return None
        return listening

    def building(self) -> None:
        """A build starts: changes are signalled once it ends (and polls wait for it)."""
        with self._lock:
            self._idle.clear()

    def built(self) -> None:
        """The build ended (or failed): a change made meanwhile is signalled now."""
        with self._lock:
            self._idle.set()
            pending, self._pending = self._pending, False
        if pending and not self._stopping:
            self._on_change()

    def stop(self) -> None:
        """Stop watching (safe to call twice)."""
        self._stopping = True
        self._idle.set()
        assert self._observer is not None
        self._observer.stop()
        with contextlib.suppress(RuntimeError):  # never started
            self._observer.join(timeout=10)

    def _stat(self, path: str) -> os.stat_result:
        if path == self._root:  # a snapshot starts: not while a build runs
            self._idle.wait(MAX_WAIT)
            return os.stat(path)
        # A link is watched as a link: never walked into (a report's link to "/" or to its
        # own folder), as a build never reads through one
        return os.lstat(path)

    def _changed(self, event: FileSystemEvent) -> None:
        self.heard += 1
        # A folder made, removed or moved changes the site (an empty group folder is a
        # problem to show); a folder's "modified" only comes with a change inside it.
        if self._stopping or event.event_type not in CHANGES:
            return
        if event.is_directory and event.event_type == "modified":
            return
        with self._lock:
            if not self._idle.is_set():  # the build may have read it already: once it ends
                self._pending = True
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
