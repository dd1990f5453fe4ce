"""What is published for each figure: large ones as smaller WebP copies, SVG rebuilt, none
with too many pixels; the reports keep their files."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import struct
import subprocess
import sys
import threading
import time
import zlib
from concurrent.futures import CancelledError, Future
from pathlib import Path

import pytest
from PIL import Image

from report_archive.images.encode import Encoding
from report_archive.images.raster import MAX_PIXELS, PILLOW_MAX_PIXELS, PixelBudget
from report_archive.reports.store import remember
from report_archive.site.decisions import DecisionMemo
from report_archive.site.figures import Publish, Refuse
from report_archive.site.publish import FigurePublisher, PublishOptions
from tests.site_check import (
    FIGURES_GROUP,
    broken_links,
    build_site,
    copy_reports,
    report_with_figures,
    site_config,
    visible_text,
)


def noisy_png(path: Path, size: tuple[int, int] = (2400, 1200)) -> Path:
    """A PNG that compresses badly (a photo-like screenshot), several hundred KB."""
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return path


def small_huge_png(path: Path, side: int = 13_000) -> Path:
    """A 1-bit PNG made by Pillow, saved with optimize: about 20 KB on disk, side² pixels."""
    Image.new("1", (side, side)).save(path, optimize=True)
    return path


def bomb_png(path: Path, side: int) -> Path:
    """A valid 1-bit PNG of `side` × `side` black pixels, written row by row (Pillow would
    need the whole image in memory): a few hundred KB that decode to side² bytes."""
    packer = zlib.compressobj(9)
    row = b"\0" * (1 + (side + 7) // 8)  # the filter byte, then the row's bits
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data)
    path.write_bytes(png + chunk(b"IEND", b""))
    return path


def test_large_figure_becomes_a_smaller_webp(tmp_path: Path) -> None:
    figure = noisy_png(tmp_path / "big.png")
    shrinker = FigurePublisher(tmp_path / "cache", PublishOptions(encoding=Encoding(max_side=800)))
    decision = shrinker(figure)
    assert isinstance(decision, Publish) and decision.suffix == ".webp"
    out = decision.file
    assert out.suffix == ".webp"
    assert shrinker.wait() is shrinker.stats
    assert out.stat().st_size < figure.stat().st_size * 0.8
    with Image.open(out) as image:
        assert image.format == "WEBP" and max(image.size) == 800
        assert image.size == (800, 400)
    assert shrinker.stats.converted == 1 and shrinker.stats.cached == 0


def test_conversions_are_cached_by_content(tmp_path: Path) -> None:
    figure = noisy_png(tmp_path / "a/big.png")
    copy = tmp_path / "b/same.png"
    copy.parent.mkdir()
    copy.write_bytes(figure.read_bytes())
    first = FigurePublisher(tmp_path / "cache", jobs=2)
    first.start([figure, copy])
    first.wait()
    assert first.stats.converted == 1  # the same content is converted once
    second = FigurePublisher(tmp_path / "cache")
    assert second(copy) == first(figure)
    assert second.stats.cached == 1 and second.stats.converted == 0


def test_small_animated_and_other_figures_are_kept(tmp_path: Path) -> None:
    shrinker = FigurePublisher(tmp_path / "cache")
    small = tmp_path / "small.png"
    Image.new("RGB", (50, 50), "red").save(small)
    frames = [Image.frombytes("RGB", (400, 400), os.urandom(480_000)) for _ in range(2)]
    gif = tmp_path / "anim.gif"
    frames[0].save(gif, save_all=True, append_images=frames[1:])
    animated = tmp_path / "anim.png"
    frames[0].save(animated, save_all=True, append_images=frames[1:])
    assert animated.stat().st_size > 200_000 and gif.stat().st_size > 200_000
    for figure in (small, gif, animated):
        decision = shrinker(figure)
        assert isinstance(decision, Publish) and decision.file == figure, figure
        assert decision.suffix == figure.suffix
        assert decision.digest == hashlib.sha256(figure.read_bytes()).hexdigest()
    assert shrinker.wait().converted == 0


def test_unreadable_figures_are_not_published(tmp_path: Path) -> None:
    shrinker = FigurePublisher(tmp_path / "cache", PublishOptions(shrink=False))
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG" + os.urandom(3_000))
    noise = tmp_path / "noise.gif"
    noise.write_bytes(os.urandom(3_000))
    tiff = tmp_path / "scan.png"  # an image, but not one browsers show
    Image.new("RGB", (20, 20)).save(tiff, "TIFF")
    assert shrinker(broken) == Refuse("its image header cannot be read")
    assert shrinker(noise) == Refuse("its image header cannot be read")
    refused = shrinker(tiff)
    assert isinstance(refused, Refuse)
    assert refused.reason.startswith("it is not an image browsers show (PNG, JPEG, GIF, ")
    assert refused.reason.endswith("): Pillow reads it as TIFF")
    assert shrinker.wait().refused == 3


def test_figure_damaged_past_its_header_is_not_published(tmp_path: Path) -> None:
    figure = noisy_png(tmp_path / "big.png")
    data = figure.read_bytes()
    figure.write_bytes(data[: len(data) // 2])  # the header reads, the pixels do not
    shrinker = FigurePublisher(tmp_path / "cache")
    shrinker.start([figure])
    decision = shrinker(figure)
    assert isinstance(decision, Refuse)
    assert decision.reason.startswith("its image data cannot be decoded (image file is truncated")
    stats = shrinker.wait()
    assert stats.failed == 1 and stats.refused == 1
    assert not list((tmp_path / "cache").rglob("*.webp"))  # not even its own bytes


@pytest.mark.parametrize("shrink", [True, False])
def test_figures_with_too_many_pixels_are_not_published(tmp_path: Path, shrink: bool) -> None:
    """Checked from the header for every raster figure, small files too, shrunk or not."""
    huge = small_huge_png(tmp_path / "huge.png")
    bomb = bomb_png(tmp_path / "bomb.png", 30_000)
    assert huge.stat().st_size < 50_000 and bomb.stat().st_size < 500_000
    with pytest.raises(Image.DecompressionBombError):
        Image.open(bomb)
    publisher = FigurePublisher(tmp_path / "cache", PublishOptions(shrink=shrink))
    assert publisher(huge) == Refuse(
        "it is 13000 × 13000 pixels (169,000,000), over the limit of 40,000,000 "
        "(figures.max_pixels)"
    )
    assert publisher(bomb) == Refuse(
        "it has 900,000,000 pixels, over the limit of 40,000,000 (figures.max_pixels)"
    )
    lower = FigurePublisher(tmp_path / "cache", PublishOptions(shrink=shrink, max_pixels=10**7))
    over, at = tmp_path / "over.png", tmp_path / "at.png"
    Image.new("1", (5_000, 2_001)).save(over, optimize=True)
    Image.new("1", (5_000, 2_000)).save(at, optimize=True)
    assert isinstance(lower(over), Refuse)
    published = lower(at)
    assert isinstance(published, Publish) and published.file == at
    assert MAX_PIXELS == 40_000_000 and PILLOW_MAX_PIXELS == Image.MAX_IMAGE_PIXELS


def test_rasters_embedded_in_svg_figures_are_checked_too(tmp_path: Path) -> None:
    out = io.BytesIO()
    Image.new("1", (13_000, 13_000)).save(out, "PNG", optimize=True)
    huge = base64.b64encode(out.getvalue()).decode()
    figure = tmp_path / "diagram.svg"
    figure.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/>'
        f'<image href="data:image/png;base64,{huge}" width="9" height="9"/></svg>'
    )
    decision = FigurePublisher(tmp_path / "cache")(figure)
    assert isinstance(decision, Publish)
    assert b"<image" not in decision.file.read_bytes()


def test_jpeg_is_decoded_at_the_reduced_size_and_kept_upright(tmp_path: Path) -> None:
    """A JPEG bound for 800 pixels is decoded at 1/8 of its size (`Image.draft`), and its
    EXIF orientation is applied."""
    figure = tmp_path / "photo.jpg"
    photo = Image.frombytes("RGB", (6400, 4000), os.urandom(6400 * 4000 * 3))
    exif = Image.Exif()
    exif[0x0112] = 6  # taken rotated: shown turned 90° clockwise
    photo.save(figure, quality=90, exif=exif.tobytes())
    options = PublishOptions(encoding=Encoding(max_side=800))
    publisher = FigurePublisher(tmp_path / "cache", options)
    decision = publisher(figure)
    assert isinstance(decision, Publish) and decision.suffix == ".webp"
    assert publisher.budget.peak == 800 * 500  # not 6400 × 4000
    with Image.open(decision.file) as image:
        assert image.size == (500, 800)


def test_pixel_budget_bounds_what_is_decoded_at_once() -> None:
    budget = PixelBudget(100)
    inside: list[int] = []

    def decode(pixels: int) -> None:
        with budget.hold(pixels):
            inside.append(budget.used)
            time.sleep(0.02)

    threads = [threading.Thread(target=decode, args=(n,)) for n in (60, 60, 30, 500)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(inside) == 4 and max(inside) <= 100
    assert budget.used == 0 and budget.peak <= 100


_MEASURE = """
import resource, sys
from pathlib import Path
from PIL import Image
from report_archive.site.publish import FigurePublisher, PublishOptions
cache, *names = sys.argv[1:]
paths = [Path(name) for name in names]
publisher = FigurePublisher(Path(cache), PublishOptions(min_bytes=0), jobs=2)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
publisher.start(paths)
decisions = [publisher(path) for path in paths]
stats = publisher.wait()
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(before, after, stats.converted, stats.failed, publisher.budget.peak)
"""


def test_converting_two_large_figures_stays_under_a_memory_bound(tmp_path: Path) -> None:
    """Two 6000 × 6000 palette PNGs converted on two threads, in a fresh process: the pixel
    budget (40 million) lets one decode at a time, so the process grows by about one decoded
    figure (its palette and RGB copies, 5 bytes a pixel: 180 MB), not two."""
    paths = []
    for n in (1, 2):
        image = Image.new("P", (6000, 6000), n)
        image.putpalette([0, 0, 0, 200, 10, 10, 10, 200, 10] * 85)
        paths.append(tmp_path / f"big{n}.png")
        image.save(paths[-1], optimize=True)
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(tmp_path / "cache"), *map(str, paths)],
        capture_output=True,
        text=True,
        check=True,
    )
    before, after, converted, failed, peak = map(int, done.stdout.split())
    assert (converted, failed, peak) == (2, 0, 36_000_000)
    one_figure = 6000 * 6000 * 5
    assert (after - before) * 1024 < 1.5 * one_figure, (before, after)  # ru_maxrss is in KB


def test_site_publishes_the_webp_under_its_content_name_and_links_it(tmp_path: Path) -> None:
    reports = copy_reports(tmp_path / "reports", ["2024-january/group-100"])
    folder = reports / "2024-january/group-100"
    noisy_png(folder / "figures/bucket.png")
    original = (folder / "figures/bucket.png").read_bytes()
    result = build_site(tmp_path, site_config(reports))
    assert result.warnings() == []
    page = result.article("2024-january/group-100/")
    webps = (result.site / "figures").glob("*.webp")
    (bucket,) = [p for p in webps if _size(p)[0] == 2 * _size(p)[1]]  # the noise, 2:1
    assert bucket.name == hashlib.sha256(bucket.read_bytes()).hexdigest()[:20] + ".webp"
    assert not (result.site / "2024-january/group-100/figures").exists()
    assert (folder / "figures/bucket.png").read_bytes() == original
    assert re.search(rf'href="\.\./\.\./figures/{bucket.name}"', page)  # the lightbox link
    assert broken_links(result.site) == []
    assert any(p.suffix == ".webp" for p in (tmp_path / ".cache/report-archive").rglob("*"))


def _size(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        return image.size


def test_site_publishes_figures_beside_the_page_without_dedupe(tmp_path: Path) -> None:
    reports = copy_reports(tmp_path / "reports", ["2024-january/group-100"])
    folder = reports / "2024-january/group-100"
    noisy_png(folder / "figures/bucket.png")
    result = build_site(tmp_path, site_config(reports, {"figures": {"dedupe": False}}))
    assert result.warnings() == []
    site_folder = result.site / "2024-january/group-100/figures"
    assert (site_folder / "bucket.webp").is_file()
    assert not (site_folder / "bucket.png").exists()
    assert not (result.site / "figures").exists()
    page = result.article("2024-january/group-100/")
    assert re.search(r'href="[^"]*/figures/bucket\.webp"', page)
    assert broken_links(result.site) == []


def test_shrinking_can_be_turned_off(tmp_path: Path) -> None:
    reports = copy_reports(tmp_path / "reports", ["2024-january/group-100"])
    figure = noisy_png(reports / "2024-january/group-100/figures/bucket.png")
    result = build_site(tmp_path, site_config(reports, {"figures": {"shrink": False}}))
    digest = hashlib.sha256(figure.read_bytes()).hexdigest()[:20]
    assert (result.site / "figures" / f"{digest}.png").read_bytes() == figure.read_bytes()
    # nothing shrunk: the cache holds no figure, only what the option `cache` keeps
    kept = sorted(p.name for p in (tmp_path / ".cache/report-archive").iterdir())
    assert kept == ["decisions.pickle", "groups", "layouts", "pages", "reports"]


def test_site_does_not_publish_figures_with_too_many_pixels(tmp_path: Path) -> None:
    bomb = bomb_png(tmp_path / "bomb.png", 30_000)
    huge = small_huge_png(tmp_path / "huge.png")
    folder = report_with_figures(tmp_path / "reports", {"bomb.png": bomb, "huge.png": huge})
    plugin = {"search": {"engine": "none"}}
    result = build_site(tmp_path, site_config(tmp_path / "reports", plugin))
    assert result.warnings() == []
    published = result.site / FIGURES_GROUP / "figures"
    assert not (published / "bomb.png").exists() and not (published / "bomb.webp").exists()
    assert not (published / "huge.png").exists() and not (published / "huge.webp").exists()
    page = visible_text(result.article(FIGURES_GROUP + "/"))
    assert "Figure not shown (it has 900,000,000 pixels, over the limit of 40,000,000" in page
    problems = visible_text(result.article("problems/"))
    readme = (folder / "README.md").read_text(encoding="utf-8").splitlines()
    line = readme.index("![figure bomb.png](figures/bomb.png)") + 1
    assert (
        "The figure 'figures/bomb.png' is not published: it has 900,000,000 pixels, over the "
        "limit of 40,000,000 (figures.max_pixels)."
    ) in problems
    assert f"reports/{FIGURES_GROUP}/README.md:{line}" in problems
    assert (
        "The figure 'figures/huge.png' is not published: it is 13000 × 13000 pixels "
        "(169,000,000), over the limit of 40,000,000 (figures.max_pixels)."
    ) in problems
    assert broken_links(result.site) == []


def test_decisions_are_kept_for_unchanged_figures_only(tmp_path: Path) -> None:
    """The last build's decision is used for a figure whose stat is unchanged; a figure
    rewritten in place, even with its size and modification time put back, is decided
    again (its change time moved), and so is one whose converted file left the cache."""
    big = noisy_png(tmp_path / "in" / "big.png", (600, 400))
    small = tmp_path / "in" / "small.png"
    Image.new("RGB", (8, 8), "red").save(small)
    cache = tmp_path / "cache"

    def publish() -> tuple[FigurePublisher, DecisionMemo]:
        memo = DecisionMemo(cache / "decisions.pickle", "options")
        publisher = FigurePublisher(cache, PublishOptions(min_bytes=1_000), memo=memo)
        publisher.start([big, small])
        publisher.wait()
        return publisher, memo

    first, memo = publish()
    assert memo.hits == 0
    decisions = {p: first(p) for p in (big, small)}
    assert isinstance(decisions[big], Publish) and decisions[big].file != big  # converted
    second, memo = publish()
    assert memo.hits == 2 and {p: second(p) for p in (big, small)} == decisions

    stat = small.stat()
    Image.new("RGB", (8, 8), (254, 0, 0)).save(small)  # same size, other bytes
    assert small.stat().st_size == stat.st_size
    os.utime(small, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    time.sleep(0.01)
    decisions[big].file.unlink()  # the converted file left the cache
    third, memo = publish()
    assert memo.hits == 0
    assert third(small) != decisions[small]  # the new bytes' digest
    assert third(big) == decisions[big]  # converted again, to the same file


def test_decisions_stay_in_memory_while_serving(tmp_path: Path) -> None:
    """With the stores' memory on (``mkdocs serve``), the next build takes the last
    build's decisions from memory: here after the decisions file was removed."""
    small = tmp_path / "in" / "small.png"
    small.parent.mkdir()
    Image.new("RGB", (8, 8), "red").save(small)
    cache = tmp_path / "cache"

    def publish() -> DecisionMemo:
        memo = DecisionMemo(cache / "decisions.pickle", "options")
        publisher = FigurePublisher(cache, PublishOptions(min_bytes=1_000), memo=memo)
        publisher.start([small])
        publisher.wait()
        return memo

    remember(True)
    try:
        publish()
        (cache / "decisions.pickle").unlink()
        assert publish().hits == 1
    finally:
        remember(False)
    (cache / "decisions.pickle").unlink()
    assert publish().hits == 0  # memory off: the file is gone, so decided again


def test_figures_the_import_decided_are_published_as_they_are(tmp_path: Path) -> None:
    """A figure recorded by the import (its digest in ``prepared_figures``) is published as
    it is, even over the byte budget; once its bytes differ from the record, it is decided
    and converted as any other."""
    figure = noisy_png(tmp_path / "in" / "noise.png", (1200, 800))
    digest = hashlib.sha256(figure.read_bytes()).hexdigest()
    recorded = FigurePublisher(tmp_path / "cache", prepared={figure: digest})
    assert recorded(figure) == Publish(figure, ".png", digest)
    assert recorded.wait().converted == 0 and recorded.stats.ready == 1
    assert not list((tmp_path / "cache").rglob("*.webp"))

    other = FigurePublisher(tmp_path / "cache", prepared={figure: "0" * 64})
    decision = other(figure)
    assert isinstance(decision, Publish) and decision.suffix == ".webp"
    assert other.wait().converted == 1


def test_a_figure_decided_again_when_its_record_changes(tmp_path: Path) -> None:
    """The last build's decision depends on the import's record too: a figure unchanged on
    disk whose record was added or removed is decided again."""
    figure = noisy_png(tmp_path / "in" / "noise.png", (1200, 800))
    digest = hashlib.sha256(figure.read_bytes()).hexdigest()
    cache = tmp_path / "cache"

    def publish(prepared: dict[Path, str]) -> tuple[Publish | Refuse, int]:
        memo = DecisionMemo(cache / "decisions.pickle", "options")
        publisher = FigurePublisher(cache, memo=memo, prepared=prepared)
        publisher.start([figure])
        publisher.wait()
        return publisher(figure), memo.hits

    converted, hits = publish({})
    assert isinstance(converted, Publish) and converted.suffix == ".webp" and hits == 0
    assert publish({}) == (converted, 1)
    assert publish({figure: digest}) == (Publish(figure, ".png", digest), 0)
    assert publish({figure: digest}) == (Publish(figure, ".png", digest), 1)
    assert publish({}) == (converted, 0)


def _figures_of_every_kind(folder: Path) -> tuple[list[Path], dict[Path, str]]:
    """Figures that are published as they are, converted, refused, rebuilt (SVG), and
    recorded by the import; with the import's record."""
    folder.mkdir(parents=True)
    small = folder / "small.png"
    Image.new("RGB", (50, 50), "red").save(small)
    big = noisy_png(folder / "big.png", (1200, 800))
    copy = folder / "copy.png"  # the same content: converted once
    copy.write_bytes(big.read_bytes())
    recorded = noisy_png(folder / "recorded.png", (900, 700))
    broken = folder / "broken.png"
    broken.write_bytes(b"\x89PNG" + os.urandom(3_000))
    huge = small_huge_png(folder / "huge.png")
    drawing = folder / "drawing.svg"
    drawing.write_text('<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>')
    prepared = {recorded: hashlib.sha256(recorded.read_bytes()).hexdigest()}
    # more figures than `AUTO_MIN_ITEMS`, so that real worker processes examine them
    many = [folder / f"many-{n}.png" for n in range(60)]
    for n, path in enumerate(many):
        Image.new("RGB", (20 + n, 20), "blue").save(path)
    return [small, big, copy, recorded, broken, huge, drawing, *many], prepared


def test_few_figures_are_examined_in_the_threads(tmp_path: Path) -> None:
    """Below `AUTO_MIN_ITEMS` figures (or with ``jobs: 1``) no process is worth starting:
    the threads decide, several at a time, as without processes."""
    figures, prepared = _figures_of_every_kind(tmp_path / "in")
    few = figures[:7]  # six raster figures and an SVG
    every = len(figures) - 3  # all but the SVG and the two to convert
    for processes, given, examined in ((0, few, 0), (1, figures, 0), (2, figures, every)):
        publisher = FigurePublisher(tmp_path / "cache", prepared=prepared, processes=processes)
        publisher.start(given)
        assert publisher.wait().examined == examined, (processes, len(given))


def test_figures_examined_in_worker_processes_are_decided_as_in_threads(tmp_path: Path) -> None:
    """With worker processes, every figure gets the decision the threads give, the same
    statistics, and the same decisions remembered for the next build."""
    figures, prepared = _figures_of_every_kind(tmp_path / "in")
    results = {}
    for name, processes in (("threads", None), ("processes", 2)):
        cache = tmp_path / name
        memo = DecisionMemo(cache / "decisions.pickle", "options")
        publisher = FigurePublisher(cache, memo=memo, prepared=prepared, processes=processes)
        publisher.start(figures)
        stats = publisher.wait()
        decisions = [publisher(f) for f in figures]
        again = DecisionMemo(cache / "decisions.pickle", "options")
        remembered = FigurePublisher(cache, memo=again, prepared=prepared)
        remembered.start(figures)
        remembered.wait()
        assert again.hits == len(figures), name  # every decision was remembered
        as_cache = [
            (d.file.relative_to(cache) if d.file.is_relative_to(cache) else d.file, d.suffix)
            if isinstance(d, Publish)
            else d
            for d in decisions
        ]
        results[name] = (as_cache, stats)
    # the workers decided every raster figure but the two to convert; the threads none
    assert results["processes"][1].examined == len(figures) - 3
    assert results["threads"][1].examined == 0
    results["processes"][1].examined = 0
    assert results["processes"] == results["threads"]
    decisions, stats = results["processes"]
    assert stats.converted == 1 and stats.refused == 2 and stats.svg_rebuilt == 1
    assert stats.ready == len(figures) - 5  # all but the two converted, two refused, SVG
    assert decisions[1][1] == decisions[2][1] == ".webp"
    assert decisions[3] == (figures[3], ".png")  # recorded by the import


def test_a_publisher_closed_while_workers_examine_leaves_nothing_waiting(tmp_path: Path) -> None:
    """Closing during the workers' examination resolves every decision (a figure to convert
    fails), and no thread is left behind."""
    figures, prepared = _figures_of_every_kind(tmp_path / "in")
    publisher = FigurePublisher(tmp_path / "cache", prepared=prepared, processes=2)
    publisher.start(figures)
    publisher.close()  # before the workers (started in about a quarter of a second) answer
    big, copy = figures[1:3]
    for figure in figures:
        decided = publisher._done[figure]
        assert isinstance(decided, Future)
        try:
            decided.result(timeout=60)  # never left waiting
        except CancelledError:  # the SVG: a thread's decision not started
            assert figure.suffix == ".svg"
        except RuntimeError as e:  # a figure to convert, found after closing
            assert figure in (big, copy) and "closed" in str(e)
        else:
            assert figure not in (big, copy)
    deadline = time.monotonic() + 30
    while any(t.name == "report-archive-figures" for t in threading.enumerate()):
        assert time.monotonic() < deadline, "the collecting thread is still running"
        time.sleep(0.05)
