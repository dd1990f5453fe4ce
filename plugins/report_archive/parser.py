"""Reading one filled-in report into a `Report`.

The parser never raises on a report's content: whatever it cannot make sense of becomes
a diagnostic, and every line a student wrote ends up in an answer, in `Report.extra` or in
a checklist item's note. Only a file that cannot be read at all raises `ReportReadError`.

Outline:

1. decode the bytes (`decoding`), find fenced code (headings inside it are not headings);
2. split the text into blocks at the template's own headings (``### Question N``, the
   section and checklist headings); other headings stay inside the block they are in,
   except unknown ``#``/``##`` headings, which start student sections (kept as extra);
3. recognise each question block by its prompt text, so the template family is decided
   question by question;
4. strip the template's lines from each block; what remains is the student's text.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .catalogue import Catalogue, ChecklistEntry, Question, load_catalogue, normalize_line
from .decoding import decode_report, looks_binary
from .links import case_differs, count_images, find_references, resolve_target
from .model import (
    Answer,
    ChecklistItem,
    Diagnostic,
    Group,
    Level,
    Reference,
    RefKind,
    RefStatus,
    Report,
    Status,
    TemplateInfo,
)

__all__ = ["ReportReadError", "parse_bytes", "parse_report"]

UNKNOWN = "unknown"

# These patterns run on student text, so each takes linear time on any line: no two
# adjacent repetitions can match the same characters (``[ \t]*[*_]*[ \t]*`` could, on a
# run of spaces), and a search starts only at the beginning of a run (`_PLACEHOLDER`).
_QUESTION_HEADING = re.compile(
    r"^ {0,3}#{1,6}[ \t]*(?:[*_]+[ \t]*)?question[ \t]*(\d{1,3})\b(.*)$", re.IGNORECASE
)
_HEADING_START = re.compile(r" {0,3}(#{1,6})[ \t]+")
_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
_PLACEHOLDER = re.compile(
    r"(?:(?<!`)`+\s*|(?<![\s`])\s+|(?<!-))"
    r"-{2,}\s*question\s*(?:\d+\s*)?fill\s*here\s*-{2,}\s*`*",
    re.IGNORECASE,
)
"""The template's ``--- question 1 fill here ---``, with backquotes and spaces around it."""
_DASHED = re.compile(r"^(\s*)-{3}\s*(\S(?:.*\S)?)\s*-{3}\s*$")
_GENERIC = re.compile(r"^(answer:?|example:?|recommended answer length:.*)$")
_CHECK_ITEM = re.compile(r"^\s*[*+-]\s+\[([^\]\n]{0,4})\](?!\()\s?(.*)$")
_CHECKED = re.compile(r"[xX✅✔✓☑]")
_CHECK_EMOJI = re.compile(r"^\s*[*+-]\s+(✅|✔️?|✓|☑️?)\s*(.*)$")
_MODULES = re.compile(r"\(\s*(M\d+(?:\s*[+,/&]\s*M\d+)*)\s*\)\s*$")
_STUDENT = re.compile(r"(?<![A-Za-z0-9])[sS][ -]?(\d{6})(?!\d)")
_BARE_STUDENT = re.compile(r"(?<![A-Za-z0-9])(\d{6})(?!\d)")
_GROUP_WORD = re.compile(r"group\D{0,25}?(\d{1,4})(?!\d)", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\d.])(\d{1,4})(?![\d.])")
_CHECKLIST_SECTIONS = {"week 1", "week 2", "week 3", "extra", "additional"}


def _heading(line: str) -> tuple[int, str] | None:
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


def _is_generic(norm: str, quoted: bool) -> bool:
    """Template markers that may be stripped in any question ("Answer:", "Example:")."""
    if norm.startswith("answer") and norm.rstrip(":") == "answer":
        return True
    return quoted and _GENERIC.match(norm) is not None


class ReportReadError(Exception):
    """A report file cannot be read at all (missing, unreadable, or not text)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def parse_report(path: Path, catalogue: Catalogue | None = None) -> Report:
    """Parse a report file.

    Args:
        path: The report's ``README.md``; references are resolved against its folder.
        catalogue: The question catalogue (default: the one shipped with the package).

    Returns:
        The parsed report.

    Raises:
        ReportReadError: The file cannot be read, or is not text.
    """
    try:
        data = path.read_bytes()
    except IsADirectoryError as e:
        raise ReportReadError(path, "is a folder, not a report file") from e
    except OSError as e:
        raise ReportReadError(path, e.strerror or str(e)) from e
    if looks_binary(data):
        raise ReportReadError(path, "is a binary file, not a markdown report")
    return parse_bytes(data, path, catalogue)


def parse_bytes(data: bytes, source: Path, catalogue: Catalogue | None = None) -> Report:
    """Parse a report from its bytes; never raises on any content.

    Args:
        data: The file's content.
        source: The file's path (references are resolved against its folder).
        catalogue: The question catalogue (default: the one shipped with the package).

    Returns:
        The parsed report.
    """
    return _Parser(data, source, catalogue or load_catalogue()).parse()


@dataclass
class _Block:
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


@dataclass
class _Kept:
    """Student lines kept from one or more blocks, with their source lines."""

    lines: list[tuple[int, str]] = field(default_factory=list)

    def add(self, line_no: int, text: str) -> None:
        self.lines.append((line_no, text))

    def blank(self) -> None:
        if self.lines and self.lines[-1][1] != "":
            self.lines.append((self.lines[-1][0], ""))

    def finish(self) -> list[tuple[int, str]]:
        end = len(self.lines)
        while end and self.lines[end - 1][1].strip() == "":
            end -= 1
        start = 0
        while start < end and self.lines[start][1].strip() == "":
            start += 1
        return self.lines[start:end]


class _Closers:
    """The lines that can close a fence of one character (no text after the fence).

    Args:
        matches: `_FENCE` matched against every line (None where it does not match).
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


class _Parser:
    def __init__(self, data: bytes, source: Path, catalogue: Catalogue) -> None:
        self.source = source
        self.folder = source.parent
        self.cat = catalogue
        self.diagnostics: list[Diagnostic] = []
        decoded = decode_report(data)
        self.lines = decoded.lines
        for line, message in decoded.problems:
            self._diag(
                Level.INFO if "repaired" in message else Level.WARNING, line, message, "encoding"
            )
        self.in_code = self._find_code()
        self.listings: dict[str, frozenset[str]] = {}
        self.checklist_index: dict[int, dict[str, ChecklistEntry]] = defaultdict(dict)
        for entry in catalogue.checklist:
            self.checklist_index[len(entry.text.split())][entry.normalized] = entry
        self.variant_index: dict[str, tuple[Question, frozenset[str]]] = {}
        for q in catalogue.questions:
            for text, fams in q.variants.items():
                self.variant_index[text] = (q, fams)

    # -- helpers -----------------------------------------------------------------

    def _diag(
        self,
        level: Level,
        index_line: int | None,
        message: str,
        code: str = "parse",
        question: str | None = None,
    ) -> None:
        self.diagnostics.append(Diagnostic(level, index_line, message, code, question))

    def _find_code(self) -> list[bool]:
        """Mark lines inside fenced code; an unclosed fence ends at the next question.

        Every line is matched once: a fence's closing line is looked up among the lines
        that can close a fence (`_Closers`), so that many unclosed fences do not each scan
        the rest of the report.
        """
        lines = self.lines
        in_code = [False] * len(lines)
        self.fences: dict[int, int] = {}  # first line of a fenced block -> past its last
        matches = [_FENCE.match(line) for line in lines]
        closers = {char: _Closers(matches, char) for char in "`~"}
        questions = [j for j, line in enumerate(lines) if _QUESTION_HEADING.match(line)]
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
                self._diag(
                    Level.WARNING,
                    i + 1,
                    "A code block opened here is never closed (missing ```); it is read as "
                    "ending before the next question.",
                    "unclosed-fence",
                )
            for j in range(i, close + 1):
                in_code[j] = True
            self.fences[i] = close + 1
            i = close + 1
        return in_code

    # -- structure ---------------------------------------------------------------

    def _blocks(self) -> list[_Block]:
        blocks = [_Block("preamble", 0, headed=False)]
        in_checklist = False
        last_question = max(
            (
                i
                for i, line in enumerate(self.lines)
                if not self.in_code[i] and _QUESTION_HEADING.match(line)
            ),
            default=-1,
        )
        for i, line in enumerate(self.lines):
            if self.in_code[i] or "#" not in line[:4]:
                continue
            q = _QUESTION_HEADING.match(line)
            if q:
                in_checklist = False
                blocks.append(
                    _Block(
                        "question",
                        i,
                        number=int(q.group(1)),
                        heading_rest=q.group(2).strip(" \t*_:#-.)"),
                    )
                )
                continue
            h = _heading(line)
            if h is None:
                continue
            level, text = h
            title = normalize_line(text)
            if title == "overall project checklist":
                in_checklist = True
                blocks.append(_Block("checklist", i))
            elif in_checklist and title in _CHECKLIST_SECTIONS:
                blocks.append(_Block("checklist", i, checklist_section=text.strip()))
            elif title in self.cat.headings:
                in_checklist = False
                kind = "preamble" if title.startswith("exam template") else "section"
                blocks.append(_Block(kind, i))
            elif level <= 2 and (blocks[-1].kind != "question" or i > last_question):
                # A student's own top-level section: kept as extra. Inside an answer (but
                # the last one, where closing words go), a heading stays with the answer.
                in_checklist = False
                blocks.append(_Block("student", i))
        for block, nxt in zip(blocks, [*blocks[1:], None], strict=True):
            block.end = nxt.start if nxt else len(self.lines)
        return [b for b in blocks if b.end > b.start]

    def _recognise(self, block: _Block) -> None:
        """Find which canonical question a block's prompt asks."""
        prompt_parts = []
        for i in range(block.start + 1, block.end):
            line = self.lines[i]
            stripped = line.lstrip(" >")
            if line.lstrip().startswith(">") and stripped.startswith("**"):
                prompt_parts.append(stripped.replace("**", " "))
            elif prompt_parts and not line.lstrip().startswith(">"):
                break
        if not prompt_parts:
            return
        prompt = normalize_line(" ".join(prompt_parts))
        hit = self.variant_index.get(prompt)
        if hit is None:
            words = set(prompt.split())
            best, best_score = None, 0.0
            for text, candidate in self.variant_index.items():
                other = set(text.split())
                common = len(words & other)
                score = common / max(1, len(words) + len(other) - common)
                if score > best_score:
                    best, best_score = candidate, score
            if best is not None and best_score >= 0.5:
                hit = best
        if hit:
            block.question, block.families = hit

    def _family(self, questions: list[_Block]) -> str:
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
        order = {f.id: i for i, f in enumerate(self.cat.families)}
        return max(
            votes,
            key=lambda f: (votes[f], self.cat.family(f).questions == count, order[f]),
        )

    # -- text --------------------------------------------------------------------

    def _student_lines(self, block: _Block, template: frozenset[str], kept: _Kept) -> None:
        """Keep the student's lines of a block, dropping the template's."""
        # A student's own heading is theirs; the template's headings are not.
        first = block.start + 1 if block.headed and block.kind != "student" else block.start
        self._keep(first, block.end, template, kept, unquote=block.kind == "question")

    def _keep(
        self, first: int, end_line: int, template: frozenset[str], kept: _Kept, unquote: bool
    ) -> None:
        """Keep the student's lines in ``[first, end_line)``, dropping the template's.

        Args:
            first: Index of the first line.
            end_line: Index past the last line.
            template: Normalised template lines to drop.
            kept: Where kept lines go.
            unquote: Remove the quote marker from student text typed inside the quoted
                prompt that opens the range (a question's prompt).
        """
        in_prompt = True  # inside the quoted prompt that follows a question heading
        i = first
        while i < end_line:
            line = self.lines[i]
            if self.in_code[i]:
                # A fenced block is kept or dropped whole, so a fence is never broken.
                end = min(self.fences.get(i, i + 1), end_line)
                while end < end_line and self.in_code[end] and end not in self.fences:
                    end += 1
                code = range(i, end)
                # A template block: an opening, a body of template lines, a closing line.
                body = [self.lines[j] for j in code[1:-1]]
                is_template = (
                    len(code) >= 3
                    and all(normalize_line(b) in template and not _FENCE.match(b) for b in body)
                    and normalize_line(self.lines[code[0]]) in template
                )
                if not is_template:
                    for j in code:
                        kept.add(j + 1, self.lines[j])
                else:
                    kept.blank()
                in_prompt = False
                i = end
                continue
            i += 1
            is_quote = line.lstrip().startswith(">")
            if in_prompt and not is_quote and line.strip():
                in_prompt = False
            norm = normalize_line(line)
            if not line.strip(" \t>") or (is_quote and not line.strip(" \t>*")):
                kept.blank()  # blank, or a quoted "> *" filler line of the template
                continue
            if norm and (norm in template or _is_generic(norm, is_quote)):
                kept.blank()
                continue
            text = _PLACEHOLDER.sub("", line) if "fill" in norm else line
            if not text.strip():
                kept.blank()
                continue
            dashed = _DASHED.match(text)
            if dashed:
                text = dashed.group(1) + dashed.group(2)
            if is_quote and in_prompt and unquote:
                text = re.sub(r"^\s*>\s?", "", text)
            kept.add(i, text.rstrip())

    def _checklist(self, block: _Block, extra: _Kept, items: list[ChecklistItem]) -> None:
        i = block.start + 1
        while i < block.end:
            line = self.lines[i]
            m = None if self.in_code[i] else (_CHECK_ITEM.match(line) or _CHECK_EMOJI.match(line))
            if not m:
                end = i + 1
                while end < block.end and (
                    self.in_code[end]
                    or not (
                        _CHECK_ITEM.match(self.lines[end]) or _CHECK_EMOJI.match(self.lines[end])
                    )
                ):
                    end += 1
                self._keep(i, end, self.cat.boilerplate, extra, unquote=False)
                i = end
                continue
            mark, text = m.group(1), m.group(2).strip()
            start = i
            while (
                i + 1 < block.end
                and self.lines[i + 1].strip()
                and self.lines[i + 1][:1] in (" ", "\t")
                and not _CHECK_ITEM.match(self.lines[i + 1])
                and not _CHECK_EMOJI.match(self.lines[i + 1])
            ):
                i += 1
                text += " " + self.lines[i].strip()
            checked = bool(_CHECKED.search(mark))
            items.append(self._item(text, checked, block.checklist_section, start + 1))
            i += 1

    def _item(self, text: str, checked: bool, section: str, line: int) -> ChecklistItem:
        tokens = text.split()
        best = None
        # The longest template item that the text starts with; the rest is the note.
        for k in sorted(self.checklist_index, reverse=True):
            if k <= len(tokens):
                entry = self.checklist_index[k].get(normalize_line(" ".join(tokens[:k])))
                if entry is not None:
                    best = (entry, k)
                    break
        if best:
            entry, k = best
            note = " ".join(tokens[k:])
            base = _MODULES.sub("", entry.text).strip()
            return ChecklistItem(base, checked, entry.modules, note, section, line)
        joined = " ".join(tokens)
        modules = _MODULES.search(joined)
        if modules:
            codes = tuple(re.findall(r"M\d+", modules.group(1)))
            return ChecklistItem(
                joined[: modules.start()].strip(), checked, codes, "", section, line
            )
        return ChecklistItem(joined, checked, (), "", section, line)

    def _references(self, kept: list[tuple[int, str]], qid: str | None) -> list[Reference]:
        refs: list[Reference] = []
        text = "\n".join(t for _, t in kept)
        for rel_line, kind, target in find_references(text):
            line_no = kept[rel_line - 1][0]
            status, path = resolve_target(target, self.folder, self.listings)
            ref_kind = RefKind.IMAGE if kind == "image" else RefKind.LINK
            refs.append(Reference(target, ref_kind, RefStatus(status), line_no, path))
            if ref_kind is not RefKind.IMAGE:
                continue
            if status == "missing":
                self._diag(
                    Level.WARNING,
                    line_no,
                    f"The figure '{target}' is referenced but is not in the report's "
                    "folder (was it committed?).",
                    "missing-figure",
                    qid,
                )
            elif status == "outside":
                self._diag(
                    Level.WARNING,
                    line_no,
                    f"The figure '{target}' points outside the report's folder and is not shown.",
                    "outside-figure",
                    qid,
                )
            elif status == "found" and path and case_differs(target, path):
                self._diag(
                    Level.INFO,
                    line_no,
                    f"The figure '{target}' was found as '{path}': the letter case "
                    "differs, which breaks on case-sensitive web servers.",
                    "figure-case",
                    qid,
                )
        return refs

    # -- the whole report ----------------------------------------------------------

    def parse(self) -> Report:
        if not any(line.strip() for line in self.lines):
            self._diag(Level.ERROR, None, "The report is empty.", "empty")
        blocks = self._blocks()
        questions = [b for b in blocks if b.kind == "question"]
        for b in questions:
            self._recognise(b)
        family = self._family(questions)
        if family == UNKNOWN and questions:
            self._diag(
                Level.WARNING,
                None,
                "This report does not follow a known 02476 template; questions are "
                "read from their headings.",
                "unknown-template",
            )
        elif not questions and any(line.strip() for line in self.lines):
            self._diag(
                Level.ERROR,
                None,
                "No question headings ('### Question N') were found; the whole text "
                "is kept as extra content.",
                "no-questions",
            )

        extra = _Kept()
        checklist: list[ChecklistItem] = []
        per_question: dict[str, list[_Block]] = defaultdict(list)
        catalogue_order = self.cat.questions_of(family) if family != UNKNOWN else []
        by_number = {q.numbers[family]: q for q in catalogue_order}
        for b in blocks:
            if b.kind == "checklist":
                self._checklist(b, extra, checklist)
                continue
            if b.kind != "question":
                self._student_lines(b, self.cat.boilerplate, extra)
                extra.blank()
                continue
            if family == UNKNOWN:
                per_question[f"q{b.number}"].append(b)
                continue
            q = b.question if b.question and family in b.question.numbers else None
            if q is None:
                q = by_number.get(b.number or -1)
                if q is not None and b.question is not None:
                    q = None  # its prompt is another template's question: do not guess
            if q is None:
                self._diag(
                    Level.WARNING,
                    b.start + 1,
                    f"'Question {b.number}' is not a question of this template; its "
                    "text is kept as extra content.",
                    "unknown-question",
                )
                self._student_lines(b, self.cat.boilerplate, extra)
                extra.blank()
                continue
            if b.number != q.numbers[family]:
                self._diag(
                    Level.INFO,
                    b.start + 1,
                    f"The heading says Question {b.number}, but the prompt is that of "
                    f"question {q.numbers[family]} ({q.title}); it is read as the "
                    "latter.",
                    "renumbered",
                    q.id,
                )
            per_question[q.id].append(b)

        answers: list[Answer] = []
        if family == UNKNOWN:
            for key, bl in per_question.items():
                answers.append(
                    self._answer(
                        key,
                        bl,
                        None,
                        bl[0].number,
                        bl[0].heading_rest or f"Question {bl[0].number}",
                    )
                )
        else:
            for q in catalogue_order:
                answers.append(
                    self._answer(
                        q.id, per_question.get(q.id, []), q, q.numbers[family], q.title, family
                    )
                )

        extra_lines = extra.finish()
        extra_refs = self._references(extra_lines, None) if extra_lines else []
        questions_count = (
            self.cat.family(family).questions if family != UNKNOWN else len(per_question)
        )
        report = Report(
            source=self.source,
            template=TemplateInfo(family, questions_count),
            group=self._group(answers),
            checklist=checklist,
            answers=answers,
            extra="\n".join(t for _, t in extra_lines),
            diagnostics=[],
            extra_references=extra_refs,
        )
        report.diagnostics = sorted(
            self.diagnostics, key=lambda d: (d.line is not None, d.line or 0)
        )
        return report

    def _answer(
        self,
        key: str,
        blocks: list[_Block],
        question: Question | None,
        number: int | None,
        title: str,
        family: str | None = None,
    ) -> Answer:
        kept = _Kept()
        template = question.lines if question else frozenset()
        for b in blocks:
            if b.heading_rest and question is not None:
                # Text a student added to the heading ("Question 5 - structure") is theirs.
                rest = normalize_line(b.heading_rest)
                if rest and rest != normalize_line(question.title):
                    kept.add(b.start + 1, f"**{b.heading_rest}**")
                    kept.blank()
            self._student_lines(b, template, kept)
            kept.blank()
        if len(blocks) > 1:
            where = ", ".join(str(b.start + 1) for b in blocks)
            self._diag(
                Level.WARNING,
                blocks[1].start + 1,
                f"Question {number} ({title}) appears {len(blocks)} times (lines "
                f"{where}); the texts are kept together.",
                "duplicate-question",
                key,
            )
        lines = kept.finish()
        markdown = "\n".join(t for _, t in lines)
        words = len(markdown.split())
        images = count_images(markdown)
        word_range = question.words.get(family) if question and family else None
        image_range = question.images.get(family) if question and family else None
        line = blocks[0].start + 1 if blocks else None
        answer = Answer(
            number=number,
            question=key,
            title=title,
            markdown=markdown,
            status=Status.ANSWERED if markdown.strip() else Status.UNANSWERED,
            words=words,
            images=images,
            word_range=word_range,
            image_range=image_range,
            line=line,
            references=self._references(lines, key) if lines else [],
        )
        label = f"Question {number} ({title})"
        if not blocks and question is not None:
            self._diag(
                Level.WARNING, None, f"{label} is missing from the report.", "missing-question", key
            )
        elif answer.status is Status.UNANSWERED and question is not None:
            level = Level.INFO if answer.optional else Level.WARNING
            self._diag(level, line, f"{label} is not answered.", "unanswered", key)
        if answer.status is Status.ANSWERED:
            if not answer.words_ok and word_range:
                self._diag(
                    Level.WARNING,
                    line,
                    f"{label} has {words} words; {word_range[0]}–{word_range[1]} are recommended.",
                    "out-of-range",
                    key,
                )
            if not answer.images_ok and image_range:
                wanted = (
                    str(image_range[0])
                    if image_range[0] == image_range[1]
                    else f"{image_range[0]}–{image_range[1]}"
                )
                self._diag(
                    Level.WARNING,
                    line,
                    f"{label} has {images} image{'s' if images != 1 else ''}; "
                    f"{wanted} {'is' if wanted == '1' else 'are'} required.",
                    "out-of-range",
                    key,
                )
        return answer

    def _group(self, answers: list[Answer]) -> Group:
        by_id = {a.question: a for a in answers}
        number: int | None = None
        first = by_id.get("group-number")
        if first is not None and first.markdown:
            text = first.markdown.replace("02476", " ")
            m = _GROUP_WORD.search(text) or _NUMBER.search(text)
            if m:
                number = int(m.group(1))
            else:
                self._diag(
                    Level.WARNING,
                    first.line,
                    "No group number could be read from question 1.",
                    "group-number",
                    "group-number",
                )
        members: list[str] = []
        second = by_id.get("members")
        if second is not None and second.markdown:
            for m in _STUDENT.finditer(second.markdown):
                members.append("s" + m.group(1))
            for m in _BARE_STUDENT.finditer(_STUDENT.sub(" ", second.markdown)):
                members.append("s" + m.group(1))
                self._diag(
                    Level.INFO,
                    second.line,
                    f"Student number '{m.group(1)}' has no leading 's'; it is read as "
                    f"s{m.group(1)}.",
                    "student-number",
                    "members",
                )
        return Group(number, tuple(dict.fromkeys(members)))
