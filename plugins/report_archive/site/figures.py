"""Which of a report's files are published with the site, and where.

Only references the parser resolved to a file inside the report's folder
(`RefStatus.FOUND`) are considered, and of those only images of a known type. The path is
checked again here (a regular file reached without links, `report_archive.reports.files`); then a
`Decide` function (`report_archive.site.publish.FigurePublisher`) says which file is published
for the figure: a rebuilt copy, a smaller copy, the figure itself, or nothing. A figure
not published shows a placeholder on the page and is a diagnostic of the report. No MkDocs
import: the plugin turns the result into generated files.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from report_archive.reports.files import UnsafeFile, check_inside
from report_archive.reports.layout import IMAGE_SUFFIXES
from report_archive.reports.model import Diagnostic, Level, Reference, RefStatus

__all__ = [
    "Decide",
    "Decision",
    "FigurePlan",
    "Publish",
    "Refuse",
    "candidates",
    "plan_figures",
]

MAX_FIGURE_BYTES = 25_000_000
"""Larger files are not published."""

NOT_PUBLISHED = "figure-not-published"
"""Code of the diagnostic for a figure that is not published."""


@dataclass(frozen=True)
class Publish:
    """Publish `file` for a figure.

    Attributes:
        file: The file whose bytes are published (the figure itself, or a copy made from
            it in the cache).
        suffix: Extension of the published name (``.webp``), or ``""`` for the figure's own.
    """

    file: Path
    suffix: str = ""


@dataclass(frozen=True)
class Refuse:
    """Publish nothing for a figure.

    Attributes:
        reason: Why, as the end of a sentence ("it is not well-formed XML").
    """

    reason: str


Decision = Publish | Refuse
Decide = Callable[[Path], Decision]
"""Returns what is published for a figure (a file inside the report's folder)."""


@dataclass
class FigurePlan:
    """The published files of one report.

    Attributes:
        base: Site path of the report's folder, ending in ``/`` (``2026-january/group-15/``).
        files: Site path → file on disk, for every published file.
        paths: Path relative to the report's folder → site path.
        rejected: Path relative to the report's folder → why it is not published.
        diagnostics: One per figure not published, at the line of its first reference.
    """

    base: str
    files: dict[str, Path] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
    rejected: dict[str, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def site_path(self, path: str | None) -> str | None:
        """Return where a report-relative path is published, or None."""
        return self.paths.get(path) if path is not None else None


def candidates(folder: Path, references: Iterable[Reference]) -> list[Path]:
    """Return the files that `plan_figures` would ask a `Decide` function about."""
    root = folder.resolve()
    found: set[Path] = set()
    for ref in references:
        if ref.status is RefStatus.FOUND and ref.path is not None:
            path = _checked(root, ref.path)
            if isinstance(path, Path):
                found.add(path)
    return sorted(found)


def plan_figures(
    folder: Path,
    references: Iterable[Reference],
    base: str,
    decide: Decide,
    rename: Callable[[str], str] | None = None,
) -> FigurePlan:
    """Decide which referenced files of a report are published.

    Args:
        folder: The report's folder.
        references: Every reference of the report (answers and extra).
        base: Site path of the folder, ending in ``/``.
        decide: Says which file is published for a figure. A file with another extension
            (``.webp``) is published beside the figure's own path with that extension,
            unless that name is taken; then under the figure's own name.
        rename: Returns the name to publish a report-relative path under (a file named
            after a student number is published under a redacted name).

    Returns:
        The plan; files not published are in `FigurePlan.rejected` with a reason, and
        figures among them in `FigurePlan.diagnostics`.
    """
    plan = FigurePlan(base=base)
    root = folder.resolve()
    for ref in references:
        if ref.status is not RefStatus.FOUND or ref.path is None:
            continue
        rel = ref.path
        if rel in plan.paths or rel in plan.rejected:
            continue
        checked = _checked(root, rel)
        decision = decide(checked) if isinstance(checked, Path) else Refuse(checked)
        if isinstance(decision, Refuse):
            plan.rejected[rel] = decision.reason
            if PurePosixPath(rel).suffix.lower() in IMAGE_SUFFIXES:
                plan.diagnostics.append(
                    Diagnostic(
                        Level.WARNING,
                        ref.line,
                        f"The figure '{rel}' is not published: {decision.reason}.",
                        NOT_PUBLISHED,
                    )
                )
            continue
        site = base + posixpath.normpath(rename(rel) if rename else rel)
        if site in plan.files:  # two names that rename to one
            stem, suffix = posixpath.splitext(site)
            site = next(
                f"{stem}-{n}{suffix}"
                for n in range(2, 10_000)
                if f"{stem}-{n}{suffix}" not in plan.files
            )
        if decision.suffix:
            renamed = posixpath.splitext(site)[0] + decision.suffix
            own = (root / rel).with_suffix(decision.suffix)
            if renamed not in plan.files and not own.exists():
                site = renamed
        plan.paths[rel] = site
        plan.files[site] = decision.file
    return plan


def _checked(root: Path, rel: str) -> Path | str:
    """Return the file behind a report-relative path, or why it is not published."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or "\\" in rel or not pure.parts:
        return "it is outside the report's folder"
    if any(part.startswith(".") for part in pure.parts):
        return "hidden files are not published"
    suffix = pure.suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        return f"only images are published ({suffix or 'no extension'})"
    path = root / rel
    try:
        size = check_inside(path, root, scope=root)
    except UnsafeFile as e:
        return e.reason
    except OSError:
        return "the file cannot be read"
    if size > MAX_FIGURE_BYTES:
        return f"it is larger than {MAX_FIGURE_BYTES // 1_000_000} MB"
    return path
