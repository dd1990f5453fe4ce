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
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
    """

    prepared: int = 0
    bytes_before: int = 0
    bytes_after: int = 0

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
        How many figures were replaced, and their bytes before and after.
    """
    prepared = before = after = 0
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
            continue
        path.write_bytes(encoded)
        prepared += 1
        before += len(data)
        after += len(encoded)
    return FigureNote(prepared, before, after)


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
