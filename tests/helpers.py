"""Shared helpers and markers for the tests."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import ftfy
import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "reports"
TEMPLATES = SHARED / "templates"

_WORD = re.compile(r"\w+")


def word_bag(text: str) -> Counter[str]:
    """The words of a text as a multiset (runs of letters and digits, case folded)."""
    return Counter(w.casefold() for w in _WORD.findall(ftfy.fix_encoding(text)))


def report_output_bag(report) -> Counter[str]:  # type: ignore[no-untyped-def]
    """Every word the parser kept: answers, extra, checklist texts and notes."""
    bag: Counter[str] = Counter()
    for answer in report.answers:
        bag += word_bag(answer.markdown)
    bag += word_bag(report.extra)
    for item in report.checklist:
        bag += word_bag(item.text) + word_bag(item.note) + word_bag(" ".join(item.modules))
    return bag


def corpus_reports() -> list[Path]:
    return sorted(CORPUS.glob("*/*/README.md"))


requires_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(),
    reason=f"the real-report corpus is not at {CORPUS} (it comes with ../shared)",
)
requires_templates = pytest.mark.skipif(
    not TEMPLATES.is_dir(),
    reason=f"the blank templates are not at {TEMPLATES} (they come with ../shared)",
)
