"""Make large figures small enough to publish (plain Python with Pillow, no MkDocs).

Students commit screenshots of several MB. Published as they are, a thousand reports'
figures pass GitHub Pages' 1 GB limit. A figure larger than `ShrinkOptions.min_bytes` is
published as a WebP image at most `ShrinkOptions.max_side` pixels wide and high; the report's
own file is never changed, and the original stays in the group's repository.

Conversions are slow (about 0.1–0.2 s per large figure), so their results are kept in a
cache folder, keyed by the file's content and the options: a figure is converted once,
whatever the build. `FigureShrinker.prepare` converts many figures on all cores first
(Pillow releases the GIL while it decodes and encodes).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SHRINKABLE", "FigureShrinker", "ShrinkOptions", "ShrinkStats"]

SHRINKABLE = frozenset({".png", ".jpg", ".jpeg", ".bmp"})
"""Raster types that are converted (GIF may be animated, SVG is vector, WebP/AVIF are
already compressed)."""

_KEEP = b""
"""Content of a cache entry meaning "publish the original" (conversion did not help)."""


@dataclass(frozen=True)
class ShrinkOptions:
    """How figures are shrunk.

    Attributes:
        max_side: Largest width or height, in pixels, of a converted figure.
        min_bytes: Figures up to this size are published as they are.
        quality: WebP quality (0–100).
        keep_ratio: A conversion is used only when it is at most this share of the original.
    """

    max_side: int = 1600
    min_bytes: int = 200_000
    quality: int = 85
    keep_ratio: float = 0.8

    def key(self) -> str:
        """What the options add to a cache key."""
        return f"webp:{self.max_side}:{self.quality}:{self.keep_ratio}"


@dataclass
class ShrinkStats:
    """What a `FigureShrinker` did.

    Attributes:
        converted: Figures converted in this run.
        cached: Figures whose conversion came from the cache.
        kept: Large figures published as they are (conversion failed or did not help).
        bytes_before: Size of the large figures.
        bytes_after: Size of what is published for them.
    """

    converted: int = 0
    cached: int = 0
    kept: int = 0
    bytes_before: int = 0
    bytes_after: int = 0


class FigureShrinker:
    """Decides, per figure, whether a smaller WebP copy is published instead.

    Args:
        cache_dir: Where conversions are kept (created when needed).
        options: How to shrink.
    """

    def __init__(self, cache_dir: Path, options: ShrinkOptions | None = None) -> None:
        self.cache_dir = cache_dir
        self.options = options or ShrinkOptions()
        self.stats = ShrinkStats()
        self._done: dict[Path, Path | None] = {}
        self._lock = threading.Lock()

    def wants(self, path: Path) -> bool:
        """Whether a figure is a candidate (a large raster image)."""
        if path.suffix.lower() not in SHRINKABLE:
            return False
        try:
            return path.stat().st_size > self.options.min_bytes
        except OSError:
            return False

    def prepare(self, paths: Iterable[Path], jobs: int | None = None) -> None:
        """Convert every candidate among `paths` now, on `jobs` threads (default: all cores)."""
        todo = sorted({p for p in paths if p not in self._done and self.wants(p)})
        if not todo:
            return
        workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for path, result in zip(todo, pool.map(self._shrink, todo), strict=True):
                self._done[path] = result

    def __call__(self, path: Path) -> Path | None:
        """Return the WebP file to publish instead of `path`, or None to publish `path`."""
        if path not in self._done:
            self._done[path] = self._shrink(path) if self.wants(path) else None
        return self._done[path]

    # -- one figure ------------------------------------------------------------------------

    def _shrink(self, path: Path) -> Path | None:
        try:
            data = path.read_bytes()
        except OSError:
            return None
        digest = hashlib.sha256(self.options.key().encode() + b"\0" + data).hexdigest()
        target = self.cache_dir / digest[:2] / f"{digest}.webp"
        if target.is_file():
            size = target.stat().st_size
            useful = size != len(_KEEP)
            self._count(len(data), size if useful else len(data), cached=True, kept=not useful)
            return target if useful else None
        encoded = self._encode(data)
        if encoded is None or len(encoded) > len(data) * self.options.keep_ratio:
            _write_atomic(target, _KEEP)
            self._count(len(data), len(data), cached=False, kept=True)
            return None
        _write_atomic(target, encoded)
        self._count(len(data), len(encoded), cached=False, kept=False)
        return target

    def _count(self, before: int, after: int, *, cached: bool, kept: bool) -> None:
        with self._lock:
            stats = self.stats
            stats.bytes_before += before
            stats.bytes_after += after
            stats.kept += kept
            if cached:
                stats.cached += 1
            else:
                stats.converted += 1

    def _encode(self, data: bytes) -> bytes | None:
        import io

        from PIL import Image, ImageOps

        try:
            with Image.open(io.BytesIO(data)) as opened:
                image: Image.Image = ImageOps.exif_transpose(opened)
                image.thumbnail((self.options.max_side, self.options.max_side))
                has_alpha = image.mode in ("RGBA", "LA", "PA") or (
                    image.mode == "P" and "transparency" in image.info
                )
                image = image.convert("RGBA" if has_alpha else "RGB")
                out = io.BytesIO()
                image.save(out, "WEBP", quality=self.options.quality, method=4)
                return out.getvalue()
        except Exception:  # any unreadable image is published as it is
            return None


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
