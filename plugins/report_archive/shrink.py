"""Make large figures small enough to publish (plain Python with Pillow, no MkDocs).

Students commit screenshots of several MB. Published as they are, a thousand reports'
figures pass GitHub Pages' 1 GB limit. A figure larger than `ShrinkOptions.min_bytes` is
published as a WebP image at most `ShrinkOptions.max_side` pixels wide and high; the report's
own file is never changed, and the original stays in the group's repository.

Conversions are slow (about 0.1–0.2 s per large figure), so their results are kept in a
cache folder, keyed by the file's content and the options: a figure is converted once,
whatever the build. Which figures become WebP is decided at once, from their size and
their header (`FigureShrinker.start`), so pages can link them while the conversions run
in background threads on all cores (Pillow releases the GIL while it decodes and encodes);
`FigureShrinker.wait` is called before the files are copied into the site.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["SHRINKABLE", "FigureShrinker", "ShrinkOptions", "ShrinkStats"]

SHRINKABLE = frozenset({".png", ".jpg", ".jpeg", ".bmp"})
"""Raster types that are converted (GIF may be animated, SVG is vector, WebP/AVIF are
already compressed)."""

_METHOD = 2
"""libwebp's effort (0-6): 2 encodes about a third faster than Pillow's default 4, for files
about 3 % larger (measured on the corpus' 104 large figures)."""

_FORMATS = frozenset({"PNG", "JPEG", "MPO", "BMP"})
"""What Pillow must recognise in a candidate's header."""


@dataclass(frozen=True)
class ShrinkOptions:
    """How figures are shrunk.

    Attributes:
        max_side: Largest width or height, in pixels, of a converted figure.
        min_bytes: Figures up to this size are published as they are.
        quality: WebP quality (0–100).
    """

    max_side: int = 1600
    min_bytes: int = 200_000
    quality: int = 85

    def key(self) -> str:
        """What, besides a figure's content, decides the conversion (part of the cache key)."""
        return f"webp:{self.max_side}:{self.quality}:m{_METHOD}:box"


@dataclass
class ShrinkStats:
    """What a `FigureShrinker` did.

    Attributes:
        converted: Figures converted in this run (distinct contents).
        cached: Figures whose conversion came from the cache.
        failed: Conversions that failed (the figure's own bytes are published).
        bytes_before: Size of the large figures.
        bytes_after: Size of what is published for them.
    """

    converted: int = 0
    cached: int = 0
    failed: int = 0
    bytes_before: int = 0
    bytes_after: int = 0


class FigureShrinker:
    """Decides, per figure, whether a smaller WebP copy is published instead, and makes it.

    A candidate is a PNG, JPEG or BMP file larger than `ShrinkOptions.min_bytes` whose
    header Pillow reads (animated images are not candidates). Every candidate is published
    as WebP; should its conversion fail after all (a file damaged past its header), the
    file's own bytes are published under the WebP name, which browsers still show.

    Args:
        cache_dir: Where conversions are kept (created when needed).
        options: How to shrink.
        jobs: Conversion threads (default: one per core).
    """

    def __init__(
        self, cache_dir: Path, options: ShrinkOptions | None = None, jobs: int | None = None
    ) -> None:
        self.cache_dir = cache_dir
        self.options = options or ShrinkOptions()
        self.stats = ShrinkStats()
        self._done: dict[Path, Path | None] = {}
        self._pending: dict[Path, Future[None]] = {}  # target -> its conversion
        self._jobs = max(1, jobs or os.cpu_count() or 1)
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def wants(self, path: Path) -> bool:
        """Whether a figure is large enough and of a type that is converted."""
        if path.suffix.lower() not in SHRINKABLE:
            return False
        try:
            return path.stat().st_size > self.options.min_bytes
        except OSError:
            return False

    def start(self, paths: Iterable[Path]) -> None:
        """Decide for every figure among `paths`; convert the new ones in the background."""
        for path in sorted(set(paths)):
            self(path)

    def __call__(self, path: Path) -> Path | None:
        """Return the WebP file to publish instead of `path`, or None to publish `path`.

        The WebP file exists once `wait` has returned.
        """
        if path not in self._done:
            self._done[path] = self._decide(path)
        return self._done[path]

    def wait(self) -> ShrinkStats:
        """Wait for every conversion started so far; return the statistics."""
        for future in list(self._pending.values()):
            future.result()
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

    def _decide(self, path: Path) -> Path | None:
        if not self.wants(path):
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        digest = hashlib.sha256(self.options.key().encode() + b"\0" + data).hexdigest()
        target = self.cache_dir / digest[:2] / f"{digest}.webp"
        if target in self._pending:
            return target
        if target.is_file():
            self._count(len(data), target.stat().st_size, cached=True)
            return target
        if not _convertible(data):
            return None
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self._jobs)
        self._pending[target] = self._pool.submit(self._convert, path, target)
        return target

    def _convert(self, path: Path, target: Path) -> None:
        data = path.read_bytes()
        encoded = self._encode(data)
        if encoded is None:
            self._count(len(data), len(data), cached=False, failed=True)
            _write_atomic(target, data)
            return
        _write_atomic(target, encoded)
        self._count(len(data), len(encoded), cached=False)

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

    def _encode(self, data: bytes) -> bytes | None:
        from PIL import Image, ImageOps

        try:
            with Image.open(io.BytesIO(data)) as opened:
                image: Image.Image = _fit(ImageOps.exif_transpose(opened), self.options.max_side)
                has_alpha = image.mode in ("RGBA", "LA", "PA") or (
                    image.mode == "P" and "transparency" in image.info
                )
                image = image.convert("RGBA" if has_alpha else "RGB")
                out = io.BytesIO()
                image.save(out, "WEBP", quality=self.options.quality, method=_METHOD)
                return out.getvalue()
        except Exception:  # damaged past its header: published as it is
            return None


def _fit(image: Image.Image, side: int) -> Image.Image:
    """Scale an image down to at most `side` pixels wide and high, keeping its shape.

    A box-filter reduction by a whole factor first, then a bilinear resize: the same
    result as Pillow's ``thumbnail`` to the eye, in half the time on large screenshots.
    """
    from PIL import Image

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


def _convertible(data: bytes) -> bool:
    """Whether Pillow reads the header of a still PNG, JPEG or BMP image."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.format in _FORMATS and not getattr(image, "is_animated", False)
    except Exception:
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
