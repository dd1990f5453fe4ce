"""Load the archive: ``<reports_dir>/<semester>/<group>/README.md`` with their metadata.

Plain Python (no MkDocs hooks): `load_archive` scans the folder, parses every report and
reads ``semester.yml``/``group.yml``. Nothing a student or an importer wrote can make it
fail: unreadable reports and bad metadata become `Problem`s, shown on the problems page.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from report_archive.reports.layout import GROUP_FOLDER, REPORT_FILE, is_ignored
from report_archive.reports.meta import (
    GroupMeta,
    MetaProblem,
    read_group_meta,
    read_semester_meta,
)
from report_archive.reports.model import Diagnostic, Level, RefKind, RefStatus, Report, Status
from report_archive.reports.read_cache import ReadCache
from report_archive.reports.reading import Parse, Read, Reader, ReadResult, read_all
from report_archive.reports.tools import ToolReport

__all__ = ["Archive", "GroupEntry", "Problem", "Semester", "load_archive"]

_SLUG = re.compile(r"[^a-z0-9._-]+")


class ArchiveError(Exception):
    """The reports folder itself cannot be used (a problem of the site, not of a report)."""


@dataclass(frozen=True)
class Problem:
    """A diagnostic with the file it concerns.

    Attributes:
        file: The file (report, ``group.yml`` or ``semester.yml``).
        diagnostic: What is wrong and where.
    """

    file: Path
    diagnostic: Diagnostic


@dataclass
class GroupEntry:
    """One group's report in one semester.

    Attributes:
        semester: The semester's folder name (``2026-january``).
        slug: The group's folder name, lower case (``group-15``), used in URLs.
        number: Group number from the folder name, else from the report, else None.
        folder: The group's folder.
        report: The parsed report, or None when it could not be read.
        meta: What ``group.yml`` says.
        problems: Problems of this group: the report's diagnostics, then the plugin's.
        tools: The tools and practices the group used, with evidence, and the mentions
            judged not to be uses (None when tools were not detected or the report could
            not be read).
        digest: The key of what `report` and `tools` were read from (the report's bytes,
            its folder's listing, the reading code: `report_archive.reports.read_cache`), or
            None when the report was not read through the reading cache.
    """

    semester: str
    slug: str
    number: int | None
    folder: Path
    report: Report | None
    meta: GroupMeta
    problems: list[Problem] = field(default_factory=list)
    tools: ToolReport | None = None
    digest: str | None = None

    @property
    def source(self) -> Path:
        """The report file."""
        return self.folder / REPORT_FILE

    @property
    def label(self) -> str:
        """How the group is named in headings ("Group 15")."""
        return f"Group {self.number}" if self.number is not None else self.slug

    @property
    def members(self) -> tuple[str, ...]:
        """Members: the report's student numbers, then any others ``group.yml`` lists."""
        seen: list[str] = list(self.report.group.members) if self.report else []
        lowered = {m.lower() for m in seen}
        seen += [m for m in self.meta.members if m.lower() not in lowered]
        return tuple(seen)

    @property
    def answered(self) -> int:
        """How many questions are answered."""
        answers = self.report.answers if self.report else ()
        return sum(1 for a in answers if a.status is Status.ANSWERED)

    @property
    def questions(self) -> int:
        """How many questions the report's template has."""
        return len(self.report.answers) if self.report else 0

    @property
    def checked(self) -> int:
        """How many checklist items are ticked."""
        return sum(1 for c in self.report.checklist if c.checked) if self.report else 0

    @property
    def checklist_size(self) -> int:
        """How many checklist items the report has."""
        return len(self.report.checklist) if self.report else 0

    def figure_counts(self) -> tuple[int, int]:
        """Return (figures found, figures missing) among the report's image references."""
        if not self.report:
            return 0, 0
        images = [r for r in self.report.references if r.kind is RefKind.IMAGE]
        found = sum(1 for r in images if r.status is RefStatus.FOUND)
        missing = sum(1 for r in images if r.status in (RefStatus.MISSING, RefStatus.OUTSIDE))
        return found, missing


@dataclass
class Semester:
    """One semester's folder.

    Attributes:
        slug: Folder name, used in URLs.
        title: Display title.
        order: Sort key; higher first.
        folder: The folder.
        groups: Its groups, by number.
    """

    slug: str
    title: str
    order: int
    folder: Path
    groups: list[GroupEntry] = field(default_factory=list)


@dataclass
class Archive:
    """Every semester, newest first.

    Attributes:
        root: The reports folder.
        semesters: Semesters in display order.
        problems: Problems not tied to one group's report: a bad ``semester.yml``, a
            folder without a report, two folders at one URL, a linked folder. Everything
            under the reports folder is content, so none of these is a warning of the site.
        read_counts: With a cache (`load_archive`'s `cache`): reports taken from it, and
            reports read; None without.
    """

    root: Path
    semesters: list[Semester] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    read_counts: tuple[int, int] | None = None
    _cache: ReadCache | None = field(default=None, repr=False, compare=False)

    def prune_cache(self) -> int:
        """Remove from the reading cache (once written) what this load did not use."""
        cache, self._cache = self._cache, None
        return cache.prune() if cache is not None else 0

    @property
    def groups(self) -> list[GroupEntry]:
        """Every group, semester by semester."""
        return [g for s in self.semesters for g in s.groups]

    def semester(self, slug: str) -> Semester:
        """Return a semester by folder name.

        Raises:
            KeyError: No such semester.
        """
        for sem in self.semesters:
            if sem.slug == slug:
                return sem
        raise KeyError(slug)


def slugify(name: str) -> str:
    """Return a URL-safe folder name (lower case, unsafe runs replaced by ``-``)."""
    return _SLUG.sub("-", name.lower()).strip("-.") or "x"


def load_archive(
    root: Path,
    parse: Parse | None = None,
    jobs: int = 1,
    max_report_bytes: int | None = None,
    *,
    tools: bool = False,
    cache: Path | None = None,
    prune: bool = True,
) -> Archive:
    """Scan a reports folder and parse every report in it.

    Nothing is read through a link: folders that are symbolic links are skipped (a
    problem says so), and every file is read with `report_archive.reports.files.read_inside`
    from `root` down.

    Args:
        root: The reports folder (``<semester>/<group>/README.md``).
        parse: Parser to use (default: `report_archive.reports.parser.parse_report`, reading each
            report from `root` without links); a picklable callable when `jobs` is not 1.
        jobs: Processes that parse the reports (`report_archive.reports.parallel.workers`).
        max_report_bytes: Larger reports are not read (default:
            `report_archive.reports.parser.MAX_REPORT_BYTES`).
        tools: Detect the tools each group used (`report_archive.reports.tools`), in the
            same worker processes as the parsing.
        cache: A folder where each report's reading is kept between calls, keyed by what
            it is read from (`report_archive.reports.read_cache`); results not used by
            this call are removed from it (`prune`). None reads every report.
        prune: Remove the unused results before returning; False leaves that to
            `Archive.prune_cache` (the new results are written meanwhile).

    Returns:
        The archive; problems in reports and metadata are inside it.

    Raises:
        ArchiveError: The folder does not exist or cannot be listed.
    """
    if parse is None:
        from report_archive.reports.parser import MAX_REPORT_BYTES, parse_report

        parse = functools.partial(
            parse_report, root=root, limit=max_report_bytes or MAX_REPORT_BYTES
        )
    if not root.is_dir():
        raise ArchiveError(f"The reports folder {root} does not exist")
    reader = Reader(parse, tools)
    kept = ReadCache(reader, cache) if cache is not None else None
    read: Read = kept if kept is not None else reader
    if jobs != 1 or kept is not None:
        read = _read_ahead(root, reader, jobs, kept)
    archive = Archive(root=root)
    try:
        semester_dirs = sorted(p for p in root.iterdir() if _visible_dir(p, archive))
    except OSError as e:
        raise ArchiveError(f"The reports folder {root} cannot be listed: {e}") from e
    seen_slugs: set[str] = set()
    for folder in semester_dirs:
        slug = slugify(folder.name)
        if slug in seen_slugs:
            archive.problems.append(
                _problem(folder, f"Two semester folders map to the URL {slug!r}; skipped.")
            )
            continue
        seen_slugs.add(slug)
        meta, problems = read_semester_meta(folder, root)
        archive.problems.extend(_meta_problem(p, "semester-yml") for p in problems)
        semester = Semester(slug=slug, title=meta.title, order=meta.order, folder=folder)
        semester.groups = _load_groups(folder, slug, read, archive, root)
        archive.semesters.append(semester)
    archive.semesters.sort(key=lambda s: (-s.order, s.slug))
    if kept is not None:
        archive.read_counts = (kept.hits, kept.misses)
        archive._cache = kept
        if prune:
            archive.prune_cache()
        for semester in archive.semesters:
            for entry in semester.groups:
                if entry.report is not None:
                    entry.digest = kept.keys.get(entry.source)
    return archive


def _read_ahead(root: Path, read: Reader, jobs: int, kept: ReadCache | None) -> Read:
    """Read every report under `root` now, taking from `kept` what it holds.

    The others are read in worker processes if many (`read_all`) and kept for next time.
    """
    try:
        paths = sorted(
            path
            for semester in root.iterdir()
            if _visible_dir(semester)
            for group in semester.iterdir()
            if _visible_dir(group) and (path := group / REPORT_FILE).is_file()
        )
    except OSError:  # load_archive reports what cannot be listed
        return kept if kept is not None else read
    if kept is None:
        return read_all(paths, read, jobs)
    keys = {path: kept.key(path) for path in paths}
    found: dict[Path, ReadResult] = {}
    for path, key in keys.items():
        if key is not None and (result := kept.get(key)) is not None:
            found[path] = result

    def keep(path: Path, result: ReadResult, data: bytes) -> None:
        if (key := keys.get(path)) is not None:
            kept.put(key, result, data)

    rest = read_all([p for p in paths if p not in found], read, jobs, keep)

    def lookup(path: Path) -> ReadResult:
        if path in found:
            kept.hits += 1
            return found.pop(path)
        if path not in keys:
            return kept(path)
        kept.misses += 1
        result = rest(path)  # kept by `keep`
        keys.pop(path)
        return result

    return lookup


def _problem(path: Path, message: str, code: str = "folder") -> Problem:
    return Problem(path, Diagnostic(Level.ERROR, None, message, code))


def _meta_problem(problem: MetaProblem, code: str) -> Problem:
    level = Level.ERROR if problem.fatal else Level.WARNING
    return Problem(problem.file, Diagnostic(level, problem.line, problem.message, code))


def _visible_dir(path: Path, archive: Archive | None = None) -> bool:
    """Whether a folder of the archive is read: not hidden, and not a symbolic link."""
    if is_ignored(path.name):
        return False
    if path.is_symlink():
        if archive is not None and path.is_dir():
            message = "This folder is a symbolic link; it is not read."
            archive.problems.append(_problem(path, message, "link"))
        return False
    return path.is_dir()


def _load_groups(
    folder: Path, semester: str, read: Read, archive: Archive, root: Path
) -> list[GroupEntry]:
    groups: list[GroupEntry] = []
    seen: set[str] = set()
    try:
        group_dirs = sorted(p for p in folder.iterdir() if _visible_dir(p, archive))
    except OSError as e:
        archive.problems.append(_problem(folder, f"The folder cannot be listed: {e.strerror}."))
        return groups
    for path in group_dirs:
        slug = slugify(path.name)
        if slug in seen:
            archive.problems.append(
                _problem(path, f"Two group folders map to the URL {slug!r}; skipped.")
            )
            continue
        if not (path / REPORT_FILE).exists() and not (path / REPORT_FILE).is_symlink():
            message = "The group's folder has no README.md."
            archive.problems.append(_problem(path / REPORT_FILE, message, "no-report"))
            continue
        seen.add(slug)
        groups.append(_load_group(path, semester, slug, read, root))
    groups.sort(key=lambda g: (g.number is None, g.number or 0, g.slug))
    return groups


def _load_group(folder: Path, semester: str, slug: str, read: Read, root: Path) -> GroupEntry:
    source = folder / REPORT_FILE
    meta, meta_problems = read_group_meta(folder, root)
    problems: list[Problem] = []
    report: Report | None
    tools: ToolReport | None = None
    try:
        report, tools = read(source)
    except Exception as e:  # the parser promises ReportReadError only; be safe anyway
        report = None
        message = "The report cannot be read: " + str(e).replace(f"{source}: ", "")
        problems.append(_problem(source, message, "unreadable"))
    m = GROUP_FOLDER.match(folder.name)
    number = int(m.group(1)) if m else (report.group.number if report else None)
    if report is not None:
        problems.extend(Problem(source, d) for d in report.diagnostics)
        said = report.group.number
        if m and said is not None and said != number:
            message = f"The report gives group number {said}, but its folder is {folder.name}."
            question = "group-number" if report.answer("group-number") else None
            diagnostic = Diagnostic(Level.INFO, None, message, "group-number", question)
            problems.append(Problem(source, diagnostic))
    problems.extend(_meta_problem(mp, "group-yml") for mp in meta_problems)
    return GroupEntry(
        semester=semester,
        slug=slug,
        number=number,
        folder=folder,
        report=report,
        meta=meta,
        problems=problems,
        tools=tools,
    )
