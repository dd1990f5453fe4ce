"""Every name and pattern the archive has on disk, and the forms of a student number.

```
reports/                       (reports_dir)
  2026-january/                a semester folder: SEMESTER_FOLDER
    semester.yml               SEMESTER_FILE
    group-15/                  a group folder: GROUP_FOLDER
      README.md                REPORT_FILE, the group's filled-in template
      group.yml                GROUP_FILE
      figures/...              images: IMAGE_SUFFIXES
```

One place for each, so the reader, the site, the importer and the command line agree.
"""

from __future__ import annotations

import re
from pathlib import PurePath

__all__ = [
    "BARE_STUDENT",
    "GROUP_FILE",
    "GROUP_FOLDER",
    "IMAGE_SUFFIXES",
    "REPORT_FILE",
    "SAFE_FOLDER",
    "SEMESTER_FILE",
    "SEMESTER_FOLDER",
    "STUDENT_FORMS",
    "STUDENT_NUMBER",
    "group_folder",
    "is_ignored",
    "natural_key",
]

REPORT_FILE = "README.md"
"""A group's report, in its folder (and in ``reports/`` of the group's repository)."""

GROUP_FILE = "group.yml"
"""A group's metadata (`report_archive.reports.meta`), written by ``report-archive import``."""

SEMESTER_FILE = "semester.yml"
"""A semester's metadata."""

GROUP_FOLDER = re.compile(r"^group-(\d+)$", re.IGNORECASE)
"""A group's folder; group 1 is the group's number."""

SEMESTER_FOLDER = re.compile(r"^(\d{4})-([a-z]+)$")
"""A semester's folder named after its year and month (``2026-january``)."""

SAFE_FOLDER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
"""A folder name that is safe to create from a command-line argument."""

IMAGE_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".svg", ".tif", ".tiff"}
)
"""File name extensions of images (compared in lower case): what the importer copies and the
site considers as figures (which of them browsers show is decided when publishing)."""

STUDENT_NUMBER = re.compile(r"(?<![A-Za-z0-9])[sS]\d{6}(?![0-9])")
"""A DTU student number as usually written (``s224176``, ``S224176``)."""

STUDENT_FORMS = re.compile(r"(?<![A-Za-z0-9])[sS][ -]?(\d{6})(?![0-9])")
"""Every way of writing a student number that is read as one (on text normalised with
`report_archive.reports.decoding.normalise`): ``s224176``, ``s 224176``, ``s-224176``.
Group 1 is the six digits."""

BARE_STUDENT = re.compile(r"(?<![A-Za-z0-9])(\d{6})(?!\d)")
"""Six digits alone: a student number without its ``s``, in the answer that lists members."""


def group_folder(number: int) -> str:
    """The folder name of a group: ``group-<n>``."""
    return f"group-{number}"


def is_ignored(name: str) -> bool:
    """Whether a file or folder of the archive is left out (hidden: ``.`` or ``_`` first)."""
    return name.startswith((".", "_"))


_DIGITS = re.compile(r"(\d+)")


def natural_key(path: str | PurePath) -> tuple[tuple[int, str | int], ...]:
    """Sort key that orders numbers by value: ``group-2`` before ``group-15``.

    Args:
        path: A name or a path (compared part by part, case-insensitively).
    """
    text = path.as_posix() if isinstance(path, PurePath) else path
    return tuple(
        (1, int(piece)) if piece.isdigit() else (0, piece.casefold())
        for piece in _DIGITS.split(text)
        if piece
    )
