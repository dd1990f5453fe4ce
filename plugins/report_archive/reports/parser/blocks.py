"""Splitting a report into blocks at the template's headings, and naming its questions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from report_archive.reports.catalogue import Catalogue, Question, normalize_line
from report_archive.reports.parser.syntax import QUESTION_HEADING, heading

__all__ = ["UNKNOWN", "Block", "Prompts", "decide_family", "split_blocks"]

UNKNOWN = "unknown"
"""The template family of a report that follows none of the known templates."""

_CHECKLIST_SECTIONS = {"week 1", "week 2", "week 3", "extra", "additional"}


@dataclass
class Block:
    """A run of lines between two structural headings."""

    kind: str  # preamble | checklist | section | question | student
    start: int  # index of the first line (the heading, if any)
    headed: bool = True  # whether the first line is the block's heading
    end: int = 0  # index past the last line
    number: int | None = None  # question number from the heading
    heading_rest: str = ""  # heading text after "Question N"
    checklist_section: str = ""
    question: Question | None = None
    families: frozenset[str] = frozenset()


def split_blocks(lines: list[str], in_code: list[bool], headings: frozenset[str]) -> list[Block]:
    """Split a report at the template's own headings.

    ``### Question N`` headings, the template's section headings and the checklist's start
    blocks; other headings stay inside the block they are in, except unknown ``#``/``##``
    headings outside an answer, which start a student's own section (kept as extra).

    Args:
        lines: The report's lines.
        in_code: Whether each line is inside fenced code (where no heading is).
        headings: The template's section headings, normalised.

    Returns:
        The non-empty blocks, in order, each ending where the next starts.
    """
    blocks = [Block("preamble", 0, headed=False)]
    in_checklist = False
    last_question = max(
        (i for i, line in enumerate(lines) if not in_code[i] and QUESTION_HEADING.match(line)),
        default=-1,
    )
    for i, line in enumerate(lines):
        if in_code[i] or "#" not in line[:4]:
            continue
        q = QUESTION_HEADING.match(line)
        if q:
            in_checklist = False
            rest = q.group(2).strip(" \t*_:#-.)")
            blocks.append(Block("question", i, number=int(q.group(1)), heading_rest=rest))
            continue
        h = heading(line)
        if h is None:
            continue
        level, text = h
        title = normalize_line(text)
        if title == "overall project checklist":
            in_checklist = True
            blocks.append(Block("checklist", i))
        elif in_checklist and title in _CHECKLIST_SECTIONS:
            blocks.append(Block("checklist", i, checklist_section=text.strip()))
        elif title in headings:
            in_checklist = False
            kind = "preamble" if title.startswith("exam template") else "section"
            blocks.append(Block(kind, i))
        elif level <= 2 and (blocks[-1].kind != "question" or i > last_question):
            # A student's own top-level section: kept as extra. Inside an answer (but
            # the last one, where closing words go), a heading stays with the answer.
            in_checklist = False
            blocks.append(Block("student", i))
    for block, nxt in zip(blocks, [*blocks[1:], None], strict=True):
        block.end = nxt.start if nxt else len(lines)
    return [b for b in blocks if b.end > b.start]


class Prompts:
    """Recognises a question block by its prompt, the quoted bold text after its heading.

    Args:
        catalogue: The question catalogue.
    """

    def __init__(self, catalogue: Catalogue) -> None:
        self.variants: dict[str, tuple[Question, frozenset[str]]] = {}
        for q in catalogue.questions:
            for text, fams in q.variants.items():
                self.variants[text] = (q, fams)

    def recognise(self, block: Block, lines: list[str]) -> None:
        """Set the block's question and the families that ask it (unchanged if none)."""
        prompt_parts = []
        for i in range(block.start + 1, block.end):
            line = lines[i]
            stripped = line.lstrip(" >")
            if line.lstrip().startswith(">") and stripped.startswith("**"):
                prompt_parts.append(stripped.replace("**", " "))
            elif prompt_parts and not line.lstrip().startswith(">"):
                break
        if not prompt_parts:
            return
        prompt = normalize_line(" ".join(prompt_parts))
        hit = self.variants.get(prompt)
        if hit is None:
            words = set(prompt.split())
            best, best_score = None, 0.0
            for text, candidate in self.variants.items():
                other = set(text.split())
                common = len(words & other)
                score = common / max(1, len(words) + len(other) - common)
                if score > best_score:
                    best, best_score = candidate, score
            if best is not None and best_score >= 0.5:
                hit = best
        if hit:
            block.question, block.families = hit


def decide_family(questions: list[Block], catalogue: Catalogue) -> str:
    """Return the template family the recognised questions vote for, or `UNKNOWN`.

    A question counts fully for a family where it has the number its heading gives, half
    where it has another; fewer than half of the questions recognised is `UNKNOWN`.
    """
    votes: dict[str, float] = defaultdict(float)
    matched = 0
    for b in questions:
        if b.question is None:
            continue
        matched += 1
        for fam in b.families:
            weight = 1.0 if b.question.numbers.get(fam) == b.number else 0.5
            votes[fam] += weight
    if not questions or matched * 2 < len(questions):
        return UNKNOWN
    count = len({b.number for b in questions})
    order = {f.id: i for i, f in enumerate(catalogue.families)}
    return max(
        votes,
        key=lambda f: (votes[f], catalogue.family(f).questions == count, order[f]),
    )
