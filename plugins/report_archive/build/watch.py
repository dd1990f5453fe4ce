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
watchdog, and waits while a build runs. A reports folder removed ends the system's watch:
it is polled from then on, and seen when it comes back. Either way links are watched as
links, never followed, and a change made during a build is signalled once the build ends
(or after `MAX_WAIT`, should a build never say it ended).
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
import stat
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.plugins import get_plugin_logger
from watchdog import events
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
    "native_kind",
    "native_observer",
    "wake_server",
]

log = get_plugin_logger("report_archive.plugin")

POLL_SECONDS = 0.5
"""How often the reports are polled (as MkDocs polls what it watches)."""

MAX_WAIT = 600.0
"""Most seconds a build holds changes back (in case a build never said it ended)."""

LISTENED: tuple[type[FileSystemEvent], ...] = (
    FileCreatedEvent,
    DirCreatedEvent,
    FileDeletedEvent,
    DirDeletedEvent,
    FileMovedEvent,
    DirMovedEvent,
    FileModifiedEvent,
    FileClosedEvent,  # written (watchdog 5 on: not a file closed unwritten)
    # A file's times or mode changed (``touch``): watchdog 7 on; before, "modified"
    *(
        getattr(events, name)
        for name in ("FileAttribEvent", "DirAttribEvent")
        if hasattr(events, name)
    ),
)
"""What the system is asked to tell: not each file a build opens and reads."""

CHANGES = frozenset(kind.event_type for kind in LISTENED)
"""The events that change the site (`LISTENED`'s, also when polling)."""

NATIVE = ("inotify", "fsevents", "read_directory_changes")
"""Watchdog's observers told of changes by the system (not kqueue: a file descriptor per file)."""

_MISSING = os.stat_result((stat.S_IFDIR, 0, 0, 0, 0, 0, 0, 0, 0, 0))
"""The reports folder's stat while it is removed (watchdog's poller would stop)."""

WATCHES_FILE = Path("/proc/sys/fs/inotify/max_user_watches")
"""Linux's limit on inotify watches per user (one per folder watched)."""


def _no_room(root: str) -> str | None:
    """Why inotify cannot watch every folder under `root` (else None).

    Watchdog leaves a folder past the limit unwatched, without a word: rather poll when the
    folders would take more than half of the limit (other programs watch too, and folders
    made while serving need watches of their own).
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

    return Observer() if native_kind() is not None else None


def native_kind() -> str | None:
    """How this system tells of changes (`NATIVE`: "inotify"...), or None, by watchdog."""
    from watchdog.observers import Observer

    kind = Observer.__module__.rsplit(".", 1)[-1]
    return kind if kind in NATIVE else None


class ReportsWatcher:
    """Watches a folder; calls `on_change` when anything in it changed, held back during a build.

    Args:
        folder: The folder to watch (with everything under it).
        on_change: Called (from the watcher's thread) after each change of a file.
        interval: Seconds between polls, when polling.
        native: Whether to listen to the system (`native_observer`) where it can tell;
            when it cannot, or refuses, the folder is polled.
        observer: Makes the listening observer (tests); default `native_observer`.
        max_wait: Most seconds a build holds changes back (`MAX_WAIT`).
    """

    def __init__(
        self,
        folder: Path,
        on_change: Callable[[], None],
        interval: float = POLL_SECONDS,
        *,
        native: bool = True,
        observer: Callable[[], BaseObserver | None] = native_observer,
        max_wait: float = MAX_WAIT,
    ) -> None:
        self.folder = folder
        self._root = str(folder)
        self._watched = os.path.realpath(self._root)  # where a link to the folder leads
        self._on_change = on_change
        self._interval = interval
        self._max_wait = max_wait
        self._idle = threading.Event()
        self._idle.set()
        self._lock = threading.Lock()
        self._pending = False  # a change came during a build
        self._stopping = False
        self._retired: list[BaseObserver] = []  # stopped from their own thread: joined at `stop`
        self._overdue: threading.Timer | None = None  # lets changes through after `max_wait`
        self._ready = threading.Event()  # events wait until the watcher is made
        self.heard = 0
        """Events the watcher was told of (a build reading the reports should add none)."""
        self._handler = FileSystemEventHandler()
        self._handler.on_any_event = self._changed  # type: ignore[method-assign]
        listening = self._listen(observer) if native else None
        self.native = listening is not None
        """Whether the system tells of changes (else the folder is polled)."""
        self._observer = listening or self._poll()
        self._ready.set()

    def _listen(self, observer: Callable[[], BaseObserver | None]) -> BaseObserver | None:
        """A started observer told of changes by the system, or None.

        Args:
            observer: Makes the observer (None where the system cannot tell).
        """
        listening = None
        try:
            listening = observer()
            if listening is None:
                return None
            if type(listening).__module__.endswith(".inotify") and (why := _no_room(self._watched)):
                raise OSError(errno.ENOSPC, why)
            # The folder itself, where a link to it leads: links under it are not followed
            listening.schedule(
                self._handler, self._watched, recursive=True, event_filter=list(LISTENED)
            )
            listening.start()
        except Exception as e:  # e.g. Linux's limit on inotify watches; an older watchdog
            if listening is not None:
                with contextlib.suppress(Exception):
                    listening.stop()
            why = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
            log.info(
                "Polling the reports for changes: the system cannot watch %s (%s)", self._root, why
            )
            return None
        return listening

    def _poll(self) -> BaseObserver:
        """A started observer that polls the folder."""
        polling = PollingObserverVFS(self._stat, os.scandir, polling_interval=self._interval)
        polling.schedule(self._handler, self._root, recursive=True)
        polling.start()
        return polling

    def building(self) -> None:
        """A build starts: changes are signalled once it ends (and polls wait for it)."""
        with self._lock:
            self._idle.clear()
            if self._overdue is not None:
                self._overdue.cancel()
            self._overdue = threading.Timer(self._max_wait, self._let_through)
            self._overdue.daemon = True
            self._overdue.start()

    def built(self) -> None:
        """The build ended (or failed): a change made meanwhile is signalled now."""
        with self._lock:
            if self._overdue is not None:
                self._overdue.cancel()
                self._overdue = None
        self._let_through()

    def _let_through(self) -> None:
        """Signal the changes held back; let the next ones through (and the polls go on)."""
        with self._lock:
            self._idle.set()
            pending, self._pending = self._pending, False
        if pending and not self._stopping:
            self._on_change()

    def stop(self) -> None:
        """Stop watching (safe to call twice)."""
        self._stopping = True
        self._idle.set()
        with self._lock:
            if self._overdue is not None:
                self._overdue.cancel()
            observers = [self._observer, *self._retired]
        for observer in observers:
            observer.stop()
            observer.join(timeout=10)

    def _stat(self, path: str) -> os.stat_result:
        if path == self._root:  # a snapshot starts: not while a build runs
            self._idle.wait(self._max_wait)
            try:
                return os.stat(path)
            except (FileNotFoundError, NotADirectoryError):  # removed: empty until made again
                return _MISSING
        # A link is watched as a link: never walked into (a report's link to "/" or to its
        # own folder), as a build never reads through one
        return os.lstat(path)

    def _changed(self, event: FileSystemEvent) -> None:
        self._ready.wait()
        self.heard += 1
        # A folder made, removed or moved changes the site (an empty group folder is a
        # problem to show); a folder's "modified" only comes with a change inside it.
        if self._stopping or event.event_type not in CHANGES:
            return
        if event.is_directory and event.event_type == "modified":
            return
        if self.native and event.event_type == "deleted" and event.src_path == self._watched:
            self._fall_back()
        with self._lock:
            if not self._idle.is_set():  # the build may have read it: once it ends
                self._pending = True
                return
        self._on_change()

    def _fall_back(self) -> None:
        """The folder itself was removed, which the system's watch does not outlive: poll.

        (Polling sees the folder made again, as `git checkout` or a copy does.)
        """
        log.info("Polling the reports for changes: %s was removed", self._root)
        try:
            polling = self._poll()  # its first snapshot waits for a build running
        except Exception as e:  # nothing watches the reports any more: say so
            log.warning("The reports are no longer watched (%s): restart mkdocs serve", e)
            return
        with self._lock:
            if self._stopping:
                listening = polling
            else:
                listening, self._observer = self._observer, polling
                self._retired.append(listening)
                self.native = False
        listening.stop()  # from its own thread (when listening): joined at `stop`


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
