"""What the site's output depends on besides its input: this package and its libraries."""

from __future__ import annotations

import functools
from pathlib import Path

from report_archive.reports.store import package_digest

__all__ = ["code"]

_PACKAGE = Path(__file__).resolve().parent.parent
_LIBRARIES = ("Jinja2", "MarkupSafe", "Markdown", "cmarkgfm", "nh3", "ftfy", "PyYAML", "Pillow")


@functools.cache
def code() -> bytes:
    """A SHA-256 of this package and the libraries that read and render reports.

    Every file of the ``report_archive`` package (code, templates, data), the versions of
    those libraries and of Python.
    """
    return package_digest(_PACKAGE, _LIBRARIES)
