"""A raster figure examined before deciding what is published for it (plain Python).

`examine` reads a raster figure's header and bytes and either decides (refused, or published
as it is) or hands back what a conversion needs. `report_archive.site.publish` examines in its
threads, or first in the build's worker processes (`examine_in_worker`): parsing thousands
of headers in Pillow holds Python's lock, which threads of the build's own process would
take from the build itself. `chain` hands a thread's decision to the future the build waits
on.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from report_archive.images.encode import Encoding
from report_archive.images.raster import MAX_PIXELS, SUFFIXES, RasterHeader, raster_refusal
from report_archive.site.decisions import signature
from report_archive.site.figures import Decision, Publish, Refuse

__all__ = ["Examined", "PublishOptions", "chain", "digest_of", "examine", "examine_in_worker"]


@dataclass(frozen=True)
class PublishOptions:
    """How figures are published.

    Attributes:
        shrink: Whether figures not ready to publish are made ready (else published as
            committed).
        min_bytes: Figures up to this size are published as they are.
        encoding: How a figure is made ready (`report_archive.images.encode.Encoding`).
        max_pixels: Raster figures (and rasters embedded in SVG figures) with more pixels
            are not published; also the most pixels decoded at once across the conversion
            threads.
    """

    shrink: bool = True
    min_bytes: int = 20_000
    encoding: Encoding = field(default_factory=Encoding)
    max_pixels: int = MAX_PIXELS


Examined = tuple[tuple[int, ...] | None, Decision | None]
"""A figure's signature, taken before it was read, and its decision (None: to convert)."""


def examine_in_worker(item: tuple[Path, PublishOptions, str | None]) -> Examined:
    """In a worker process: a raster figure's decision when it takes no conversion.

    Args:
        item: The figure, the options, and the digest ``report-archive import`` recorded
            for it (or None).

    Returns:
        Its signature (`report_archive.site.decisions.signature`, before reading) and the
        decision: refused, published as it is, or None when it is to be converted.
    """
    path, options, prepared = item
    sig = signature(path)
    found = examine(path, options, prepared)
    return sig, found if isinstance(found, (Publish, Refuse)) else None


def examine(
    path: Path, options: PublishOptions, prepared: str | None
) -> Decision | tuple[RasterHeader, bytes]:
    """Refuse a raster figure, publish it as it is, or return what converting it needs.

    Args:
        path: The figure.
        options: How figures are published.
        prepared: The digest ``report-archive import`` recorded for it (or None).

    Returns:
        The decision, or the figure's header and bytes when it is to be converted.
    """
    header = raster_refusal(path, options.max_pixels)
    if isinstance(header, str):
        return Refuse(header)
    try:
        size = path.stat().st_size
        data = path.read_bytes()
    except OSError:
        return Refuse("the file cannot be read")
    digest = digest_of(data)
    if (
        not options.shrink
        or size <= options.min_bytes
        or header.format == "GIF"
        or header.animated
        or options.encoding.ready(header.format, header.width, header.height, size)
        or prepared == digest
    ):
        return Publish(path, SUFFIXES[header.format], digest)
    return header, data


def chain(source: Future[Decision], target: Future[Decision]) -> None:
    """Resolve `target` as `source` is resolved."""

    def done(f: Future[Decision]) -> None:
        if f.cancelled():
            target.set_exception(RuntimeError("the figure publisher was closed"))
        elif (error := f.exception()) is not None:
            target.set_exception(error)
        else:
            target.set_result(f.result())

    source.add_done_callback(done)


def digest_of(data: bytes) -> str:
    """The SHA-256 of bytes, hexadecimal."""
    return hashlib.sha256(data).hexdigest()
