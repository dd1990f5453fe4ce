"""The sentences of a text that name catalogue entries, found without reading the rest.

`named` reads a text passage by passage (`sentences.passages`). The words of a passage
tell which entries it can name (`ToolCatalogue.candidates`); a passage that can name none is
not split at all. The sentences of the others are searched for those entries only, and a
sentence without a match is not read further. What it yields is what reading every
sentence and looking up the entries its words allow would give, sentence by sentence
(`tests/test_tool_detection.py` checks this on the sample and the corpus):

- the words of a sentence are words of its passage, since cutting a passage into sentences
  and dropping its markup, tags and URLs only removes characters; except where a link's
  text is joined to the text around it, a URL is cut after 300 characters or a line of code
  after `CODE_LINE`: there the words of the sentence are looked up themselves;
- the entries searched for are those whose words the whole text holds; a sentence whose
  words are not all words of the text (a joined link) is read only when it holds a word of
  one of those entries, as when every sentence is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from typing import NamedTuple

from report_archive.reports.tools.catalogue import Tool, ToolCatalogue
from report_archive.reports.tools.cues import QUOTES
from report_archive.reports.tools.sentences import (
    CODE_LINE,
    LONG_SENTENCE,
    paragraph_sentences,
    passages,
)

__all__ = ["SEPARATOR", "WORD", "Named", "named"]

WORD = re.compile(r"[a-z0-9]+")
"""A word, in lower-case text."""


Span = tuple[int, int]


class Named(NamedTuple):
    """A sentence that names catalogue entries.

    Attributes:
        raw: The sentence as the student wrote it.
        text: With straight quotes, the text the cues read.
        lowered: `text` in lower case.
        words: The words of `lowered`.
        ascii: Whether `text` is ASCII.
        tools: The entries with a match in it, in catalogue order, each with where its
            matches are (`Tool.pattern.finditer`).
    """

    raw: str
    text: str
    lowered: str
    words: set[str]
    ascii: bool
    tools: list[tuple[Tool, list[Span]]]


SEPARATOR = "\x00"
"""Between the sentences of a passage, searched at once: no spelling holds it, and it is
neither a letter, a digit, white space, ``.`` nor ``-``, so to a spelling's pattern it is
the end of one sentence and the start of the next."""


def named(
    markdown: str, catalogue: ToolCatalogue, done: AbstractSet[str] = frozenset()
) -> Iterator[Named]:
    """The sentences of student markdown that name catalogue entries, in order.

    Args:
        markdown: One answer, or the text outside the questions.
        catalogue: The tool catalogue.
        done: Ids of entries not to look for (read again before each passage: the caller
            may add to it as it goes).
    """
    likely: frozenset[str] | None = None
    for text, code in passages(markdown):
        units = [text[:CODE_LINE]] if code else paragraph_sentences(text)
        own_words = len(text) <= CODE_LINE if code else _keeps_words(text)
        passage_words: set[str] | None = None  # the words of the passage, when needed
        for unit in units:
            lowered = unit.lower()
            tokens = WORD.findall(lowered)
            keys = catalogue.words.intersection(tokens)
            if not keys:
                continue
            tools = catalogue.candidates(keys)
            if done:
                tools = [tool for tool in tools if tool.id not in done]
            if not tools:
                continue
            if unit.isascii():
                sentence, ascii = unit, True
            else:
                sentence = unit.translate(QUOTES)
                ascii = sentence.isascii()
                lowered = sentence.lower()
            found = []
            for tool in tools:
                if not ascii:
                    matches = tool.pattern.finditer(sentence)
                else:
                    matches = tool.finder.finditer(lowered if tool.finds_lowered else sentence)
                spans = [m.span() for m in matches]
                if spans:
                    found.append((tool, spans))
            if not found:
                continue
            words = set(tokens)
            if not own_words:
                if passage_words is None:
                    passage_words = set(WORD.findall(text.lower()))
                if not words <= passage_words:
                    if likely is None:
                        likely = _likely_words(markdown, catalogue)
                    if words.isdisjoint(likely):
                        continue
            yield Named(unit, sentence, lowered, words, ascii, found)


_JOINED = re.compile(r"\[(?<=[\w)]\[)|\)[\w\[]")
"""A link whose text may run into the text around it once the link is dropped ("a[b](c)",
"[a](b)[c](d)")."""
_LONG_URL = re.compile(r"https?://[^\s)>\]]{300}")
"""A URL long enough to be cut, leaving the rest of its last word."""


def _keeps_words(paragraph: str) -> bool:
    """Whether every word of the sentences of a paragraph is a word of the paragraph.

    Cutting a paragraph into sentences only drops characters and puts spaces in their
    place, except where a link's text runs into the text around it, a URL is cut, or a
    long sentence is cut inside a word.
    """
    if "](" in paragraph and _JOINED.search(paragraph):
        return False
    if "://" in paragraph and _LONG_URL.search(paragraph):
        return False
    # A sentence is cut inside a word only where it has no space for that long.
    return len(paragraph) <= LONG_SENTENCE or max(map(len, paragraph.split())) < LONG_SENTENCE


def _likely_words(markdown: str, catalogue: ToolCatalogue) -> frozenset[str]:
    """Every word of the entries whose words a text holds."""
    likely = catalogue.candidates(set(WORD.findall(markdown.lower())))
    return frozenset(word for tool in likely for key in tool.keys for word in key)
