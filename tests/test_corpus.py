"""Every real report in ../shared/corpus is read right, and no student word is lost."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from report_archive.reports.parser import parse_report
from tests.helpers import (
    CORPUS,
    TEMPLATES,
    corpus_reports,
    report_output_bag,
    requires_corpus,
    word_bag,
)

pytestmark = [requires_corpus, pytest.mark.corpus]

# The family each corpus report uses, from ../shared/corpus/README.md.
_README_ROW = re.compile(
    r"^\|\s*(\d{4}-\w+)\s*\|\s*(group-\d+)\s*\|[^|]*\|[^|]*\|\s*(27|31-2025|31-2026)\s*\|", re.M
)


@cache
def expected_families() -> dict[str, str]:
    text = (CORPUS.parent / "README.md").read_text(encoding="utf-8")
    return {f"{s}/{g}": fam for s, g, fam in _README_ROW.findall(text)}


@cache
def template_lines() -> frozenset[str]:
    """Every line of every blank template, normalised (independently of the parser)."""
    lines: set[str] = set()
    for p in sorted(TEMPLATES.glob("20*.md")):
        run: list[str] = []
        for line in [*p.read_text(encoding="utf-8").split("\n"), ""]:
            norm = _norm(line)
            lines.add(norm)
            if norm:
                run.append(norm)
            else:
                lines.add(" ".join(run))  # a paragraph a report re-flowed onto one line
                run = []
    return frozenset(lines)


def _norm(line: str) -> str:
    return " ".join(re.sub(r"[>*_`]", " ", line).split()).casefold()


_HEADING = re.compile(r"^#+\s*Question\s*\d+", re.I)
_EMPHASISED_QUOTE = re.compile(r"^\s*>\s*\*.*\*\s*$")
_ANSWER_MARKER = re.compile(r"^\s*>\s*Answer:\s*$")


def revised_prompt_lines(lines: list[str]) -> set[int]:
    """Indexes of the quoted lines in bold or italics that open a question before its
    ``> Answer:`` line: a prompt or an example of a template revision, however worded."""
    found: set[int] = set()
    for start, line in enumerate(lines):
        if not line.lstrip().startswith("###"):
            continue
        run = []
        for i in range(start + 1, len(lines)):
            if lines[i].strip() and not lines[i].lstrip().startswith(">"):
                break
            run.append(i)
        markers = [i for i in run if _ANSWER_MARKER.match(lines[i])]
        if markers:
            found.update(i for i in run if i < markers[-1] and _EMPHASISED_QUOTE.match(lines[i]))
    return found


_BOX = re.compile(r"^(\s*[*+-]\s+)\[(?:\s*[xX✅%]?\s*|\(X\))\](?!\()")


def ids(paths: list[Path]) -> list[str]:
    return [f"{p.parent.parent.name}/{p.parent.name}" for p in paths]


REPORTS = corpus_reports() if CORPUS.is_dir() else []


def test_corpus_is_complete() -> None:
    assert len(REPORTS) == len(expected_families()) >= 30


@pytest.mark.parametrize("path", REPORTS, ids=ids(REPORTS))
def test_family_and_group(path: Path) -> None:
    report = parse_report(path)
    key = f"{path.parent.parent.name}/{path.parent.name}"
    assert report.template.id == expected_families()[key]
    assert report.group.number == int(path.parent.name.removeprefix("group-"))
    assert len(report.answers) == report.template.questions
    assert len(report.group.members) >= 2
    assert all(re.fullmatch(r"s\d{6}", m) for m in report.group.members)


@pytest.mark.parametrize("path", REPORTS, ids=ids(REPORTS))
def test_every_student_word_lands_exactly_once(path: Path) -> None:
    report = parse_report(path)
    text = path.read_bytes().decode("utf-8", errors="replace")
    raw = text.replace("\r", "").split("\n")
    lines = [_HEADING.sub("", _BOX.sub(r"\1", line)) for line in raw]
    source = word_bag("\n".join(lines))
    # The student's words: those on lines that are in no version of the blank template,
    # nor in the prompt of a template revision that ../shared/templates lacks.
    revised = revised_prompt_lines(raw)
    student = word_bag(
        "\n".join(
            ln
            for i, ln in enumerate(lines)
            if _norm(ln) not in template_lines() and i not in revised
        )
    )
    kept = report_output_bag(report)
    lost = student - kept
    assert not lost, f"student words not found in any answer, extra or note: {dict(lost)}"
    invented = kept - source
    assert not invented, f"words kept more often than written: {dict(invented)}"


@pytest.mark.parametrize("path", REPORTS, ids=ids(REPORTS))
def test_no_template_text_in_answers(path: Path) -> None:
    report = parse_report(path)
    for answer in report.answers:
        assert "fill here" not in answer.markdown.lower()
        assert "Recommended answer length" not in answer.markdown
        assert not re.search(r"^>?\s*Answer:\s*$", answer.markdown, re.M)


@pytest.mark.parametrize("path", REPORTS, ids=ids(REPORTS))
def test_figures_resolve_inside_the_folder(path: Path) -> None:
    report = parse_report(path)
    for ref in report.references:
        if ref.status == "found":
            assert ref.path is not None
            target = (path.parent / ref.path).resolve()
            assert target.is_file()
            assert target.is_relative_to(path.parent.resolve())
    missing = [d for d in report.diagnostics if d.code == "missing-figure"]
    for d in missing:
        assert d.line is not None and d.line >= 1


def test_json_is_serialisable() -> None:
    for path in REPORTS:
        json.dumps(parse_report(path).to_json())
