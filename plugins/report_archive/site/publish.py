"""Decide which file is published for each figure, and make it (plain Python, no MkDocs).

`report_archive.site.figures` decides which of a report's files may be published at all (images
inside the report's folder); this module decides, for each of them, what is published in
its place. The report's own files are never changed.

- SVG: never the original, which can run script on the site's origin. The file is rebuilt
  from an allow-list (`report_archive.site.svg`) into the cache folder, and the rebuilt file is
  published. A file that cannot be rebuilt is not published.
- Rasters: a small file can be a decompression bomb (a PNG of a few KB that decodes to
  30,000 × 30,000 pixels) for the build and for every browser. Every raster figure's header
  is read first, and a figure Pillow cannot read, of a type browsers do not show, or of
  more than `PublishOptions.max_pixels` pixels is not published.
- Figures ready to publish are published as they are: WebP files within the side and the
  byte budget, figures that `report-archive import` decided about with the same encoding
  and that are unchanged since (``prepared_figures`` in ``group.yml``: their digest is the
  one recorded), files of at most `PublishOptions.min_bytes`, GIF and animated images.
- Other rasters (students commit screenshots of several MB, and a thousand reports' figures
  would pass GitHub Pages' 1 GB limit) are made ready by `report_archive.images.encode`: WebP
  of at most `Encoding.max_side` pixels, within `Encoding.max_bytes`. If that fails, the
  figure is not published (never its own bytes, which browsers would then decode).

Every published file carries the SHA-256 of its bytes (`Publish.digest`), so that a site can
publish identical files once, under a name made from their content.

Conversions take about 0.1-0.3 s per figure, so their results are kept in a cache folder,
keyed by the file's content and the encoding: a figure is converted once, whatever the
build. `FigurePublisher.start` decides for every figure in the background while the build
goes on (asking for a figure waits for its decision): the raster figures first in worker
processes when given ``processes`` (`report_archive.site.examine`: parsing thousands of
headers in Pillow holds the GIL, which threads would take from the build), the rest in
threads on all cores (reading, hashing, decoding and encoding release the GIL). Identical
figures are converted once. The pixels decoded at once across the threads are bounded by
`PublishOptions.max_pixels` (`PixelBudget`), so memory stays bounded too.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from report_archive.images.encode import encode
from report_archive.images.raster import SUFFIXES, PixelBudget, RasterHeader, raster_refusal
from report_archive.reports.parallel import process_map_later, workers
from report_archive.site import svg
from report_archive.site.decisions import DecisionMemo, Signature, signature
from report_archive.site.examine import (
    Examined,
    PublishOptions,
    chain,
    digest_of,
    examine,
    examine_in_worker,
)
from report_archive.site.figures import Decision, Publish, Refuse

__all__ = ["FigurePublisher", "PublishOptions", "PublishStats"]


_SVG_KEY = hashlib.sha256(Path(svg.__file__).read_bytes()).hexdigest()[:16]
"""Part of a rebuilt SVG's cache key: a change to the rebuild's rules rebuilds every SVG."""


@dataclass
class PublishStats:
    """What a `FigurePublisher` did.

    Attributes:
        converted: Figures converted to WebP in this run (distinct contents).
        cached: Figures whose conversion came from the cache.
        failed: Conversions that failed (the figure is not published).
        bytes_before: Size of the converted figures.
        bytes_after: Size of what is published for them.
        svg_rebuilt: SVG figures rebuilt (distinct contents, from the cache or not).
        refused: Figures not published (their reason is in the decision).
        ready: Raster figures published as they are.
        examined: Figures decided in worker processes (``processes``).
    """

    ready: int = 0
    converted: int = 0
    cached: int = 0
    failed: int = 0
    bytes_before: int = 0
    bytes_after: int = 0
    svg_rebuilt: int = 0
    refused: int = 0
    examined: int = 0


class FigurePublisher:
    """Decides, per figure, which file is published for it, and makes that file.

    Call it with a figure's path (a file `report_archive.site.figures` accepted) to get its
    `Decision`, as the module says: SVG rebuilt; rasters refused (unreadable header, a
    format browsers do not show, too many pixels), published as they are, or converted to
    WebP (refused should the conversion fail: a file damaged past its header).

    Args:
        cache_dir: Where rebuilt and converted figures are kept (created when needed).
        options: How to publish.
        jobs: Threads that decide and convert (default: one per core).
        memo: The last build's decisions, for figures unchanged since (None: decide all).
        prepared: Figures that ``report-archive import`` made ready with this encoding
            (their resolved path → the SHA-256 it recorded): published as they are while
            their content has that digest.
        processes: The ``jobs`` of worker processes that examine raster figures first
            (`report_archive.reports.parallel.workers`; None: the threads do all).
    """

    def __init__(
        self,
        cache_dir: Path,
        options: PublishOptions | None = None,
        jobs: int | None = None,
        memo: DecisionMemo | None = None,
        prepared: Mapping[Path, str] | None = None,
        processes: int | None = None,
    ) -> None:
        self.cache_dir = cache_dir
        self.options = options or PublishOptions()
        self.memo = memo
        self.prepared = prepared or {}
        self.stats = PublishStats()
        self.budget = PixelBudget(self.options.max_pixels)
        self._done: dict[Path, Decision | Future[Decision]] = {}
        self._converting: dict[Path, Future[Decision]] = {}  # target -> its conversion
        self._jobs = max(1, jobs or os.cpu_count() or 1)
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._processes = processes
        self._collectors: list[threading.Thread] = []
        self._closed = False

    def start(self, paths: Iterable[Path]) -> None:
        """Decide for every figure among `paths` in the background, converting new ones.

        A figure unchanged since the last build's decision (`memo`) takes it at once. With
        `processes`, the raster figures are examined in worker processes first.
        """
        examined: list[Path] = []
        for path in sorted(set(paths)):
            if path in self._done:
                continue
            kept = self._kept(path)
            if kept is not None:
                self._done[path] = kept
            elif self._processes is not None and path.suffix.lower() != ".svg":
                examined.append(path)
            else:
                self._done[path] = self._submit(path)
        if self._processes is not None and workers(self._processes, len(examined)) > 1:
            self._examine(examined, self._processes)
        else:  # too few to be worth the processes: the threads examine them
            for path in examined:
                self._done[path] = self._submit(path)

    def _submit(self, path: Path) -> Future[Decision]:
        """Decide for a figure in a thread."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the figure publisher was closed")
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=self._jobs)
            return self._pool.submit(self._fresh, path)

    def _examine(self, paths: list[Path], processes: int) -> None:
        """Examine raster figures in worker processes; a thread collects what they found.

        A collecting thread resolves each figure's future with the worker's decision, or
        hands the figure to the threads (to convert; every figure if the workers failed).
        """
        futures: dict[Path, Future[Decision]] = {path: Future() for path in paths}
        self._done.update(futures)
        items = [(path, self.options, self.prepared.get(path)) for path in paths]
        try:
            results: Callable[[], list[Examined]] | None = process_map_later(
                examine_in_worker, items, processes
            )
        except Exception:  # no worker could start: the threads decide
            results = None

        def collect() -> None:
            try:
                found = results() if results is not None else None
            except Exception:  # a worker failed: the threads decide (and raise again)
                found = None
            for n, path in enumerate(paths):
                future = futures[path]
                sig, decision = found[n] if found is not None else (None, None)
                if decision is not None:
                    self._examined(path, sig, decision)
                    future.set_result(decision)
                    continue
                try:
                    chain(self._submit(path), future)
                except BaseException as e:  # closed meanwhile
                    future.set_exception(e)

        thread = threading.Thread(target=collect, name="report-archive-figures", daemon=True)
        self._collectors.append(thread)
        thread.start()

    def _examined(self, path: Path, sig: tuple[int, ...] | None, decision: Decision) -> None:
        """Count and remember a decision a worker made (its signature taken before)."""
        self._add(examined=1, **{"refused" if isinstance(decision, Refuse) else "ready": 1})
        recorded = self._recorded(path, sig)
        if self.memo is not None and recorded is not None:
            self.memo.put(path, recorded, decision)

    def __call__(self, path: Path) -> Decision:
        """Return what is published for the figure `path`, once its conversion is done."""
        decided = self._done.get(path)
        if decided is None:
            decided = self._done[path] = self._decide(path)
        if isinstance(decided, Future):
            decided = self._done[path] = decided.result()
        return decided

    def wait(self) -> PublishStats:
        """Wait for every decision and conversion started so far; return the statistics."""
        for path, decided in list(self._done.items()):
            if isinstance(decided, Future):
                self(path)
        for thread in self._collectors:
            thread.join()
        self._collectors = []
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        if self.memo is not None:
            self.memo.save()
        return self.stats

    def close(self) -> None:
        """Stop converting (a failed build): decisions not started are dropped."""
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(cancel_futures=True)

    # -- one figure ------------------------------------------------------------------------

    def _kept(self, path: Path) -> Decision | None:
        """The last build's decision for the figure, if its file is unchanged since."""
        memo = self.memo
        sig = self._signature(path) if memo is not None else None
        return memo.get(path, sig) if memo is not None and sig is not None else None

    def _signature(self, path: Path) -> Signature | None:
        """What the figure's decision depends on besides the options: its stat, its record."""
        return self._recorded(path, signature(path))

    def _recorded(self, path: Path, sig: tuple[int, ...] | None) -> Signature | None:
        """A figure's stat signature with the import's record of it (None: no signature)."""
        return None if sig is None else (*sig, self.prepared.get(path))

    def _decide(self, path: Path) -> Decision:
        """The last build's decision if the file is unchanged since, else a new one."""
        kept = self._kept(path)
        return kept if kept is not None else self._fresh(path)

    def _fresh(self, path: Path) -> Decision:
        """Decide (and convert) from the file itself, and remember the decision."""
        memo = self.memo
        sig = self._signature(path) if memo is not None else None
        decision = self._svg(path) if path.suffix.lower() == ".svg" else self._raster(path)
        if isinstance(decision, Refuse):
            self._add(refused=1)
        if memo is not None and sig is not None:
            memo.put(path, sig, decision)
        return decision

    def _add(self, **counts: int) -> None:
        with self._lock:
            for name, n in counts.items():
                setattr(self.stats, name, getattr(self.stats, name) + n)

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
        try:
            rebuilt = target.read_bytes()
        except OSError:

            def check(raster: bytes) -> str | None:
                refusal = raster_refusal(raster, max_pixels)
                return refusal if isinstance(refusal, str) else None

            try:
                rebuilt = svg.rebuild_svg(data, check)
            except svg.SvgRefused as e:
                return Refuse(str(e))
            _write_atomic(target, rebuilt)
        self._add(svg_rebuilt=1)
        return Publish(target, ".svg", digest_of(rebuilt))

    def _raster(self, path: Path) -> Decision:
        found = examine(path, self.options, self.prepared.get(path))
        if isinstance(found, Refuse):
            return found
        if isinstance(found, Publish):
            self._add(ready=1)
            return found
        header, data = found
        opts = self.options
        target = self._target(opts.encoding.key(), data, ".webp")
        try:
            encoded = target.read_bytes()
        except OSError:
            pass
        else:
            return self._converted(path, header, data, target, encoded, cached=True)
        with self._lock:  # identical figures are converted once, by the first thread
            running = self._converting.get(target)
            if running is None:
                running = self._converting[target] = Future()
                running.set_running_or_notify_cancel()
                mine = True
            else:
                mine = False
        if not mine:
            return running.result()
        try:
            decision = self._convert(path, header, data, target)
        except BaseException as e:
            running.set_exception(e)
            raise
        running.set_result(decision)
        return decision

    def _convert(self, path: Path, header: RasterHeader, data: bytes, target: Path) -> Decision:
        opts = self.options
        try:
            encoded = encode(
                data, opts.encoding, max_pixels=opts.max_pixels, budget=self.budget
            ).data
        except Exception as e:  # damaged past its header: not published
            self._count(len(data), 0, cached=False, failed=True)
            return Refuse(f"its image data cannot be decoded ({e})")
        _write_atomic(target, encoded)
        return self._converted(path, header, data, target, encoded, cached=False)

    def _converted(
        self,
        path: Path,
        header: RasterHeader,
        data: bytes,
        target: Path,
        encoded: bytes,
        *,
        cached: bool,
    ) -> Publish:
        """Publish the converted file, or the figure itself when that is no larger."""
        if self.options.encoding.keeps(header.width, header.height, len(data), len(encoded)):
            self._count(len(data), len(data), cached=cached)
            return Publish(path, SUFFIXES[header.format], digest_of(data))
        self._count(len(data), len(encoded), cached=cached)
        return Publish(target, ".webp", digest_of(encoded))

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
