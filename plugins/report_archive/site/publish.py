"""Decide which file is published for each figure, and make it (plain Python, no MkDocs).

`report_archive.site.figures` decides which of a report's files may be published at all (images
inside the report's folder); this module decides, for each of them, what is published in
its place. The report's own files are never changed.

- SVG: never the original, which can run script on the site's origin. The file is rebuilt
  from an allow-list (`report_archive.site.svg`) into the cache folder, and the rebuilt file is
  published under the figure's own name. A file that cannot be rebuilt is not published.
- Rasters: a small file can be a decompression bomb (a PNG of a few KB that decodes to
  30,000 × 30,000 pixels) for the build and for every browser. Every raster figure's header
  is read first, and a figure Pillow cannot read, of a type browsers do not show, or of
  more than `PublishOptions.max_pixels` pixels is not published.
- Large rasters: students commit screenshots of several MB, and a thousand reports'
  figures would pass GitHub Pages' 1 GB limit. A PNG, JPEG or BMP figure larger than
  `PublishOptions.min_bytes` is published as a WebP image at most `PublishOptions.max_side`
  pixels wide and high; if its conversion fails, it is not published (never its own bytes,
  which browsers would then decode).
- Other rasters are published as they are.

Conversions are slow (about 0.1–0.2 s per large figure), so their results are kept in a
cache folder, keyed by the file's content and what decides the conversion: a figure is
converted once, whatever the build. `FigurePublisher.start` decides at once for every
figure that needs no conversion and starts the conversions in background threads on all
cores (Pillow releases the GIL while it decodes and encodes); asking for a figure being
converted waits for its conversion. The pixels decoded at once across the threads are
bounded by `PublishOptions.max_pixels` (`PixelBudget`), so memory stays bounded too.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import re
import tempfile
import threading
import warnings
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from report_archive.site import svg
from report_archive.site.figures import Decision, Publish, Refuse

if TYPE_CHECKING:
    from PIL import Image

__all__ = [
    "MAX_PIXELS",
    "PILLOW_MAX_PIXELS",
    "FigurePublisher",
    "PixelBudget",
    "PublishOptions",
    "PublishStats",
    "RasterHeader",
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

SHRINKABLE = frozenset({"PNG", "JPEG", "MPO", "BMP"})
"""Raster formats that are converted (GIF may be animated, WebP/AVIF are already
compressed)."""

_METHOD = 2
"""libwebp's effort (0-6): 2 encodes about a third faster than Pillow's default 4, for files
about 3 % larger (measured on the corpus' 104 large figures)."""

_SVG_KEY = hashlib.sha256(Path(svg.__file__).read_bytes()).hexdigest()[:16]
"""Part of a rebuilt SVG's cache key: a change to the rebuild's rules rebuilds every SVG."""

_BOMB = re.compile(r"\((\d+) pixels\)")
_ORIENTATION = 0x0112


@dataclass(frozen=True)
class PublishOptions:
    """How figures are published.

    Attributes:
        shrink: Whether large figures are converted to WebP.
        max_side: Largest width or height, in pixels, of a converted figure.
        min_bytes: Figures up to this size are not converted.
        quality: WebP quality (0–100).
        max_pixels: Raster figures (and rasters embedded in SVG figures) with more pixels
            are not published; also the most pixels decoded at once across the conversion
            threads.
    """

    shrink: bool = True
    max_side: int = 1600
    min_bytes: int = 200_000
    quality: int = 85
    max_pixels: int = MAX_PIXELS

    def key(self) -> str:
        """What, besides a figure's content, decides the conversion (part of the cache key)."""
        return f"webp:{self.max_side}:{self.quality}:m{_METHOD}:box"


@dataclass
class PublishStats:
    """What a `FigurePublisher` did.

    Attributes:
        converted: Figures converted to WebP in this run (distinct contents).
        cached: Figures whose conversion came from the cache.
        failed: Conversions that failed (the figure is not published).
        bytes_before: Size of the large figures.
        bytes_after: Size of what is published for them.
        svg_rebuilt: SVG figures rebuilt (distinct contents, from the cache or not).
        refused: Figures not published (their reason is in the decision).
    """

    converted: int = 0
    cached: int = 0
    failed: int = 0
    bytes_before: int = 0
    bytes_after: int = 0
    svg_rebuilt: int = 0
    refused: int = 0


@dataclass(frozen=True)
class RasterHeader:
    """What a raster image's header says.

    Attributes:
        format: Pillow's name of the format (``PNG``, ``JPEG``...).
        width: Width in pixels.
        height: Height in pixels.
    """

    format: str
    width: int
    height: int

    @property
    def pixels(self) -> int:
        """Width times height."""
        return self.width * self.height


class _Unreadable(Exception):
    """A raster image whose header is refused; the message says why."""


def read_header(source: Path | bytes) -> RasterHeader:
    """Read a raster image's header with Pillow (nothing is decoded).

    Raises:
        _Unreadable: Pillow cannot read the header, or refuses the image as a
            decompression bomb (the message gives its pixels).
    """
    from PIL import Image

    try:
        with warnings.catch_warnings():  # over Pillow's threshold: refused here anyway
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(source) if isinstance(source, bytes) else source) as image:
                return RasterHeader(image.format or "", image.width, image.height)
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


class FigurePublisher:
    """Decides, per figure, which file is published for it, and makes that file.

    Call it with a figure's path (a file `report_archive.site.figures` accepted) to get its
    `Decision`. SVG figures are rebuilt (`report_archive.site.svg`). A raster figure whose
    header Pillow cannot read, whose format browsers do not show, or with more than
    `PublishOptions.max_pixels` pixels is refused. A still PNG, JPEG or BMP figure larger
    than `PublishOptions.min_bytes` is converted to WebP, and refused should the conversion
    fail (a file damaged past its header); other rasters are published as they are.

    Args:
        cache_dir: Where rebuilt and converted figures are kept (created when needed).
        options: How to publish.
        jobs: Conversion threads (default: one per core).
    """

    def __init__(
        self, cache_dir: Path, options: PublishOptions | None = None, jobs: int | None = None
    ) -> None:
        self.cache_dir = cache_dir
        self.options = options or PublishOptions()
        self.stats = PublishStats()
        self.budget = PixelBudget(self.options.max_pixels)
        self._done: dict[Path, Decision | Future[Decision]] = {}
        self._pending: dict[Path, Future[Decision]] = {}  # target -> its conversion
        self._jobs = max(1, jobs or os.cpu_count() or 1)
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def start(self, paths: Iterable[Path]) -> None:
        """Decide for every figure among `paths`; convert the new ones in the background."""
        for path in sorted(set(paths)):
            if path not in self._done:
                self._done[path] = self._decide(path)

    def __call__(self, path: Path) -> Decision:
        """Return what is published for the figure `path`, once its conversion is done."""
        decided = self._done.get(path)
        if decided is None:
            decided = self._done[path] = self._decide(path)
        if isinstance(decided, Future):
            decided = self._done[path] = decided.result()
            self._refused(decided)
        return decided

    def wait(self) -> PublishStats:
        """Wait for every conversion started so far; return the statistics."""
        for path, decided in list(self._done.items()):
            if isinstance(decided, Future):
                self(path)
        self._pending.clear()
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        return self.stats

    def close(self) -> None:
        """Stop converting (a failed build): conversions not started are dropped."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        self._pending.clear()

    # -- one figure ------------------------------------------------------------------------

    def _decide(self, path: Path) -> Decision | Future[Decision]:
        decision = self._svg(path) if path.suffix.lower() == ".svg" else self._raster(path)
        if not isinstance(decision, Future):
            self._refused(decision)
        return decision

    def _refused(self, decision: Decision) -> None:
        if isinstance(decision, Refuse):
            with self._lock:
                self.stats.refused += 1

    def _target(self, key: str, data: bytes, suffix: str) -> Path:
        digest = hashlib.sha256(key.encode() + b"\0" + data).hexdigest()
        return self.cache_dir / digest[:2] / f"{digest}{suffix}"

    def _svg(self, path: Path) -> Decision:
        """Publish the rebuilt SVG (from the cache when this content was rebuilt before)."""
        try:
            if path.stat().st_size > svg.MAX_SVG_BYTES:
                return Refuse(f"the SVG file is larger than {svg.MAX_SVG_BYTES // 1_000_000} MB")
            data = path.read_bytes()
        except OSError:
            return Refuse("the file cannot be read")
        max_pixels = self.options.max_pixels
        target = self._target(f"svg:{_SVG_KEY}:{max_pixels}", data, ".svg")
        if not target.is_file():

            def check(raster: bytes) -> str | None:
                refusal = raster_refusal(raster, max_pixels)
                return refusal if isinstance(refusal, str) else None

            try:
                rebuilt = svg.rebuild_svg(data, check)
            except svg.SvgRefused as e:
                return Refuse(str(e))
            _write_atomic(target, rebuilt)
        self.stats.svg_rebuilt += 1
        return Publish(target)

    def _raster(self, path: Path) -> Decision | Future[Decision]:
        header = raster_refusal(path, self.options.max_pixels)
        if isinstance(header, str):
            return Refuse(header)
        opts = self.options
        try:
            if not opts.shrink or path.stat().st_size <= opts.min_bytes:
                return Publish(path)
            if header.format not in SHRINKABLE or _animated(path):
                return Publish(path)
            data = path.read_bytes()
        except OSError:
            return Refuse("the file cannot be read")
        target = self._target(opts.key(), data, ".webp")
        pending = self._pending.get(target)
        if pending is not None:
            return pending
        if target.is_file():
            self._count(len(data), target.stat().st_size, cached=True)
            return Publish(target, ".webp")
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self._jobs)
        future = self._pending[target] = self._pool.submit(self._convert, path, target)
        return future

    def _convert(self, path: Path, target: Path) -> Decision:
        data = path.read_bytes()
        try:
            encoded = self._encode(data)
        except Exception as e:  # damaged past its header: not published
            self._count(len(data), 0, cached=False, failed=True)
            return Refuse(f"its image data cannot be decoded ({e})")
        _write_atomic(target, encoded)
        self._count(len(data), len(encoded), cached=False)
        return Publish(target, ".webp")

    def _count(self, before: int, after: int, *, cached: bool, failed: bool = False) -> None:
        with self._lock:
            stats = self.stats
            stats.bytes_before += before
            stats.bytes_after += after
            stats.failed += failed
            if cached:
                stats.cached += 1
            else:
                stats.converted += 1

    def _encode(self, data: bytes) -> bytes:
        """Return the figure as WebP, decoding no more pixels than needed, within the budget.

        Raises:
            Exception: Whatever Pillow raises for a damaged image.
        """
        from PIL import Image

        side = self.options.max_side
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > self.options.max_pixels:  # the file changed
                raise ValueError(f"{image.width} × {image.height} pixels")
            if image.format in ("JPEG", "MPO") and max(image.size) > side:
                scale = side / max(image.size)  # decode at 1/2, 1/4 or 1/8 of the size
                image.draft(None, (math.ceil(image.width * scale), math.ceil(image.height * scale)))
            orientation = image.getexif().get(_ORIENTATION, 1)
            with self.budget.hold(image.width * image.height):
                small = _fit(_reducible(image), side)
                if small is not image:
                    image.close()  # frees the decoded pixels before the budget is returned
            small = _upright(small, orientation)
            has_alpha = small.mode in ("RGBA", "LA")
            small = small.convert("RGBA" if has_alpha else "RGB")
            out = io.BytesIO()
            small.save(out, "WEBP", quality=self.options.quality, method=_METHOD)
            return out.getvalue()


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


def _fit(image: Image.Image, side: int) -> Image.Image:
    """Scale an image down to at most `side` pixels wide and high, keeping its shape.

    A box-filter reduction by a whole factor first, then a bilinear resize: the same
    result as Pillow's ``thumbnail`` to the eye, in half the time on large screenshots.
    """
    from PIL import Image

    image.load()
    largest = max(image.size)
    if largest <= side:
        return image
    factor = largest // side
    if factor >= 2:
        image = image.reduce(factor)
        largest = max(image.size)
    if largest > side:
        scale = side / largest
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.Resampling.BILINEAR)
    return image


def _animated(path: Path) -> bool:
    """Whether a PNG (APNG) or MPO file has more than one frame (read from its header)."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            return bool(getattr(image, "is_animated", False))
    except Exception:  # damaged past its header: the conversion says so
        return False


def _write_atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
