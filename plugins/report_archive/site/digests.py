"""What the site's output depends on besides its input: this package and its libraries."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import sys
from pathlib import Path

__all__ = ["code"]

_PACKAGE = Path(__file__).resolve().parent.parent
_LIBRARIES = ("Jinja2", "MarkupSafe", "Markdown", "cmarkgfm", "nh3", "ftfy", "PyYAML", "Pillow")


@functools.cache
def code() -> bytes:
    """A SHA-256 of this package and the libraries that read and render reports.

    Every file of the ``report_archive`` package (code, templates, data), the versions of
    those libraries and of Python.
    """
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(_PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name} {importlib.metadata.version(name)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(name.encode())
    digest.update(sys.version.encode())
    return digest.digest()
