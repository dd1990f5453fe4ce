"""Figures copied into the site by another process (`report_archive.build.copying`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from report_archive.build.copying import BATCH_LINES, FigureCopier


def test_every_file_is_copied_into_folders_made_on_the_way(tmp_path: Path) -> None:
    sources = []
    for n, name in enumerate(["a.png", "b é.webp", "c.svg"]):
        source = tmp_path / "in" / name
        source.parent.mkdir(exist_ok=True)
        source.write_bytes(bytes([n]) * (1000 + n))
        sources.append(source)
    copier = FigureCopier()
    for n, source in enumerate(sources):
        copier.copy(str(source), str(tmp_path / "site" / f"part-{n}" / source.name))
    copier.wait()
    for n, source in enumerate(sources):
        assert (tmp_path / "site" / f"part-{n}" / source.name).read_bytes() == source.read_bytes()
    copier.wait()  # nothing left: waiting again is harmless


def test_copies_handed_over_in_batches_are_all_made(tmp_path: Path) -> None:
    """Two whole batches and a part of one: the last copies are handed over by `wait`."""
    count = 2 * BATCH_LINES + 3
    source = tmp_path / "figure.webp"
    source.write_bytes(b"RIFF" + bytes(range(256)))
    copier = FigureCopier()
    for n in range(count):
        copier.copy(str(source), str(tmp_path / "site" / f"{n % 5}" / f"{n}.webp"))
    copier.wait()
    copied = sorted(tmp_path.glob("site/*/*.webp"))
    assert len(copied) == count
    assert {path.read_bytes() for path in copied} == {source.read_bytes()}


def test_a_file_that_cannot_be_copied_fails_the_build_with_its_name(tmp_path: Path) -> None:
    copier = FigureCopier()
    copier.copy(str(tmp_path / "missing.png"), str(tmp_path / "site" / "missing.png"))
    with pytest.raises(PluginError, match=r"cannot copy the figures into the site: .*missing\.png"):
        copier.wait()


def test_a_file_name_in_the_error_cannot_drive_the_terminal(tmp_path: Path) -> None:
    copier = FigureCopier()
    name = "shot\x1b]0;owned\x07.png"  # a student's file name with a terminal escape
    copier.copy(str(tmp_path / name), str(tmp_path / "site" / "x.png"))
    with pytest.raises(PluginError) as raised:
        copier.wait()
    assert "shot" in str(raised.value) and "\x1b" not in str(raised.value)
