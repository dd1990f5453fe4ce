"""The site benchmark's input: a corpus repeated to N groups, with figures made distinct.

Report ``i`` is corpus report ``i mod n`` under a new group number in one of the semesters.
Repeating the corpus repeats its figures, which would let a figure cache or content names
(one file for identical figures) do the work once for every copy. With distinct figures
(the default), every raster figure a report shows gets a one-pixel change in each copy
(decoded, one pixel changed, saved again in its format), so every copy is a figure of its
own, as in a real archive of distinct groups.

With ``prepare="import"`` (the default), each copy's figures are then stored the way
``report-archive import`` stores them (`report_archive.staff.importer.figures`), with its
decisions recorded in ``group.yml`` (``prepared_figures``), which is what a fresh clone of
a real archive holds; the time this takes is recorded as the import's
cost. With ``prepare="none"`` the committed figures are kept, as for reports added by hand.

Generating the input is slow at a thousand groups (a decode and an encode per figure), so
it runs on every core and is kept in the work folder: a later run with the same corpus
and options reuses it.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import yaml
from PIL import Image

from report_archive.images.encode import Encoding
from report_archive.reports.archive import load_archive
from report_archive.reports.meta import read_group_meta, write_group_meta
from report_archive.site.figures import candidates
from report_archive.staff.importer.figures import prepare_figures

STAMP = "input.json"
SVG_SUFFIX = ".svg"


def shown_figures(corpus: Path) -> dict[str, list[str]]:
    """Report folder (relative to the corpus) → the figures its report shows (relative)."""
    archive = load_archive(corpus, jobs=1, tools=False)
    out: dict[str, list[str]] = {}
    for entry in archive.groups:
        if entry.report is None:
            continue
        rel = entry.folder.relative_to(corpus).as_posix()
        out[rel] = [
            p.relative_to(entry.folder.resolve()).as_posix()
            for p in candidates(entry.folder, entry.report.references)
        ]
    return out


def one_pixel(data: bytes, n: int) -> bytes:
    """The same image with one pixel changed (where and how depend on `n`), same format."""
    with Image.open(io.BytesIO(data)) as image:
        if getattr(image, "is_animated", False):
            return data
        fmt = image.format or "PNG"
        image.load()
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA" if "transparency" in image.info else "RGB")
        x, y = n % image.width, (n // image.width) % image.height
        pixel = image.getpixel((x, y))
        if isinstance(pixel, tuple):
            changed: Any = ((pixel[0] + 1 + n % 7) % 256, *pixel[1:])
        else:
            changed = (int(pixel or 0) + 1 + n % 7) % 256
        image.putpixel((x, y), changed)
        out = io.BytesIO()
        if fmt in ("JPEG", "MPO"):
            image.convert("RGB").save(out, "JPEG", quality=95)
        elif fmt == "WEBP":
            image.save(out, "WEBP", lossless=True)
        else:
            image.save(out, "PNG", compress_level=1)
        return out.getvalue()


def _copy_group(job: tuple[Path, Path, list[str], int, bool, bool]) -> tuple[int, float, int]:
    """Copy one report folder; make its figures distinct and prepare them as import does.

    Returns:
        README.md's size, the seconds preparing took, the figures prepared.
    """
    source, target, shown, n, distinct, prepare = job
    readme = 0
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(source).as_posix()
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        data = path.read_bytes()
        if distinct and rel in shown and not rel.lower().endswith(SVG_SUFFIX):
            with contextlib.suppress(Exception):  # not an image Pillow reads: the build says
                data = one_pixel(data, n)
        dest.write_bytes(data)
        if rel == "README.md":
            readme = len(data)
    seconds, prepared = 0.0, 0
    if prepare:
        start = time.process_time()
        note = prepare_figures(target, shown, Encoding())
        record = note.record()
        if record is not None:  # as import records it in group.yml
            meta, _ = read_group_meta(target)
            write_group_meta(target, {"prepared_figures": record}, keep=meta.raw)
        seconds, prepared = time.process_time() - start, note.prepared
    return readme, seconds, prepared


def _link_baseline(source: Path, target: Path) -> None:
    """The baseline's copy: every file linked, README.md as index.md."""
    for path in sorted(source.rglob("*")):
        if path.is_file():
            rel = path.relative_to(source).as_posix()
            dest = target / ("index.md" if rel == "README.md" else rel)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(path.resolve(), dest)


def make_inputs(
    corpus: Path,
    work: Path,
    groups: int,
    semesters: int,
    *,
    distinct: bool = True,
    prepare: str = "import",
    config: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """Write the archive's ``reports/`` and the baseline's ``docs/`` under `work`.

    Args:
        corpus: ``<semester>/<group>/README.md`` reports with their figures.
        work: Where to write ``archive/`` and ``baseline/``.
        groups: How many groups.
        semesters: Over how many semesters.
        distinct: Make every copy's figures distinct (one pixel).
        prepare: ``import`` to store figures as import does, ``none`` to keep them.
        config: ``archive`` and ``baseline`` → their ``mkdocs.yml``.

    Returns:
        What the input is (written to ``work/input.json`` too).
    """
    shown = shown_figures(corpus)
    reports = sorted(shown)
    if not reports:
        raise SystemExit(f"no reports under {corpus}")
    key = {
        "corpus": str(corpus.resolve()),
        "corpus_files": _listing(corpus),
        "groups": groups,
        "semesters": semesters,
        "distinct_figures": distinct,
        "prepared": prepare,
        "encoding": Encoding().key() if prepare == "import" else None,
        "recorded": "prepared_figures" if prepare == "import" else None,
    }
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()
    stamp = work / STAMP
    if stamp.is_file():
        saved = json.loads(stamp.read_text())
        if saved.get("digest") == digest:
            _write_configs(work, config)
            print(f"reusing the input in {work}", flush=True)
            return dict(saved["input"])
    for name in ("archive", "baseline"):
        shutil.rmtree(work / name, ignore_errors=True)
    stamp.unlink(missing_ok=True)
    per_semester = -(-groups // semesters)
    first_year = 2026 - semesters + 1
    jobs = []
    for i in range(groups):
        rel = reports[i % len(reports)]
        semester = f"{first_year + i // per_semester}-january"
        group = f"group-{i % per_semester + 1}"
        jobs.append(
            (
                corpus / rel,
                work / "archive" / "reports" / semester / group,
                shown[rel],
                i,
                distinct,
                prepare == "import",
            )
        )
        _link_baseline(corpus / rel, work / "baseline" / "docs" / semester / group)
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        done = list(pool.map(_copy_group, jobs, chunksize=8))
    figures = sum(len(job[2]) for job in jobs)
    prepared = sum(d[2] for d in done)
    info: dict[str, Any] = {
        "groups": groups,
        "semesters": semesters,
        "distinct_reports": len(reports),
        "source_markdown_bytes": sum(d[0] for d in done),
        "figures_shown": figures,
        "distinct_figures": distinct,
        "prepared": prepare,
        "generated_in_seconds": round(time.perf_counter() - start, 1),
    }
    if prepare == "import":
        seconds = sum(d[1] for d in done)
        info["import_preparation"] = {
            "figures_prepared": prepared,
            "cpu_seconds": round(seconds, 1),
            "cpu_seconds_per_group": round(seconds / groups, 3),
            "how": "each copy's figures stored as report-archive import stores them "
            "(report_archive.staff.importer.figures.prepare_figures), and its decisions "
            "recorded in group.yml (prepared_figures) as import records them",
        }
    _write_configs(work, config)
    stamp.write_text(json.dumps({"digest": digest, "input": info}, indent=2) + "\n")
    return info


def _listing(corpus: Path) -> str:
    """A digest of the corpus' file names and sizes (a changed corpus makes a new input)."""
    items = sorted(
        (p.relative_to(corpus).as_posix(), p.stat().st_size)
        for p in corpus.rglob("*")
        if p.is_file()
    )
    return hashlib.sha256(json.dumps(items).encode()).hexdigest()


def _write_configs(work: Path, config: dict[str, dict[str, Any]]) -> None:
    (work / "archive" / "docs").mkdir(parents=True, exist_ok=True)
    (work / "archive" / "mkdocs.yml").write_text(yaml.safe_dump(config["archive"]))
    (work / "baseline" / "docs").mkdir(parents=True, exist_ok=True)
    (work / "baseline" / "docs" / "index.md").write_text("# Reports\n", encoding="utf-8")
    (work / "baseline" / "mkdocs.yml").write_text(yaml.safe_dump(config["baseline"]))
