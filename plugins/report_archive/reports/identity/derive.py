"""A short title for a project that has none, derived from what its report says.

No question of the templates asks for the project's goal, but the answers say it on the
way: "We used Transformers for our Twitter sentiment classification model" (the
third-party package), "the CIFAR-100 dataset" (data, monitoring), ``src/rice_cnn_classifier``
(the code structure), links into the group's own repository. `derive_title` collects three
kinds of clues from the students' own text (never the template's):

- **task phrases**: a task noun (classification, segmentation, detection, generation, ...)
  with the words before it that say what of ("Twitter sentiment classification", "chest
  x-ray pneumonia classification"); phrases about the course's own machinery ("data drift
  detection", "code coverage analysis") are left out;
- **dataset names**: capitalised words before "dataset" ("the Smithsonian Butterfly
  dataset", "the CIFAR-100 dataset"), or quoted ones;
- **project names**: the package under ``src/`` and the name of the repository the report
  links into, without the course's words (``mlops``, ``group``, ``02476`` ...).

Only the answers that describe the project are read (`_WEIGHTS`: the third-party package,
the architecture, the extra features, the API, the code structure, ...), and each clue is
weighted by the answer it comes from and by how often it recurs; the group's summary
(``group.yml`` or the README's), when there is one, weighs most. The title is the project
name or the best task phrase, with the dataset when one is named; failing all, the
frameworks the group chose (``Project using timm``), and failing that the template (never
empty). It is at most `MAX_TITLE` characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from report_archive.reports.identity.text import cap, name_words, sentence_case
from report_archive.reports.identity.words import (
    BARE,
    CANONICAL,
    DATASET_NOISE,
    MACHINERY,
    MODALITIES,
    OBJECT_SKIP,
    STOP,
    TASKS,
    VAGUE_TASKS,
    VERBS,
    WEAK_TASKS,
)
from report_archive.reports.model import Report, Status
from report_archive.reports.tools import ToolReport, sentences

__all__ = ["MAX_TITLE", "derive_title"]

MAX_TITLE = 60
"""Derived titles are at most this long."""

_WEIGHTS = {
    "third-party-package": 3.0,
    "architecture-figure": 2.0,
    "extra-features": 2.0,
    "api": 2.0,
    "deployment": 1.5,
    "code-structure": 1.5,
    "monitoring": 1.0,
    "data-version-control": 1.0,
    "experiment-tracking": 1.0,
    "api-testing": 1.0,
}
"""The answers read for task phrases and datasets, and how much each says of the project."""
_SKIPPED = frozenset({"group-number", "members", "contributions", "cloud-credits"})
"""Answers where a package or repository name is not the group's own."""
_SUMMARY_WEIGHT = 6.0
_MAX_TEXT = 20_000
"""Characters of one answer that are read (a project says what it is early)."""

_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9'’]{0,40}(?:-[A-Za-z0-9'’]{1,30}){0,3}|[^\sA-Za-z]+")
"""A plain word, or a run of anything else (a break)."""
_STEMS = (
    "classif segment detect generat recogni predict forecast analys regress translat summari "
    "caption estimat retriev transcri tagging locali synthes answering"
)
_TASK_HINT = re.compile("|".join(_STEMS.split()))
_CODE_SPAN = re.compile(r"`[^`\n]{0,300}`")
_CODE_CHARACTERS = frozenset("/\\=$")
_CODE_CHARACTER = re.compile(r"[/\\=$]")
_QUOTED_DATASET = re.compile(r"[\"“]([^\"”\n]{3,40})[\"”]\s{1,3}data\s?sets?\b", re.IGNORECASE)
_PRETRAINED = re.compile(r"pre-?trained", re.IGNORECASE)
_OURS = re.compile(r"\b(?:our|we|project|task|goal|aim)\b", re.IGNORECASE)
_SOURCE_FOLDER = re.compile(r"(?<![\w/.-])src/([A-Za-z][A-Za-z0-9_]{2,60})(?![A-Za-z0-9_])")
_PACKAGE_FILE = re.compile(
    r"(?<![\w/.-])([a-z][a-z0-9]{0,20}(?:_[a-z0-9]{1,20}){1,6})/[\w/]{0,80}\.py\b"
)
_OWN_REPOSITORY = re.compile(
    r"github\.com/[\w.-]{1,40}/([\w.-]{1,100})/(?:blob|tree|actions|issues|pull|commit)/"
)
_NAME_PATTERNS = (
    ("src/", _SOURCE_FOLDER),
    (".py", _PACKAGE_FILE),
    ("github.com/", _OWN_REPOSITORY),
)


@dataclass(frozen=True)
class _Clue:
    words: tuple[str, ...]
    score: float


def derive_title(
    report: Report | None,
    *,
    tools: ToolReport | None = None,
    summary: str | None = None,
    repository: str | None = None,
) -> str:
    """Return a short title for a project from its report (never empty).

    Args:
        report: The parsed report (None when it could not be read).
        tools: The tools the group used, for the last-resort title.
        summary: What the project does, when known (``group.yml``): read first.
        repository: The group's repository URL, when known: its name is a clue.

    Returns:
        At most `MAX_TITLE` characters, first letter upper case.
    """
    texts = [
        (sentence, weight)
        for text, weight in _texts(report, summary)
        for sentence in sentences(_without_code(text))
    ]
    name = _best(_names(report, repository))
    task = _best(_tasks(texts))
    dataset = _best(_datasets(texts))
    title = _compose(name, task, dataset) or _fallback(task, report, tools)
    return cap(sentence_case([title]), MAX_TITLE)


def _texts(report: Report | None, summary: str | None) -> Iterator[tuple[str, float]]:
    if summary:
        yield summary, _SUMMARY_WEIGHT
    if report is None:
        return
    for answer in report.answers:
        if answer.status is Status.ANSWERED and answer.question in _WEIGHTS:
            yield answer.markdown[:_MAX_TEXT], _WEIGHTS[answer.question]


def _tasks(texts: Iterable[tuple[str, float]]) -> Iterator[_Clue]:
    for sentence, weight in texts:
        if not _TASK_HINT.search(sentence.lower()):
            continue
        words = _words(sentence)
        bonus = 1.5 if _OURS.search(sentence) else 1.0
        for i, word in enumerate(words):
            lowered = word.lower()
            if lowered in VERBS:
                found = _object(words[i + 1 : i + 6])
                if found:
                    yield _clue((*found, VERBS[lowered]), weight * bonus, len(found))
                continue
            if lowered not in TASKS:
                continue
            task = CANONICAL.get(lowered, lowered)
            before = _modifiers(reversed(words[max(0, i - 3) : i]))
            if before is not None and (before or task in WEAK_TASKS):
                yield _clue((*before[::-1], task), weight * bonus, len(before))
            if words[i + 1 : i + 2] == ["of"]:
                found = _object(words[i + 2 : i + 7])
                if found:
                    yield _clue((*found, task), weight * bonus, len(found))


def _without_code(text: str) -> str:
    """The text without code spans and words with a path, an assignment or TeX in them."""
    if "`" in text:
        text = _CODE_SPAN.sub(" ", text)
    if not _CODE_CHARACTER.search(text):
        return text
    return "\n".join(
        " ".join(w for w in line.split(" ") if _CODE_CHARACTERS.isdisjoint(w))
        if _CODE_CHARACTER.search(line)
        else line
        for line in text.split("\n")
    )


def _words(sentence: str) -> list[str]:
    """The sentence's words in order, with "" for every break.

    A break is punctuation, or anything else that is no plain word (a number, ``+``).
    """
    return [t if t[0].isalpha() else "" for t in _TOKEN.findall(sentence)]


def _clue(words: tuple[str, ...], weight: float, modifiers: int) -> _Clue:
    task = words[-1]
    if not modifiers:
        words, weight = (BARE.get(task, task),), weight * 0.3
    if task in VAGUE_TASKS:
        if task in ("analysis", "prediction") and {w.lower() for w in words[:-1]} <= MODALITIES:
            weight = 0.0  # "image prediction", "data analysis": nothing said
        weight *= 0.5
    return _Clue(words, weight * (1 + 0.3 * modifiers))


def _object(words: list[str]) -> tuple[str, ...]:
    """What a task is about: the content words after "classify" or "classification of".

    The last one is made singular ("classify X-ray images": X-ray image).
    """
    while words and words[0].lower() in OBJECT_SKIP:
        words = words[1:]
    found = _modifiers(words[:3]) or ()
    if found:
        last = found[-1]
        if len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us", "is")):
            found = (*found[:-1], last[:-1])
    return found


def _modifiers(words: Iterable[str]) -> tuple[str, ...] | None:
    """The content words next to a task noun, nearest first; None for machinery."""
    found: list[str] = []
    for word in words:
        lowered = word.lower()
        if not word or lowered in STOP or lowered in TASKS or lowered in VERBS:
            break
        if lowered in MACHINERY or "drift" in lowered or "docker" in lowered:
            return None
        found.append(word)
    return tuple(found)


def _datasets(texts: Iterable[tuple[str, float]]) -> Iterator[_Clue]:
    for sentence, weight in texts:
        if "data" not in sentence.lower() or _PRETRAINED.search(sentence):
            continue
        for m in _QUOTED_DATASET.finditer(sentence):
            yield _Clue(tuple(m.group(1).split()), weight)
        words = _words(sentence)
        for i, word in enumerate(words):
            lowered = word.lower()
            if lowered in ("dataset", "datasets") or (
                lowered in ("set", "sets") and i and words[i - 1].lower() == "data"
            ):
                end = i if lowered.startswith("dataset") else i - 1
                name = _capitalised(words[max(0, end - 3) : end])
                if name:
                    yield _Clue(name, weight)


def _capitalised(words: list[str]) -> tuple[str, ...]:
    found: list[str] = []
    for word in reversed(words):
        if not word or not word[:1].isupper() or word.lower() in DATASET_NOISE:
            break
        found.insert(0, word)
    return tuple(found) if any(any(c.isalpha() for c in w) for w in found) else ()


def _names(report: Report | None, repository: str | None) -> Iterator[_Clue]:
    if repository:
        words = name_words(repository.rstrip("/").rsplit("/", 1)[-1])
        if _meaningful(words):
            yield _Clue(tuple(words), 4.0)
    if report is None:
        return
    for answer in report.answers:
        if answer.question in _SKIPPED:
            continue
        text = answer.markdown[:_MAX_TEXT]
        for hint, pattern in _NAME_PATTERNS:
            if hint not in text:
                continue
            for m in pattern.finditer(text):
                words = name_words(m.group(1))
                if _meaningful(words):
                    yield _Clue(tuple(words), 1.0)


def _meaningful(words: list[str]) -> bool:
    return any(len(w) >= 4 and not w.isupper() for w in words)


def _best(clues: Iterable[_Clue]) -> tuple[str, ...]:
    scores: dict[tuple[str, ...], float] = {}
    shown: dict[tuple[str, ...], tuple[str, ...]] = {}
    for clue in clues:
        key = tuple(w.lower() for w in clue.words)
        if clue.score > 0:
            scores[key] = scores.get(key, 0.0) + clue.score
        shown.setdefault(key, clue.words)
    if not scores:
        return ()
    best = max(scores, key=lambda k: (scores[k], len(k)))
    return shown[best]


def _compose(name: tuple[str, ...], task: tuple[str, ...], dataset: tuple[str, ...]) -> str:
    """The title from the best clues ("" when they say too little)."""
    name_set = {w.lower() for w in name}
    task_set = {w.lower() for w in task}
    if name and task and name_set <= task_set:
        name = ()  # "customer support ticket classification" says more than its package
    if name:
        said = any(w in TASKS or w in VERBS for w in name_set) or name_set & task_set
        return " ".join(name) + (f" ({' '.join(task)})" if task and not said else "")
    if task and dataset and not {w.lower() for w in dataset} <= task_set:
        return f"{' '.join(task)} on {' '.join(dataset)}"
    if len(task) > 1:
        return " ".join(task)
    if dataset:
        return f"Project on the {' '.join(dataset)} dataset"
    return ""


def _fallback(task: tuple[str, ...], report: Report | None, tools: ToolReport | None) -> str:
    """A task alone ("Classification"), then the frameworks chosen, then the template."""
    chosen = [
        use.tool.name
        for use in (tools.used if tools else ())
        if not use.tool.practice and any(e.question == "third-party-package" for e in use.evidence)
    ][:2]
    start = task[0].capitalize() if task else "Project"
    if chosen:
        return f"{start} using " + " and ".join(chosen)
    if task:
        return start
    if report is not None and report.template.id != "unknown":
        return f"Project report ({report.template.questions}-question template)"
    return "Project report"
