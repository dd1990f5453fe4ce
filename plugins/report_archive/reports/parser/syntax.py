r"""The markdown the parser recognises: headings, fences, placeholders, checklist items.

These patterns run on student text, so each takes linear time on any line: no two adjacent
repetitions can match the same characters (``[ \t]*[*_]*[ \t]*`` could, on a run of
spaces), and a search starts only at the beginning of a run (`PLACEHOLDER`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

__all__ = [
    "CHECKED",
    "CHECK_EMOJI",
    "CHECK_ITEM",
    "DASHED",
    "FENCE",
    "GROUP_WORD",
    "MODULES",
    "NUMBER",
    "PLACEHOLDER",
    "QUESTION_HEADING",
    "Code",
    "find_code",
    "heading",
    "is_generic",
]

QUESTION_HEADING = re.compile(
    r"^ {0,3}#{1,6}[ \t]*(?:[*_]+[ \t]*)?question[ \t]*(\d{1,3})\b(.*)$", re.IGNORECASE
)
_HEADING_START = re.compile(r" {0,3}(#{1,6})[ \t]+")
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
PLACEHOLDER = re.compile(
    r"(?:(?<!`)`+\s*|(?<![\s`])\s+|(?<!-))"
    r"-{2,}\s*question\s*(?:\d+\s*)?fill\s*here\s*-{2,}\s*`*",
    re.IGNORECASE,
)
"""The template's ``--- question 1 fill here ---``, with backquotes and spaces around it."""
DASHED = re.compile(r"^(\s*)-{3}\s*(\S(?:.*\S)?)\s*-{3}\s*$")
_GENERIC = re.compile(r"^(answer:?|example:?|recommended answer length:.*)$")
CHECK_ITEM = re.compile(r"^\s*[*+-]\s+\[([^\]\n]{0,4})\](?!\()\s?(.*)$")
CHECKED = re.compile(r"[xX✅✔✓☑]")
CHECK_EMOJI = re.compile(r"^\s*[*+-]\s+(✅|✔️?|✓|☑️?)\s*(.*)$")
MODULES = re.compile(r"\(\s*(M\d+(?:\s*[+,/&]\s*M\d+)*)\s*\)\s*$")
GROUP_WORD = re.compile(r"group\D{0,25}?(\d{1,4})(?!\d)", re.IGNORECASE)
NUMBER = re.compile(r"(?<![\d.])(\d{1,4})(?![\d.])")


def heading(line: str) -> tuple[int, str] | None:
    """Return the level and text of an ATX heading (``## Title ##``), or None.

    The text is what CommonMark makes of it: without the spaces around it and without a
    closing run of ``#`` that follows a space. Written out rather than as one pattern, whose
    lazy text followed by optional spaces takes quadratic time on a long run of spaces.
    """
    m = _HEADING_START.match(line)
    if m is None:
        return None
    text = line[m.end() :].rstrip(" \t")
    bare = text.rstrip("#")
    if bare != text and bare[-1:] in (" ", "\t"):
        text = bare.rstrip(" \t")
    return len(m.group(1)), text


def is_generic(norm: str, quoted: bool) -> bool:
    """Template markers that may be stripped in any question ("Answer:", "Example:")."""
    if norm.startswith("answer") and norm.rstrip(":") == "answer":
        return True
    return quoted and _GENERIC.match(norm) is not None


class _Closers:
    """The lines that can close a fence of one character (no text after the fence).

    Args:
        matches: `FENCE` matched against every line (None where it does not match).
        char: The fence character, ``"`"`` or ``"~"``.
    """

    def __init__(self, matches: list[re.Match[str] | None], char: str) -> None:
        self.lines: list[int] = []
        self.lengths: list[int] = []
        for j, m in enumerate(matches):
            if m and m.group(2)[0] == char and not m.group(3).strip():
                self.lines.append(j)
                self.lengths.append(len(m.group(2)))
        # longest[k]: the longest fence among closers k and after
        self.longest = self.lengths[:]
        for k in range(len(self.longest) - 2, -1, -1):
            self.longest[k] = max(self.longest[k], self.longest[k + 1])

    def after(self, line: int, length: int) -> int | None:
        """Return the first line after `line` that closes a fence of `length`, or None.

        The closers skipped on the way are inside the fenced block, which the caller skips,
        so each closer is looked at once.
        """
        k = bisect.bisect_right(self.lines, line)
        if k == len(self.lines) or self.longest[k] < length:
            return None
        while self.lengths[k] < length:
            k += 1
        return self.lines[k]


@dataclass
class Code:
    """Where a report's fenced code is.

    Attributes:
        inside: For each line, whether it is inside fenced code (fences included).
        fences: The first line of each fenced block → the index past its last line.
        unclosed: Indexes of the lines that open a fence that is never closed.
    """

    inside: list[bool]
    fences: dict[int, int]
    unclosed: list[int]


def find_code(lines: list[str]) -> Code:
    """Find fenced code; an unclosed fence ends at the next question heading.

    Every line is matched once: a fence's closing line is looked up among the lines that
    can close a fence (`_Closers`), so that many unclosed fences do not each scan the rest
    of the report.
    """
    code = Code([False] * len(lines), {}, [])
    matches = [FENCE.match(line) for line in lines]
    closers = {char: _Closers(matches, char) for char in "`~"}
    questions = [j for j, line in enumerate(lines) if QUESTION_HEADING.match(line)]
    i = 0
    while i < len(lines):
        m = matches[i]
        if not m or (m.group(2)[0] == "`" and "`" in m.group(3)):
            i += 1
            continue
        close = closers[m.group(2)[0]].after(i, len(m.group(2)))
        if close is None:
            following = bisect.bisect_right(questions, i)
            close = (questions[following] if following < len(questions) else len(lines)) - 1
            code.unclosed.append(i)
        for j in range(i, close + 1):
            code.inside[j] = True
        code.fences[i] = close + 1
        i = close + 1
    return code
