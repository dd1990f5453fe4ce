"""Student markdown as one line of plain text, and a folder or repository name as words.

Titles and summaries are shown in tables, headings and search hits, so they are kept to one
line of plain text: markup is removed (links keep their text, images and HTML tags go),
control and invisible characters are dropped, and the text is cut at a word. Everything here
is linear in its input: every pattern has bounded repetitions.
"""

from __future__ import annotations

import html
import re
import unicodedata

__all__ = ["GENERIC_WORDS", "cap", "name_words", "plain_line", "sentence_case"]


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_TARGET = r"\((?:[^()\n]|\([^()\n]{0,200}\)){0,500}\)"
"""A link's target in parentheses, which may hold one level of parentheses itself."""
_IMAGE = re.compile(r"!\[[^\]\n]{0,300}\]" + _TARGET)
_LINK = re.compile(r"\[([^\]\n]{0,300})\]" + _TARGET)
_REFERENCE = re.compile(r"\[([^\]\n]{0,300})\]\[[^\]\n]{0,100}\]")
_AUTOLINK = re.compile(r"<(?:https?|mailto):[^<>\s]{0,500}>")
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,500}>|<!--.{0,2000}?-->", re.DOTALL)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!~|<>])")
_EMPHASIS = re.compile(r"(?<![\w\\])[*_~]{1,3}|[*_~]{1,3}(?![\w])")
_BACKTICKS = re.compile(r"`+")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+|\s+#+\s*$")

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
_SEPARATORS = re.compile(r"[\s_.\-]+")
_GLUED = re.compile(r"ml_?ops", re.IGNORECASE)

GENERIC_WORDS = _set(
    """
    mlops mlop ml ops dtu project projects proj prj group grp groups exam template templates
    course src source package name names main master repo repository final code files file my
    our the a an of and for in model models backend frontend app api jan january june
    winter summer spring fall autumn semester machine learning operations operation
    readme default example sample test tests demo new tmp temp todo untitled
    """
)
"""Words of a folder or repository name that say nothing about the project."""

_ACRONYMS = _set("ai api cnn cv gan gpt knn llm ml mlp mri nlp ocr rnn svm vae vit yolo gcp bert")


def plain_line(markdown: str, limit: int) -> str:
    """Return markdown as one line of plain text of at most `limit` characters.

    Links keep their text; images, HTML tags and comments, heading marks, emphasis and
    backquotes are removed; character references are decoded; control and invisible
    characters are dropped; runs of spaces become one; the text is cut at a word (`cap`).
    """
    text = markdown[: limit * 8]
    text = _IMAGE.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    text = _REFERENCE.sub(r"\1", text)
    text = _AUTOLINK.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = _TAG.sub(" ", text)  # what the references spelled
    text = " ".join(_HEADING.sub(" ", line) for line in text.splitlines())
    text = _ESCAPE.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    text = _BACKTICKS.sub("", text)
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C" or c in "\t\n")
    return cap(" ".join(text.split()), limit)


def cap(text: str, limit: int) -> str:
    """Cut `text` at the last word that fits in `limit` characters, ending with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—(") + "…"


def name_words(name: str) -> list[str]:
    """The meaningful words of a folder or repository name (``ml_ops_rice_classifier``).

    Separators, letter case changes and digits split words; words in `GENERIC_WORDS`,
    numbers, group codes (``g24``) and single letters are left out. Known acronyms are
    upper case, other words as written (all capitals lower case).
    """
    spaced = _GLUED.sub(" ", name)
    words = []
    for part in _SEPARATORS.split(spaced):
        for word in _CAMEL.split(part):
            lowered = word.lower()
            if len(lowered) < 2 or lowered.isdigit() or lowered in GENERIC_WORDS:
                continue
            if lowered in _ACRONYMS:
                words.append(lowered.upper())
            else:
                words.append(lowered if word.isupper() else word)
    return words


def sentence_case(words: list[str] | tuple[str, ...]) -> str:
    """Words joined by spaces, the first letter upper case (the others as they are)."""
    text = " ".join(words)
    return text[:1].upper() + text[1:]
