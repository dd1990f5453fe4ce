"""A project's title and summary from its repository's README (untrusted text).

Most groups start from the course's cookiecutter template, whose README is::

    # <project_name>

    <description>            ("A short description of the project." until filled in)

    ## Project structure ...

and the course asks for a project description, which groups often keep in the README::

    ## Project description
    ### Overall goal of the project
    The goal of this project is to classify ...

`readme_identity` takes the title from the first level-one heading (ATX or setext; the
first heading of any level when there is none), and the summary from the paragraph under
"Overall goal of the project" (or a description, about, overview or introduction section),
else from the first paragraph under the title. Names made only of the course's words
(``exam_template``, ``mlops_project``, ``MLOps Group 7``), the template's placeholders,
paragraphs that name student numbers and paragraphs that say nothing of the project are
left out: better no title than a wrong one (the site then derives one from the report).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from report_archive.reports.decoding import decode_report
from report_archive.reports.identity.text import (
    GENERIC_WORDS,
    cap,
    name_words,
    plain_line,
    sentence_case,
)
from report_archive.reports.layout import STUDENT_FORMS

__all__ = ["MAX_README_BYTES", "MAX_SUMMARY", "MAX_TITLE", "ReadmeIdentity", "readme_identity"]


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


MAX_README_BYTES = 512_000
"""Larger READMEs are not read (the import names them)."""
MAX_TITLE = 100
MAX_SUMMARY = 300
_MAX_LINES = 2_000
_MAX_LINE = 2_000

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^\s{0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_BLOCK_START = re.compile(r"^\s{0,3}(?:[-*+]\s|\d{1,3}[.)]\s|>|\||<|!\[|\[!\[)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])")
_GOAL = re.compile(r"\b(?:goal|goals|aim|objective|objectives)\b", re.IGNORECASE)
_ABOUT = re.compile(
    r"\b(?:description|about|overview|introduction|abstract|summary|motivation)\b", re.IGNORECASE
)
_HEADING_WORDS = _set(
    """
    description overview introduction about contents table structure setup installation
    usage getting started goal goals overall proposal cookiecutter up-to-date date up to
    """
)
_PLACEHOLDERS = ("a short description of the project", "created using mlops_template")
_FILLER = _set(
    """
    this that with from into which will are was were been has have repository contains
    containing course courses taught work carried out part lecture students student
    """
)


@dataclass(frozen=True)
class ReadmeIdentity:
    """What a README says the project is.

    Attributes:
        title: One line of plain text, or None when the README names no project.
        summary: One or two sentences of plain text, or None.
    """

    title: str | None = None
    summary: str | None = None


@dataclass(frozen=True)
class _Block:
    heading: int  # 0 for a paragraph
    text: str


def readme_identity(data: bytes) -> ReadmeIdentity:
    """Read a README's project title and summary (see the module's description).

    Args:
        data: The README's bytes (only the first `MAX_README_BYTES` are read).
    """
    lines = [line[:_MAX_LINE] for line in decode_report(data[:MAX_README_BYTES]).lines]
    blocks = _blocks(lines[:_MAX_LINES])
    headings = [i for i, b in enumerate(blocks) if b.heading]
    first = next((i for i in headings if blocks[i].heading == 1), headings[0] if headings else None)
    title = _title(blocks[first].text) if first is not None else None
    summary = None
    for pattern in (_GOAL, _ABOUT):
        at = next((i for i in headings if pattern.search(blocks[i].text)), None)
        if at is not None and (summary := _summary(blocks, at + 1, blocks[at].heading)):
            break
    else:
        summary = _summary(blocks, first + 1 if first is not None else 0, 6)
    return ReadmeIdentity(title, summary)


def _blocks(lines: list[str]) -> list[_Block]:
    blocks: list[_Block] = []
    paragraph: list[str] = []
    fence: str | None = None

    def end() -> None:
        if paragraph:
            blocks.append(_Block(0, " ".join(paragraph)))
            paragraph.clear()

    for line in lines:
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        if m := _FENCE.match(line):
            end()
            fence = m.group(1)[0] * 3
            continue
        if m := _ATX.match(line):
            end()
            blocks.append(_Block(len(m.group(1)), m.group(2) or ""))
        elif (m := _SETEXT.match(line)) and len(paragraph) == 1:
            blocks.append(_Block(1 if m.group(1)[0] == "=" else 2, paragraph.pop()))
        elif not line.strip():
            end()
        elif _BLOCK_START.match(line):
            end()  # lists, quotes, tables, HTML and badges are no summary
        else:
            paragraph.append(line.strip())
    end()
    return blocks


def _title(heading: str) -> str | None:
    text = plain_line(heading, MAX_TITLE)
    words = name_words(text)
    if not [w for w in words if w.lower() not in _HEADING_WORDS]:
        return None
    if " " not in text and re.search(r"[_-]", text):
        return sentence_case(words)
    return text


def _summary(blocks: list[_Block], start: int, level: int) -> str | None:
    """The first paragraph from `start` that says something, within its section.

    A heading of `level` or higher ends the section.
    """
    for block in blocks[start : start + 12]:
        if block.heading:
            if block.heading <= level:
                return None
            continue
        text = plain_line(block.text, 4 * MAX_SUMMARY)
        lowered = text.lower()
        if any(p in lowered for p in _PLACEHOLDERS) or "cookiecutter" in lowered:
            continue
        if STUDENT_FORMS.search(text):
            continue
        words = re.findall(r"[a-z]{3,}", lowered)
        if len([w for w in words if w not in GENERIC_WORDS and w not in _FILLER]) < 4:
            continue
        return cap(" ".join(_SENTENCE_END.split(text)[:2]), MAX_SUMMARY)
    return None
