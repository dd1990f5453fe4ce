"""The optional metadata files next to the reports: ``semester.yml`` and ``group.yml``.

```
reports/2026-january/semester.yml        title, order
reports/2026-january/group-15/group.yml  repository, commit, title, members, imported
```

Both are validated with MkDocs config classes (as Material's blog validates post metadata),
but a bad file never stops the build: `read_meta` returns what it could use and a list of
problems, each naming the file, and the caller reports them.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import yaml
from mkdocs.config import config_options as opt
from mkdocs.config.base import Config, ValidationError

__all__ = [
    "GroupConfig",
    "GroupMeta",
    "MetaProblem",
    "SemesterConfig",
    "SemesterMeta",
    "read_group_meta",
    "read_semester_meta",
]

_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_SEMESTER = re.compile(r"^(\d{4})-([a-z]+)$")
_COMMIT = re.compile(r"^[0-9a-f]{4,64}$")


class HttpUrl(opt.Type[str]):
    """An ``http`` or ``https`` URL with a host."""

    def __init__(self) -> None:
        super().__init__(str)

    def run_validation(self, value: object) -> str:
        """Check scheme and host."""
        text = super().run_validation(value).strip()
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValidationError(f"{text!r} is not an http(s) URL")
        if any(c in text for c in "\"'<> \t\r\n\\`"):
            raise ValidationError(f"{text!r} contains characters a URL cannot have")
        return text


class Commit(opt.Type[str]):
    """A git commit id (hexadecimal, 4 to 64 digits); write it quoted in YAML."""

    def __init__(self) -> None:
        super().__init__(str)

    def run_validation(self, value: object) -> str:
        """Check it is hexadecimal."""
        if isinstance(value, int) and not isinstance(value, bool):
            raise ValidationError("write the commit in quotes, YAML read it as a number")
        text = super().run_validation(value).strip().lower()
        if not _COMMIT.match(text):
            raise ValidationError(f"{text!r} is not a git commit id")
        return text


class SemesterConfig(Config):  # type: ignore[no-untyped-call]
    """Schema of ``<semester>/semester.yml``."""

    title = opt.Optional(opt.Type(str))
    """Shown in headings and lists, e.g. "January 2026". Defaults to one made from the folder
    name (``2026-january`` → "January 2026")."""
    order = opt.Optional(opt.Type(int))
    """Semesters with a higher order are listed first. Defaults to year × 100 + month from the
    folder name (``2026-january`` → 202601), so the newest comes first."""


class GroupConfig(Config):  # type: ignore[no-untyped-call]
    """Schema of ``<semester>/<group>/group.yml`` (written by ``report-archive import``)."""

    repository = opt.Optional(HttpUrl())
    """The group's repository, ``https://github.com/<owner>/<name>``."""
    commit = opt.Optional(Commit())
    """The commit the report was taken from."""
    branch = opt.Optional(opt.Type(str))
    """The branch the report was taken from, when not the default one."""
    title = opt.Optional(opt.Type(str))
    """The project's title."""
    members = opt.ListOfItems(opt.Type(str), default=[])
    """Student numbers or names of the members."""
    imported = opt.Optional(opt.Type((str, datetime.date)))
    """When the report was imported (date or date-time)."""


@dataclass(frozen=True)
class MetaProblem:
    """Something wrong with a metadata file.

    Attributes:
        file: The file.
        message: What is wrong, naming the key when there is one.
        fatal: True when the file could not be used at all.
    """

    file: Path
    message: str
    fatal: bool = False

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


@dataclass(frozen=True)
class SemesterMeta:
    """What ``semester.yml`` says, with defaults filled in."""

    title: str
    order: int


@dataclass(frozen=True)
class GroupMeta:
    """What ``group.yml`` says (every key optional)."""

    repository: str | None = None
    commit: str | None = None
    branch: str | None = None
    title: str | None = None
    members: tuple[str, ...] = ()
    imported: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


C = TypeVar("C", bound=Config)


def read_meta(path: Path, schema: type[C]) -> tuple[C, list[MetaProblem]]:
    """Read and validate a metadata file.

    A missing file gives the defaults and no problem. Keys that fail validation are reported
    and replaced by their default; unknown keys are reported and ignored.

    Args:
        path: The YAML file.
        schema: The config class to validate against.

    Returns:
        The validated config and the problems found.
    """
    problems: list[MetaProblem] = []
    data: Any = {}
    if path.is_file():
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
            problems.append(MetaProblem(path, f"cannot be read: {_one_line(e)}", fatal=True))
            data = {}
        if data is None:
            data = {}
        if not isinstance(data, dict):
            problems.append(MetaProblem(path, "must be a mapping of keys to values", fatal=True))
            data = {}
    data = {str(k): v for k, v in data.items()}
    while True:
        config = schema(config_file_path=str(path))
        config.load_dict(dict(data))
        failed, warnings = config.validate()
        if not failed:
            break
        for key, error in failed:
            problems.append(MetaProblem(path, f"{key}: {_one_line(error)}"))
            data.pop(key, None)
    for key, warning in warnings:
        problems.append(MetaProblem(path, f"{key}: {_one_line(warning)}"))
    return config, problems


def read_semester_meta(folder: Path) -> tuple[SemesterMeta, list[MetaProblem]]:
    """Read ``folder/semester.yml``, filling in defaults from the folder name."""
    config, problems = read_meta(folder / "semester.yml", SemesterConfig)
    title, order = default_semester_title(folder.name), default_semester_order(folder.name)
    return (
        SemesterMeta(
            title=config.title if config.title else title,
            order=config.order if config.order is not None else order,
        ),
        problems,
    )


def read_group_meta(folder: Path) -> tuple[GroupMeta, list[MetaProblem]]:
    """Read ``folder/group.yml``."""
    config, problems = read_meta(folder / "group.yml", GroupConfig)
    imported = config.imported
    return (
        GroupMeta(
            repository=config.repository,
            commit=config.commit,
            branch=config.branch,
            title=config.title.strip() if config.title else None,
            members=tuple(m.strip() for m in config.members if m.strip()),
            imported=_date_text(imported),
        ),
        problems,
    )


def default_semester_title(name: str) -> str:
    """Title from a folder name: ``2026-january`` → "January 2026"; others unchanged."""
    m = _SEMESTER.match(name)
    if m and m.group(2) in _MONTHS:
        return f"{m.group(2).capitalize()} {m.group(1)}"
    return name


def default_semester_order(name: str) -> int:
    """Sort key from a folder name: ``2026-january`` → 202601; 0 when it has no date."""
    m = _SEMESTER.match(name)
    if m and m.group(2) in _MONTHS:
        return int(m.group(1)) * 100 + _MONTHS.index(m.group(2)) + 1
    return 0


def _date_text(value: object) -> str | None:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value) if value is not None else None


def _one_line(error: object) -> str:
    return " ".join(str(error).split())
