"""Finding image and link references in student markdown, and resolving them safely.

A reference is resolved against the report's folder only: a target that leaves it
(``../../etc/passwd``, an absolute file path, a symlink pointing out) is never resolved
to a file.
"""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from report_archive.reports.layout import IMAGE_SUFFIXES

__all__ = ["IMAGE_PATTERN", "count_images", "find_references", "resolve_target"]

# The course checker's rule for an image: ``![...](...)`` (counted by `count_images`).
IMAGE_PATTERN = re.compile(r"!\[[^\]]*\]\([^)]*\)")

# Every pattern below runs on student text, so none may take more than linear time on a
# line: no attempt may scan past the point where the next attempt would start, or its
# alternatives must not overlap. Link text holds plain characters and one level of
# ``[...]``, a destination plain characters and one level of ``(...)``; a scan inside a
# tag stops at the next ``<``.
_INLINE = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]"
    r"\(\s*(?P<target><[^<>\n]*>|(?:[^\s()]|\([^\s()]*\))+)"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
)
_REFDEF = re.compile(r"^ {0,3}\[(?P<label>[^\]]+)\]:\s*(?P<target><[^>\n]*>|\S+)")
_HTML_SRC = re.compile(
    r"<(?P<tag>img|a|source|video)\b[^<>]*?\b(?P<attr>src|href)\s*=\s*"
    r"(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<uq>[^\s>]+))",
    re.IGNORECASE,
)
_AUTOLINK = re.compile(r"<(?P<url>(?:https?|mailto):[^<>\s]+)>", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_WINDOWS_DRIVE = re.compile(r"^[a-zA-Z]:[\\/]")


def find_references(markdown: str) -> list[tuple[int, str, str]]:
    """Find image and link targets in markdown.

    Args:
        markdown: Student markdown.

    Returns:
        ``(line, kind, target)`` triples: 1-based line within `markdown`, ``"image"`` or
        ``"link"``, and the target as written (``<...>`` brackets removed). An image wrapped
        in a link (``[![alt](src)](src)``) gives both.
    """
    found: list[tuple[int, str, str]] = []
    for number, line in enumerate(markdown.split("\n"), start=1):
        if "](" in line:
            for m in _INLINE.finditer(line):
                kind = "image" if m.group("bang") else "link"
                found.append((number, kind, _unbracket(m.group("target"))))
                # An image inside the link text: [![alt](src)](href)
                inner = m.group("text")
                if "](" in inner:
                    for im in _INLINE.finditer(inner):
                        if im.group("bang"):
                            found.append((number, "image", _unbracket(im.group("target"))))
        if "<" in line:
            for m in _HTML_SRC.finditer(line):
                value = m.group("dq") or m.group("sq") or m.group("uq") or ""
                kind = "link" if m.group("tag").lower() == "a" else "image"
                found.append((number, kind, value.strip()))
            for m in _AUTOLINK.finditer(line):
                found.append((number, "link", m.group("url")))
        if "]:" in line:
            ref = _REFDEF.match(line)
            if ref:
                target = _unbracket(ref.group("target"))
                kind = "image" if _looks_like_image(target) else "link"
                found.append((number, kind, target))
    return found


def count_images(markdown: str) -> int:
    """Count images by the course checker's rule (``![...](...)``) plus HTML ``<img>`` tags."""
    return _count_checker_images(markdown) + len(re.findall(r"<img\b", markdown, re.I))


def _count_checker_images(text: str) -> int:
    """Count the matches of `IMAGE_PATTERN` in linear time.

    The pattern's own search takes quadratic time on text such as ``![`` repeated: every
    ``![`` scans to the next ``]`` and fails there. A match starts at an ``![``, ends at
    the first ``)`` after the first ``](`` that follows, so one pass that remembers the
    next ``]`` and ``)`` finds the same matches.
    """
    count = 0
    close = paren = -1  # the next "]" and ")" found so far (-1: not looked for yet)
    start = text.find("![")
    while start != -1:
        if close < start + 2:
            close = text.find("]", start + 2)
            if close == -1:
                break
        if text.startswith("(", close + 1):
            if paren < close + 2:
                paren = text.find(")", close + 2)
                if paren == -1:
                    break
            count += 1
            start = text.find("![", paren + 1)
        else:
            start = text.find("![", start + 1)
    return count


def _unbracket(target: str) -> str:
    target = target.strip()
    if target.startswith("<") and target.endswith(">"):
        target = target[1:-1].strip()
    return target


def _looks_like_image(target: str) -> bool:
    return posixpath.splitext(urlsplit(target).path.lower())[1] in IMAGE_SUFFIXES


def resolve_target(
    target: str, folder: Path, listings: dict[str, frozenset[str]] | None = None
) -> tuple[str, str | None]:
    """Resolve a reference against the report's folder.

    Args:
        target: The target as written (``figures/x.png``, ``./figures/x.png``,
            ``/reports/figures/x.png``, ``figures/with%20spaces.png``, a URL, ...).
        folder: The report's folder.
        listings: A cache of directory listings to share between calls on one folder
            (optional; pass a fresh dict per report).

    Returns:
        ``(status, path)``: status is ``"found"``, ``"missing"``, ``"external"``,
        ``"outside"`` or ``"anchor"``; path is the real file's path relative to `folder`
        (POSIX style) when found, whose case may differ from `target` (see
        `case_differs`), else None.
    """
    target = target.strip()
    if not target:
        return "missing", None
    if target.startswith("#"):
        return "anchor", None
    if target.startswith("//") or (_SCHEME.match(target) and not _WINDOWS_DRIVE.match(target)):
        return "external", None
    relative = _relative_path(target)
    if relative is None:
        return "outside", None
    if relative == "":
        return "missing", None
    found = _find_file(folder, relative, {} if listings is None else listings)
    if found is None:
        return "missing", None
    return "found", found


def case_differs(target: str, path: str) -> bool:
    """Whether a found path differs from what the student wrote only in letter case."""
    relative = _relative_path(target.strip())
    return relative is not None and relative != path and relative.lower() == path.lower()


def _relative_path(target: str) -> str | None:
    """Turn a target into a normalised path relative to the report folder, or None if outside."""
    path = unquote(urlsplit(target).path if "?" in target or "#" in target else target)
    path = path.replace("\\", "/")
    if _WINDOWS_DRIVE.match(path):
        return None
    if path.startswith("/"):
        # Repository-root paths: /reports/figures/x.png is the report folder's figures/x.png.
        stripped = path.lstrip("/")
        if stripped.startswith("reports/"):
            path = stripped[len("reports/") :]
        else:
            return None
    normal = posixpath.normpath(path)
    if normal in (".", ""):
        return ""
    if normal == ".." or normal.startswith("../") or normal.startswith("/"):
        return None
    return normal


def _find_file(folder: Path, relative: str, listings: dict[str, frozenset[str]]) -> str | None:
    """Find `relative` under `folder`, exactly or by case, never leaving `folder`."""
    parts = relative.split("/")
    current = folder
    real_parts: list[str] = []
    for index, part in enumerate(parts):
        key = str(current)
        entries = listings.get(key)
        if entries is None:
            entries = listings[key] = _listdir(key)
        if part in entries:
            name = part
        else:
            matches = [e for e in entries if e.lower() == part.lower()]
            if len(matches) != 1:
                return None
            name = matches[0]
        current = current / name
        real_parts.append(name)
        last = index == len(parts) - 1
        if current.is_symlink():
            return None  # never follow a link: it may point out of the folder
        if last and not current.is_file():
            return None
        if not last and not current.is_dir():
            return None
    return "/".join(real_parts)


def _listdir(path: str) -> frozenset[str]:
    try:
        return frozenset(os.listdir(path))
    except OSError:
        return frozenset()
