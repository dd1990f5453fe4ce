"""What is published for each figure: large ones as smaller WebP copies, SVG rebuilt; the
reports keep their files."""

from __future__ import annotations

import os
import re
from pathlib import Path

from PIL import Image

from report_archive.figures import Publish
from report_archive.publish import FigurePublisher, PublishOptions
from tests.site_check import broken_links, build_site, copy_reports, site_config


def noisy_png(path: Path, size: tuple[int, int] = (2400, 1200)) -> Path:
    """A PNG that compresses badly (a photo-like screenshot), several hundred KB."""
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return path


def test_large_figure_becomes_a_smaller_webp(tmp_path: Path) -> None:
    figure = noisy_png(tmp_path / "big.png")
    shrinker = FigurePublisher(tmp_path / "cache", PublishOptions(max_side=800))
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


def test_small_unreadable_animated_and_other_figures_are_kept(tmp_path: Path) -> None:
    shrinker = FigurePublisher(tmp_path / "cache")
    small = tmp_path / "small.png"
    Image.new("RGB", (50, 50), "red").save(small)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG" + os.urandom(300_000))
    gif = tmp_path / "anim.gif"
    gif.write_bytes(os.urandom(300_000))
    animated = tmp_path / "anim.png"
    frames = [Image.frombytes("RGB", (400, 400), os.urandom(480_000)) for _ in range(2)]
    frames[0].save(animated, save_all=True, append_images=frames[1:])
    assert animated.stat().st_size > 200_000
    for figure in (small, broken, gif, animated):
        assert shrinker(figure) == Publish(figure), figure
    assert shrinker.wait().converted == 0


def test_figure_damaged_past_its_header_is_published_as_it_is(tmp_path: Path) -> None:
    figure = noisy_png(tmp_path / "big.png")
    data = figure.read_bytes()
    figure.write_bytes(data[: len(data) // 2])  # the header reads, the pixels do not
    shrinker = FigurePublisher(tmp_path / "cache")
    decision = shrinker(figure)
    assert isinstance(decision, Publish)
    out = decision.file
    stats = shrinker.wait()
    assert stats.failed == 1
    assert out.read_bytes() == figure.read_bytes()


def test_site_publishes_the_webp_and_links_it(tmp_path: Path) -> None:
    reports = copy_reports(tmp_path / "reports", ["2024-january/group-100"])
    folder = reports / "2024-january/group-100"
    noisy_png(folder / "figures/bucket.png")
    original = (folder / "figures/bucket.png").read_bytes()
    result = build_site(tmp_path, site_config(reports))
    assert result.warnings() == []
    site_folder = result.site / "2024-january/group-100/figures"
    assert (site_folder / "bucket.webp").is_file()
    assert not (site_folder / "bucket.png").exists()
    assert (folder / "figures/bucket.png").read_bytes() == original
    page = result.article("2024-january/group-100/")
    assert re.search(r'href="[^"]*/figures/bucket\.webp"', page)  # a link in this report
    assert broken_links(result.site) == []
    assert any(p.suffix == ".webp" for p in (tmp_path / ".cache/report-archive").rglob("*"))


def test_shrinking_can_be_turned_off(tmp_path: Path) -> None:
    reports = copy_reports(tmp_path / "reports", ["2024-january/group-100"])
    noisy_png(reports / "2024-january/group-100/figures/bucket.png")
    result = build_site(tmp_path, site_config(reports, {"figures": {"shrink": False}}))
    assert (result.site / "2024-january/group-100/figures/bucket.png").is_file()
    assert not (tmp_path / ".cache").exists()
