"""Student markdown as sentences of plain text, the unit in which a mention is judged."""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["sentences"]

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_IMAGE = re.compile(r"!\[([^\]\n]{0,300})\]\([^)\n]{0,500}\)")
_LINK = re.compile(r"\[([^\]\n]{0,300})\]\([^)\n]{0,500}\)")
_URL = re.compile(r"\bhttps?://[^\s)>\]]{1,300}")
_TAG = re.compile(r"<[^<>\n]{0,300}>")
_MARKUP = re.compile(r"[*_`#>|]+")
_SPLIT = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|etc|vs|approx|incl|cf|fig|no|ca)\.$", re.IGNORECASE)
_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")


def sentences(markdown: str) -> Iterator[str]:
    """Split student markdown into sentences of plain text.

    Lines of fenced code, list items, table rows and headings are units of their own;
    paragraphs are split after ``.``, ``!`` or ``?`` (not after "e.g." and the like).
    Images keep their alt text, links their text; URLs and HTML tags are dropped.
    """
    paragraph: list[str] = []
    in_code = False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            in_code = not in_code
            yield from _paragraph(paragraph)
            paragraph = []
            continue
        stripped = line.strip()
        if in_code:
            if stripped:
                yield stripped[:1000]
            continue
        if not stripped or _ITEM.match(line) or stripped.startswith(("|", "#")):
            yield from _paragraph(paragraph)
            paragraph = []
        if stripped:
            paragraph.append(_ITEM.sub("", line))
    yield from _paragraph(paragraph)


def _paragraph(lines: list[str]) -> Iterator[str]:
    if not lines:
        return
    text = " ".join(lines)
    text = _IMAGE.sub(r" \1 ", text)
    text = _LINK.sub(r"\1", text)
    text = _URL.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _MARKUP.sub(" ", text)
    text = " ".join(text.split())
    pending = ""
    for piece in _SPLIT.split(text):
        pending = f"{pending} {piece}".strip() if pending else piece
        if pending[-1:] == "." and _ABBREVIATION.search(pending[-8:]):
            continue
        if pending:
            yield pending
        pending = ""
    if pending:
        yield pending
