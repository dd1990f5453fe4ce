"""Writing the search index with the ``pagefind`` binary, while the site is being built.

The index is written by the ``pagefind`` binary that the ``pagefind[extended]`` package
ships, driven through its service mode (`PagefindService`). The package's own Python API
(`pagefind.index.PagefindIndex`) talks to the same service but polls for each answer every
100 ms (upstream issue Pagefind/pagefind#976), which makes 25,000 records take over 40
minutes; this module sends every record at once and reads the answers as they come.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from report_archive.search.records import LANGUAGE, SearchRecord

__all__ = [
    "IndexStats",
    "IndexWriter",
    "PagefindService",
    "SearchError",
    "bundle_stats",
    "write_index",
]


GATHER_SECONDS = 0.05
"""While many answers are awaited, the reading thread waits this long after a small read."""
GATHER_BELOW = 4096
"""A read of fewer bytes is small (a pipe holds 4 KB at least)."""


class SearchError(Exception):
    """The search index cannot be written (no binary, the binary failed)."""


@dataclass(frozen=True)
class IndexStats:
    """What `write_index` wrote.

    Attributes:
        records: Records indexed.
        seconds: Time taken.
        folder: The bundle's folder.
        kept: Whether the bundle was copied from the cache instead of indexed
            (`report_archive.search.index_cache`).
    """

    records: int
    seconds: float
    folder: Path
    kept: bool = False

    @property
    def files(self) -> int:
        """Files in the bundle (counted when asked)."""
        return len(self._sizes)

    @property
    def bytes(self) -> int:
        """Size of the bundle (counted when asked)."""
        return sum(self._sizes)

    @functools.cached_property
    def _sizes(self) -> list[int]:
        return [p.stat().st_size for p in self.folder.rglob("*") if p.is_file()]


# -- the Pagefind service -----------------------------------------------------------------


def _executable() -> Path:
    try:
        from pagefind.service import get_executable
    except ImportError as e:
        raise SearchError(
            "Pagefind is not installed: install the 'pagefind[extended]' package"
        ) from e
    path = get_executable()
    if path is None:
        raise SearchError("the pagefind binary was not found: install 'pagefind[extended]'")
    return Path(path)


class PagefindService:
    """The ``pagefind --service`` process: requests in, responses out, as they come.

    Messages are base64-encoded JSON objects followed by a comma, both ways; each response
    carries the ``message_id`` of its request. A thread reads responses into a queue so the
    binary never blocks on a full pipe while requests are being written; while many are
    awaited, it reads them a few dozen at a time (`GATHER_SECONDS`), not one by one.

    Args:
        executable: The pagefind binary (default: the one ``pagefind[extended]`` ships).
    """

    def __init__(self, executable: Path | None = None) -> None:
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        try:
            self._process = subprocess.Popen(
                [str(executable or _executable()), "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
            )
        except OSError as e:
            self._stderr.close()
            raise SearchError(f"cannot start pagefind: {e}") from e
        self._responses: queue.Queue[list[dict[str, Any]] | None] = queue.Queue()
        self._next_id = 0
        self._awaited = 0
        """Responses `send` still waits for (read by the reading thread)."""
        self.reads = 0
        """How many times the answers were read from the binary."""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        stdout = self._process.stdout
        assert stdout is not None
        buffer = b""
        try:
            while chunk := os.read(stdout.fileno(), 1 << 16):
                self.reads += 1
                buffer += chunk
                *messages, buffer = buffer.split(b",")
                if messages:
                    self._responses.put([json.loads(base64.b64decode(m)) for m in messages])
                if len(chunk) < GATHER_BELOW and self._awaited > len(messages):
                    # Many answers to come, one by one: gather them (each wake of this
                    # thread, and of the one waiting, takes Python's lock from the build);
                    # a large read means more are waiting in the pipe already
                    time.sleep(GATHER_SECONDS)
        except (OSError, ValueError) as e:
            self._responses.put([{"payload": {"type": "Error", "message": str(e)}}])
        self._responses.put(None)

    def send(self, payloads: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """Send requests and return their responses' payloads, in request order.

        Raises:
            SearchError: The service answered with an error or stopped.
        """
        stdin = self._process.stdin
        assert stdin is not None
        ids: list[int] = []
        messages: list[bytes] = []
        for payload in payloads:
            self._next_id += 1
            ids.append(self._next_id)
            message = json.dumps({"message_id": self._next_id, "payload": payload})
            messages.append(base64.b64encode(message.encode("utf-8")) + b",")
        self._awaited = len(ids)
        try:
            try:
                # One write: a thread that writes piece by piece lets Python's lock go at
                # every piece, and waits for it again while the pages render
                stdin.write(b"".join(messages))
                stdin.flush()
            except (OSError, ValueError) as e:
                raise SearchError(f"pagefind stopped: {e}{self._errors()}") from e
            answers: dict[int, dict[str, Any]] = {}
            while len(answers) < len(ids):
                responses = self._responses.get()
                if responses is None:
                    raise SearchError(f"pagefind stopped{self._errors()}")
                for response in responses:
                    payload = response.get("payload") or {}
                    if payload.get("type") == "Error":
                        message = f"pagefind: {payload.get('message')}{self._errors()}"
                        raise SearchError(message)
                    answers[int(response.get("message_id") or 0)] = payload
                self._awaited = len(ids) - len(answers)
        finally:
            self._awaited = 0
        return [answers[i] for i in ids]

    def _errors(self) -> str:
        self._stderr.seek(0)
        text = self._stderr.read().decode("utf-8", "replace").strip()
        return f" ({text[-500:]})" if text else ""

    def close(self) -> None:
        """Stop the process."""
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._reader.join(timeout=10)
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._stderr.close()

    def __enter__(self) -> PagefindService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class IndexWriter:
    """Builds one Pagefind index while the rest of the site is being built.

    `add` hands records to a background thread that sends them to the ``pagefind`` process,
    which indexes them in parallel with whatever the caller does next; `write` waits for
    them and writes the bundle. Always end with `write` or `close`.

    Raises:
        SearchError: Pagefind is missing or failed (from the constructor, `add` or `write`).
    """

    def __init__(self) -> None:
        self._start = time.perf_counter()
        self._service = PagefindService()
        self._records = 0
        self._thread: threading.Thread | None = None
        self._error: SearchError | None = None
        try:
            (created,) = self._service.send(
                [{"type": "NewIndex", "config": {"force_language": LANGUAGE}}]
            )
        except SearchError:
            self._service.close()
            raise
        self._index_id = int(created["index_id"])

    def add(self, records: Iterable[SearchRecord]) -> None:
        """Send records to Pagefind in the background (after the ones added before)."""
        items = list(records)
        self._records += len(items)
        previous = self._thread

        def send() -> None:
            if previous is not None:
                previous.join()
            if self._error is not None:
                return
            try:
                self._service.send(record.payload(self._index_id) for record in items)
            except SearchError as e:
                self._error = e
            except (OSError, ValueError) as e:  # closed while sending
                self._error = SearchError(f"pagefind stopped: {e}")

        self._thread = threading.Thread(target=send, daemon=True)
        self._thread.start()

    def write(self, output: Path) -> IndexStats:
        """Wait for every record, write the bundle into `output` (replaced), and stop.

        Returns:
            What was written.
        """
        try:
            self._wait()
            if output.exists():
                shutil.rmtree(output)
            self._service.send(
                [
                    {
                        "type": "WriteFiles",
                        "index_id": self._index_id,
                        "output_path": str(output.resolve()),
                    }
                ]
            )
        finally:
            self.close()
        return bundle_stats(output, self._records, self._start)

    def _wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error

    def close(self) -> None:
        """Stop Pagefind without writing anything (safe to call twice)."""
        self._service.close()


def bundle_stats(output: Path, records: int, start: float, *, kept: bool = False) -> IndexStats:
    """What a bundle written (or copied) into `output` since `start` holds.

    Its files are counted when asked: from a thread, while the pages render, each file
    call would wait for Python's lock.
    """
    return IndexStats(
        records=records, seconds=time.perf_counter() - start, folder=output, kept=kept
    )


def write_index(records: Iterable[SearchRecord], output: Path) -> IndexStats:
    """Write a Pagefind bundle (index, default UI, component UI) for the records.

    Args:
        records: What to index.
        output: The bundle's folder (``<site>/pagefind``); replaced if it exists.

    Returns:
        What was written.

    Raises:
        SearchError: Pagefind is missing or failed.
    """
    writer = IndexWriter()
    writer.add(records)
    return writer.write(output)
