"""Turning a report file's bytes into clean lines of text.

Handles what real reports bring: a byte order mark, CRLF or CR line ends, non-breaking
spaces, invalid UTF-8 (decoded line by line with a Windows-1252 fallback), mojibake such
as ``Pythonâ€™s`` (repaired with ftfy, only on the lines where it is suspected), and UTF-16
with a byte order mark (what Windows PowerShell's ``>`` writes).

`normalise` gives text as a reader sees it (fullwidth forms, invisible characters and
markup removed), with a map back to the original: student numbers are looked for in it.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field

import ftfy

__all__ = ["INVISIBLE", "Decoded", "decode_report", "looks_binary", "normalise"]

# Characters that UTF-8 text decoded as Windows-1252 or Latin-1 leaves behind: a lead
# byte (Â, Ã, â, Å, Ä, Ð, Ñ ...) followed by a continuation byte shown as a symbol.
_MOJIBAKE = re.compile(
    "[ÂÃâÅÄÐÑÎÏ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_MAX_LISTED = 5
_UTF16 = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


@dataclass
class Decoded:
    """A decoded report.

    Attributes:
        lines: The text split into lines, without line ends.
        problems: ``(line, message)`` for every repair made, 1-based lines.
    """

    lines: list[str]
    problems: list[tuple[int | None, str]] = field(default_factory=list)


def looks_binary(data: bytes) -> bool:
    """Whether bytes are not text at all (a NUL byte near the start, and not UTF-16)."""
    return b"\x00" in data[:8192] and _utf16(data) is None


def _utf16(data: bytes) -> str | None:
    """Decode UTF-16 text: a byte order mark, NUL bytes (the high bytes of ASCII), valid.

    Without NUL bytes near the start, two bytes that look like a byte order mark are taken
    for what they are in UTF-8 or Windows-1252 text.
    """
    if b"\x00" not in data[:8192]:
        return None
    for bom, codec in _UTF16:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def decode_report(data: bytes) -> Decoded:
    """Decode a report's bytes into lines, repairing what can be repaired.

    Args:
        data: The file's bytes.

    Returns:
        The lines and the repairs made. Never raises on any input.
    """
    problems: list[tuple[int | None, str]] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    utf16 = _utf16(data)
    if utf16 is not None:
        problems.append((None, "The report is saved as UTF-16, not UTF-8; it was read as such."))
        raw_lines = utf16.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    else:
        raw_lines = _utf8_lines(data.replace(b"\r\n", b"\n").replace(b"\r", b"\n"), problems)
    lines: list[str] = []
    repaired = 0
    for number, line in enumerate(raw_lines, start=1):
        if "\u00a0" in line:
            line = line.replace("\u00a0", " ")
        if "\ufeff" in line:
            line = line.replace("\ufeff", "")
        if _MOJIBAKE.search(line):
            fixed = ftfy.fix_encoding(line)
            if fixed != line:
                repaired += 1
                if repaired <= _MAX_LISTED:
                    sample = _MOJIBAKE.search(line)
                    assert sample is not None
                    problems.append(
                        (
                            number,
                            "Garbled characters (text encoded twice, such as "
                            f"'{_context(line, sample.start())}') were repaired.",
                        )
                    )
                line = fixed
        lines.append(line)
    if repaired > _MAX_LISTED:
        problems.append(
            (None, f"{repaired - _MAX_LISTED} more lines had garbled characters repaired.")
        )
    return Decoded(lines=lines, problems=problems)


def _utf8_lines(data: bytes, problems: list[tuple[int | None, str]]) -> list[str]:
    """Decode UTF-8 lines; a line that is not UTF-8 is read as Windows-1252 and noted."""
    try:
        return data.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        raw_lines = []
        bad: list[int] = []
        for number, chunk in enumerate(data.split(b"\n"), start=1):
            try:
                raw_lines.append(chunk.decode("utf-8"))
            except UnicodeDecodeError:
                raw_lines.append(chunk.decode("cp1252", errors="replace"))
                bad.append(number)
        for number in bad[:_MAX_LISTED]:
            problems.append(
                (
                    number,
                    "This line is not valid UTF-8; it was read as Windows-1252. "
                    "Save the report as UTF-8.",
                )
            )
        if len(bad) > _MAX_LISTED:
            problems.append(
                (None, f"{len(bad) - _MAX_LISTED} more lines are not valid UTF-8 either.")
            )
    return raw_lines


def _context(line: str, at: int) -> str:
    start = max(0, line.rfind(" ", 0, at) + 1)
    end = line.find(" ", at)
    return line[start : end if end != -1 else len(line)][:40]


INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u206a\u206b\u206c\u206d\u206e\u206f\u3164\ufeff\uffa0"
)
"""Characters that show nothing (or only steer direction) and may be put inside a number."""


_MARKUP = frozenset("*_`~")
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,80}>")


def normalise(text: str) -> tuple[str, list[int]]:
    """Return `text` as a reader sees it, and where each character came from.

    NFKC (fullwidth letters and digits become ASCII), without invisible characters, and
    without markup that a page may show or hide: HTML tags and markdown's emphasis and
    code marks (``**s**224176`` and ``<b>s</b>224176`` read as ``s224176``).

    Args:
        text: Any text.

    Returns:
        The normalised text and, for each of its characters, the index in `text` of the
        character it comes from.
    """
    if text.isascii() and not any(c in _MARKUP or c == "<" for c in text):
        return text, list(range(len(text)))
    skip: set[int] = set()
    if "<" in text:
        for m in _TAG.finditer(text):
            skip.update(range(m.start(), m.end()))
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        if char in INVISIBLE or char in _MARKUP or index in skip:
            continue
        if char.isascii():
            out.append(char)
            where.append(index)
            continue
        for piece in unicodedata.normalize("NFKC", char):
            out.append(piece)
            where.append(index)
    return "".join(out), where
