"""The optional metadata files next to the reports: ``semester.yml`` and ``group.yml``.

```
reports/2026-january/semester.yml        title, order
reports/2026-january/group-15/group.yml  repository, commit, branch, imported, members,
                                         title, summary, readme_title, readme_summary,
                                         prepared_figures
```

One schema per file (`SEMESTER_KEYS`, `GROUP_KEYS`), used by the build, by
``report-archive check`` and by ``report-archive import`` (which writes ``group.yml`` with
`write_group_meta`). Plain Python, no MkDocs: the reading core must outlive the glue.

Nothing in a metadata file can stop the build: every key is validated on its own, a bad
value becomes a `MetaProblem` naming the file, the line and the key, and its default is
used instead. One-line texts (titles, summaries) lose their control and invisible
characters (terminal escapes, bidi overrides). YAML dates are read as text and validated
here (PyYAML would raise ``ValueError`` out of ``safe_load`` for ``2026-13-01``), and the
files are read with `report_archive.reports.files.read_inside`, so a link out of the archive
is never followed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from report_archive.reports.files import read_inside
from report_archive.reports.layout import GROUP_FILE, SEMESTER_FILE, SEMESTER_FOLDER
from report_archive.reports.meta_values import (
    MetaValueError,
    PreparedFigures,
    branch,
    commit,
    date_or_time,
    http_url,
    prepared_figures,
    text,
    text_list,
    whole_number,
)

__all__ = [
    "GROUP_KEYS",
    "SEMESTER_KEYS",
    "GroupMeta",
    "Key",
    "MetaProblem",
    "PreparedFigures",
    "SemesterMeta",
    "read_group_meta",
    "read_semester_meta",
    "write_group_meta",
]

MAX_META_BYTES = 64_000
"""Larger metadata files are not read (a real one is a few hundred bytes)."""

_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip


@dataclass(frozen=True)
class Key:
    """One key of a metadata file.

    Attributes:
        name: The key.
        check: Returns the value to use for what YAML read, or raises `MetaValueError`.
        doc: What the key means (the configuration reference shows it).
    """

    name: str
    check: Callable[[Any], Any]
    doc: str


@dataclass(frozen=True)
class MetaProblem:
    """Something wrong with a metadata file.

    Attributes:
        file: The file.
        message: What is wrong, naming the key when there is one.
        line: 1-based line of the value concerned, or None for the whole file.
        fatal: True when the file could not be used at all.
    """

    file: Path
    message: str
    line: int | None = None
    fatal: bool = False

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        return f"{where}: {self.message}"


GROUP_KEYS = (
    Key("repository", http_url, "The group's repository, ``https://github.com/<owner>/<name>``."),
    Key("commit", commit, "The commit the report was taken from (in quotes)."),
    Key("branch", branch, "The branch the report was taken from, when not the default one."),
    Key("imported", date_or_time, "When the report was imported (date or date and time)."),
    Key("members", text_list, "Student numbers or names of the members (a list)."),
    Key("title", text(200, one_line=True), "The project's title (one line), as staff want it."),
    Key("summary", text(1000, one_line=True), "What the project does, in a sentence or two."),
    Key(
        "readme_title",
        text(200, one_line=True),
        "The title the import read from the repository's README; shown when there is no title.",
    ),
    Key(
        "readme_summary",
        text(1000, one_line=True),
        "The summary the import read from the README; shown when there is no summary.",
    ),
    Key(
        "prepared_figures",
        prepared_figures,
        "Written by the import: the figures it made ready to publish (``encoding``, and "
        "``files``: each figure's path → its SHA-256). A build with the same figure options "
        "publishes them as they are while their content is unchanged.",
    ),
)
"""The keys of ``group.yml``, in the order `write_group_meta` writes them."""

SEMESTER_KEYS = (
    Key("title", text(100, one_line=True), 'Shown in headings and lists, e.g. "January 2026".'),
    Key("order", whole_number, "Semesters with a higher order are listed first."),
)
"""The keys of ``semester.yml``."""


# -- reading --------------------------------------------------------------------------------


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """PyYAML's safe loader, with dates left as text (validated by the keys' checks).

    libyaml's when PyYAML has it: ``group.yml`` files are read at every build without a
    cache, and the pure-Python parser takes 2 ms for one with a few figure digests.
    """


_Loader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse(text: str) -> tuple[yaml.Node | None, Any]:
    """The document's node (for line numbers) and its data, from one parse."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


@dataclass(frozen=True)
class _Read:
    values: dict[str, Any]
    raw: dict[str, Any]
    problems: list[MetaProblem]


def _read(path: Path, keys: tuple[Key, ...], root: Path | None) -> _Read:
    """Read and validate a metadata file against `keys` (a missing file is no problem)."""
    problems: list[MetaProblem] = []
    try:
        text = read_inside(path, root or path.parent, MAX_META_BYTES).decode("utf-8")
        document, data = _parse(text)
    except FileNotFoundError:
        return _Read({}, {}, [])
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError, RecursionError) as e:
        line = _error_line(e)
        return _Read({}, {}, [MetaProblem(path, f"cannot be read: {_reason(e)}", line, True)])
    if data is None:
        return _Read({}, {}, [])
    if not isinstance(data, dict) or not isinstance(document, yaml.MappingNode):
        return _Read({}, {}, [MetaProblem(path, "must be a mapping of keys to values", 1, True)])
    lines = {
        str(k.value): v.start_mark.line + 1
        for k, v in document.value
        if isinstance(k, yaml.ScalarNode)
    }
    raw = {str(k): v for k, v in data.items()}
    known = {key.name: key for key in keys}
    values: dict[str, Any] = {}
    for name, value in raw.items():
        key = known.get(name)
        if key is None:
            expected = ", ".join(known)
            problems.append(
                MetaProblem(
                    path, f"{name}: unknown key (expected {expected}); ignored", lines.get(name)
                )
            )
            continue
        try:
            values[name] = key.check(value)
        except MetaValueError as e:
            problems.append(MetaProblem(path, f"{name}: {e}; ignored", lines.get(name)))
    return _Read(values, raw, problems)


def _error_line(error: BaseException) -> int | None:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return mark.line + 1 if mark is not None else None


def _reason(error: BaseException) -> str:
    if isinstance(error, yaml.YAMLError):
        problem = getattr(error, "problem", None)
        return f"not valid YAML ({problem})" if problem else "not valid YAML"
    if isinstance(error, UnicodeDecodeError):
        return "not UTF-8 text"
    if isinstance(error, RecursionError):
        return "nested too deeply"
    return getattr(error, "reason", None) or " ".join(str(error).split())


@dataclass(frozen=True)
class SemesterMeta:
    """What ``semester.yml`` says, with defaults filled in."""

    title: str
    order: int


@dataclass(frozen=True)
class GroupMeta:
    """What ``group.yml`` says (every key optional).

    Attributes:
        repository: The group's repository URL.
        commit: The commit the report was taken from.
        branch: The branch, when not the default one.
        title: The project's title, as staff wrote it.
        summary: What the project does, in a sentence or two, as staff wrote it.
        readme_title: The title ``report-archive import`` read from the repository's README.
        readme_summary: The summary it read there.
        members: Student numbers or names.
        imported: When the report was imported, as written (ISO date or date-time).
        prepared_figures: The figures the import made ready to publish.
        raw: Every key as the file has it (invalid and unknown ones too), so that rewriting
            the file keeps what staff wrote.
    """

    repository: str | None = None
    commit: str | None = None
    branch: str | None = None
    title: str | None = None
    summary: str | None = None
    readme_title: str | None = None
    readme_summary: str | None = None
    members: tuple[str, ...] = ()
    imported: str | None = None
    prepared_figures: PreparedFigures | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


def read_semester_meta(
    folder: Path, root: Path | None = None
) -> tuple[SemesterMeta, list[MetaProblem]]:
    """Read ``folder/semester.yml``, filling in defaults from the folder name.

    Args:
        folder: The semester's folder.
        root: The folder the file must be reached from without links (default: `folder`).
    """
    read = _read(folder / SEMESTER_FILE, SEMESTER_KEYS, root)
    title = read.values.get("title") or default_semester_title(folder.name)
    order = read.values.get("order")
    return (
        SemesterMeta(
            title=title, order=order if order is not None else default_semester_order(folder.name)
        ),
        read.problems,
    )


def read_group_meta(folder: Path, root: Path | None = None) -> tuple[GroupMeta, list[MetaProblem]]:
    """Read ``folder/group.yml``.

    Args:
        folder: The group's folder.
        root: The folder the file must be reached from without links (default: `folder`).
    """
    read = _read(folder / GROUP_FILE, GROUP_KEYS, root)
    return GroupMeta(**read.values, raw=read.raw), read.problems


def write_group_meta(folder: Path, values: Mapping[str, Any], keep: Mapping[str, Any]) -> None:
    """Write ``folder/group.yml`` atomically: `values` first, then the other keys of `keep`.

    Args:
        folder: The group's folder.
        values: Keys to write (in `GROUP_KEYS` order; None values are left out).
        keep: The file's previous keys (`GroupMeta.raw`); those not in `values` are kept as
            they were, so what staff wrote by hand survives an import.
    """
    order = [k.name for k in GROUP_KEYS]
    data = {k: values[k] for k in order if values.get(k) is not None}
    data.update({k: v for k, v in values.items() if k not in data and v is not None})
    data.update({k: v for k, v in keep.items() if k not in values})
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    temporary = folder / f".{GROUP_FILE}.tmp"
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(folder / GROUP_FILE)


def default_semester_title(name: str) -> str:
    """Title from a folder name: ``2026-january`` → "January 2026"; others unchanged."""
    m = SEMESTER_FOLDER.match(name)
    if m and m.group(2) in _MONTHS:
        return f"{m.group(2).capitalize()} {m.group(1)}"
    return name


def default_semester_order(name: str) -> int:
    """Sort key from a folder name: ``2026-january`` → 202601; 0 when it has no date."""
    m = SEMESTER_FOLDER.match(name)
    if m and m.group(2) in _MONTHS:
        return int(m.group(1)) * 100 + _MONTHS.index(m.group(2)) + 1
    return 0
