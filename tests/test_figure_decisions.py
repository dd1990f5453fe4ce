"""How figures are made ready to publish and named, on the sample's real screenshots: the
byte budget, lossless files for figures of few colours, files ready as they are, identical
files published once, and figures linked to the group's repository instead of published."""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path

import pytest
import yaml
from PIL import Image, ImageChops

from report_archive.images.encode import Encoding, encode
from report_archive.images.raster import (
    MAX_PIXELS,
    PixelBudget,
    RasterHeader,
    decode_fitted,
    raster_refusal,
    read_header,
)
from report_archive.images.webp import HEAD_BYTES, webp_size
from report_archive.site.figures import Publish, repository_file_url
from report_archive.site.publish import FigurePublisher, PublishOptions
from tests.site_check import (
    SAMPLE,
    broken_links,
    build_site,
    copy_reports,
    figure_src,
    published_figures,
    site_config,
    visible_text,
)

SCREENSHOT = SAMPLE / "2025-january/group-8/figures/frontend.png"  # 1920 × 968, 630 kB
DIAGRAM = SAMPLE / "2025-january/group-8/figures/cloud_build.png"  # 1416 colours
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def budget() -> PixelBudget:
    return PixelBudget(MAX_PIXELS)


def size_of(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "WEBP"
        return image.size


def test_the_byte_budget_lowers_the_quality() -> None:
    data = SCREENSHOT.read_bytes()
    free = encode(data, Encoding(max_bytes=0), max_pixels=MAX_PIXELS, budget=budget())
    assert (free.quality, size_of(free.data)) == (75, (1600, 807))
    assert len(free.data) > 30_000
    tight = encode(data, Encoding(max_bytes=30_000), max_pixels=MAX_PIXELS, budget=budget())
    assert len(tight.data) <= 30_000 and 50 <= tight.quality < 75
    assert size_of(tight.data) == (1600, 807)  # never smaller: only the quality goes down
    floor = encode(data, Encoding(max_bytes=10_000), max_pixels=MAX_PIXELS, budget=budget())
    assert floor.quality == 50 and len(floor.data) > 10_000  # the budget stops at 50
    assert len(floor.data) < len(tight.data)


def test_figures_of_few_colours_are_published_losslessly() -> None:
    data = DIAGRAM.read_bytes()
    encoded = encode(data, Encoding(), max_pixels=MAX_PIXELS, budget=budget())
    assert encoded.lossless and len(encoded.data) < len(data)
    with Image.open(io.BytesIO(encoded.data)) as out:
        shown = decode_fitted(data, max_side=1600, max_pixels=MAX_PIXELS, budget=budget())
        assert ImageChops.difference(out.convert(shown.mode), shown).getbbox() is None  # exact
    photo = encode(SCREENSHOT.read_bytes(), Encoding(), max_pixels=MAX_PIXELS, budget=budget())
    assert not photo.lossless  # more than 4096 colours: lossy only


def webp(path: Path, source: Path, side: int, quality: int = 80) -> Path:
    with Image.open(source) as image:
        image = image.convert("RGB")
        image.thumbnail((side, side))
        image.save(path, "WEBP", quality=quality)
    return path


def test_ready_figures_are_published_as_they_are(tmp_path: Path) -> None:
    """A WebP within the side and the budget (what import stores) is published as it is,
    under the extension of its format whatever its name says; one that is not is converted."""
    ready = webp(tmp_path / "ready.webp", SCREENSHOT, 1200)
    stored = tmp_path / "stored.png"  # as `report-archive import` stores a PNG figure
    shutil.copy(ready, stored)
    too_wide = webp(tmp_path / "wide.webp", SCREENSHOT, 1920, quality=100)
    publisher = FigurePublisher(tmp_path / "cache")
    digest = hashlib.sha256(ready.read_bytes()).hexdigest()
    assert publisher(ready) == Publish(ready, ".webp", digest)
    assert publisher(stored) == Publish(stored, ".webp", digest)
    converted = publisher(too_wide)
    assert isinstance(converted, Publish) and converted.file.parent.parent == tmp_path / "cache"
    assert max(size_of(converted.file.read_bytes())) == 1600
    stats = publisher.wait()
    assert (stats.ready, stats.converted) == (2, 1)


def test_a_figure_whose_webp_is_no_smaller_is_published_as_committed(tmp_path: Path) -> None:
    figure = tmp_path / "gradient.png"  # PNG's filters make it 3 kB; WebP cannot
    pixels = bytes(
        v for y in range(700) for x in range(1000) for v in (x % 256, y % 256, x + y & 255)
    )
    Image.frombytes("RGB", (1000, 700), pixels).save(figure, optimize=True)
    publisher = FigurePublisher(tmp_path / "cache", PublishOptions(min_bytes=0))
    publisher.start([figure])
    decision = publisher(figure)
    assert isinstance(decision, Publish) and decision.file == figure
    assert decision.suffix == ".png" and publisher.wait().converted == 1


def two_groups_with_one_figure(tmp_path: Path) -> Path:
    """Two sample groups whose reports show the same screenshot (the file copied)."""
    reports = copy_reports(tmp_path / "reports", ["2025-january/group-8", "2024-january/group-100"])
    shutil.copy(SCREENSHOT, reports / "2024-january/group-100/figures/architecture.png")
    return reports


def test_identical_figures_are_published_once(tmp_path: Path) -> None:
    reports = two_groups_with_one_figure(tmp_path)
    plugin = {"search": {"engine": "none"}}
    built = build_site(tmp_path / "a", site_config(reports, plugin), strict=True)
    eight = figure_src(built.article("2025-january/group-8/"), "This is our frontend interface.")
    hundred = built.article("2024-january/group-100/")
    assert f'href="{eight}"' in hundred  # the same file, from both pages (a link there)
    files = published_figures(built.site)
    assert all(f.startswith("figures/") for f in files)
    assert len(files) == len({(built.site / f).read_bytes() for f in files})  # no twice
    beside = build_site(
        tmp_path / "b", site_config(reports, {**plugin, "figures": {"dedupe": False}})
    )
    assert len(published_figures(beside.site)) == len(files) + 1
    assert broken_links(built.site) == [] and broken_links(beside.site) == []


def group_yml(folder: Path, repository: str) -> None:
    (folder / "group.yml").write_text(yaml.safe_dump({"repository": repository, "commit": COMMIT}))


def test_link_mode_links_figures_to_the_repository(tmp_path: Path) -> None:
    reports = copy_reports(
        tmp_path / "reports",
        ["2025-january/group-8", "2024-january/group-100", "2023-january/group-26"],
    )
    group_yml(reports / "2025-january/group-8", "https://github.com/example/project")
    group_yml(reports / "2024-january/group-100", "https://github.com/s123456/project")
    (reports / "2023-january/group-26/group.yml").unlink()
    plugin = {"figures": {"mode": "link"}, "search": {"engine": "none"}}
    built = build_site(tmp_path, site_config(reports, plugin), strict=True)
    page = built.article("2025-january/group-8/")
    url = f"https://github.com/example/project/blob/{COMMIT}/reports/figures/frontend.png"
    assert f'<a class="ra-figure-link" href="{url}" rel="nofollow noopener noreferrer">' in page
    assert "Figure in the group's repository: This is our frontend interface." in (
        visible_text(page)
    )
    assert 'class="ra-figure-img"' not in page  # none of its figures is on the site
    # a repository under a student's account is not linked, nor is one unknown: published
    for group in ("2024-january/group-100", "2023-january/group-26"):
        other = built.article(group + "/")
        assert "ra-figure-link" not in other and 'href="../../figures/' in other
    published = {(built.site / f).read_bytes() for f in published_figures(built.site)}
    assert SCREENSHOT.read_bytes() not in published
    assert broken_links(built.site) == []


@pytest.mark.parametrize(
    ("repository", "commit", "expected"),
    [
        (
            "https://github.com/o/r",
            COMMIT,
            f"https://github.com/o/r/blob/{COMMIT}/reports/x%20y.png",
        ),
        (
            "https://github.com/o/r.git",
            COMMIT,
            f"https://github.com/o/r/blob/{COMMIT}/reports/x%20y.png",
        ),
        ("https://gitlab.com/o/r", COMMIT, None),
        ("https://github.com/o/r", "main", None),
        ("https://github.com/o/r/../../x", COMMIT, None),
        (None, COMMIT, None),
    ],
)
def test_repository_file_urls(repository: str | None, commit: str, expected: str | None) -> None:
    assert repository_file_url(repository, commit, "x y.png") == expected


@pytest.mark.parametrize(
    ("size", "options"),
    [
        ((1600, 807), {"quality": 75}),  # lossy: VP8
        ((333, 17), {"lossless": True}),  # lossless: VP8L
        ((1001, 999), {"quality": 50, "exif": b"Exif\0\0MM\0*\0\0\0\x08\0\0"}),  # VP8X
    ],
)
def test_webp_headers_are_read_without_decoding(
    tmp_path: Path, size: tuple[int, int], options: dict[str, object]
) -> None:
    with Image.open(SCREENSHOT) as image:
        image.convert("RGB").resize(size).save(tmp_path / "f.webp", "WEBP", **options)
    data = (tmp_path / "f.webp").read_bytes()
    assert webp_size(data[:HEAD_BYTES]) == (*size, False)
    header = read_header(tmp_path / "f.webp")
    assert (header.format, header.width, header.height, header.animated) == ("WEBP", *size, False)
    with Image.open(tmp_path / "f.webp") as image:  # as Pillow reads it
        assert image.size == size


def test_animated_and_huge_webp_headers(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (64, 48), colour) for colour in ("red", "blue")]
    frames[0].save(tmp_path / "anim.webp", save_all=True, append_images=frames[1:])
    assert read_header(tmp_path / "anim.webp") == RasterHeader("WEBP", 64, 48, True)
    # a canvas of 16000 × 16000 declared in the header: refused before anything is decoded
    data = bytearray((tmp_path / "anim.webp").read_bytes())
    data[24:30] = (15999).to_bytes(3, "little") * 2
    (tmp_path / "huge.webp").write_bytes(bytes(data))
    assert raster_refusal(tmp_path / "huge.webp", MAX_PIXELS) == (
        "it is 16000 × 16000 pixels (256,000,000), over the limit of 40,000,000 "
        "(figures.max_pixels)"
    )
    assert webp_size(b"RIFF\0\0\0\0WEBPVP8 " + bytes(14)) is None  # no start code: Pillow's
