"""Hide student numbers: ``s224176`` becomes "Student A".

One `Redactor` serves one group: its members get letters in the order the report lists them,
and any other student number met later (in that group's text) gets the next letter, so a
student keeps the same label everywhere the group's text is shown (its page, the question
pages, the search index). Members given by name (in ``group.yml``) get a label too, and their
name is replaced where it appears in the text as written.

Matching is done on normalised text, so every form the parser itself reads as a student
number is found: ``s224176``, ``S224176``, ``s 224176``, ``s-224176``, fullwidth letters and
digits (NFKC), numbers with invisible characters or markup inside (zero-width space, soft
hyphen, word joiner, bidi marks, ``**s**224176``), and a member's six digits written
without the ``s``. `spans`
gives the places in the original text, so a caller can redact text that is split over
several pieces (`report_archive.site.answers` joins the text of an HTML block, so
``**s**224176`` is found across the markup).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from report_archive.reports.decoding import normalise
from report_archive.reports.layout import STUDENT_FORMS

__all__ = ["Redactor", "student_label"]

_SIX_DIGITS = re.compile(r"\d(?:\D{0,40}?\d){5}")
"""Six digits (of any script), near enough to be one number split by markup."""
_IN_TEXT = re.compile(r"(?<![A-Za-z0-9])(?:(?i:student)\s{1,3})?[sS][ -]?(\d{6})(?![0-9])")
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
        members: The group's student numbers, in order, and members given by name.
        enabled: When False, text is returned unchanged.
    """

    def __init__(self, members: Iterable[str] = (), *, enabled: bool = True) -> None:
        self.enabled = enabled
        self._labels: dict[str, str] = {}
        names: list[str] = []
        digits: list[str] = []
        for member in members:
            member = " ".join(member.split())
            if not member:
                continue
            number = STUDENT_FORMS.fullmatch(normalise(member)[0])
            if number:
                digits.append(number.group(1))
                self.label(number.group(1))
            else:
                self.label(member)
                if len(member) >= 3:
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
        self._digits = (
            re.compile(r"(?<![A-Za-z0-9])(" + "|".join(sorted(set(digits))) + r")(?![0-9])")
            if digits
            else None
        )

    def label(self, student: str) -> str:
        """Return the label of a student (number, its six digits, or name), new if unseen."""
        key = student.strip().lower()
        number = STUDENT_FORMS.fullmatch(key)
        if number:
            key = number.group(1)
        if key not in self._labels:
            self._labels[key] = student_label(len(self._labels))
        return self._labels[key]

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """Return ``(start, end, label)`` for every student named in `text`, in order.

        Positions are in `text` itself; matching is done on its normalised form.
        """
        if not self.enabled or not text:
            return []
        if self._names is None and not _SIX_DIGITS.search(text):
            return []  # no student number can be in it: most texts, found at C speed
        norm, where = normalise(text)
        found: list[tuple[int, int, str]] = []
        for m in _IN_TEXT.finditer(norm):
            found.append((m.start(), m.end(), self.label(m.group(1))))
        for pattern in (self._digits, self._names):
            if pattern is not None:
                for m in pattern.finditer(norm):
                    found.append((m.start(), m.end(), self.label(" ".join(m.group(0).split()))))
        if not found:
            return []
        found.sort()
        out: list[tuple[int, int, str]] = []
        last = -1
        for start, end, label in found:
            if start < last:
                continue  # inside a match already taken
            out.append((where[start], where[end - 1] + 1, label))
            last = end
        return out

    def text(self, text: str) -> str:
        """Return text with every student number (and member name) replaced by its label."""
        spans = self.spans(text)
        if not spans:
            return text
        parts: list[str] = []
        at = 0
        for start, end, label in spans:
            parts.append(text[at:start])
            parts.append(label)
            at = end
        parts.append(text[at:])
        return "".join(parts)

    def path(self, path: str) -> str:
        """Return a file path with each student named in it replaced by a label slug.

        ``figures/s224176.png`` becomes ``figures/student-a.png``: a published file name
        is part of a URL, which readers see.
        """
        spans = self.spans(path)
        if not spans:
            return path
        parts: list[str] = []
        at = 0
        for start, end, label in spans:
            parts.append(path[at:start])
            parts.append(label.lower().replace(" ", "-"))
            at = end
        parts.append(path[at:])
        return "".join(parts)

    def affects(self, text: str) -> bool:
        """Whether `text` names a student, so that `text` (or its links) would change."""
        return bool(self.spans(text))

    def member(self, member: str) -> str:
        """Return how a member is shown: their label (the member as given when disabled)."""
        if not self.enabled:
            return member
        return self.label(" ".join(member.split()))

    @property
    def labels(self) -> dict[str, str]:
        """Student (six digits, or name in lower case) → label, for everything seen so far."""
        return dict(self._labels)
