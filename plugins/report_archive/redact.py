"""Hide student numbers: ``s224176`` becomes "Student A".

One `Redactor` serves one group: its members get letters in the order the report lists them,
and any other student number met later (in that group's text) gets the next letter, so a
student keeps the same label everywhere the group's text is shown (its page, the question
pages). Only visible text is rewritten, never link targets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["STUDENT_NUMBER", "Redactor", "student_label"]

STUDENT_NUMBER = re.compile(r"(?<![A-Za-z0-9])[sS]\d{6}(?![0-9])")
"""A DTU student number as written in reports (``s224176``, ``S224176``)."""

_IN_TEXT = re.compile(r"(?<![A-Za-z0-9])(?:(?i:student)\s+)?([sS]\d{6})(?![0-9])")
"""A student number in running text, with a "Student" before it absorbed, so
"Student s224176 did" becomes "Student A did", not "Student Student A did"."""


def student_label(index: int) -> str:
    """Return the label of the index-th student: A to Z, then AA, AB and so on."""
    letters = ""
    n = index
    while True:
        letters = chr(ord("A") + n % 26) + letters
        n = n // 26 - 1
        if n < 0:
            return f"Student {letters}"


class Redactor:
    """Replace student numbers by stable labels.

    Args:
        members: The group's student numbers, in order (other strings are ignored).
        enabled: When False, text is returned unchanged.
    """

    def __init__(self, members: Iterable[str] = (), *, enabled: bool = True) -> None:
        self.enabled = enabled
        self._labels: dict[str, str] = {}
        for member in members:
            if STUDENT_NUMBER.fullmatch(member.strip()):
                self.label(member)

    def label(self, student: str) -> str:
        """Return the label of a student number, giving it the next one when new."""
        key = student.strip().lower()
        if key not in self._labels:
            self._labels[key] = student_label(len(self._labels))
        return self._labels[key]

    def text(self, text: str) -> str:
        """Return text with every student number replaced by its label."""
        if not self.enabled or not text:
            return text
        return _IN_TEXT.sub(lambda m: self.label(m.group(1)), text)

    def member(self, member: str) -> str:
        """Return how a member is shown: a label, or the text redacted when it is a name."""
        if not self.enabled:
            return member
        if STUDENT_NUMBER.fullmatch(member.strip()):
            return self.label(member)
        return self.text(member)

    @property
    def labels(self) -> dict[str, str]:
        """Student number → label, for everything seen so far."""
        return dict(self._labels)
