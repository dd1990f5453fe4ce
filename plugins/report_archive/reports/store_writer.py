"""The stores' files, written by a process of its own while the build goes on.

A build that fills its caches writes thousands of files (at 1,000 groups, about 7,000 and
400 MB). Written by a thread of the build's process, each file took that thread back and
forth through Python's lock five times (open, write, close, rename, the next value), and
each time the thread that builds the pages was made to wait for it: seconds of a first
build. Here the values are gathered into batches of a few megabytes in the build's
process, a thread hands each batch to a writer process in one write to its pipe, and that
process writes the files (`WRITE_SCRIPT`): a few hundred handovers instead of tens of
thousands. It is started with the first batch handed over and stopped by `flush`, once
everything is written.

A file is written whole under a temporary name, then renamed, so a reader never sees half
a file; a file that cannot be written is skipped (a cache that cannot be written only makes
builds slower), and so is every value once the writer cannot be started or has stopped.
"""

from __future__ import annotations

import contextlib
import os
import queue
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

__all__ = ["BATCH_BYTES", "StoreWriter"]

BATCH_BYTES = 4 << 20
"""Values are handed to the writer process in batches of about this many bytes."""
FEEDER = "report-archive-store-writer"
"""The name of the thread that feeds the writer process."""
_HEAD = struct.Struct("<IQ")
"""Each value: the length of its file's path, then of its bytes; then the path, the bytes."""

WRITE_SCRIPT = """
import os, struct, sys
head = struct.Struct("<IQ")
values = sys.stdin.buffer
made = set()
suffix = f".{os.getpid()}.part".encode()
while len(frame := values.read(head.size)) == head.size:
    length, size = head.unpack(frame)
    target = values.read(length)
    data = values.read(size)
    if len(target) != length or len(data) != size:
        break  # the sender stopped in the middle of a value: it is not written
    folder, name = os.path.split(target)
    part = os.path.join(folder, b"." + name + suffix)
    try:
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        with open(part, "wb") as out:
            out.write(data)
        os.replace(part, target)
    except OSError:
        continue
"""
"""Reads values (`_HEAD`, the path as bytes, the bytes) until its input ends and writes each
into its file; a value cut short (the sender stopped) is not written."""


class StoreWriter:
    """Writes files in a process of its own; `flush` waits for them all."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._frames: list[bytes] = []
        self._size = 0
        self._queue: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._feeder: threading.Thread | None = None

    @property
    def running(self) -> bool:
        """Whether values were handed to a writer process since the last `flush`."""
        return self._feeder is not None

    def write(self, target: Path, data: bytes) -> None:
        """Write `data` into `target` (its folder made), soon."""
        path = os.fsencode(target)
        with self._lock:
            self._frames += (_HEAD.pack(len(path), len(data)), path, data)
            self._size += len(data)
            if self._size >= BATCH_BYTES:
                self._hand_over()

    def flush(self) -> None:
        """Wait until every file given is written, and stop the writer process."""
        with self._lock:
            self._hand_over()
            feeder, self._feeder = self._feeder, None
            if feeder is None:
                return
            self._queue.put(None)
        feeder.join()

    def _hand_over(self) -> None:
        if not self._frames:
            return
        if self._feeder is None:
            self._queue = queue.SimpleQueue()
            self._feeder = threading.Thread(
                target=_feed, args=(self._queue,), name=FEEDER, daemon=True
            )
            self._feeder.start()
        self._queue.put(b"".join(self._frames))
        self._frames, self._size = [], 0


def _feed(batches: queue.SimpleQueue[bytes | None]) -> None:
    """Start the writer process and hand it every batch; wait for it to end."""
    process: subprocess.Popen[bytes] | None = None
    with contextlib.suppress(Exception):  # not started: the values are not kept
        process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", WRITE_SCRIPT],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    stdin: IO[bytes] | None = process.stdin if process is not None else None
    while (batch := batches.get()) is not None:
        if stdin is None:
            continue
        try:
            stdin.write(batch)
        except (OSError, ValueError):  # it stopped: the rest is not kept
            stdin = None
    if process is not None:
        with contextlib.suppress(OSError, ValueError):
            assert process.stdin is not None
            process.stdin.close()
        process.wait()
