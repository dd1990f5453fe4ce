"""The published figures of a build: decided at once, converted on every core meanwhile."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from report_archive.build.archive import log
from report_archive.config import PluginConfig
from report_archive.images.encode import Encoding
from report_archive.reports.archive import Archive
from report_archive.site.decisions import DecisionMemo
from report_archive.site.figures import FileChecks, candidates
from report_archive.site.publish import FigurePublisher, PublishOptions

__all__ = ["encoding", "finish", "prepared", "start"]


def encoding(options: PluginConfig) -> Encoding:
    """How the site's figures are made ready to publish (the ``figures`` options)."""
    opts = options.figures
    return Encoding(max_side=opts.max_side, quality=opts.quality, max_bytes=opts.max_bytes)


def start(
    options: PluginConfig, config: MkDocsConfig, archive: Archive, checks: FileChecks
) -> FigurePublisher | None:
    """Decide which file is published for every figure; convert in the background.

    The conversions (results are cached by content) run on every core; the plan waits for
    each figure's before it renders the pages that show it (a failed conversion is a figure
    not published). None when the site has no group pages (and so no figures). `checks`
    keeps each file's check for the plan.
    """
    if not options.pages.groups:
        return None
    opts = options.figures
    base = Path(config.config_file_path or ".").resolve().parent
    cache_dir = base / opts.cache_dir
    publish = PublishOptions(
        shrink=opts.shrink,
        min_bytes=opts.min_bytes,
        encoding=encoding(options),
        max_pixels=opts.max_pixels,
    )
    memo = (
        DecisionMemo(cache_dir / "decisions.pickle", f"{publish!r} {cache_dir}")
        if options.cache
        else None
    )
    record = prepared(archive, publish, checks)
    publisher = FigurePublisher(
        cache_dir, publish, memo=memo, prepared=record, processes=options.jobs
    )
    publisher.start(
        path
        for entry in archive.groups
        if entry.report is not None
        for path in candidates(entry.folder, entry.report.references, checks)
    )
    return publisher


def prepared(
    archive: Archive, publish: PublishOptions, checks: FileChecks | None = None
) -> dict[Path, str]:
    """The figures ``report-archive import`` made ready with the site's encoding.

    Each resolved path → the digest ``group.yml`` records for it (``prepared_figures``).
    Records made with another encoding are ignored: those figures are decided again.
    """
    key = publish.encoding.key()
    checks = checks or FileChecks()  # resolves each folder once
    found: dict[Path, str] = {}
    for entry in archive.groups:
        record = entry.meta.prepared_figures
        if record is None or record.encoding != key:
            continue
        root = checks.root(entry.folder)
        found.update((root / name, digest) for name, digest in record.files.items())
    return found


def finish(publisher: FigurePublisher | None) -> None:
    """Wait for the last conversions and log what was done."""
    if publisher is None:
        return
    stats = publisher.wait()
    if stats.examined:
        log.debug(f"figures: {stats.examined} decided in the worker processes")
    if stats.bytes_before:
        failed = f", {stats.failed} could not be converted" if stats.failed else ""
        log.info(
            f"figures: {stats.converted + stats.cached - stats.failed} large figures shrunk "
            f"({stats.cached} from the cache{failed}), "
            f"{stats.bytes_before / 1e6:.1f} MB → {stats.bytes_after / 1e6:.1f} MB"
        )
    if stats.svg_rebuilt or stats.refused:
        log.info(
            f"figures: {stats.svg_rebuilt} SVG figures rebuilt, {stats.refused} "
            "figures not published (see the problems page)"
        )
