"""The tool catalogue: tools and practices, with the spellings students use.

``data/tools.yml`` is reviewed by hand; `load_tool_catalogue` validates it once and compiles
each entry's spellings into one pattern (`Tool.pattern`, and `Tool.finder` for ASCII text;
see `spellings`).
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, fields
from functools import cache
from importlib import resources
from typing import Any

import yaml

from report_archive.reports.catalogue import SHIPPED_LOADER
from report_archive.reports.tools.spellings import compile_finder, compile_pattern, key_words

__all__ = [
    "Tool",
    "ToolCatalogue",
    "ToolCatalogueError",
    "ToolCategory",
    "load_tool_catalogue",
    "parse_tool_catalogue",
]

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class ToolCatalogueError(ValueError):
    """The tool catalogue file is malformed (the message names the entry and key)."""


@dataclass(frozen=True)
class ToolCategory:
    """A group of entries on the tools page ("Experiment tracking")."""

    id: str
    title: str


@dataclass(frozen=True)
class Tool:
    """One catalogue entry: a tool or a practice.

    Attributes:
        id: Stable slug (``dvc``), used in URLs.
        name: Display name ("DVC").
        category: Category id.
        url: The official site.
        description: One line saying what it is.
        spellings: How students write it, matched case-insensitively as words or phrases.
        exact: Spellings matched only with this letter case.
        context: When not empty, a mention counts only with one of these words in the same
            sentence (for names that are also ordinary words: black, coverage).
        implies: Entries that using this one implies.
        all_of: For composite entries: the entries that must be used together.
        unless: A mention does not count when one of these words or phrases is in the same
            sentence (a VM that Vertex AI runs is not Compute Engine use).
        practice: A practice (profiling, load testing) rather than a named tool: a mention
            counts only in a sentence about the group's own work, since the words are also
            used for the idea ("data drift can hurt a model").
        pattern: Any of the spellings, as whole words.
        finder: The same matches as `pattern` in ASCII text, found faster
            (`spellings.compile_finder`).
        finds_lowered: Whether `finder` reads the text lower-cased.
        keys: For each spelling, the lower-case words a text must hold for it to match.
    """

    id: str
    name: str
    category: str
    url: str
    description: str
    spellings: tuple[str, ...]
    exact: tuple[str, ...] = ()
    context: frozenset[str] = frozenset()
    implies: tuple[str, ...] = ()
    all_of: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    practice: bool = False
    pattern: re.Pattern[str] = field(default=re.compile("(?!)"), compare=False, repr=False)
    finder: re.Pattern[str] = field(default=re.compile("(?!)"), compare=False, repr=False)
    finds_lowered: bool = field(default=False, compare=False, repr=False)
    keys: tuple[frozenset[str], ...] = field(default=(), compare=False, repr=False)

    def __reduce__(self) -> str | tuple[Any, ...]:
        """Pickle an entry of the shipped catalogue as its id, any other entry whole.

        Results of worker processes hold many entries; an id is small and quick to read.
        """
        if load_tool_catalogue().by_id.get(self.id) is self:
            return (_shipped_tool, (self.id,))
        return (Tool, tuple(getattr(self, f.name) for f in fields(self)))


@dataclass(frozen=True)
class ToolCatalogue:
    """Every entry, by category.

    Attributes:
        categories: Categories in display order.
        tools: Entries in catalogue order.
    """

    categories: tuple[ToolCategory, ...]
    tools: tuple[Tool, ...]
    by_id: dict[str, Tool] = field(default_factory=dict, compare=False, repr=False)
    index: dict[str, tuple[frozenset[int], list[tuple[int, frozenset[str]]]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """A word → the order of the entries with a spelling of that one word, and (entry order,
    the spelling's words) for the spellings of several words whose longest word it is (the
    least common, most often: "weights" of "weights and biases")."""
    parts: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    """The ids of the entries that are parts of a composite entry (`Tool.all_of`)."""
    words: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    """Every word of every spelling (`Tool.keys`): the only words `candidates` looks at."""
    _indexed: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_id.update({t.id: t for t in self.tools})
        parts = frozenset(part for t in self.tools for part in t.all_of)
        object.__setattr__(self, "parts", parts)
        words = frozenset(word for t in self.tools for key in t.keys for word in key)
        object.__setattr__(self, "words", words)
        single: dict[str, set[int]] = {}
        multiple: dict[str, list[tuple[int, frozenset[str]]]] = {}
        for order, tool in enumerate(self.tools):
            for key in tool.keys:
                if len(key) == 1:
                    single.setdefault(min(key), set()).add(order)
                else:
                    longest = max(sorted(key), key=len)
                    multiple.setdefault(longest, []).append((order, key))
        for word in sorted(single.keys() | multiple.keys()):
            self.index[word] = (frozenset(single.get(word, ())), multiple.get(word, []))
        object.__setattr__(self, "_indexed", frozenset(self.index))

    def candidates(self, words: AbstractSet[str]) -> list[Tool]:
        """The entries one of whose spellings has all its words in `words`, in order."""
        found: set[int] = set()
        for word in self._indexed.intersection(words):
            orders, keys = self.index[word]
            found |= orders
            for order, key in keys:
                if key <= words:
                    found.add(order)
        if len(found) < 2:
            return [self.tools[order] for order in found]
        return [self.tools[order] for order in sorted(found)]

    def tool(self, tool_id: str) -> Tool:
        """Return an entry by id.

        Raises:
            KeyError: No such entry.
        """
        return self.by_id[tool_id]


def _strings(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ToolCatalogueError(f"{where}: {key} must be a list of texts")
    return tuple(v.strip() for v in value)


def _text(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ToolCatalogueError(f"{where}: {key} must be a text")
    return value.strip()


def parse_tool_catalogue(data: Any, source: str = "tools.yml") -> ToolCatalogue:
    """Validate and build the tool catalogue from its YAML data.

    Raises:
        ToolCatalogueError: The data is malformed; the message names the entry and key.
    """
    if not isinstance(data, dict):
        raise ToolCatalogueError(f"{source}: expected categories and tools")
    categories = []
    for i, c in enumerate(data.get("categories") or []):
        where = f"{source}: categories[{i}]"
        if not isinstance(c, dict):
            raise ToolCatalogueError(f"{where}: expected id and title")
        categories.append(ToolCategory(_text(c, "id", where), _text(c, "title", where)))
    category_ids = {c.id for c in categories}
    tools: list[Tool] = []
    for i, t in enumerate(data.get("tools") or []):
        where = f"{source}: tools[{i}]"
        if not isinstance(t, dict):
            raise ToolCatalogueError(f"{where}: expected a mapping")
        tool_id = _text(t, "id", where)
        where = f"{source}: tool {tool_id!r}"
        unknown = set(t) - {
            "id", "name", "category", "url", "description", "spellings", "exact", "context",
            "implies", "all_of", "unless", "kind",
        }  # fmt: skip
        if unknown:
            raise ToolCatalogueError(f"{where}: unknown keys {sorted(unknown)}")
        if not _ID.match(tool_id) or any(x.id == tool_id for x in tools):
            raise ToolCatalogueError(f"{where}: the id must be a new lower-case slug")
        category = _text(t, "category", where)
        if category not in category_ids:
            raise ToolCatalogueError(f"{where}: unknown category {category!r}")
        url = _text(t, "url", where)
        if not url.startswith("https://"):
            raise ToolCatalogueError(f"{where}: url must start with https://")
        spellings = _strings(t.get("spellings"), where, "spellings")
        exact = _strings(t.get("exact"), where, "exact")
        if not spellings and not exact:
            raise ToolCatalogueError(f"{where}: needs spellings")
        kind = t.get("kind", "tool")
        if kind not in ("tool", "practice"):
            raise ToolCatalogueError(f"{where}: kind must be tool or practice")
        finder, finds_lowered = compile_finder(spellings, exact)
        tools.append(
            Tool(
                id=tool_id,
                name=_text(t, "name", where),
                category=category,
                url=url,
                description=_text(t, "description", where),
                spellings=spellings,
                exact=exact,
                context=frozenset(w.lower() for w in _strings(t.get("context"), where, "context")),
                implies=_strings(t.get("implies"), where, "implies"),
                all_of=_strings(t.get("all_of"), where, "all_of"),
                unless=tuple(u.lower() for u in _strings(t.get("unless"), where, "unless")),
                practice=kind == "practice",
                pattern=compile_pattern(spellings, exact),
                finder=finder,
                finds_lowered=finds_lowered,
                keys=key_words((*spellings, *exact)),
            )
        )
    ids = {t.id for t in tools}
    for tool in tools:
        for other in (*tool.implies, *tool.all_of):
            if other not in ids:
                raise ToolCatalogueError(f"{source}: tool {tool.id!r}: unknown entry {other!r}")
    return ToolCatalogue(tuple(categories), tuple(tools))


def _shipped_tool(tool_id: str) -> Tool:
    return load_tool_catalogue().tool(tool_id)


@cache
def load_tool_catalogue() -> ToolCatalogue:
    """Load the catalogue shipped with the package (once per process).

    Raises:
        ToolCatalogueError: The shipped file is malformed.
    """
    data = resources.files("report_archive.reports").joinpath("data/tools.yml")
    text = data.read_text("utf-8")
    return parse_tool_catalogue(
        yaml.load(text, Loader=SHIPPED_LOADER), "report_archive/reports/data/tools.yml"
    )
