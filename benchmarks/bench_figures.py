"""Bytes, quality and encoding time of the published figures, for several ways to publish.

Usage: python benchmarks/bench_figures.py [--corpus ../shared/corpus/reports] [--every 1]
       [--out benchmarks/results/figures.json] [--crop docs/assets/figures [--crop-only]]

Every figure the corpus' reports show (the files the site would publish; SVG figures are
left out, they are rebuilt and small) is published in each of the ways of `CANDIDATES`, on
one core. For each way it records the bytes per figure and per group, the encoding time per
figure, and the structural similarity (SSIM, on luminance, 8 × 8 windows) of the published
image to the committed one as a laptop shows it: both scaled to at most 1600 pixels (a
content column at twice the pixel density), the published one scaled back up if the byte
budget made it smaller. `--crop` writes the same crop of one of the sample's screenshots as
committed and as published by default (`CROP_FIGURE`).

The decisions this supports are in `report_archive.images.encode` and on the benchmarks
page of the documentation.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PIL import Image, ImageMath

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from machine import machine, write_results  # noqa: E402

from report_archive.images.encode import Encoding, encode  # noqa: E402
from report_archive.images.raster import MAX_PIXELS, PixelBudget, decode_fitted  # noqa: E402
from report_archive.reports.archive import load_archive  # noqa: E402
from report_archive.site.figures import candidates  # noqa: E402

SHOWN_SIDE = 1600
Publish = Callable[[bytes], bytes]


def _pillow(image: Image.Image, format: str, **options: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, format, **options)
    return out.getvalue()


def _fitted(data: bytes, side: int = SHOWN_SIDE) -> Image.Image:
    """The image as the site shows it: at most `side` pixels (as the encoder scales it)."""
    return decode_fitted(data, max_side=side, max_pixels=MAX_PIXELS, budget=PixelBudget(MAX_PIXELS))


def _reference(data: bytes) -> Image.Image:
    """The committed image at the size it is shown, scaled by a plain Lanczos resize."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        mode = "RGBA" if "A" in image.mode or "transparency" in image.info else "RGB"
        image = image.convert(mode)
    if max(image.size) > SHOWN_SIDE:
        image.thumbnail((SHOWN_SIDE, SHOWN_SIDE), Image.Resampling.LANCZOS)
    return image


def before(data: bytes) -> bytes:
    """How figures were published before: over 200 KB as WebP q85 of at most 1600 px."""
    if len(data) <= 200_000:
        return data
    return _pillow(_fitted(data), "WEBP", quality=85, method=2)


def pillow_way(format: str, side: int = SHOWN_SIDE, **options: Any) -> Publish:
    return lambda data: _pillow(_fitted(data, side), format, **options)


def encoding_way(encoding: Encoding) -> Publish:
    budget = PixelBudget(MAX_PIXELS)
    return lambda data: encode(data, encoding, max_pixels=MAX_PIXELS, budget=budget).data


CANDIDATES: dict[str, Publish] = {
    "before (over 200 KB: WebP q85)": before,
    "WebP q85": pillow_way("WEBP", quality=85, method=4),
    "WebP q80": pillow_way("WEBP", quality=80, method=4),
    "WebP q75": pillow_way("WEBP", quality=75, method=4),
    "WebP q75, 1280 px": pillow_way("WEBP", 1280, quality=75, method=4),
    "AVIF q60 speed 8": pillow_way("AVIF", quality=60, speed=8, max_threads=1),
    "AVIF q50 speed 8": pillow_way("AVIF", quality=50, speed=8, max_threads=1),
    "WebP q80 + lossless": encoding_way(Encoding(quality=80, max_bytes=0)),
    "WebP q75 + lossless": encoding_way(Encoding(max_bytes=0)),
    "WebP q80 + lossless, budget 100 KB": encoding_way(Encoding(quality=80)),
    "WebP q75 + lossless, budget 100 KB (default)": encoding_way(Encoding()),
    "WebP q75 + lossless, budget 60 KB": encoding_way(Encoding(max_bytes=60_000)),
}
DEFAULT = "WebP q75 + lossless, budget 100 KB (default)"


def ssim(a: Image.Image, b: Image.Image) -> float:
    """Mean SSIM of two images' luminance over 8 × 8 windows (b scaled to a's size)."""
    if b.size != a.size:
        b = b.resize(a.size, Image.Resampling.BICUBIC)
    w, h = (a.width // 8) * 8, (a.height // 8) * 8
    x = a.convert("L").crop((0, 0, w, h)).convert("F")
    y = b.convert("L").crop((0, 0, w, h)).convert("F")

    def mean(image: Image.Image) -> Image.Image:
        return image.resize((w // 8, h // 8), Image.Resampling.BOX)

    def ev(f: Callable[[dict[str, Any]], Any], **images: Image.Image) -> Image.Image:
        out: Image.Image = ImageMath.lambda_eval(f, **images)
        return out

    mx, my = mean(x), mean(y)
    vx = ev(lambda e: e["s"] - e["m"] * e["m"], s=mean(ev(lambda e: e["a"] * e["a"], a=x)), m=mx)
    vy = ev(lambda e: e["s"] - e["m"] * e["m"], s=mean(ev(lambda e: e["a"] * e["a"], a=y)), m=my)
    cov = ev(
        lambda e: e["s"] - e["p"] * e["q"],
        s=mean(ev(lambda e: e["a"] * e["b"], a=x, b=y)),
        p=mx,
        q=my,
    )
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    index = ev(
        lambda e: (
            ((2 * e["p"] * e["q"] + c1) * (2 * e["c"] + c2))
            / ((e["p"] * e["p"] + e["q"] * e["q"] + c1) * (e["u"] + e["v"] + c2))
        ),
        p=mx,
        q=my,
        c=cov,
        u=vx,
        v=vy,
    )
    values = list(index.get_flattened_data())
    return float(sum(values) / len(values))


def figures(corpus: Path) -> tuple[list[Path], int]:
    """Every raster figure the corpus' reports show, and the number of reports."""
    archive = load_archive(corpus, jobs=1, tools=False)
    found = [
        path
        for entry in archive.groups
        if entry.report is not None
        for path in candidates(entry.folder, entry.report.references)
        if path.suffix.lower() != ".svg"
    ]
    return found, len(archive.groups)


def measure(name: str, publish: Publish, files: list[bytes], groups: float) -> dict[str, Any]:
    """Publish every figure one way; `groups` is how many reports the figures stand for."""
    sizes: list[int] = []
    scores: list[float] = []
    seconds = 0.0
    for data in files:
        start = time.process_time()
        out = publish(data)
        seconds += time.process_time() - start
        sizes.append(len(out))
        scores.append(ssim(_reference(data), _fitted(out)))
    scores.sort()
    row = {
        "way": name,
        "bytes": sum(sizes),
        "bytes_per_figure": round(sum(sizes) / len(files)),
        "bytes_per_group": round(sum(sizes) / groups),
        "largest": max(sizes),
        "seconds_per_figure": round(seconds / len(files), 4),
        "ssim_mean": round(statistics.mean(scores), 4),
        "ssim_p5": round(scores[len(scores) // 20], 4),
        "ssim_min": round(scores[0], 4),
    }
    print(json.dumps(row), flush=True)
    return row


CROP_FIGURE = ROOT / "reports/2025-january/group-8/figures/frontend.png"
CROP_BOX = (520, 400, 880, 600)
"""A screenshot of the sample with text, a coloured box and a photo, and where to crop it
(in pixels of the figure as shown, at most 1600 wide)."""


def write_crop(path: Path, out: Path, publish: Publish, box: tuple[int, int, int, int]) -> None:
    """Write the same crop of a figure as committed and as published."""
    data = path.read_bytes()
    original = _reference(data)
    published = _fitted(publish(data))
    if published.size != original.size:
        published = published.resize(original.size, Image.Resampling.BICUBIC)
    out.mkdir(parents=True, exist_ok=True)
    original.crop(box).save(out / "figure-before.png", optimize=True)
    published.crop(box).save(out / "figure-after.png", optimize=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/reports")
    parser.add_argument("--every", type=int, default=1, help="measure every n-th figure")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/figures.json")
    parser.add_argument("--crop", type=Path, help="write a before/after crop into this folder")
    parser.add_argument("--crop-only", action="store_true", help="only write the crop")
    args = parser.parse_args()
    if args.crop:
        write_crop(CROP_FIGURE, args.crop, CANDIDATES[DEFAULT], CROP_BOX)
        if args.crop_only:
            return 0
    paths, groups = figures(args.corpus)
    paths = paths[:: args.every]
    files = [p.read_bytes() for p in paths]
    print(f"{len(paths)} figures of {groups} reports", flush=True)
    rows = [
        measure(name, publish, files, groups / args.every) for name, publish in CANDIDATES.items()
    ]
    results = {
        "benchmark": "figures",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "input": {
            "corpus": str(args.corpus),
            "reports": groups,
            "figures": len(paths),
            "committed_bytes": sum(len(d) for d in files),
            "every": args.every,
        },
        "ways": rows,
    }
    write_results(args.out, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
