"""The values of ``group.yml`` and ``semester.yml``: one check per kind of value.

Each check returns the value to use for what YAML read, or raises `MetaValueError` with a
message saying what was expected (`report_archive.reports.meta` adds the file, line and
key). Plain Python, no MkDocs.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "MAX_PREPARED",
    "MetaValueError",
    "PreparedFigures",
    "branch",
    "commit",
    "date_or_time",
    "http_url",
    "prepared_figures",
    "text",
    "text_list",
    "whole_number",
]

_COMMIT = re.compile(r"^[0-9a-f]{4,64}$")
_BRANCH = re.compile(r"^[A-Za-z0-9._/-]{1,200}$")
_URL_FORBIDDEN = frozenset("\"'<> \t\r\n\\`")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_PREPARED = 1_000
"""At most this many figures are recorded in ``prepared_figures`` (a real group has tens)."""


class MetaValueError(ValueError):
    """A value that a key does not accept; the message says what was expected."""


def text(limit: int, *, one_line: bool) -> Callable[[Any], str | None]:
    """A check for text of at most `limit` characters (one line: spaces collapsed)."""

    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            raise MetaValueError(f"expected text, got {_shown(value)} (write it in quotes)")
        text = " ".join(_visible(value).split()) if one_line else value.strip()
        if len(text) > limit:
            raise MetaValueError(f"is {len(text)} characters long; at most {limit} are allowed")
        return text or None

    return check


def _visible(text: str) -> str:
    """The text without control and invisible characters (escapes, bidi overrides)."""
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf") or c in "\t\n")


def http_url(value: Any) -> str:
    """An http(s) URL without characters that would break out of an attribute."""
    if not isinstance(value, str):
        raise MetaValueError(f"expected an https:// URL, got {_shown(value)}")
    text = value.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise MetaValueError(f"{text[:80]!r} is not an http(s) URL")
    if any(c in _URL_FORBIDDEN for c in text) or not text.isprintable():
        raise MetaValueError(f"{text[:80]!r} contains characters a URL cannot have")
    return text


def commit(value: Any) -> str:
    """A git commit id (4 to 64 hex digits), lower case."""
    if isinstance(value, int) and not isinstance(value, bool):
        raise MetaValueError("write the commit in quotes, YAML read it as a number")
    if not isinstance(value, str) or not _COMMIT.match(value.strip().lower()):
        raise MetaValueError(f"{_shown(value)} is not a git commit id (4 to 64 hex digits)")
    return value.strip().lower()


def branch(value: Any) -> str:
    """A branch name."""
    if not isinstance(value, str) or not _BRANCH.match(value.strip()):
        raise MetaValueError(f"{_shown(value)} is not a branch name")
    return value.strip()


def text_list(value: Any) -> tuple[str, ...]:
    """A list of texts, each on one line; empty ones dropped."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise MetaValueError(f"expected a list of texts, got {_shown(value)}")
    return tuple(" ".join(v.split()) for v in value if v.strip())


def date_or_time(value: Any) -> str:
    """An ISO date (``2026-01-20``) or date-time (``2026-01-20T10:00:00Z``), as written."""
    text = value.strip() if isinstance(value, str) else None
    if text:
        try:
            if len(text) == 10:
                datetime.date.fromisoformat(text)
            else:
                datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            return text
    raise MetaValueError(
        f"{_shown(value)} is not a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM:SSZ)"
    )


def whole_number(value: Any) -> int:
    """A whole number (not a boolean), at most 10⁹ in size."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise MetaValueError(f"expected a whole number, got {_shown(value)}")
    if abs(value) > 10**9:
        raise MetaValueError(f"{value} is too large")
    return value


@dataclass(frozen=True)
class PreparedFigures:
    """The figures ``report-archive import`` made ready to publish (``prepared_figures``).

    A build whose figure encoding is `encoding` publishes these files as they are, when
    their content still has the recorded digest: the import decided about them already
    (stored as WebP, or kept as committed when WebP was not smaller), and deciding again
    would encode the same figure once more.

    Attributes:
        encoding: The encoding they were made ready with
            (`report_archive.images.encode.Encoding.key`).
        files: Each figure's path in the group's folder (``/``-separated) → the SHA-256 of
            the file as the import stored it.
    """

    encoding: str
    files: Mapping[str, str]


def prepared_figures(value: Any) -> PreparedFigures:
    """``prepared_figures``: an encoding key, and paths inside the folder → SHA-256."""
    if not isinstance(value, dict) or set(value) != {"encoding", "files"}:
        raise MetaValueError(
            f"expected a mapping with the keys encoding and files, got {_shown(value)}"
        )
    encoding, files = value["encoding"], value["files"]
    if not isinstance(encoding, str) or not encoding.isprintable() or len(encoding) > 200:
        raise MetaValueError(f"encoding: {_shown(encoding)} is not an encoding key")
    if not isinstance(files, dict):
        raise MetaValueError(f"files: expected a mapping of paths to digests, got {_shown(files)}")
    if len(files) > MAX_PREPARED:
        raise MetaValueError(f"files: {len(files)} figures; at most {MAX_PREPARED} are allowed")
    checked: dict[str, str] = {}
    for name, digest in files.items():
        if not isinstance(name, str) or not _relative_path(name):
            raise MetaValueError(f"files: {_shown(name)} is not a path inside the group's folder")
        if not isinstance(digest, str) or not _SHA256.match(digest):
            raise MetaValueError(f"files: {_shown(name)}: {_shown(digest)} is not a SHA-256")
        checked[name] = digest
    return PreparedFigures(encoding, checked)


def _relative_path(name: str) -> bool:
    """Whether `name` is a ``/``-separated path inside a folder (no ``..``, not absolute)."""
    parts = name.split("/")
    return (
        0 < len(name) <= 500
        and name.isprintable()
        and "\\" not in name
        and all(part not in ("", ".", "..") for part in parts)
    )


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else type(value).__name__
    if isinstance(value, str):
        return text if len(text) <= 60 else text[:57] + "...'"
    return {"NoneType": "nothing", "list": "a list", "dict": "a mapping"}.get(text, text)
