"""A figure made ready to publish: WebP, no larger than it is shown, within a byte budget.

The same function prepares a figure when `report-archive import` stores it and when a build
converts a figure added by hand, so both give the same file. The choices were measured on
the corpus' published figures (`benchmarks/bench_figures.py`, see the benchmarks page):

- WebP, not AVIF: at the same structural similarity AVIF files of these screenshots are
  only about 8 % smaller, and libavif encodes them 3 to 6 times slower.
- Every raster over a few kilobytes, not only large ones: the small PNG screenshots that
  were published as committed made most of the site's figure bytes.
- Lossless WebP as well when the figure has few colours (diagrams, terminal and
  dashboard screenshots): it is smaller than the lossy file for most of them, and exact.
- Quality 75: at the size a laptop shows a figure, its files are 12 % smaller than at 80
  and their structural similarity to the committed figure 0.995 against 0.996.
- A byte budget per figure: a figure still over `Encoding.max_bytes` is encoded again at a
  lower quality, down to `Encoding.min_quality`; not smaller, which cost more similarity
  for the same bytes. The budget bounds the few large photos and dashboards.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from report_archive.images.raster import PixelBudget, decode_fitted

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["LOSSLESS_COLOURS", "Encoded", "Encoding", "encode"]

LOSSLESS_COLOURS = 4096
"""Figures with at most this many colours are also tried losslessly (on the corpus, 40 of
the 45 figures whose lossless file is the smaller have fewer; counting stops past it)."""

_METHOD = 4
"""libwebp's effort (0-6), Pillow's default: the file is made once, when imported."""


@dataclass(frozen=True)
class Encoding:
    """How a figure is made ready to publish.

    Attributes:
        max_side: Largest width or height, in pixels (a laptop's content column at twice
            the pixel density).
        quality: WebP quality (1-100) of the first try.
        max_bytes: The figure's byte budget: over it, the figure is encoded again at a
            lower quality; 0 for no budget.
        min_quality: The lowest quality the budget goes down to.
    """

    max_side: int = 1600
    quality: int = 75
    max_bytes: int = 100_000
    min_quality: int = 50

    def key(self) -> str:
        """What decides the encoded file besides the figure (part of a cache key)."""
        return (
            f"webp:{self.max_side}:{self.quality}:{self.max_bytes}:{self.min_quality}:"
            f"m{_METHOD}:ll{LOSSLESS_COLOURS}:lanczos"
        )

    def ready(self, format: str, width: int, height: int, size: int) -> bool:
        """Whether a figure can be published as it is: WebP within the side and the budget."""
        return format == "WEBP" and self.fits(width, height, size)

    def fits(self, width: int, height: int, size: int) -> bool:
        """Whether a figure is within the side and the budget."""
        return max(width, height) <= self.max_side and (
            not self.max_bytes or size <= self.max_bytes
        )

    def keeps(self, width: int, height: int, size: int, encoded: int) -> bool:
        """Whether a figure is published as committed rather than encoded.

        It is when it `fits` and its encoded file (of `encoded` bytes) is no smaller.
        """
        return encoded >= size and self.fits(width, height, size)


@dataclass(frozen=True)
class Encoded:
    """A figure made ready to publish.

    Attributes:
        data: The WebP file.
        width: Its width in pixels.
        height: Its height in pixels.
        quality: The quality it was encoded at (0 when lossless).
    """

    data: bytes
    width: int
    height: int
    quality: int

    @property
    def lossless(self) -> bool:
        """Whether the file is lossless."""
        return self.quality == 0


def encode(data: bytes, encoding: Encoding, *, max_pixels: int, budget: PixelBudget) -> Encoded:
    """Return an image as WebP of at most `Encoding.max_side` pixels, within the budget.

    Args:
        data: The image file (a format Pillow reads).
        encoding: How to encode it.
        max_pixels: Images with more pixels are refused (the file changed since its header
            was checked).
        budget: Bounds the pixels decoded at once across threads.

    Raises:
        Exception: Whatever Pillow raises for a damaged image.
    """
    image = decode_fitted(data, max_side=encoding.max_side, max_pixels=max_pixels, budget=budget)
    best = _best(image, encoding.quality)
    quality = encoding.quality
    while encoding.max_bytes and len(best.data) > encoding.max_bytes:
        if quality <= encoding.min_quality:
            break
        quality = max(encoding.min_quality, quality - 10)
        best = min(best, _lossy(image, quality), key=lambda e: len(e.data))
    return best


def _best(image: Image.Image, quality: int) -> Encoded:
    """The smaller of the lossy file and, for an image of few colours, the lossless one."""
    lossy = _lossy(image, quality)
    if image.getcolors(LOSSLESS_COLOURS) is None:
        return lossy
    out = io.BytesIO()
    image.save(out, "WEBP", lossless=True, quality=50, method=_METHOD)
    lossless = Encoded(out.getvalue(), image.width, image.height, 0)
    return lossless if len(lossless.data) < len(lossy.data) else lossy


def _lossy(image: Image.Image, quality: int) -> Encoded:
    out = io.BytesIO()
    image.save(out, "WEBP", quality=quality, method=_METHOD)
    return Encoded(out.getvalue(), image.width, image.height, quality)
