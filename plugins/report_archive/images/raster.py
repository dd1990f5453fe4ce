"""Raster figures read safely: the header first, a pixel limit, bounded decoding.

A small file can be a decompression bomb (a PNG of a few KB that decodes to 30,000 × 30,000
pixels) for the build and for every browser: `raster_refusal` reads a figure's header only,
and says why a figure of a type browsers do not show, or of too many pixels, is not
published. `decode_fitted` decodes a figure no larger than it will be shown (JPEG at a
reduced size), holding the pixels it decodes in a `PixelBudget` shared by the threads.
"""

from __future__ import annotations

import io
import math
import re
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from report_archive.images.webp import HEAD_BYTES, webp_size

if TYPE_CHECKING:
    from PIL import Image

__all__ = [
    "MAX_PIXELS",
    "PILLOW_MAX_PIXELS",
    "SHOWN",
    "SUFFIXES",
    "PixelBudget",
    "RasterHeader",
    "decode_fitted",
    "fit",
    "raster_refusal",
    "read_header",
]

MAX_PIXELS = 40_000_000
"""Default `PublishOptions.max_pixels`: above the corpus' largest figure (an architecture
diagram of 8884 × 3888 = 34.5 million pixels; its screenshots have at most 12 million)."""

PILLOW_MAX_PIXELS = 89_478_485
"""Pillow's own decompression-bomb threshold (``Image.MAX_IMAGE_PIXELS``): the highest
`PublishOptions.max_pixels` allowed, so that Pillow never warns about a figure it decodes."""

SHOWN = {"PNG": "PNG", "JPEG": "JPEG", "MPO": "JPEG", "GIF": "GIF", "WEBP": "WebP",
         "AVIF": "AVIF", "BMP": "BMP"}  # fmt: skip
"""Raster formats browsers show (Pillow's name → its usual name): only these are published."""

SUFFIXES = {"PNG": ".png", "JPEG": ".jpg", "MPO": ".jpg", "GIF": ".gif", "WEBP": ".webp",
            "AVIF": ".avif", "BMP": ".bmp"}  # fmt: skip
"""The file extension of each format browsers show: a published file's name says what it
holds, whatever its source's name says."""

_BOMB = re.compile(r"\((\d+) pixels\)")

_ORIENTATION = 0x0112


@dataclass(frozen=True)
class RasterHeader:
    """What a raster image's header says.

    Attributes:
        format: Pillow's name of the format (``PNG``, ``JPEG``...).
        width: Width in pixels.
        height: Height in pixels.
        animated: Whether it has more than one frame (not read for GIF, always published
            as it is).
    """

    format: str
    width: int
    height: int
    animated: bool = False

    @property
    def pixels(self) -> int:
        """Width times height."""
        return self.width * self.height


class _Unreadable(Exception):
    """A raster image whose header is refused; the message says why."""


def read_header(source: Path | bytes) -> RasterHeader:
    """Read a raster image's header (nothing is decoded): WebP's directly, others with Pillow.

    Raises:
        _Unreadable: Pillow cannot read the header, or refuses the image as a
            decompression bomb (the message gives its pixels).
    """
    from PIL import Image

    try:
        if isinstance(source, bytes):
            head = source[:HEAD_BYTES]
        else:
            with source.open("rb") as f:
                head = f.read(HEAD_BYTES)
        webp = webp_size(head)
        if webp is not None:
            return RasterHeader("WEBP", *webp)
        with warnings.catch_warnings():  # over Pillow's threshold: refused here anyway
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(source) if isinstance(source, bytes) else source) as image:
                format = image.format or ""
                moving = format != "GIF" and bool(getattr(image, "is_animated", False))
                return RasterHeader(format, image.width, image.height, moving)
    except Image.DecompressionBombError as e:
        m = _BOMB.search(str(e))
        pixels = f"{int(m.group(1)):,} pixels" if m else "too many pixels to be read"
        raise _Unreadable(f"it has {pixels}") from e
    except Exception as e:
        raise _Unreadable("its image header cannot be read") from e


def raster_refusal(source: Path | bytes, max_pixels: int) -> RasterHeader | str:
    """Return a raster image's header, or why it is not published.

    Args:
        source: The image file, or its bytes.
        max_pixels: Images with more pixels are refused.
    """
    try:
        header = read_header(source)
    except _Unreadable as e:
        reason = str(e)
        if reason.startswith("it has "):
            reason += f", over the limit of {max_pixels:,} (figures.max_pixels)"
        return reason
    if header.format not in SHOWN:
        shown = ", ".join(dict.fromkeys(SHOWN.values()))
        return f"it is not an image browsers show ({shown}): Pillow reads it as {header.format}"
    if header.pixels > max_pixels:
        return (
            f"it is {header.width} × {header.height} pixels ({header.pixels:,}), over the "
            f"limit of {max_pixels:,} (figures.max_pixels)"
        )
    return header


class PixelBudget:
    """Bounds the pixels being decoded at once across threads.

    A decode of more pixels than the whole budget waits until it is the only one.

    Args:
        limit: Most pixels decoded at once.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0
        self.peak = 0
        self._cond = threading.Condition()

    @contextmanager
    def hold(self, pixels: int) -> Iterator[None]:
        """Wait until `pixels` fit in the budget; hold them for the ``with`` block."""
        pixels = min(pixels, self.limit)
        with self._cond:
            self._cond.wait_for(lambda: self.used + pixels <= self.limit)
            self.used += pixels
            self.peak = max(self.peak, self.used)
        try:
            yield
        finally:
            with self._cond:
                self.used -= pixels
                self._cond.notify_all()


def decode_fitted(
    data: bytes, *, max_side: int, max_pixels: int, budget: PixelBudget
) -> Image.Image:
    """Decode an image no larger than `max_side` pixels wide and high, upright, in RGB(A).

    JPEG is decoded at a reduced size (``draft``); the pixels decoded are held in `budget`
    while decoding and scaling, and the full-size image is freed before they are returned.

    Raises:
        Exception: Whatever Pillow raises for a damaged image (or a file that changed to
            more than `max_pixels` pixels).
    """
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        if image.width * image.height > max_pixels:  # the file changed
            raise ValueError(f"{image.width} × {image.height} pixels")
        if image.format in ("JPEG", "MPO") and max(image.size) > max_side:
            scale = max_side / max(image.size)  # decode at 1/2, 1/4 or 1/8 of the size
            image.draft(None, (math.ceil(image.width * scale), math.ceil(image.height * scale)))
        orientation = image.getexif().get(_ORIENTATION, 1)
        with budget.hold(image.width * image.height):
            small = fit(_reducible(image), max_side)
            if small is not image:
                image.close()  # frees the decoded pixels before the budget is returned
        small = _upright(small, orientation)
        has_alpha = small.mode in ("RGBA", "LA")
        return small.convert("RGBA" if has_alpha else "RGB")


def _reducible(image: Image.Image) -> Image.Image:
    """Return the image in a mode Pillow can reduce and resize (L, LA, RGB or RGBA)."""
    if image.mode in ("L", "LA", "RGB", "RGBA"):
        return image
    if image.mode in ("PA", "La", "RGBa") or (image.mode == "P" and "transparency" in image.info):
        return image.convert("RGBA")
    return image.convert("RGB")


def _upright(image: Image.Image, orientation: int) -> Image.Image:
    """Apply an EXIF orientation (as ``ImageOps.exif_transpose``, on the small image)."""
    from PIL import Image

    method = {
        2: Image.Transpose.FLIP_LEFT_RIGHT,
        3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_270,
        7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_90,
    }.get(orientation)
    return image.transpose(method) if method is not None else image


def fit(image: Image.Image, side: int) -> Image.Image:
    """Scale an image down to at most `side` pixels wide and high, keeping its shape.

    Lanczos resampling, after a box reduction to within three times the size (Pillow's
    ``reducing_gap``): sharp text at a fraction of a plain Lanczos resize's time.
    """
    from PIL import Image

    image.load()
    largest = max(image.size)
    if largest <= side:
        return image
    scale = side / largest
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
