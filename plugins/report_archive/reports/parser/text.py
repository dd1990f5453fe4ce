"""Keeping a student's lines and dropping the template's."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from report_archive.reports.catalogue import normalize_line
from report_archive.reports.parser.syntax import DASHED, FENCE, PLACEHOLDER, Code, is_generic

__all__ = ["Kept", "Text"]

_EMPHASISED = re.compile(r"^\s*>\s*\*[^\n]*\*\s*$")
"""A quoted line wholly in bold or italics: how the template sets its prompts and examples."""


@dataclass
class Kept:
    """Student lines kept from one or more blocks, with their line numbers."""

    lines: list[tuple[int, str]] = field(default_factory=list)

    def add(self, line_no: int, text: str) -> None:
        """Keep a line."""
        self.lines.append((line_no, text))

    def blank(self) -> None:
        """Keep a blank line, unless the last kept line is one."""
        if self.lines and self.lines[-1][1] != "":
            self.lines.append((self.lines[-1][0], ""))

    def finish(self) -> list[tuple[int, str]]:
        """Return the kept lines without blank lines at either end."""
        end = len(self.lines)
        while end and self.lines[end - 1][1].strip() == "":
            end -= 1
        start = 0
        while start < end and self.lines[start][1].strip() == "":
            start += 1
        return self.lines[start:end]


class Text:
    """A report's lines, with its fenced code.

    Args:
        lines: The decoded lines.
        code: Where the fenced code is.
    """

    def __init__(self, lines: list[str], code: Code) -> None:
        self.lines = lines
        self.in_code = code.inside
        self.fences = code.fences

    def keep(
        self, first: int, end_line: int, template: frozenset[str], kept: Kept, unquote: bool
    ) -> None:
        """Keep the student's lines in ``[first, end_line)``, dropping the template's.

        Args:
            first: Index of the first line.
            end_line: Index past the last line.
            template: Normalised template lines to drop.
            kept: Where kept lines go.
            unquote: Remove the quote marker from student text typed inside the quoted
                prompt that opens the range (a question's prompt). With a catalogued
                question (`template` not empty), a quoted line in bold or italics before the
                prompt's own ``> Answer:`` line is the template's prompt or example, even
                where a template revision words it differently from the catalogue.
        """
        in_prompt = True  # inside the quoted prompt that follows a question heading
        template_end = self._answer_marker(first, end_line) if unquote and template else first
        i = first
        while i < end_line:
            line = self.lines[i]
            if self.in_code[i]:
                i = self._keep_code(i, end_line, template, kept)
                in_prompt = False
                continue
            i += 1
            is_quote = line.lstrip().startswith(">")
            if in_prompt and not is_quote and line.strip():
                in_prompt = False
            norm = normalize_line(line)
            if not line.strip(" \t>") or (is_quote and not line.strip(" \t>*")):
                kept.blank()  # blank, or a quoted "> *" filler line of the template
                continue
            if i <= template_end and is_quote and _EMPHASISED.match(line):
                kept.blank()  # the prompt (bold) or its example (italics), before "> Answer:"
                continue
            if norm and (
                (norm in template and self._in_template(i - 1, norm, template, first, end_line))
                or is_generic(norm, is_quote)
            ):
                kept.blank()
                continue
            text = PLACEHOLDER.sub("", line) if "fill" in norm else line
            if not text.strip():
                kept.blank()
                continue
            dashed = DASHED.match(text)
            if dashed:
                text = dashed.group(1) + dashed.group(2)
            if is_quote and in_prompt and unquote:
                text = re.sub(r"^\s*>\s?", "", text)
            kept.add(i, text.rstrip())

    def _answer_marker(self, first: int, end_line: int) -> int:
        """Return the index past the quoted prompt's ``> Answer:`` line (`first` if none).

        The prompt is the run of quoted and blank lines that opens a question's range; the
        template ends it with a line ``> Answer:`` after which students type.
        """
        marker = first
        for j in range(first, end_line):
            line = self.lines[j]
            if self.in_code[j] or (line.strip() and not line.lstrip().startswith(">")):
                break
            if normalize_line(line).rstrip(":") == "answer" and line.rstrip().endswith(":"):
                marker = j + 1
        return marker

    def _keep_code(self, i: int, end_line: int, template: frozenset[str], kept: Kept) -> int:
        """Keep or drop, whole, the fenced block at line `i`; return the index past it.

        A fence is never broken. The template's own blocks (an opening, a body of template
        lines, a closing line) are dropped.
        """
        end = min(self.fences.get(i, i + 1), end_line)
        while end < end_line and self.in_code[end] and end not in self.fences:
            end += 1
        code = range(i, end)
        body = [self.lines[j] for j in code[1:-1]]
        is_template = (
            len(code) >= 3
            and all(normalize_line(b) in template and not FENCE.match(b) for b in body)
            and normalize_line(self.lines[code[0]]) in template
        )
        if not is_template:
            for j in code:
                kept.add(j + 1, self.lines[j])
        else:
            kept.blank()
        return end

    def _in_template(
        self, index: int, norm: str, template: frozenset[str], first: int, end_line: int
    ) -> bool:
        """Whether a line equal to a template line stands in the template's own text.

        A line of three words or more is the template's wherever it stands. A shorter one
        ("or", "Running:", "---") is common words too: it is the template's only next to
        another template line or to a fenced block, so a student's own "Or" on a line of
        its own is kept.
        """
        if len(norm.split()) >= 3:
            return True
        for step in (-1, 1):
            j = index + step
            while first <= j < end_line and not self.lines[j].strip(" \t>"):
                j += step
            if not first <= j < end_line:
                continue
            if self.in_code[j]:
                return True
            if normalize_line(self.lines[j]) in template:
                return True
        return False
