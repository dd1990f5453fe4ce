"""`report-archive import` stores large raster figures ready to publish; the build then
publishes them as they are. Real git repositories and real screenshots, in tmp_path."""

from __future__ import annotations

import hashlib
import io
import random
from pathlib import Path

from PIL import Image

from report_archive.images.encode import Encoding
from report_archive.reports.meta import read_group_meta
from report_archive.staff.importer import GroupStatus
from tests.site_check import SAMPLE, broken_links, build_site, site_config
from tests.test_import import SEMESTER, commit, git_env, make_repo, run_import, write_roster

__all__ = ["git_env"]  # the autouse fixture that keeps the user's git config out

FIGURES = SAMPLE / "2025-january/group-8/figures"
SCREENSHOT = FIGURES / "frontend.png"  # 630 kB, 2880 × 1504
SMALL = SAMPLE / "2023-january/group-26/figures/GCP-Registry.png"  # 18.5 kB

README = """# Exam template for 02476 Machine Learning Operations

### Question 1
> **Enter the group number you signed up on <learn.inside.dtu.dk>**
>
> Answer:

7

### Question 2
> **Enter the study number for each member in the group**
>
> Answer:

s700001

### Question 3
> **A requirement to the project is that you include a third-party package not covered in the
> course. What framework did you choose to work with and did it help you complete the
> project?**
>
> Answer:

Our frontend ![frontend](figures/frontend.png), a photo ![photo](figures/photo.jpg),
a small one ![registry](figures/registry.png), a diagram ![diagram](figures/diagram.svg),
an animation ![anim](figures/anim.gif) and a damaged file ![broken](figures/broken.png).
"""


def jpeg() -> bytes:
    """The screenshot as a camera would save it: a large JPEG."""
    out = io.BytesIO()
    with Image.open(SCREENSHOT) as image:
        image.convert("RGB").save(out, "JPEG", quality=95)
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    with Image.open(SCREENSHOT) as image:
        frames = [image.convert("P").resize((400, 210)), image.convert("P").resize((400, 209))]
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    return out.getvalue()


SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><rect width="5"/></svg>'


def noise_png(size: tuple[int, int] = (1200, 800)) -> bytes:
    """Random pixels: still over the byte budget as WebP at the lowest quality."""
    out = io.BytesIO()
    Image.frombytes("RGB", size, random.Random(7).randbytes(size[0] * size[1] * 3)).save(out, "PNG")
    return out.getvalue()


def poor_jpeg() -> bytes:
    """A small JPEG of random pixels at low quality (25 kB): its WebP is larger."""
    out = io.BytesIO()
    Image.frombytes("RGB", (400, 300), random.Random(7).randbytes(400 * 300 * 3)).save(
        out, "JPEG", quality=20
    )
    return out.getvalue()


def world(tmp_path: Path, extra: dict[str, bytes] | None = None) -> tuple[Path, dict[str, bytes]]:
    committed = {
        "figures/frontend.png": SCREENSHOT.read_bytes(),
        "figures/photo.jpg": jpeg(),
        "figures/registry.png": SMALL.read_bytes(),
        "figures/diagram.svg": SVG.encode(),
        "figures/anim.gif": gif(),
        "figures/broken.png": SCREENSHOT.read_bytes()[:60_000],
    }
    committed.update(extra or {})
    shown = "".join(f"\n![{name}]({name})" for name in extra or {})
    files: dict[str, bytes | str] = {"reports/README.md": README + shown}
    files.update({f"reports/{name}": data for name, data in committed.items()})
    make_repo(tmp_path / "repos/g7", files)
    write_roster(tmp_path / "roster.csv", ["7,s700001,,,,,repos/g7"])
    return tmp_path, committed


def test_import_stores_large_rasters_ready_to_publish(tmp_path: Path) -> None:
    base, committed = world(tmp_path)
    (result,) = run_import(base, max_file_size=10_000_000)
    assert result.status is GroupStatus.NEW, result.note
    folder = base / "reports" / SEMESTER / "group-7"
    stored = {name: (folder / name).read_bytes() for name in committed}
    assert stored["figures/registry.png"] == committed["figures/registry.png"]  # small
    assert stored["figures/diagram.svg"] == committed["figures/diagram.svg"]  # the build rebuilds
    assert stored["figures/anim.gif"] == committed["figures/anim.gif"]  # animated
    assert stored["figures/broken.png"] == committed["figures/broken.png"]  # cannot be decoded
    for name in ("figures/frontend.png", "figures/photo.jpg"):
        data = stored[name]
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "WEBP" and max(image.size) <= 1600, name
            assert Encoding().ready(image.format, image.width, image.height, len(data))
        assert len(data) <= 100_000 < len(committed[name]), name
    before = len(committed["figures/frontend.png"]) + len(committed["figures/photo.jpg"])
    after = len(stored["figures/frontend.png"]) + len(stored["figures/photo.jpg"])
    assert f"2 figures stored as WebP ({before / 1e6:.1f} MB → {after / 1e6:.1f} MB)" in (
        result.note
    )


def test_a_build_publishes_imported_figures_as_they_are(tmp_path: Path) -> None:
    base, _ = world(tmp_path)
    run_import(base, max_file_size=10_000_000)
    reports = base / "reports"
    built = build_site(base / "build", site_config(reports, {"search": {"engine": "none"}}))
    assert built.warnings() == []
    cache = base / "build" / ".cache/report-archive"
    assert not list(cache.rglob("*.webp"))  # nothing was converted: the build only copies
    folder = reports / SEMESTER / "group-7"
    page = built.article(f"{SEMESTER}/group-7/")
    for name in ("frontend.png", "photo.jpg"):
        data = (folder / "figures" / name).read_bytes()
        url = f"figures/{hashlib.sha256(data).hexdigest()[:20]}.webp"
        assert (built.site / url).read_bytes() == data, name
        assert f'src="../../{url}"' in page, name
    assert "Figure not shown (its image data cannot be decoded" in page  # the damaged one
    assert broken_links(built.site) == []


def test_keep_figures_stores_them_as_committed(tmp_path: Path) -> None:
    base, committed = world(tmp_path)
    (result,) = run_import(base, max_file_size=10_000_000, figures=None)
    folder = base / "reports" / SEMESTER / "group-7"
    assert {name: (folder / name).read_bytes() for name in committed} == committed
    assert "stored as WebP" not in result.note


def test_import_records_its_decisions_and_a_build_trusts_them(tmp_path: Path) -> None:
    """``group.yml`` records every figure the import decided about, with the digest of the
    file it stored, including a WebP still over the byte budget and a figure kept as
    committed because its WebP was larger. A build with the same encoding publishes them as
    they are, converting nothing; a build with another encoding decides again."""
    extra = {"figures/noise.png": noise_png(), "figures/poor.jpg": poor_jpeg()}
    base, committed = world(tmp_path, extra)
    (result,) = run_import(base, max_file_size=10_000_000)
    assert result.status is GroupStatus.NEW, result.note
    reports = base / "reports"
    folder = reports / SEMESTER / "group-7"
    stored = {name: (folder / name).read_bytes() for name in committed}
    assert stored["figures/poor.jpg"] == committed["figures/poor.jpg"]  # WebP was larger
    with Image.open(io.BytesIO(stored["figures/noise.png"])) as image:
        assert image.format == "WEBP" and len(stored["figures/noise.png"]) > 100_000
    meta, problems = read_group_meta(folder)
    assert [p for p in problems if "prepared_figures" in p.message] == []
    assert meta.prepared_figures is not None
    assert meta.prepared_figures.encoding == Encoding().key()
    decided = ("figures/frontend.png", "figures/photo.jpg", "figures/noise.png", "figures/poor.jpg")
    assert meta.prepared_figures.files == {
        name: hashlib.sha256(stored[name]).hexdigest() for name in decided
    }

    built = build_site(base / "build", site_config(reports, {"search": {"engine": "none"}}))
    assert built.warnings() == []
    assert not list((base / "build/.cache/report-archive").rglob("*.webp"))  # none converted
    page = built.article(f"{SEMESTER}/group-7/")
    for name, suffix in (("noise.png", "webp"), ("poor.jpg", "jpg")):
        data = stored[f"figures/{name}"]
        url = f"figures/{hashlib.sha256(data).hexdigest()[:20]}.{suffix}"
        assert (built.site / url).read_bytes() == data, name
        assert f'src="../../{url}"' in page, name

    other = build_site(
        base / "other",
        site_config(reports, {"search": {"engine": "none"}, "figures": {"quality": 80}}),
    )
    assert other.warnings() == []
    assert list((base / "other/.cache/report-archive").rglob("*.webp"))  # decided again

    write_roster(tmp_path / "roster.csv", ["7,s700001,s700002,,,,repos/g7"])
    (again,) = run_import(base, max_file_size=10_000_000)
    assert again.status is GroupStatus.UPDATED, again.note  # group.yml rewritten, files kept
    assert read_group_meta(folder)[0].prepared_figures == meta.prepared_figures


def test_import_without_preparing_records_no_decision(tmp_path: Path) -> None:
    """Figures stored as committed carry no record (a record from an earlier import would
    vouch for files that are gone)."""
    base, _ = world(tmp_path, {"figures/noise.png": noise_png()})
    run_import(base, max_file_size=10_000_000)
    folder = base / "reports" / SEMESTER / "group-7"
    assert read_group_meta(folder)[0].prepared_figures is not None
    commit(base / "repos/g7", {"reports/figures/noise.png": noise_png((1100, 800))})
    (result,) = run_import(base, max_file_size=10_000_000, figures=None)
    assert result.status is GroupStatus.UPDATED, result.note
    assert read_group_meta(folder)[0].prepared_figures is None
