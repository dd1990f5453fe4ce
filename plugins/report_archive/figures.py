"""Which of a report's files are published with the site, and where.

Only references the parser resolved to a file inside the report's folder
(`RefStatus.FOUND`) are considered, and of those only images of a known type. The path is
checked again here (it must stay inside the folder after following links), and SVG files,
which can carry scripts, are published only when a conservative check finds nothing active
in them. No MkDocs import: the plugin turns the result into generated files.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from report_archive.model import Reference, RefStatus

__all__ = ["FIGURE_TYPES", "FigurePlan", "is_safe_svg", "plan_figures"]

FIGURE_TYPES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".svg"})
"""File name extensions published as figures (compared in lower case)."""

MAX_FIGURE_BYTES = 25_000_000
"""Larger files are not published."""

_SVG_FORBIDDEN = frozenset(
    {"script", "iframe", "frame", "object", "embed", "handler", "animate", "animatemotion",
     "animatetransform", "set", "meta", "base", "link", "form", "input", "button", "textarea",
     "audio", "video", "source", "portal"}
)  # fmt: skip
_DATA_IMAGE = ("data:image/png", "data:image/jpeg", "data:image/jpg", "data:image/gif",
               "data:image/webp", "data:image/svg+xml")  # fmt: skip


@dataclass
class FigurePlan:
    """The published files of one report.

    Attributes:
        base: Site path of the report's folder, ending in ``/`` (``2026-january/group-15/``).
        files: Site path → file on disk, for every published file.
        paths: Path relative to the report's folder → site path.
        rejected: Path relative to the report's folder → why it is not published.
    """

    base: str
    files: dict[str, Path] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
    rejected: dict[str, str] = field(default_factory=dict)

    def site_path(self, path: str | None) -> str | None:
        """Return where a report-relative path is published, or None."""
        return self.paths.get(path) if path is not None else None


def plan_figures(
    folder: Path,
    references: Iterable[Reference],
    base: str,
    replace: Callable[[Path], Path | None] | None = None,
) -> FigurePlan:
    """Decide which referenced files of a report are published.

    Args:
        folder: The report's folder.
        references: Every reference of the report (answers and extra).
        base: Site path of the folder, ending in ``/``.
        replace: Returns a smaller ``.webp`` file to publish instead of a figure, or None
            (see `report_archive.shrink`). The copy is published beside the figure's own
            path with the ``.webp`` extension, unless that name is taken.

    Returns:
        The plan; files not published are in `FigurePlan.rejected` with a reason.
    """
    plan = FigurePlan(base=base)
    root = folder.resolve()
    for ref in references:
        if ref.status is not RefStatus.FOUND or ref.path is None:
            continue
        rel = ref.path
        if rel in plan.paths or rel in plan.rejected:
            continue
        reason = _reject_reason(root, rel)
        if reason:
            plan.rejected[rel] = reason
            continue
        site = base + posixpath.normpath(rel)
        source = root / rel
        smaller = replace(source) if replace is not None else None
        if smaller is not None:
            webp = posixpath.splitext(site)[0] + ".webp"
            if webp not in plan.files and not source.with_suffix(".webp").exists():
                site, source = webp, smaller
        plan.paths[rel] = site
        plan.files[site] = source
    return plan


def _reject_reason(root: Path, rel: str) -> str | None:
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or "\\" in rel or not pure.parts:
        return "it is outside the report's folder"
    if any(part.startswith(".") for part in pure.parts):
        return "hidden files are not published"
    suffix = pure.suffix.lower()
    if suffix not in FIGURE_TYPES:
        return f"only images are published ({suffix or 'no extension'})"
    try:
        path = (root / rel).resolve(strict=True)
    except (OSError, RuntimeError):
        return "the file cannot be read"
    if not path.is_relative_to(root) or not path.is_file():
        return "it is outside the report's folder"
    try:
        size = path.stat().st_size
    except OSError:
        return "the file cannot be read"
    if size > MAX_FIGURE_BYTES:
        return f"it is larger than {MAX_FIGURE_BYTES // 1_000_000} MB"
    if suffix == ".svg" and not is_safe_svg(path):
        return "SVG files with scripts, links or embedded content are not published"
    return None


def is_safe_svg(path: Path) -> bool:
    """Whether an SVG file is plain drawing: no scripts, handlers, links or embedded content.

    Deliberately strict: anything doubtful (entities, a parse error, an element
    or attribute that can run code or load something) makes it unsafe.
    """
    try:
        data = path.read_bytes()
    except OSError:
        return False
    lowered = data.lower()
    if b"<!entity" in lowered or b"javascript:" in lowered:
        return False
    try:
        tree = ET.fromstring(data)
    except (ET.ParseError, ValueError):
        return False
    for element in tree.iter():
        if not isinstance(element.tag, str):
            return False
        tag = _local(element.tag)
        if tag in _SVG_FORBIDDEN:
            return False
        for name, value in element.attrib.items():
            local = _local(name)
            if local.startswith("on"):
                return False
            if local in ("href", "src") and not _safe_target(tag, value):
                return False
            if not _safe_css(value) and local == "style":
                return False
        if tag == "style" and not _safe_css(element.text or ""):
            return False
    return True


def _safe_target(tag: str, value: str) -> bool:
    target = value.strip().lower()
    if target.startswith("#"):
        return True
    if tag in ("image", "feimage", "img") and target.startswith(_DATA_IMAGE):
        return True
    return tag == "a" and target.startswith(("http://", "https://"))


def _safe_css(text: str) -> bool:
    lowered = text.lower().replace(" ", "")
    if "@import" in lowered or "expression(" in lowered:
        return False
    pieces = lowered.split("url(")[1:]
    return all(p.lstrip("\"'").startswith(("#", "data:image/")) for p in pieces)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()
