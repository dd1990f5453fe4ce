"""Student markdown as sentences of plain text, the unit in which a mention is judged.

`passages` cuts the markdown into paragraphs and lines of code, `paragraph_sentences`
splits a paragraph; `sentences` does both. The detector reads passages first, so that it
splits only those that name a catalogue entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = [
    "CODE_LINE",
    "LONG_SENTENCE",
    "Passage",
    "paragraph_sentences",
    "passages",
    "sentences",
]

_IMAGE = re.compile(r"!\[([^\]\n]{0,300})\]\([^)\n]{0,500}\)")
_LINK = re.compile(r"\[([^\]\n]{0,300})\]\([^)\n]{0,500}\)")
_URL = re.compile(r"\bhttps?://[^\s)>\]]{1,300}")
_TAG = re.compile(r"<[^<>\n]{0,300}>")
_MARKUP = re.compile(r"[*_`#>|][*_`#>|]*")
"""Markdown markup (``[*_`#>|]+``, written so the engine skips to its characters)."""
_SPLIT = re.compile(r"([.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])")
"""After ``.``, ``!`` or ``?`` (kept with its sentence), and a closing quote or bracket."""
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|etc|vs|approx|incl|cf|fig|no|ca)\.$", re.IGNORECASE)
_ABBREVIATION_ENDS = "gecsxlfoaGECSXLFOA\u017f"
"""The letters an abbreviation ends with, before its ``.`` (ſ is an s to the pattern)."""
_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_FENCES = ("```", "~~~")
CODE_LINE = 1000
"""A line of code is read up to this many characters."""
LONG_SENTENCE = 2000
"""A sentence longer than this many characters (none is, in the reports read so far: a
pasted log or list) is cut into pieces that long, so that judging each of its mentions in
the words around it takes time in proportion to the text."""

Passage = tuple[str, bool]
"""A paragraph (its lines joined, list markers removed, markup kept) or a line of code
(stripped, whole), and whether it is code."""


def passages(markdown: str) -> Iterator[Passage]:
    """Cut student markdown into paragraphs and lines of code, in order.

    Lines of fenced code, list items, table rows and headings start a passage of their own.
    """
    paragraph: list[str] = []
    in_code = False
    for line in markdown.split("\n"):
        stripped = line.strip()
        if stripped.startswith(_FENCES):
            in_code = not in_code
            if paragraph:
                yield " ".join(paragraph), False
                paragraph = []
            continue
        if in_code:
            if stripped:
                yield stripped, True
            continue
        if not stripped:
            if paragraph:
                yield " ".join(paragraph), False
                paragraph = []
            continue
        head = stripped[0]
        item = _ITEM.match(line) if head in "-*+" or head.isdecimal() else None
        if (item or head in "|#") and paragraph:
            yield " ".join(paragraph), False
            paragraph = []
        paragraph.append(line[item.end() :] if item else line)
    if paragraph:
        yield " ".join(paragraph), False


def paragraph_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences of plain text.

    Sentences end after ``.``, ``!`` or ``?`` (not after "e.g." and the like); one longer
    than `LONG_SENTENCE` is cut into pieces. Images keep their alt text, links their text;
    URLs and HTML tags are dropped.
    """
    if "](" in text:
        text = _LINK.sub(r"\1", _IMAGE.sub(r" \1 ", text))
    if "://" in text:
        text = _URL.sub(" ", text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    text = _MARKUP.sub(" ", text)
    if not (text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "):
        text = " ".join(text.split())  # else its only white space is single spaces already
    parts = _SPLIT.split(text)  # a piece, its last character, the next piece, ...
    if len(parts) == 1:
        return _cut(text) if len(text) > LONG_SENTENCE else [text] if text else []
    found: list[str] = []
    pending: list[str] = []  # pieces of a sentence that ended with an abbreviation so far
    tail = ""  # the last characters of the pending pieces, joined
    for i in range(0, len(parts), 2):
        piece = parts[i] + parts[i + 1] if i + 1 < len(parts) else parts[i]
        tail = f"{tail} {piece}"[-8:] if pending else piece[-8:]
        pending.append(piece)
        if tail[-1:] == "." and tail[-2:-1] in _ABBREVIATION_ENDS and _ABBREVIATION.search(tail):
            continue
        found.append(" ".join(pending))
        pending = []
    if pending:
        found.append(" ".join(pending))
    if any(len(sentence) > LONG_SENTENCE for sentence in found):
        return [piece for sentence in found for piece in _cut(sentence)]
    return found


def _cut(sentence: str) -> list[str]:
    """A sentence longer than `LONG_SENTENCE` in pieces of at most that many characters.

    It is cut at its last space that keeps a piece that short, else where it has to.
    """
    pieces = []
    while len(sentence) > LONG_SENTENCE:
        cut = sentence.rfind(" ", 0, LONG_SENTENCE + 1)
        if cut <= 0:
            pieces.append(sentence[:LONG_SENTENCE])
            sentence = sentence[LONG_SENTENCE:].lstrip(" ")
        else:
            pieces.append(sentence[:cut])
            sentence = sentence[cut + 1 :]
    if sentence:
        pieces.append(sentence)
    return pieces


def sentences(markdown: str) -> Iterator[str]:
    """Split student markdown into sentences of plain text.

    Lines of fenced code, list items, table rows and headings are units of their own;
    paragraphs are split after ``.``, ``!`` or ``?`` (not after "e.g." and the like).
    Images keep their alt text, links their text; URLs and HTML tags are dropped.
    """
    for text, code in passages(markdown):
        if code:
            yield text[:CODE_LINE]
        else:
            yield from paragraph_sentences(text)
