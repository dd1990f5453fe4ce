"""Which tools and practices a group used, with the sentences that show it.

`detect_tools` reads a parsed report's own text (its answers and the text outside the
questions; never the template's prompts, never the checklist) sentence by sentence
(`sentences`), finds the mentions of catalogue entries and judges each (`cues.classify`).
Anything a group writes about a tool in its own report that is not negated, hypothetical,
the road not taken or tried and dropped counts as use: a report describes the group's
project. Entries can imply others (Locust → load testing), and composite entries (DVC with
a GCS remote) need their parts used together in one answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from report_archive.reports.model import Report, Status
from report_archive.reports.tools.catalogue import Tool, ToolCatalogue, load_tool_catalogue
from report_archive.reports.tools.cues import OWN_WORK
from report_archive.reports.tools.judge import SentenceJudge
from report_archive.reports.tools.scan import named

__all__ = ["EXTRA", "Evidence", "Mention", "ToolReport", "ToolUse", "detect_tools"]

EXTRA = "extra"
"""The question id given to text outside any question."""


@dataclass(frozen=True)
class Evidence:
    """A sentence that shows a use, and the question it answers (canonical id or ``extra``)."""

    question: str
    text: str

    def to_json(self) -> dict[str, str]:
        """Return the JSON form."""
        return {"question": self.question, "text": self.text}


@dataclass(frozen=True)
class ToolUse:
    """An entry a group used, with the sentences that show it (at most three)."""

    tool: Tool
    evidence: tuple[Evidence, ...]

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "id": self.tool.id,
            "name": self.tool.name,
            "category": self.tool.category,
            "evidence": [e.to_json() for e in self.evidence],
        }


@dataclass(frozen=True)
class Mention:
    """A mention judged not to be a use, and why.

    The reason is ``negated``, ``hypothetical``, ``alternative``, ``tried-and-dropped`` or
    ``other`` (a general remark).
    """

    tool: Tool
    question: str
    text: str
    reason: str

    def to_json(self) -> dict[str, str]:
        """Return the JSON form."""
        return {
            "id": self.tool.id,
            "question": self.question,
            "text": self.text,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class ToolReport:
    """What a report shows of the catalogue.

    Attributes:
        used: Entries used, in catalogue order.
        mentions: Mentions of entries not used, in report order.
    """

    used: tuple[ToolUse, ...] = ()
    mentions: tuple[Mention, ...] = ()

    @property
    def ids(self) -> frozenset[str]:
        """The ids of the entries used."""
        return frozenset(u.tool.id for u in self.used)


MAX_EVIDENCE = 3
MAX_JUDGED = 3
"""Mentions of one entry judged per sentence: each is judged in its clause, which takes time
in proportion to the sentence, so a line that repeats a name thousands of times would take
quadratic time."""


def _texts(report: Report) -> Iterator[tuple[str, str]]:
    for answer in report.answers:
        if answer.status is Status.ANSWERED:
            yield answer.question, answer.markdown
    if report.extra.strip():
        yield EXTRA, report.extra


def detect_tools(report: Report, catalogue: ToolCatalogue | None = None) -> ToolReport:
    """Find the catalogue entries a report's students used, with evidence.

    Every mention in the students' own text is judged on its own (`classify`). An entry is
    used when a mention states its use outright ("we used X", "X was set up", "using X");
    any other mention that is a use (a list of tools, a description) counts only when the
    report never says the entry was not used. A practice counts only in sentences about
    the group's own work.

    Args:
        report: A parsed report (only the students' own text is read).
        catalogue: The tool catalogue (default: the one shipped with the package).

    Returns:
        The entries used, each with up to three sentences that show it, and the mentions
        judged not to be uses, each with its reason.
    """
    catalogue = catalogue or load_tool_catalogue()
    explicit: dict[str, list[tuple[str, str]]] = {}  # (question, sentence) of each use
    other: dict[str, list[tuple[str, str]]] = {}
    answers_using: dict[str, set[str]] = {}
    mentions: list[Mention] = []
    denied: set[str] = set()
    done: set[str] = set()  # used, with all the evidence that is shown: not looked for
    parts = catalogue.parts
    for question, markdown in _texts(report):
        for found in named(markdown, catalogue, done):
            judge: SentenceJudge | None = None
            own: bool | None = None
            for tool, spans in found.tools:
                tool_id = tool.id
                stated = len(explicit.get(tool_id, ()))
                if (
                    stated
                    and stated + len(other.get(tool_id, ())) >= MAX_EVIDENCE
                    and tool_id not in parts
                ):
                    # Used, with all the evidence that is shown: no need to judge.
                    answers_using[tool_id].add(question)
                    continue
                if (tool.unless or tool.context) and not _in_context(
                    tool, found.lowered, found.words
                ):
                    continue
                if judge is None:
                    judge = SentenceJudge(found.text, found.lowered, found.words, found.ascii)
                settled = stated > 0  # used already: only reasons matter
                strong = False
                reason: str | None = None
                direct = False
                for start, end in spans[:MAX_JUDGED]:
                    reason, direct = judge.judge(start, end, settled)
                    if reason is not None:
                        break  # the first mention with a reason decides
                    strong = strong or direct
                if reason is not None:
                    mentions.append(Mention(tool, question, found.raw, reason))
                    if direct:
                        denied.add(tool_id)
                    continue
                if tool.practice:
                    if own is None:
                        own = question in OWN_WORK_QUESTIONS or bool(OWN_WORK.search(found.text))
                    if not own:
                        continue
                (explicit if strong else other).setdefault(tool_id, []).append(
                    (question, found.raw)
                )
                answers_using.setdefault(tool_id, set()).add(question)
                stated = len(explicit.get(tool_id, ()))
                if (
                    stated
                    and stated + len(other.get(tool_id, ())) >= MAX_EVIDENCE
                    and tool_id not in parts
                ):
                    done.add(tool_id)
    uses = {k: list(v) for k, v in explicit.items()}
    for tool_id, found_uses in other.items():
        if tool_id in uses:
            uses[tool_id] += found_uses
        elif tool_id not in denied:
            uses[tool_id] = found_uses
    _imply(catalogue, uses)
    _composites(catalogue, uses, answers_using)
    used = tuple(
        ToolUse(tool, _evidence(uses[tool.id])) for tool in catalogue.tools if tool.id in uses
    )
    kept = tuple(m for m in mentions if m.tool.id not in uses)
    return ToolReport(used, kept)


OWN_WORK_QUESTIONS = frozenset({"contributions"})
"""Answers in which every sentence is about the group's own work (who did what)."""


def _in_context(tool: Tool, lowered: str, words: set[str]) -> bool:
    """Whether a sentence can mention an entry: its context words, none of its `unless`."""
    if tool.unless and any(u in words or (" " in u and u in lowered) for u in tool.unless):
        return False
    if not tool.context:
        return True
    return bool(tool.context & words) or any(c in lowered for c in tool.context if not c.isalnum())


def _imply(catalogue: ToolCatalogue, uses: dict[str, list[tuple[str, str]]]) -> None:
    changed = True
    while changed:
        changed = False
        for tool in catalogue.tools:
            if tool.id not in uses:
                continue
            for other in tool.implies:
                if other not in uses:
                    uses[other] = list(uses[tool.id])
                    changed = True


def _composites(
    catalogue: ToolCatalogue,
    uses: dict[str, list[tuple[str, str]]],
    answers: dict[str, set[str]],
) -> None:
    """A composite entry is used when its parts are used, named together in one answer."""
    for tool in catalogue.tools:
        if not tool.all_of:
            continue
        if not all(part in uses for part in tool.all_of):
            uses.pop(tool.id, None)
            continue
        if tool.id in uses:
            continue
        shared = set.intersection(*(answers.get(part, set()) for part in tool.all_of))
        if shared:
            uses[tool.id] = [e for part in tool.all_of for e in uses[part] if e[0] in shared]


def _evidence(found: list[tuple[str, str]]) -> tuple[Evidence, ...]:
    """The first `MAX_EVIDENCE` different sentences."""
    first: list[tuple[str, str]] = []
    for sentence in found:
        if sentence not in first:
            first.append(sentence)
            if len(first) == MAX_EVIDENCE:
                break
    return tuple(Evidence(question, text) for question, text in first)
