r"""Text for a staff member's terminal: student text shown, never obeyed.

File names, folder names, question titles and messages quoting a report come from
students. Printed raw, an escape sequence among them could clear the screen, retitle the
window, hide lines or colour a failure green, and a bidi override could reorder what is
shown. `escape_controls` writes every such character visibly instead (``\x1b``,
``\u202e``). The command line installs `escaped_output` around everything it runs, so no
print path can bypass the escaping; the MkDocs plugin adds `EscapeControlsFilter` to its
logger. Output that must stay machine-readable is prepared so that the escaping leaves it
unchanged: JSON goes through `json_safe`.
"""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TextIO, cast

__all__ = [
    "EscapeControlsFilter",
    "EscapingStream",
    "escape_controls",
    "escaped_output",
    "json_safe",
    "unescaped",
]

_C0 = [c for c in range(0x20) if chr(c) not in "\n\t"]
_DEL_C1 = [0x7F, *range(0x80, 0xA0)]
_BIDI = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
"""Arabic letter mark, left-to-right and right-to-left marks, the embeddings and overrides
(U+202A–U+202E) and the isolates (U+2066–U+2069)."""


def _visible(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_ESCAPES = str.maketrans({code: _visible(code) for code in [*_C0, *_DEL_C1, *_BIDI]})
_JSON_ESCAPES = str.maketrans({code: f"\\u{code:04x}" for code in [*_C0, *_DEL_C1, *_BIDI]})


def escape_controls(text: str) -> str:
    r"""Show the characters that could steer a terminal as escapes.

    Args:
        text: Any text.

    Returns:
        The text with every C0 control but the line feed and the tab, DEL, every C1
        control and every bidi control written as ``\xNN`` or ``\uNNNN``.
    """
    return text.translate(_ESCAPES)


def json_safe(text: str) -> str:
    r"""Escape, in JSON text, the characters `escape_controls` would change, as JSON does.

    ``json.dumps(..., ensure_ascii=False)`` leaves DEL, C1 and bidi controls raw. They can
    only stand inside strings, where ``\uNNNN`` means the same character: the JSON keeps its
    values and passes `escape_controls` unchanged.

    Args:
        text: JSON text.

    Returns:
        The same JSON value, with those characters as ``\uNNNN`` escapes.
    """
    return text.translate(_JSON_ESCAPES)


class EscapingStream(io.TextIOBase):
    """A text stream that writes to another one through `escape_controls`."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream

    def write(self, text: str) -> int:
        """Write `text` with its control characters escaped; return ``len(text)``."""
        self.stream.write(escape_controls(text))
        return len(text)

    def writable(self) -> bool:
        """Writing is what this stream is for."""
        return True

    def flush(self) -> None:
        """Flush the underlying stream."""
        self.stream.flush()

    def isatty(self) -> bool:
        """Whether the underlying stream is a terminal."""
        return self.stream.isatty()

    def fileno(self) -> int:
        """The underlying stream's file descriptor."""
        return self.stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """The underlying stream's encoding."""
        return self.stream.encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        """The underlying stream's error handler."""
        return self.stream.errors


def _escaping(stream: TextIO | None) -> TextIO | None:
    if stream is None or isinstance(stream, EscapingStream):
        return stream
    return cast(TextIO, EscapingStream(stream))


@contextmanager
def escaped_output() -> Iterator[None]:
    """Escape control characters in everything written to stdout and stderr meanwhile."""
    saved = sys.stdout, sys.stderr
    sys.stdout = _escaping(sys.stdout)
    sys.stderr = _escaping(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def unescaped(stream: IO[str]) -> IO[str]:
    """The stream under `escaped_output`'s wrapper, for a writer of terminal codes.

    Only for a program's own control codes, such as those of ``rich``'s progress bar:
    student text written there must be escaped first with `escape_controls`.
    """
    return stream.stream if isinstance(stream, EscapingStream) else stream


class EscapeControlsFilter(logging.Filter):
    """A logging filter that escapes control characters in every record's message."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Replace the record's message by its escaped text; keep the record."""
        record.msg = escape_controls(record.getMessage())
        record.args = None
        return True
