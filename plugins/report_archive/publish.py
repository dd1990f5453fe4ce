"""Decide which file is published for each figure, and make it (plain Python, no MkDocs).

`report_archive.figures` decides which of a report's files may be published at all (images
inside the report's folder); this module decides, for each of them, what is published in
its place. The report's own files are never changed.

- SVG: never the original, which can run script on the site's origin. The file is rebuilt
  from an allow-list (`report_archive.svg`) into the cache folder, and the rebuilt file is
  published under the figure's own name. A file that cannot be rebuilt is not published.
- Large rasters: students commit screenshots of several MB, and a thousand reports'
  figures would pass GitHub Pages' 1 GB limit. A PNG, JPEG or BMP figure larger than
  `PublishOptions.min_bytes` is published as a WebP image at most `PublishOptions.max_side`
  pixels wide and high.
- Other rasters are published as they are.

Conversions are slow (about 0.1–0.2 s per large figure), so their results are kept in a
cache folder, keyed by the file's content and what decides the conversion: a figure is
converted once, whatever the build. `FigurePublisher.start` decides for every figure at
once and converts in background threads on all cores (Pillow releases the GIL while it
decodes and encodes); `FigurePublisher.wait` is called before the files are copied into the
site.
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

from report_archive import svg
from report_archive.figures import Decision, Publish, Refuse

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["SHRINKABLE", "FigurePublisher", "PublishOptions", "PublishStats"]

SHRINKABLE = frozenset({".png", ".jpg", ".jpeg", ".bmp"})
"""Raster types that are converted (GIF may be animated, SVG is vector, WebP/AVIF are
already compressed)."""

_METHOD = 2
"""libwebp's effort (0-6): 2 encodes about a third faster than Pillow's default 4, for files
about 3 % larger (measured on the corpus' 104 large figures)."""

_FORMATS = frozenset({"PNG", "JPEG", "MPO", "BMP"})
"""What Pillow must recognise in a candidate's header."""

_SVG_KEY = hashlib.sha256(Path(svg.__file__).read_bytes()).hexdigest()[:16]
"""Part of a rebuilt SVG's cache key: a change to the rebuild's rules rebuilds every SVG."""


@dataclass(frozen=True)
class PublishOptions:
    """How figures are published.

    Attributes:
        shrink: Whether large figures are converted to WebP.
        max_side: Largest width or height, in pixels, of a converted figure.
        min_bytes: Figures up to this size are published as they are.
        quality: WebP quality (0–100).
    """

    shrink: bool = True
    max_side: int = 1600
    min_bytes: int = 200_000
    quality: int = 85

    def key(self) -> str:
        """What, besides a figure's content, decides the conversion (part of the cache key)."""
        return f"webp:{self.max_side}:{self.quality}:m{_METHOD}:box"


@dataclass
class PublishStats:
    """What a `FigurePublisher` did.

    Attributes:
        converted: Figures converted to WebP in this run (distinct contents).
        cached: Figures whose conversion came from the cache.
        failed: Conversions that failed (the figure's own bytes are published).
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


class FigurePublisher:
    """Decides, per figure, which file is published for it, and makes that file.

    A candidate for WebP is a PNG, JPEG or BMP file larger than `PublishOptions.min_bytes`
    whose header Pillow reads (animated images are not candidates). Every candidate is
    published as WebP; should its conversion fail after all (a file damaged past its
    header), the file's own bytes are published under the WebP name, which browsers still
    show.

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
        self._done: dict[Path, Decision] = {}
        self._pending: dict[Path, Future[None]] = {}  # target -> its conversion
        self._jobs = max(1, jobs or os.cpu_count() or 1)
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def wants(self, path: Path) -> bool:
        """Whether a figure is large enough and of a type that is converted."""
        if not self.options.shrink or path.suffix.lower() not in SHRINKABLE:
            return False
        try:
            return path.stat().st_size > self.options.min_bytes
        except OSError:
            return False

    def start(self, paths: Iterable[Path]) -> None:
        """Decide for every figure among `paths`; convert the new ones in the background."""
        for path in sorted(set(paths)):
            self(path)

    def __call__(self, path: Path) -> Decision:
        """Return what is published for the figure `path`.

        A converted file exists once `wait` has returned.
        """
        if path not in self._done:
            decision = self._decide(path)
            if isinstance(decision, Refuse):
                self.stats.refused += 1
            self._done[path] = decision
        return self._done[path]

    def wait(self) -> PublishStats:
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

    def _decide(self, path: Path) -> Decision:
        if path.suffix.lower() == ".svg":
            return self._svg(path)
        if not self.wants(path):
            return Publish(path)
        try:
            data = path.read_bytes()
        except OSError:
            return Refuse("the file cannot be read")
        target = self._target(self.options.key(), data, ".webp")
        if target in self._pending:
            return Publish(target, ".webp")
        if target.is_file():
            self._count(len(data), target.stat().st_size, cached=True)
            return Publish(target, ".webp")
        if not _convertible(data):
            return Publish(path)
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self._jobs)
        self._pending[target] = self._pool.submit(self._convert, path, target)
        return Publish(target, ".webp")

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
        target = self._target(f"svg:{_SVG_KEY}", data, ".svg")
        if not target.is_file():
            try:
                rebuilt = svg.rebuild_svg(data)
            except svg.SvgRefused as e:
                return Refuse(str(e))
            _write_atomic(target, rebuilt)
        self.stats.svg_rebuilt += 1
        return Publish(target)

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
