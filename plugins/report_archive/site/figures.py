"""Which of a report's files are published with the site, and where.

Only references the parser resolved to a file inside the report's folder
(`RefStatus.FOUND`) are considered, and of those only images of a known type. The path is
checked again here (a regular file reached without links, `report_archive.reports.files`); then a
`Decide` function (`report_archive.site.publish.FigurePublisher`) says which file is published
for the figure: a rebuilt copy, a smaller copy, the figure itself, or nothing. A figure
not published shows a placeholder on the page and is a diagnostic of the report. No MkDocs
import: the plugin turns the result into generated files.

A published file goes either beside the report's page, under the figure's own path, or,
with a shared folder (``figures.dedupe``), under a name made from its content, so that
identical files are published once and no student-chosen name reaches a URL. With
``figures.mode: link``, a figure of a group whose repository and commit are known is not
published at all: its page links to the file in the repository at that commit.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from report_archive.reports.files import UnsafeFile, check_inside
from report_archive.reports.layout import IMAGE_SUFFIXES
from report_archive.reports.model import Diagnostic, Level, Reference, RefStatus

__all__ = [
    "Decide",
    "Decision",
    "FigurePlan",
    "FileChecks",
    "Publish",
    "Refuse",
    "candidates",
    "plan_figures",
    "repository_file_url",
]

MAX_FIGURE_BYTES = 25_000_000
"""Larger files are not published."""

NOT_PUBLISHED = "figure-not-published"

_GITHUB = re.compile(r"https://(?:www\.)?github\.com/([A-Za-z0-9-]+/[A-Za-z0-9._-]+?)(?:\.git)?/?")
_COMMIT = re.compile(r"[0-9a-f]{40}")
"""Code of the diagnostic for a figure that is not published."""


@dataclass(frozen=True)
class Publish:
    """Publish `file` for a figure.

    Attributes:
        file: The file whose bytes are published (the figure itself, or a copy made from
            it in the cache).
        suffix: Extension of the format published (``.webp``), or ``""`` for the figure's
            own.
        digest: SHA-256 of the published bytes, hexadecimal ("" when unknown).
    """

    file: Path
    suffix: str = ""
    digest: str = ""


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

DIGEST_CHARS = 20
"""Hexadecimal characters of a file's SHA-256 in its content-made name (80 bits)."""

_SAME_SUFFIX = {".jpeg": ".jpg"}


@dataclass
class FigurePlan:
    """The published files of one report.

    Attributes:
        base: Site path of the report's folder, ending in ``/`` (``2026-january/group-15/``).
        files: Site path → file on disk, for every published file.
        paths: Path relative to the report's folder → site path.
        rejected: Path relative to the report's folder → why it is not published.
        diagnostics: One per figure not published, at the line of its first reference.
        links: Path relative to the report's folder → the file's URL in the group's
            repository, for figures linked instead of published (``figures.mode: link``).
    """

    base: str
    files: dict[str, Path] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
    rejected: dict[str, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)

    def site_path(self, path: str | None) -> str | None:
        """Return where a report-relative path is published, or None."""
        return self.paths.get(path) if path is not None else None

    def link(self, path: str | None) -> str | None:
        """Return the repository URL a report-relative path is linked to, or None."""
        return self.links.get(path) if path is not None else None


class FileChecks:
    """Each figure's check (`_checked`) done once in a build, for `candidates` then `plan_figures`.

    A build asks about every figure twice: which files to decide on (and convert) in the
    background, then each report's plan. The second asks this object, which answers from
    the first. Make a new one for each build: files change between builds.
    """

    def __init__(self) -> None:
        self._roots: dict[Path, Path] = {}
        self._done: dict[tuple[Path, str], Path | str] = {}

    def root(self, folder: Path) -> Path:
        """The report folder, resolved (once)."""
        found = self._roots.get(folder)
        if found is None:
            found = self._roots[folder] = folder.resolve()
        return found

    def __call__(self, root: Path, rel: str) -> Path | str:
        """The file behind `rel` in the resolved folder `root`, or why it is not published."""
        key = (root, rel)
        found = self._done.get(key)
        if found is None:
            found = self._done[key] = _checked(root, rel)
        return found


def candidates(
    folder: Path, references: Iterable[Reference], checks: FileChecks | None = None
) -> list[Path]:
    """Return the files that `plan_figures` would ask a `Decide` function about.

    Args:
        folder: The report's folder.
        references: Every reference of the report.
        checks: Keeps each file's check for `plan_figures` (None: checked here only).
    """
    checks = checks or FileChecks()
    root = checks.root(folder)
    found: set[Path] = set()
    for ref in references:
        if ref.status is RefStatus.FOUND and ref.path is not None:
            path = checks(root, ref.path)
            if isinstance(path, Path):
                found.add(path)
    return sorted(found)


def plan_figures(
    folder: Path,
    references: Iterable[Reference],
    base: str,
    decide: Decide,
    rename: Callable[[str], str] | None = None,
    *,
    shared: str | None = None,
    link: Callable[[str], str | None] | None = None,
    checks: FileChecks | None = None,
) -> FigurePlan:
    """Decide which referenced files of a report are published.

    Args:
        folder: The report's folder.
        references: Every reference of the report (answers and extra).
        base: Site path of the folder, ending in ``/``.
        decide: Says which file is published for a figure. A file of another format
            (``.webp``) is published beside the figure's own path with that extension,
            unless that name is taken; then under the figure's own name.
        rename: Returns the name to publish a report-relative path under (a file named
            after a student number is published under a redacted name).
        shared: Site folder, ending in ``/``, where files are published under a name made
            from their content (``figures/<digest>.webp``) instead of beside the report;
            None for beside the report.
        link: Returns the URL a report-relative path is linked to instead of published
            (None to publish it).
        checks: The checks `candidates` made in this build (None: each file is checked
            here).

    Returns:
        The plan; files not published are in `FigurePlan.rejected` with a reason, and
        figures among them in `FigurePlan.diagnostics`.
    """
    plan = FigurePlan(base=base)
    checks = checks or FileChecks()
    root = checks.root(folder)
    for ref in references:
        if ref.status is not RefStatus.FOUND or ref.path is None:
            continue
        rel = ref.path
        if rel in plan.paths or rel in plan.rejected or rel in plan.links:
            continue
        checked = checks(root, rel)
        url = link(rel) if link is not None and isinstance(checked, Path) else None
        if url is not None:
            plan.links[rel] = url
            continue
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
        if shared is not None and decision.digest:
            suffix = decision.suffix or PurePosixPath(rel).suffix.lower()
            site = f"{shared}{decision.digest[:DIGEST_CHARS]}{suffix}"
        else:
            site = _beside(
                plan, root, rel, decision, base + posixpath.normpath(rename(rel) if rename else rel)
            )
        plan.paths[rel] = site
        plan.files[site] = decision.file
    return plan


def _beside(plan: FigurePlan, root: Path, rel: str, decision: Publish, site: str) -> str:
    """The site path of a figure published beside its report's page."""
    if site in plan.files:  # two names that rename to one
        stem, suffix = posixpath.splitext(site)
        site = next(
            f"{stem}-{n}{suffix}"
            for n in range(2, 10_000)
            if f"{stem}-{n}{suffix}" not in plan.files
        )
    own = posixpath.splitext(site)[1].lower()
    if decision.suffix and _SAME_SUFFIX.get(own, own) != decision.suffix:
        renamed = posixpath.splitext(site)[0] + decision.suffix
        beside = (root / rel).with_suffix(decision.suffix)
        if renamed not in plan.files and not beside.exists():
            site = renamed
    return site


def repository_file_url(repository: str | None, commit: str | None, rel: str) -> str | None:
    """The URL of a report's file in the group's GitHub repository at a commit, or None.

    The report is ``reports/README.md`` of the repository (the course's layout, which
    ``report-archive import`` reads), so `rel` is under ``reports/``.

    Args:
        repository: ``https://github.com/<owner>/<name>`` (other hosts give None).
        commit: The full commit the report was taken from.
        rel: The file's path relative to the report's folder.
    """
    if not repository or not commit or not _COMMIT.fullmatch(commit):
        return None
    m = _GITHUB.fullmatch(repository.strip())
    if m is None:
        return None
    return f"https://github.com/{m.group(1)}/blob/{commit}/reports/{quote(rel)}"


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
