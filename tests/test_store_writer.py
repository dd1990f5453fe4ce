"""The stores' files written by a process of its own (`report_archive.reports.store_writer`)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from report_archive.reports.store import Store
from report_archive.reports.store_writer import BATCH_BYTES, StoreWriter


def test_every_value_is_written_whole_once_flushed_by_one_thread(
    tmp_path: Path,
) -> None:
    writer = StoreWriter()
    values = {tmp_path / f"f{n % 7}" / f"v{n}.bin": os.urandom(n * 997) for n in range(60)}
    values[tmp_path / "big" / "one.bin"] = b"x" * (BATCH_BYTES + 5)  # a batch of its own
    threads = threading.active_count()
    for target, data in values.items():
        writer.write(target, data)
    assert writer.running
    assert threading.active_count() == threads + 1  # one thread, however many values
    writer.flush()
    assert not writer.running and threading.active_count() == threads
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
