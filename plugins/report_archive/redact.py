"""Hide student numbers: ``s224176`` becomes "Student A".

One `Redactor` serves one group: its members get letters in the order the report lists them,
and any other student number met later (in that group's text) gets the next letter, so a
student keeps the same label everywhere the group's text is shown (its page, the question
pages). Members given by name (in ``group.yml``) get a label too, and their name is replaced
where it appears in the text as written. Visible text is rewritten; a link whose target holds
a student number is shown as text only (see `report_archive.render`).
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
        names: list[str] = []
        for member in members:
            member = " ".join(member.split())
            if not member:
                continue
            self.label(member)
            if not STUDENT_NUMBER.fullmatch(member) and len(member) >= 3:
                names.append(member)
        self._names = (
            re.compile(
                "|".join(
                    r"(?<!\w)" + r"\s+".join(map(re.escape, n.split())) + r"(?!\w)"
                    for n in sorted(names, key=len, reverse=True)
                ),
                re.IGNORECASE,
            )
            if names
            else None
        )

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
        if self._names is not None:
            text = self._names.sub(lambda m: self.label(" ".join(m.group(0).split())), text)
        return _IN_TEXT.sub(lambda m: self.label(m.group(1)), text)

    def affects(self, text: str) -> bool:
        """Whether `text` names a student, so that `text` (or its links) would change."""
        if not self.enabled or not text:
            return False
        if self._names is not None and self._names.search(text):
            return True
        return STUDENT_NUMBER.search(text) is not None

    def member(self, member: str) -> str:
        """Return how a member is shown: their label (the member as given when disabled)."""
        if not self.enabled:
            return member
        return self.label(" ".join(member.split()))

    @property
    def labels(self) -> dict[str, str]:
        """Student number → label, for everything seen so far."""
        return dict(self._labels)
