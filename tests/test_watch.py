"""Watching the reports while serving: the plugin's poller, then a real ``mkdocs serve``."""

from __future__ import annotations

import errno
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from watchdog.observers.api import BaseObserver

from report_archive.build import watch
from report_archive.build.watch import (
    ReportsWatcher,
    SignalFile,
    Watching,
    native_kind,
    wake_server,
)
from tests.site_check import copy_reports, site_config

INTERVAL = 0.1

NATIVE = native_kind() is not None
"""Whether this system tells of changes (inotify here, FSEvents, ReadDirectoryChangesW)."""

WAYS = [
    pytest.param(False, id="polling"),
    pytest.param(
        True,
        id="native",
        marks=pytest.mark.skipif(not NATIVE, reason="the system does not tell of changes"),
    ),
]


class Changes:
    """Counts the watcher's calls."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> None:
        self.count += 1

    def after(self, action: Callable[[], object], seconds: float) -> bool:
        """Whether a call comes within `seconds` of doing `action` (counted from before it).

        The system tells of a change at once: a call may come before `action` returns.
        """
        before = self.count
        action()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.count != before:
                return True
            time.sleep(0.05)
        return self.count != before


def nothing() -> None:
    """No action: `Changes.after` then waits for a call."""


@pytest.mark.parametrize("native", WAYS)
def test_a_change_is_signalled_and_waits_for_the_build(tmp_path: Path, native: bool) -> None:
    reports = tmp_path / "reports"
    (reports / "2026-january/group-1").mkdir(parents=True)
    readme = reports / "2026-january/group-1/README.md"
    readme.write_text("# Report\n", encoding="utf-8")
    changes = Changes()
    watcher = ReportsWatcher(reports, changes, interval=INTERVAL, native=native)
    assert watcher.native == native
    try:
        time.sleep(3 * INTERVAL)  # its first snapshot
        assert not changes.after(nothing, 5 * INTERVAL)  # nothing changed
        assert changes.after(lambda: readme.write_text("# Report\n\nEdited.\n"), 5.0)
        time.sleep(3 * INTERVAL)  # the edit's last events
        # while a build runs, nothing is signalled (nor polled); an edit made then is, after it
        watcher.building()
        time.sleep(3 * INTERVAL)  # a poll that had started is over
        figure = reports / "2026-january/group-1/figure.png"
        assert not changes.after(lambda: figure.write_bytes(b"\x89PNG"), 10 * INTERVAL)
        assert changes.after(watcher.built, 5.0)
        time.sleep(3 * INTERVAL)
        # touching a report (its times only) is a change: a way to rebuild
        assert changes.after(lambda: os.utime(readme, (1_000_000_000, 1_000_000_000)), 5.0)
        time.sleep(3 * INTERVAL)
        # reading a report (as a build does) changes nothing; the system does not even tell
        heard = watcher.heard
        assert not changes.after(lambda: [readme.read_bytes() for _ in range(20)], 5 * INTERVAL)
        if native:
            assert watcher.heard == heard
        if native_kind() == "inotify" and native:  # not even asked of the system
            from watchdog.observers.inotify_c import InotifyConstants as Mask

            reads = Mask.IN_OPEN | Mask.IN_CLOSE_NOWRITE | Mask.IN_ACCESS
            emitters = watcher._observer.emitters  # (the watcher's own observer)
            assert emitters
            assert all(not e.get_event_mask_from_filter() & reads for e in emitters)  # type: ignore[attr-defined]
    finally:
        watcher.stop()
    watcher.stop()  # twice is fine


@pytest.mark.parametrize("native", WAYS)
def test_an_empty_folder_made_or_removed_is_signalled(tmp_path: Path, native: bool) -> None:
    """An empty group folder is a problem the site shows: making or removing one rebuilds."""
    reports = tmp_path / "reports"
    (reports / "2026-january/group-1").mkdir(parents=True)
    (reports / "2026-january/group-1/README.md").write_text("# Report\n", encoding="utf-8")
    changes = Changes()
    watcher = ReportsWatcher(reports, changes, interval=INTERVAL, native=native)
    assert watcher.native == native
    try:
        time.sleep(3 * INTERVAL)  # its first snapshot
        assert changes.after((reports / "2026-january/group-2").mkdir, 5.0)
        time.sleep(3 * INTERVAL)
        assert changes.after((reports / "2026-january/group-2").rmdir, 5.0)
        time.sleep(3 * INTERVAL)
        assert not changes.after(nothing, 5 * INTERVAL)  # nothing more
    finally:
        watcher.stop()


@pytest.mark.parametrize("native", WAYS)
def test_links_are_watched_as_links_not_walked_into(tmp_path: Path, native: bool) -> None:
    """A report's link to a folder outside (or to its own folder) is never walked."""
    reports = tmp_path / "reports"
    group = reports / "2026-january/group-1"
    group.mkdir(parents=True)
    (group / "README.md").write_text("# Report\n", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("x", encoding="utf-8")
    os.symlink(outside, group / "elsewhere")
    os.symlink(group, group / "itself")
    changes = Changes()
    watcher = ReportsWatcher(reports, changes, interval=INTERVAL, native=native)
    assert watcher.native == native
    try:
        time.sleep(3 * INTERVAL)

        def change_outside() -> None:
            (outside / "secret.txt").write_text("changed", encoding="utf-8")
            (outside / "new.txt").write_text("new", encoding="utf-8")

        # what the link leads to is not watched; the link itself is
        assert not changes.after(change_outside, 10 * INTERVAL)
        assert changes.after((group / "elsewhere").unlink, 5.0)
    finally:
        watcher.stop()


@pytest.mark.parametrize("native", WAYS)
def test_a_folder_reached_through_a_link_is_watched(tmp_path: Path, native: bool) -> None:
    """A reports folder that is a link to the real one: its changes are seen."""
    real = tmp_path / "real"
    (real / "2026-january/group-1").mkdir(parents=True)
    (tmp_path / "reports").symlink_to(real)
    changes = Changes()
    watcher = ReportsWatcher(tmp_path / "reports", changes, interval=INTERVAL, native=native)
    try:
        assert watcher.native == native
        time.sleep(3 * INTERVAL)
        readme = tmp_path / "reports/2026-january/group-1/README.md"
        assert changes.after(lambda: readme.write_text("# Report\n"), 5.0)
    finally:
        watcher.stop()


def eventually(condition: Callable[[], bool], seconds: float = 5.0) -> bool:
    """Whether `condition` holds within `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def stopped(watcher: ReportsWatcher) -> bool:
    """Whether every observer the watcher started has ended."""
    return not any(o.is_alive() for o in [watcher._observer, *watcher._retired])


@pytest.mark.parametrize("native", WAYS)
def test_the_folder_removed_and_made_again_is_watched(tmp_path: Path, native: bool) -> None:
    """``rm -rf reports`` then a new copy (``git checkout``): both are seen, and its edits."""
    reports = tmp_path / "reports"
    (reports / "2026-january/group-1").mkdir(parents=True)
    changes = Changes()
    watcher = ReportsWatcher(reports, changes, interval=INTERVAL, native=native)
    try:
        time.sleep(3 * INTERVAL)
        assert changes.after(lambda: shutil.rmtree(reports), 5.0)
        # the system's watch ended with the folder: polled from then on
        assert eventually(lambda: not watcher.native)
        time.sleep(3 * INTERVAL)
        group = reports / "2026-january/group-2"
        assert changes.after(lambda: group.mkdir(parents=True), 5.0)
        time.sleep(3 * INTERVAL)
        assert changes.after(lambda: (group / "README.md").write_text("# Report\n"), 5.0)
        assert len(watcher._retired) == (1 if native else 0)  # the system's watch, retired
    finally:
        watcher.stop()
    assert stopped(watcher)


@pytest.mark.parametrize("native", WAYS)
def test_a_build_that_never_ends_holds_changes_back_for_a_while(
    tmp_path: Path, native: bool
) -> None:
    """A build that never said it ended (a plugin failed first) holds back `max_wait` only."""
    reports = tmp_path / "reports"
    (reports / "2026-january/group-1").mkdir(parents=True)
    changes = Changes()
    watcher = ReportsWatcher(reports, changes, interval=INTERVAL, native=native, max_wait=1.5)
    try:
        time.sleep(3 * INTERVAL)
        watcher.building()
        readme = reports / "2026-january/group-1/README.md"
        # held back while the build runs, then let through without another change
        assert not changes.after(lambda: readme.write_text("# Report\n"), 0.8)
        assert changes.after(nothing, 5.0)
        time.sleep(3 * INTERVAL)
        # and the next changes go through at once, the build still not ended
        assert changes.after(lambda: readme.write_text("# Report\n\nEdited.\n"), 5.0)
    finally:
        watcher.stop()
    assert stopped(watcher)
    seen = changes.count
    watcher.built()  # after stopping: nothing
    time.sleep(3 * INTERVAL)
    assert changes.count == seen


def test_without_the_systems_help_the_reports_are_polled(tmp_path: Path) -> None:
    """When the system refuses to watch (its limit on watches reached), polling takes over."""

    def refusing() -> BaseObserver:
        raise OSError(errno.ENOSPC, "inotify watch limit reached")

    (tmp_path / "reports/2026-january/group-1").mkdir(parents=True)
    changes = Changes()
    watcher = ReportsWatcher(tmp_path / "reports", changes, interval=INTERVAL, observer=refusing)
    try:
        assert not watcher.native
        time.sleep(3 * INTERVAL)
        readme = tmp_path / "reports/2026-january/group-1/README.md"
        assert changes.after(lambda: readme.write_text("# Report\n"), 5.0)
    finally:
        watcher.stop()


@pytest.mark.skipif(
    native_kind() != "inotify" or not watch.WATCHES_FILE.exists(), reason="Linux's inotify only"
)
def test_too_many_folders_for_the_systems_limit_are_polled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Watchdog would leave folders past Linux's limit unwatched, silently: poll instead."""
    reports = tmp_path / "reports"
    for n in range(1, 4):
        (reports / f"2026-january/group-{n}").mkdir(parents=True)
    limit = tmp_path / "max_user_watches"
    limit.write_text("8\n", encoding="ascii")  # room for 4 folders: there are 5
    monkeypatch.setattr(watch, "WATCHES_FILE", limit)
    changes = Changes()
    with caplog.at_level("INFO"):
        watcher = ReportsWatcher(reports, changes, interval=INTERVAL)
    try:
        assert not watcher.native
        assert "fs.inotify.max_user_watches is 8" in caplog.text
        time.sleep(3 * INTERVAL)
        readme = reports / "2026-january/group-3/README.md"
        assert changes.after(lambda: readme.write_text("# Report\n"), 5.0)
    finally:
        watcher.stop()
    limit.write_text("10\n", encoding="ascii")  # room for 5
    watcher = ReportsWatcher(reports, changes, interval=INTERVAL)
    watcher.stop()
    assert watcher.native


def test_the_signal_file_changes_at_each_touch() -> None:
    signal = SignalFile()
    try:
        first = signal.path.stat().st_mtime_ns, signal.path.read_bytes()
        signal.touch()
        assert signal.path.read_bytes() != first[1]
    finally:
        signal.remove()
    assert not signal.folder.exists()
    signal.touch()  # after removal: nothing, no error


def test_mkdocs_serve_is_woken_as_its_own_watches_wake_it() -> None:
    from mkdocs.livereload import LiveReloadServer

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=".")
    wake = wake_server(server)
    assert wake is not None
    wake()
    assert server._want_rebuild
    assert wake_server(object()) is None


def test_mkdocs_servers_are_woken_not_told_to_poll_the_reports(tmp_path: Path) -> None:
    from mkdocs.livereload import LiveReloadServer

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=".")
    (tmp_path / "reports").mkdir()
    watching = Watching(server, tmp_path / "reports")
    try:
        assert watching.watcher is not None and watching.signal is None
        assert server._watched_paths == {}  # MkDocs does not poll the reports
    finally:
        watching.stop()
    missing = Watching(server, tmp_path / "nowhere")  # MkDocs' own watch, as before
    assert missing.watcher is None and str(tmp_path / "nowhere") in server._watched_paths
    missing.stop()


def test_mkdocs_serve_rebuilds_after_a_report_is_edited(tmp_path: Path) -> None:
    """A real ``mkdocs serve``: editing a report rebuilds the site, reading that report only."""
    reports = copy_reports(tmp_path / "reports", ["2025-january/group-15", "2025-january/group-42"])
    config = site_config(reports, {"search": {"engine": "mkdocs"}})
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    readme = reports / "2025-january/group-15/README.md"
    original = readme.read_bytes()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=tmp_path,
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    lines: queue.SimpleQueue[str] = queue.SimpleQueue()
    said: list[str] = []

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            said.append(line)
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()

    def wait_for(pattern: str, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if re.search(pattern, lines.get(timeout=0.5)):
                    return
            except queue.Empty:
                if process.poll() is not None:
                    break
        raise AssertionError(f"no {pattern!r} from mkdocs serve:\n{''.join(said)[-3000:]}")

    built = r"Documentation built in"
    try:
        wait_for(built)
        wait_for(r"Serving on")
        assert "reports: 1 read" not in "".join(said)
        readme.write_bytes(original + b"\nWe also load tested the API with Locust.\n")
        wait_for(built)
        assert "reports: 1 read, 1 unchanged since the last build" in "".join(said)
        # and nothing more: the build reads the reports, which is no change
        time.sleep(2)
        assert "".join(said).count(built) == 2, "".join(said)[-3000:]
    finally:
        readme.write_bytes(original)
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
