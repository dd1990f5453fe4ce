"""How a catalogue entry's spellings are matched.

A spelling matches as whole words in any letter case (exact spellings in their own case),
with any white space between its words. `compile_pattern` says so plainly, as one pattern
per entry; `compile_finder` writes the same pattern so that the regular expression engine
finds its matches in ASCII text several times faster; `key_words` gives the words a text
must hold for a spelling to match. `tests/test_tool_detection.py` checks that pattern and
finder give the same matches on every sentence of the sample and of the corpus.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["compile_finder", "compile_pattern", "key_words"]

_BEFORE = r"(?<![\w.])(?<!\w-)"
"""A spelling that starts with a letter or digit does not start inside a word or a name."""
_AFTER = r"(?![\w-])"
"""A spelling that ends with a letter or digit does not end inside a word or a name."""


def _body(spelling: str) -> str:
    """A spelling's words in order, any white space between."""
    return r"\s+".join(re.escape(w) for w in spelling.split())


def _bounded(spelling: str) -> bool:
    return spelling[:1].isalnum() and spelling[-1:].isalnum()


def _spelling_pattern(spelling: str) -> str:
    """A spelling as a regular expression: its words in order, any white space between."""
    body = _body(spelling)
    start = _BEFORE if spelling[:1].isalnum() else ""
    end = _AFTER if spelling[-1:].isalnum() else ""
    return start + body + end


def compile_pattern(spellings: tuple[str, ...], exact: tuple[str, ...]) -> re.Pattern[str]:
    """The pattern of an entry: any of its spellings (any case) or exact spellings.

    Spellings that start and end with a letter or digit share one pair of word boundaries,
    checked once per place instead of once per spelling.
    """
    bounded = [_body(s) for s in spellings if _bounded(s)]
    inner = [f"(?i:{'|'.join(bounded)})"] if bounded else []
    inner += [_body(s) for s in exact if _bounded(s)]
    out = [rf"{_BEFORE}(?:{'|'.join(inner)}){_AFTER}"] if inner else []
    out += [f"(?i:{_spelling_pattern(s)})" for s in spellings if not _bounded(s)]
    out += [_spelling_pattern(s) for s in exact if not _bounded(s)]
    return re.compile("|".join(out))


def _order(spellings: tuple[str, ...], exact: tuple[str, ...]) -> list[tuple[str, bool]]:
    """The spellings in the order `compile_pattern` tries them, and whether each ignores case."""
    return [
        *((s, True) for s in spellings if _bounded(s)),
        *((s, False) for s in exact if _bounded(s)),
        *((s, True) for s in spellings if not _bounded(s)),
        *((s, False) for s in exact if not _bounded(s)),
    ]


def _any_case(char: str) -> str:
    """An ASCII letter in either case, as a character class; anything else as itself."""
    if char.isascii() and char.isalpha():
        return f"[{char.lower()}{char.upper()}]"
    return re.escape(char)


def compile_finder(
    spellings: tuple[str, ...], exact: tuple[str, ...]
) -> tuple[re.Pattern[str], bool]:
    """A pattern with the same matches as `compile_pattern` in ASCII text, quicker to scan for.

    It is an alternation of the characters a match can start with, so the regular
    expression engine skips to those instead of trying the pattern at every place; under
    each, the spellings that start with it, in the order `compile_pattern` tries them, so a
    place is given up at the second character. The word boundary before a spelling is
    checked after its first word, by look-behinds that long. An entry without exact
    spellings is looked for in the lower-cased text, as plain characters, which is quicker
    still (a single first letter is found like a string).

    In text with other characters (K, ſ, ı and İ match an ASCII letter in another case),
    use the pattern.

    Returns:
        The finder and whether it reads the lower-cased text.
    """
    lowered = not exact
    groups: dict[str, list[str]] = {}
    for spelling, any_case in _order(spellings, exact):
        head, *words = (spelling.lower() if lowered else spelling).split()
        second, rest = head[1:2], head[2:]
        if any_case and not lowered:
            body = _any_case(second) + (f"(?i:{re.escape(rest)})" if rest else "")
        else:
            body = re.escape(second + rest)
        tail = "".join(r"\s+" + re.escape(w) for w in words)
        if any_case and tail and not lowered:
            tail = f"(?i:{tail})"
        n = len(head)
        start = rf"(?<![\w.].{{{n}}})(?<!\w-.{{{n}}})" if head[0].isalnum() else ""
        end = _AFTER if spelling[-1:].isalnum() else ""
        firsts = (head[0].lower(), head[0].upper()) if any_case and not lowered else (head[0],)
        for first in dict.fromkeys(firsts):
            groups.setdefault(first, []).append(body + start + tail + end)
    finder = "|".join(
        f"{re.escape(first)}(?:{'|'.join(bodies)})" for first, bodies in groups.items()
    )
    return re.compile(finder), lowered


def key_words(spellings: Iterable[str]) -> tuple[frozenset[str], ...]:
    """For each spelling, the lower-case words a sentence must contain for it to match."""
    return tuple(
        dict.fromkeys(
            frozenset(re.findall(r"[a-z0-9]+", s.lower()) or [s.lower()]) for s in spellings
        )
    )
