"""The question catalogue: template families, canonical questions and their template text.

The catalogue is data (``data/catalogue.yml``, regenerated from the blank templates by
``scripts/build_catalogue.py``), loaded and validated once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

SHIPPED_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""Reads the package's own YAML files (libyaml's safe loader when PyYAML has it: faster)."""

__all__ = [
    "SHIPPED_LOADER",
    "Catalogue",
    "CatalogueError",
    "ChecklistEntry",
    "Family",
    "Question",
    "Section",
    "load_catalogue",
    "normalize_line",
]

_QUOTE_CHARS = " \t\n\r\f\v>"
_DROP = str.maketrans({"*": None, "_": None, "\u00a0": " "})


@lru_cache(maxsize=1 << 16)
def normalize_line(line: str) -> str:
    """Reduce a line to a form that compares equal across template edits.

    Quote markers, emphasis marks (``*`` and ``_``), and runs of white space are dropped,
    and case is folded, so ``> **Enter the group number**`` and ``Enter the  group number``
    compare equal. Cached: most lines of a report are the template's, the same in every
    report.

    Args:
        line: A line of markdown.

    Returns:
        The normalised line ("" for a blank or quote-only line).
    """
    return " ".join(line.lstrip(_QUOTE_CHARS).translate(_DROP).split()).lower()


class CatalogueError(ValueError):
    """The catalogue file is malformed."""


@dataclass(frozen=True)
class Family:
    """A template family: the versions of the template that share one question list."""

    id: str
    title: str
    questions: int
    templates: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    """A section of the report (a ``##`` heading of the template)."""

    id: str
    title: str


@dataclass(frozen=True)
class Question:
    """A canonical question, the same across template families.

    Attributes:
        id: Stable slug (``architecture-figure``).
        title: Short title for headings.
        section: Section id.
        numbers: Family id -> the question's number in that family.
        prompt: Family id -> the prompt text (latest version in the family).
        words: Family id -> recommended word range, or None.
        images: Family id -> required image range, or None.
        variants: Normalised prompt texts -> the families they appear in.
        lines: Normalised template lines of this question in any version (prompt,
            example, recommended length, ``Answer:``), stripped from answers.
    """

    id: str
    title: str
    section: str
    numbers: dict[str, int]
    prompt: dict[str, str]
    words: dict[str, tuple[int, int] | None]
    images: dict[str, tuple[int, int] | None]
    variants: dict[str, frozenset[str]]
    lines: frozenset[str]


@dataclass(frozen=True)
class ChecklistEntry:
    """A checklist item as some template version words it."""

    text: str
    modules: tuple[str, ...]
    section: str
    families: tuple[str, ...]
    normalized: str = field(default="", compare=False)


@dataclass(frozen=True)
class Catalogue:
    """Everything known about the templates.

    Attributes:
        families: Template families, oldest first.
        sections: Report sections in order.
        questions: Canonical questions in canonical order.
        headings: Normalised headings that belong to the template (not to any question).
        boilerplate: Normalised template lines outside the questions (preamble, intros).
        checklist: Checklist items of every version.
    """

    families: tuple[Family, ...]
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    headings: frozenset[str]
    boilerplate: frozenset[str]
    checklist: tuple[ChecklistEntry, ...]
    by_id: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_id.update({q.id: q for q in self.questions})

    def question(self, question_id: str) -> Question:
        """Return a question by canonical id.

        Raises:
            KeyError: No such question.
        """
        return self.by_id[question_id]

    def family(self, family_id: str) -> Family:
        """Return a family by id.

        Raises:
            KeyError: No such family.
        """
        for fam in self.families:
            if fam.id == family_id:
                return fam
        raise KeyError(family_id)

    def questions_of(self, family_id: str) -> list[Question]:
        """Return the questions of a family, in that family's numbering order."""
        return sorted(
            (q for q in self.questions if family_id in q.numbers),
            key=lambda q: q.numbers[family_id],
        )

    def section(self, section_id: str) -> Section:
        """Return a section by id.

        Raises:
            KeyError: No such section.
        """
        for sec in self.sections:
            if sec.id == section_id:
                return sec
        raise KeyError(section_id)


def _range(value: Any, where: str) -> tuple[int, int] | None:
    if value is None:
        return None
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int) for v in value)
        and 0 <= value[0] <= value[1]
    ):
        return (value[0], value[1])
    raise CatalogueError(f"{where}: expected [min, max] or null, got {value!r}")


def _require(mapping: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(mapping, dict) or key not in mapping:
        raise CatalogueError(f"{where}: missing key {key!r}")
    value = mapping[key]
    if not isinstance(value, kind):
        raise CatalogueError(f"{where}.{key}: expected {kind}, got {type(value).__name__}")
    return value


def parse_catalogue(data: Any, source: str = "catalogue.yml") -> Catalogue:
    """Validate and build a catalogue from its YAML data.

    Args:
        data: The loaded YAML document.
        source: Name used in error messages.

    Raises:
        CatalogueError: The data is malformed; the message names the place.
    """
    families = tuple(
        Family(
            id=str(_require(f, "id", str, f"{source}: families[{i}]")),
            title=_require(f, "title", str, f"{source}: families[{i}]"),
            questions=_require(f, "questions", int, f"{source}: families[{i}]"),
            templates=tuple(_require(f, "templates", list, f"{source}: families[{i}]")),
        )
        for i, f in enumerate(_require(data, "families", list, source))
    )
    family_ids = {f.id for f in families}
    sections = tuple(
        Section(
            id=_require(s, "id", str, f"{source}: sections[{i}]"),
            title=_require(s, "title", str, f"{source}: sections[{i}]"),
        )
        for i, s in enumerate(_require(data, "sections", list, source))
    )
    section_ids = {s.id for s in sections}
    questions: list[Question] = []
    seen: set[str] = set()
    for i, q in enumerate(_require(data, "questions", list, source)):
        where = f"{source}: questions[{i}]"
        qid = _require(q, "id", str, where)
        where = f"{source}: question {qid!r}"
        if qid in seen:
            raise CatalogueError(f"{where}: duplicate id")
        seen.add(qid)
        section = _require(q, "section", str, where)
        if section not in section_ids:
            raise CatalogueError(f"{where}: unknown section {section!r}")
        numbers = _require(q, "numbers", dict, where)
        if not set(numbers) <= family_ids:
            raise CatalogueError(f"{where}: unknown family in numbers {sorted(numbers)}")
        questions.append(
            Question(
                id=qid,
                title=_require(q, "title", str, where),
                section=section,
                numbers={str(k): int(v) for k, v in numbers.items()},
                prompt={str(k): str(v) for k, v in _require(q, "prompt", dict, where).items()},
                words={
                    str(k): _range(v, f"{where}.words")
                    for k, v in _require(q, "words", dict, where).items()
                },
                images={
                    str(k): _range(v, f"{where}.images")
                    for k, v in _require(q, "images", dict, where).items()
                },
                variants={
                    _require(v, "text", str, f"{where}.variants"): frozenset(
                        _require(v, "families", list, f"{where}.variants")
                    )
                    for v in _require(q, "variants", list, where)
                },
                lines=frozenset(_require(q, "lines", list, where)),
            )
        )
    for fam in families:
        numbers = sorted(q.numbers[fam.id] for q in questions if fam.id in q.numbers)
        if numbers != list(range(1, fam.questions + 1)):
            raise CatalogueError(
                f"{source}: family {fam.id!r} should number its questions 1..{fam.questions}"
            )
    checklist = tuple(
        ChecklistEntry(
            text=_require(c, "text", str, f"{source}: checklist[{i}]"),
            modules=tuple(_require(c, "modules", list, f"{source}: checklist[{i}]")),
            section=_require(c, "section", str, f"{source}: checklist[{i}]"),
            families=tuple(_require(c, "families", list, f"{source}: checklist[{i}]")),
            normalized=normalize_line(c["text"]),
        )
        for i, c in enumerate(_require(data, "checklist", list, source))
    )
    return Catalogue(
        families=families,
        sections=sections,
        questions=tuple(questions),
        headings=frozenset(_require(data, "headings", list, source)),
        boilerplate=frozenset(_require(data, "boilerplate", list, source)),
        checklist=checklist,
    )


@cache
def load_catalogue() -> Catalogue:
    """Load the catalogue shipped with the package (once per process).

    Raises:
        CatalogueError: The shipped file is malformed.
    """
    text = (
        resources.files("report_archive.reports").joinpath("data/catalogue.yml").read_text("utf-8")
    )
    return parse_catalogue(
        yaml.load(text, Loader=SHIPPED_LOADER), "report_archive/reports/data/catalogue.yml"
    )
