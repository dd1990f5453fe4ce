"""The stores' files written by a process of its own (`report_archive.reports.store_writer`)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from report_archive.reports.store import Store
from report_archive.reports.store_writer import (
    _HEAD,
    BATCH_BYTES,
    FEEDER,
    WRITE_SCRIPT,
    StoreWriter,
)


def feeders() -> int:
    return sum(thread.name == FEEDER for thread in threading.enumerate())


def test_every_value_is_written_whole_once_flushed_by_one_thread(
    tmp_path: Path,
) -> None:
    writer = StoreWriter()
    values = {tmp_path / f"f{n % 7}" / f"v{n}.bin": os.urandom(n * 997) for n in range(60)}
    values[tmp_path / "big" / "one.bin"] = b"x" * (BATCH_BYTES + 5)  # a batch of its own
    for target, data in values.items():
        writer.write(target, data)
    assert writer.running
    assert feeders() == 1  # one thread, however many values
    writer.flush()
    assert not writer.running and feeders() == 0
    for target, data in values.items():
        assert target.read_bytes() == data
    assert not list(tmp_path.glob("*/.*.part"))  # written under another name, then renamed
    writer.flush()  # nothing left: harmless
    writer.write(tmp_path / "again.bin", b"after")  # a new process after a flush
    writer.flush()
    assert (tmp_path / "again.bin").read_bytes() == b"after"


def test_a_value_that_cannot_be_written_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    writer = StoreWriter()
    writer.write(tmp_path / "file" / "value.bin", b"lost")  # its folder is a file
    writer.write(tmp_path / "ok" / "value.bin", b"kept")
    writer.flush()
    assert (tmp_path / "ok" / "value.bin").read_bytes() == b"kept"


def test_every_store_shares_the_writer_and_a_flush_writes_them_all(tmp_path: Path) -> None:
    first, second = Store(tmp_path / "one"), Store(tmp_path / "two")
    first.put("ab" + "0" * 62, {"value": 1})
    second.put("cd" + "0" * 62, [1, 2])
    first.flush()
    assert Store(tmp_path / "one").get("ab" + "0" * 62) == {"value": 1}
    assert Store(tmp_path / "two").get("cd" + "0" * 62) == [1, 2]


def test_a_value_cut_short_is_not_written(tmp_path: Path) -> None:
    """The build stopped while sending a value (Ctrl+C, a kill): no half file, no stray one."""
    whole, cut = tmp_path / "aa" / "whole.pickle", tmp_path / "bb" / "cut.pickle"
    frames = b""
    for target, data in ((whole, b"w" * 1000), (cut, b"c" * 100_000)):
        path = os.fsencode(target)
        frames += _HEAD.pack(len(path), len(data)) + path + data
    for end in (len(frames) - 50_000, len(frames) - 100_010):  # in its bytes, in its path
        subprocess.run(
            [sys.executable, "-I", "-S", "-c", WRITE_SCRIPT], input=frames[:end], check=True
        )
        assert whole.read_bytes() == b"w" * 1000
        assert [p for p in tmp_path.rglob("*") if p.is_file()] == [whole]


def test_a_store_without_a_folder_looks_for_no_file(tmp_path: Path) -> None:
    """A first build's stores have no folder: each miss is answered without the disk."""
    key = "ab" + "0" * 62
    empty = Store(tmp_path / "cache")  # no folder yet
    writer = Store(tmp_path / "cache")
    writer.put(key, "kept")
    writer.flush()
    assert (tmp_path / "cache").is_dir()
    assert empty.get(key) is None  # it did not look: a miss, made again
    assert Store(tmp_path / "cache").get(key) == "kept"  # the next build's store finds it
