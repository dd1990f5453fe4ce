"""Figures made ready to publish when they enter the archive.

A build that converts every figure of a thousand groups takes minutes on two cores, at
every build without a cache (a fresh clone, or GitHub's Actions cache evicted after a
week unused). So `report-archive import` stores each large raster figure as the site
publishes it (`report_archive.images.encode`: WebP of at most 1600 pixels, within a byte
budget), under the figure's own name so that the report's references still find it; the
build then publishes it as it is. The original stays in the group's repository at the
commit that ``group.yml`` records.

A file that is not an image browsers show, has too many pixels, is animated, is small or
is ready already is stored as committed (the build decides about it, as for a report
added by hand); so is a figure whose conversion fails.

What the import decided is recorded in ``group.yml`` (``prepared_figures``: the encoding,
and each decided figure's digest), including the figures it kept as committed because WebP
was not smaller, and WebP files still over the byte budget at the lowest quality. A build
with the same encoding publishes those files as they are instead of deciding again, which
would encode them once more (twice lossy for the second kind) at every build without a
cache.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from report_archive.images.encode import Encoding, encode
from report_archive.images.raster import (
    MAX_PIXELS,
    PixelBudget,
    RasterHeader,
    raster_refusal,
)
from report_archive.reports.layout import IMAGE_SUFFIXES

__all__ = ["MIN_BYTES", "FigureNote", "prepare_figures"]

MIN_BYTES = 20_000
"""Figures up to this size are stored as committed (the build's ``figures.min_bytes``)."""

_BUDGET = PixelBudget(MAX_PIXELS)
"""The pixels decoded at once by every import thread of the process."""


@dataclass(frozen=True)
class FigureNote:
    """What `prepare_figures` did to a group's figures.

    Attributes:
        prepared: Figures stored as WebP.
        bytes_before: Their size as committed.
        bytes_after: Their size as stored.
        encoding: The encoding's key (`Encoding.key`).
        decided: Every figure decided about (stored as WebP, or kept as committed because
            WebP was not smaller): its path → the SHA-256 of the file as stored.
    """

    prepared: int = 0
    bytes_before: int = 0
    bytes_after: int = 0
    encoding: str = ""
    decided: dict[str, str] = field(default_factory=dict)

    def record(self) -> dict[str, Any] | None:
        """``group.yml``'s ``prepared_figures`` value (None when no figure was decided)."""
        if not self.decided:
            return None
        return {"encoding": self.encoding, "files": dict(sorted(self.decided.items()))}

    def __str__(self) -> str:
        if not self.prepared:
            return ""
        noun = "figure" if self.prepared == 1 else "figures"
        return (
            f"{self.prepared} {noun} stored as WebP "
            f"({self.bytes_before / 1e6:.1f} MB → {self.bytes_after / 1e6:.1f} MB)"
        )


def prepare_figures(folder: Path, files: list[str], encoding: Encoding) -> FigureNote:
    """Replace each raster figure among `files` by its publication-ready WebP, in place.

    Args:
        folder: Where the files were extracted (nothing outside it is read or written).
        files: The extracted files, relative to `folder`.
        encoding: How figures are made ready (the site's defaults unless staff chose).

    Returns:
        How many figures were replaced, their bytes before and after, and the digest of
        every figure decided about.
    """
    prepared = before = after = 0
    decided: dict[str, str] = {}
    for name in files:
        if Path(name).suffix.lower() not in IMAGE_SUFFIXES or name.lower().endswith(".svg"):
            continue
        path = folder / name
        data = path.read_bytes()
        header = _header(data, encoding)
        if header is None:
            continue
        try:
            encoded = encode(data, encoding, max_pixels=MAX_PIXELS, budget=_BUDGET).data
        except Exception:  # damaged: stored as committed, the build says why
            continue
        if encoding.keeps(header.width, header.height, len(data), len(encoded)):
            decided[name] = hashlib.sha256(data).hexdigest()
            continue
        path.write_bytes(encoded)
        decided[name] = hashlib.sha256(encoded).hexdigest()
        prepared += 1
        before += len(data)
        after += len(encoded)
    return FigureNote(prepared, before, after, encoding.key(), decided)


def _header(data: bytes, encoding: Encoding) -> RasterHeader | None:
    """The header of a figure to convert.

    None for a figure stored as committed: small, ready, animated, or refused.
    """
    if len(data) <= MIN_BYTES:
        return None
    header = raster_refusal(data, MAX_PIXELS)
    if isinstance(header, str) or header.format == "GIF":
        return None
    if header.animated or encoding.ready(header.format, header.width, header.height, len(data)):
        return None
    return header
