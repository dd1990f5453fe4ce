"""Which tools and practices a group used, with the sentences that show it.

The tool catalogue (``data/tools.yml``, reviewed by hand) lists tools and practices with the
spellings students use. `detect_tools` reads a parsed report's own text (its answers and
the text outside the questions; never the template's prompts, never the checklist) sentence
by sentence, finds the mentions of catalogue entries, and decides for each whether it is a
use or only a mention:

- negated ("we did not use DVC", "DVC was not implemented"),
- hypothetical or future ("we could have used Prometheus", "a future improvement would be
  Evidently", "if we had more time"),
- the road not taken ("instead of Cloud Build we used GitHub Actions"),
- tried and dropped ("we tried ONNX but dependency problems ...").

Anything else a group writes about a tool in its own report counts as use: a report
describes the group's project. The cues are read within the clause that holds the mention,
so "We did not use Cloud Build; GitHub Actions builds our images" negates only Cloud Build.
Entries can imply others (Locust → load testing), and composite entries (DVC with a GCS
remote) need their parts used together in one answer.

Plain Python: no MkDocs, no Jinja.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from report_archive.reports.model import Report, Status

__all__ = [
    "EXTRA",
    "Evidence",
    "Mention",
    "Tool",
    "ToolCatalogue",
    "ToolCatalogueError",
    "ToolReport",
    "ToolUse",
    "detect_tools",
    "load_tool_catalogue",
    "parse_tool_catalogue",
    "sentences",
]

EXTRA = "extra"
"""The question id given to text outside any question."""

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


# -- the catalogue ---------------------------------------------------------------------------


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
    keys: tuple[frozenset[str], ...] = field(default=(), compare=False, repr=False)


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
    index: dict[str, list[tuple[int, Tool]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        self.by_id.update({t.id: t for t in self.tools})
        for order, tool in enumerate(self.tools):
            for key in tool.keys:
                self.index.setdefault(min(key), []).append((order, tool))

    def candidates(self, words: set[str]) -> list[Tool]:
        """The entries one of whose spellings has all its words in `words`, in order."""
        seen: dict[int, Tool] = {}
        for word in words & self.index.keys():
            for order, tool in self.index[word]:
                seen[order] = tool
        return [
            seen[order] for order in sorted(seen) if any(key <= words for key in seen[order].keys)
        ]

    def tool(self, tool_id: str) -> Tool:
        """Return an entry by id.

        Raises:
            KeyError: No such entry.
        """
        return self.by_id[tool_id]


def _spelling_pattern(spelling: str) -> str:
    """A spelling as a regular expression: its words in order, any white space between."""
    words = [re.escape(w) for w in spelling.split()]
    body = r"\s+".join(words)
    start = r"(?<![\w.])(?<!\w-)" if spelling[:1].isalnum() else ""
    end = r"(?![\w-])" if spelling[-1:].isalnum() else ""
    return start + body + end


def _patterns(spellings: tuple[str, ...], exact: tuple[str, ...]) -> list[str]:
    """The alternatives of an entry's pattern.

    Spellings that start and end with a letter or digit share one pair of word boundaries,
    checked once per place instead of once per spelling (four times faster).
    """

    def words(spelling: str) -> str:
        return r"\s+".join(re.escape(w) for w in spelling.split())

    def bounded(spelling: str) -> bool:
        return spelling[:1].isalnum() and spelling[-1:].isalnum()

    inner = (
        [f"(?i:{'|'.join(words(s) for s in spellings if bounded(s))})"]
        if any(bounded(s) for s in spellings)
        else []
    )
    inner += [words(s) for s in exact if bounded(s)]
    out = [rf"(?<![\w.])(?<!\w-)(?:{'|'.join(inner)})(?![\w-])"] if inner else []
    out += [f"(?i:{_spelling_pattern(s)})" for s in spellings if not bounded(s)]
    out += [_spelling_pattern(s) for s in exact if not bounded(s)]
    return out


def _keys(spellings: Iterable[str]) -> tuple[frozenset[str], ...]:
    """For each spelling, the lower-case words a sentence must contain for it to match."""
    return tuple(
        dict.fromkeys(
            frozenset(re.findall(r"[a-z0-9]+", s.lower()) or [s.lower()]) for s in spellings
        )
    )


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
        patterns = _patterns(spellings, exact)
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
                pattern=re.compile("|".join(patterns)),
                keys=_keys((*spellings, *exact)),
            )
        )
    ids = {t.id for t in tools}
    for tool in tools:
        for other in (*tool.implies, *tool.all_of):
            if other not in ids:
                raise ToolCatalogueError(f"{source}: tool {tool.id!r}: unknown entry {other!r}")
    return ToolCatalogue(tuple(categories), tuple(tools))


@cache
def load_tool_catalogue() -> ToolCatalogue:
    """Load the catalogue shipped with the package (once per process).

    Raises:
        ToolCatalogueError: The shipped file is malformed.
    """
    data = resources.files("report_archive.reports").joinpath("data/tools.yml")
    text = data.read_text("utf-8")
    return parse_tool_catalogue(yaml.safe_load(text), "report_archive/reports/data/tools.yml")


# -- sentences -------------------------------------------------------------------------------

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_IMAGE = re.compile(r"!\[([^\]\n]{0,300})\]\([^)\n]{0,500}\)")
_LINK = re.compile(r"\[([^\]\n]{0,300})\]\([^)\n]{0,500}\)")
_URL = re.compile(r"\bhttps?://[^\s)>\]]{1,300}")
_TAG = re.compile(r"<[^<>\n]{0,300}>")
_MARKUP = re.compile(r"[*_`#>|]+")
_SPLIT = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])")
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|etc|vs|approx|incl|cf|fig|no|ca)\.$", re.IGNORECASE)
_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")


def sentences(markdown: str) -> Iterator[str]:
    """Split student markdown into sentences of plain text.

    Lines of fenced code, list items, table rows and headings are units of their own;
    paragraphs are split after ``.``, ``!`` or ``?`` (not after "e.g." and the like).
    Images keep their alt text, links their text; URLs and HTML tags are dropped.
    """
    paragraph: list[str] = []
    in_code = False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            in_code = not in_code
            yield from _paragraph(paragraph)
            paragraph = []
            continue
        stripped = line.strip()
        if in_code:
            if stripped:
                yield stripped[:1000]
            continue
        if not stripped or _ITEM.match(line) or stripped.startswith(("|", "#")):
            yield from _paragraph(paragraph)
            paragraph = []
        if stripped:
            paragraph.append(_ITEM.sub("", line))
    yield from _paragraph(paragraph)


def _paragraph(lines: list[str]) -> Iterator[str]:
    if not lines:
        return
    text = " ".join(lines)
    text = _IMAGE.sub(r" \1 ", text)
    text = _LINK.sub(r"\1", text)
    text = _URL.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _MARKUP.sub(" ", text)
    text = " ".join(text.split())
    pending = ""
    for piece in _SPLIT.split(text):
        pending = f"{pending} {piece}".strip() if pending else piece
        if pending[-1:] == "." and _ABBREVIATION.search(pending[-8:]):
            continue
        if pending:
            yield pending
        pending = ""
    if pending:
        yield pending


# -- use or mention ----------------------------------------------------------------------------

_CLAUSE = re.compile(
    r";|\s[-–—]\s|,?\s(?:but|however|although|though|whereas|while|except|yet|instead)\b",
    re.IGNORECASE,
)
"""Where a clause ends: the cues of one clause do not reach into the next."""

_TOPIC = re.compile(
    r"^\s*(?:regarding|as for|as to|when it comes to|in terms of|concerning|with respect to|"
    r"with regards? to|for|about)\s*$",
    re.IGNORECASE,
)
"""A mention that opens its sentence as its topic ("Regarding profiling, ..."): what the
rest of the sentence says applies to it."""

_N = r"(?:n't|nt| not)"
_NEGATED_BEFORE = re.compile(
    r"\b(?:not|never|no longer|unable to|failed to|fail to|did" + _N + r"|does" + _N + r"|"
    r"do" + _N + r"|have" + _N + r"|has" + _N + r"|had" + _N + r"|was" + _N + r"|"
    r"were" + _N + r"|is" + _N + r"|are" + _N + r"|could" + _N + r"|can" + _N + r"|cannot|"
    r"would" + _N + r"|won't|wont|neither|nor|without|lack of|no time|no need|nothing|"
    r"skip(?:ped)?|omitted|avoid(?:ed|ing)?|decided against|chose not|opted not|refrained from)\b",
    re.IGNORECASE,
)
_NOT_A_NEGATION = re.compile(
    r"(?:not only|not just|not that|not too|not very|not much of|not (?:familiar|used to)|"
    r"no (?:issues?|problems?|trouble|difficult(?:y|ies)|doubt|matter)|without (?:any )?"
    r"(?:issues?|problems?|trouble)|never (?:had|ran into|experienced)|"
    r"(?:did|do|does|had)" + _N + r" (?:have to|had to)|if not)\b",
    re.IGNORECASE,
)
_NO_BEFORE = re.compile(r"\bno\s+(?:\w+\s+)?$", re.IGNORECASE)
_NEGATED_AFTER = re.compile(
    r"^\W{0,3}(?:\w+\W+){0,4}?(?:(?:was|were|is|are|has been|have been|got|get|been|"
    r"did|does|do)\s*(?:n't|nt)?\s*)?(?:not|never|n't)\s+(?:\w+\s+)?(?:used|implemented|"
    r"set ?up|added|integrated|utili[sz]ed|deployed|configured|done|included|applied|"
    r"employed|incorporated|enabled|run|ran|tried|explored|considered|needed|necessary|"
    r"relevant|part of|in use|activated|working|functional|completed|finished|made|created|"
    r"built|performed|conducted|carried out|established|achieved|managed|possible|merged|"
    r"kept|something|really|use|implement|get|make|useful|required|applicable|important|"
    r"beneficial|worth|a priority|prioriti[sz]ed|relevant)\b"
    r"|^\W{0,3}(?:\w+\W+){0,3}?(?:was|were|is|are|remained)\s+(?:\w+\s+)?(?:nonexistent|"
    r"non-existent|absent|skipped|omitted|left out|out of scope|never)\b",
    re.IGNORECASE,
)
_HYPOTHETICAL = re.compile(
    r"\b(?:could(?:'ve| have| be| also| potentially| easily)?|would(?:'ve| have| be| "
    r"also| like| love)?|should(?:'ve| have)|might(?: have| be)?|may be|"
    r"plan(?:ned|ning|s)? to|the plan|our plan|want(?:ed)? to|wish(?:ed)? to|hope(?:d)? to|"
    r"intend(?:ed)? to|aim(?:ed)? to|consider(?:ed|ing)?|thought about|thinking about|"
    r"idea|ideally|future|next steps?|if we (?:had|were|would|could)|had we|"
    r"given (?:more )?time|more time|further (?:work|improvements?)|improvements?|"
    r"possib(?:le|ly|ility)|potential(?:ly)?|eventually|at some point|later on|nice to have|"
    r"recommend(?:ed)?|suggest(?:ed|s)?|one could|one can|can be (?:used|achieved|done)|"
    r"can also be used|if (?:needed|necessary|required|desired|wanted)|"
    r"not yet|yet to)\b",
    re.IGNORECASE,
)
_COUNTERFACTUAL = re.compile(
    r"\b(?:if we had|had we|if (?:\w+ ){0,5}(?:were|was|had) (?:to |more |enough |the )|"
    r"(?:would|could|should|might)(?:'ve| have)|would (?:need|require)|in hindsight|"
    r"with more time|"
    r"given more time|if (?:time|we) (?:had )?(?:allowed|permitted))\b",
    re.IGNORECASE,
)
"""A counterfactual clause ("if we had more time we would have ..."): every mention in it
is hypothetical, however far from the cue."""
_GENERIC = re.compile(
    r"\b(?:commonly|typically|generally|in general|(?:is|are) (?:often|usually) used|"
    r"in production systems|in industry|in the industry|industry standard|"
    r"the course (?:mentions|introduced|taught|suggests|recommends))\b",
    re.IGNORECASE,
)
"""A general remark, not about the group's project."""
_HYPOTHETICAL_AFTER = re.compile(
    r"^\W{0,3}(?:\w+\W+){0,5}?(?:would|might|should)(?:\s+(?:also|further|definitely|"
    r"likely|probably|only|then|certainly))?\s+(?:have|be|bring|help|make|add|improve|"
    r"allow|enable|give|provide|benefit|increase|reduce|ensure|require|been)\b"
    r"|^\W{0,3}(?:\w+\W+){0,5}?could(?:'ve| have|(?: also)? be (?:used|applied|added|"
    r"implemented|done))\b"
    r"|^\W{0,3}(?:\w+\W+){0,5}?(?:we|one|you|they) (?:would|might)\b",
    re.IGNORECASE,
)
_TRIED = re.compile(
    r"\b(?:tried|trying|try|attempted|attempting|attempt|experimented with|experimenting "
    r"with|initially|originally|at first|first|started (?:with|by|out)|began with)\b",
    re.IGNORECASE,
)
_DROPPED = re.compile(
    r"\b(?:gave up|give up|abandon(?:ed)?|dropped|drop|removed|remove|deleted|scrapped|"
    r"ditched|discarded|stopped using|no longer|became irrelevant|switched|replaced|"
    r"moved (?:away|to|over|on)|migrated|transferred|instead|unsuccessful(?:ly)?|"
    r"did" + _N + r" work|could" + _N + r"|failed|not work|not able|unable|problems?|"
    r"issues?|difficult(?:y|ies)|trouble|in favou?r|too late|decided (?:not|against)|"
    r"in the end|ended up|later|changed|not manage|n't manage|nt manage)\b",
    re.IGNORECASE,
)
_DROPPED_BEFORE = re.compile(
    r"\b(?:deleted|removed|dropped|abandoned|scrapped|ditched|discarded|got rid of|"
    r"stopped using|gave up(?: on)?|moved away from)\b",
    re.IGNORECASE,
)
_ALTERNATIVE_BEFORE = re.compile(
    r"\b(?:instead of|rather than|in place of|as opposed to|than|over|"
    r"replac(?:e|ed|ing) |switch(?:ed|ing)? (?:away )?from|mov(?:e|ed|ing) (?:away )?from|"
    r"migrat(?:e|ed|ing) from|transition(?:ed)? from|alternatives? to)\s+"
    r"(?:(?:the|a|an|traditional|plain|raw|using|use|of)\s+){0,3}$",
    re.IGNORECASE,
)
_ALTERNATIVE_AFTER = re.compile(
    r"^\W{0,3}(?:\w+\W+){0,3}?(?:was|were)?\s*(?:replaced|dropped|abandoned|swapped|"
    r"exchanged|substituted)\b",
    re.IGNORECASE,
)
_CONDITIONAL = re.compile(
    r"^\s*(?:(?:if|had we|were we|should we|in case)\b[^.]{0,200}?\b(?:would|could|might)|"
    r"(?:it|this|that|these|such \w+|they|one)\s+(?:would|could|might))\b",
    re.IGNORECASE,
)
"""A sentence that opens with a condition and goes on with would/could, or whose main verb
is would/could ("It would give us an overview ...")."""
_TRIGGER_WORDS = (
    "not never no t nt didnt doesnt dont wasnt werent isnt arent couldnt cant wont hasnt "
    "havent hadnt wouldnt unable fail fails failed failing failure cannot neither nor "
    "without lack lacked nothing skip skips skipped skipping omit omits omitted omitting "
    "avoid avoids avoided avoiding decided chose opted refrain refrained nonexistent non "
    "absent left scope would could should might may plan plans planned planning want "
    "wants wanted wish wished hope hoped intend intended aim aimed aiming consider "
    "considered considering thought thinking idea ideas ideally future next given time "
    "further improvement improvements possible possibly possibility potential potentially "
    "eventually point later nice recommend recommended recommends suggest suggested "
    "suggests can yet hindsight case if had instead rather place opposed than over "
    "replace replaced replacing switch switched switching move moved moving migrate "
    "migrated migrating transition transitioned alternative alternatives swapped "
    "exchanged substituted delete deleted removed remove dropped drop abandon abandoned "
    "scrapped ditched discarded rid stopped gave tried trying try attempt attempted "
    "attempting attempts experimented experimenting initially originally first started "
    "began commonly typically generally general often usually production industry course"
)
_TRIGGER = frozenset(_TRIGGER_WORDS.split())
"""A word every cue above needs: a sentence without any of them holds no cue, so its
mentions are uses without looking further (a test checks that classifying every mention of
the sample and of the corpus gives the same with and without this shortcut)."""
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_WINDOW = 12
"""Words before a mention, within its clause, that a cue may stand in."""
_NEAR = 5
"""Words before a mention within which a negation is about the mention itself."""


def _clause(sentence: str, start: int, end: int) -> tuple[str, str]:
    """The text before and after a mention, within the clause that holds it."""
    before_start = 0
    for m in _CLAUSE.finditer(sentence, 0, start):
        before_start = m.end()
    after = sentence[end:]
    stop = _CLAUSE.search(after)
    return sentence[before_start:start], after[: stop.start()] if stop else after


def classify(sentence: str, start: int, end: int) -> tuple[str | None, bool]:
    """Say whether a mention is a use and, when not, why.

    Args:
        sentence: The sentence (with straight quotes).
        start: Where the mention starts.
        end: Where it ends.

    Returns:
        The reason (``alternative``, ``tried-and-dropped``, ``negated``, ``hypothetical``,
        ``other``) or None for a use; and whether the reason is about the entry itself:
        the road not taken, a drop, or a negation right before it or of its use after it
        ("we did not use X", "X was not implemented"), rather than a negation elsewhere in
        its clause.
    """
    before, after = _clause(sentence, start, end)
    window = " ".join(before.split()[-_WINDOW:])
    if _ALTERNATIVE_BEFORE.search(before[-80:]) or _ALTERNATIVE_AFTER.search(after):
        return "alternative", True
    if _DROPPED_BEFORE.search(window) or (
        _TRIED.search(window) and _DROPPED.search(sentence[end:])
    ):
        return "tried-and-dropped", True
    near = " ".join(before.split()[-_NEAR:])
    direct = bool(_negations(near) or _NO_BEFORE.search(before) or _NEGATED_AFTER.search(after))
    topic = _TOPIC.match(before) is not None
    if direct or _negations(window) or (topic and _negations(after)):
        return "negated", direct
    if (
        _HYPOTHETICAL.search(window)
        or _HYPOTHETICAL_AFTER.search(after)
        or _COUNTERFACTUAL.search(before)
        or _COUNTERFACTUAL.search(after)
        or _CONDITIONAL.match(sentence)
    ):
        return "hypothetical", False
    if _GENERIC.search(before) or _GENERIC.search(after):
        return "other", False
    return None, False


def _negations(text: str) -> bool:
    return any(not _NOT_A_NEGATION.match(text, m.start()) for m in _NEGATED_BEFORE.finditer(text))


_OWN_WORK = re.compile(
    r"\b(?:we|our|us|ours|ourselves|i|my|the team|the group|team members?|group members?)\b"
    r"|^\s*(?:some|others|most|all|each|everyone)\b"
    r"|\b(?:was|were|has been|have been|got)\s+(?:\w+ly\s+)?(?:used|implemented|"
    r"performed|done|set ?up|added|carried out|conducted|applied|deployed|integrated|"
    r"tested|measured|monitored|utili[sz]ed|employed)\b",
    re.IGNORECASE,
)
"""A sentence about the group's own work: a first person, or a thing said to be done."""

_EXPLICIT_USE = re.compile(
    r"\b(?:we|i|he|she|they)\s+(?:\w+\s+){0,3}?(?:used?|using|utili[sz]ed?|set up|setup|"
    r"implemented|deployed|trained|ran|run|built|created|added|integrated|configured|wrote|"
    r"relied on|leveraged|employed|adopted|chose|made use of|went with|hosted|stored|tracked|"
    r"logged|pushed|pulled|installed|managed|applied|performed|conducted|did|opted for|"
    r"switched to|moved to|migrated to)\b"
    r"|\b(?:was|were|is|are|has been|have been)\s+(?:\w+ly\s+)?(?:used|utili[sz]ed|"
    r"implemented|deployed|set up|integrated|employed|applied|performed|conducted|hosted|"
    r"stored|tracked|added|configured)\b"
    r"|\b(?:using|with the help of|by means of|via|through)\b",
    re.IGNORECASE,
)
"""An explicit use in the mention's clause ("we used X", "X was set up", "using X")."""


# -- detection -------------------------------------------------------------------------------


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


_WORD = re.compile(r"[a-z0-9]+")
MAX_EVIDENCE = 3


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
    explicit: dict[str, list[Evidence]] = {}
    other: dict[str, list[Evidence]] = {}
    answers_using: dict[str, set[str]] = {}
    mentions: list[Mention] = []
    denied: set[str] = set()
    for question, markdown in _texts(report):
        likely = catalogue.candidates(set(_WORD.findall(markdown.lower())))
        if not likely:
            continue
        likely_words = {word for tool in likely for key in tool.keys for word in key}
        for raw in sentences(markdown):
            sentence = raw.translate(_QUOTES)
            lowered = sentence.lower()
            words = set(_WORD.findall(lowered))
            if words.isdisjoint(likely_words):
                continue
            cued = not _TRIGGER.isdisjoint(words)
            own: bool | None = None
            for tool in likely:
                if not any(key <= words for key in tool.keys):
                    continue
                if len(explicit.get(tool.id, ())) >= MAX_EVIDENCE:
                    answers_using[tool.id].add(question)  # used already: no need to judge
                    continue
                if not _in_context(tool, lowered, words):
                    continue
                settled = tool.id in explicit  # used already: only reasons matter
                verdicts = [
                    _judge(sentence, m.start(), m.end(), cued, settled)
                    for m in tool.pattern.finditer(sentence)
                ]
                if not verdicts:
                    continue
                reason, direct = next(((r, d) for r, d in verdicts if r is not None), (None, False))
                if reason is not None:
                    mentions.append(Mention(tool, question, raw, reason))
                    if direct:
                        denied.add(tool.id)
                    continue
                if own is None:
                    own = question in OWN_WORK_QUESTIONS or bool(_OWN_WORK.search(sentence))
                if own or not tool.practice:
                    strong = any(e for _, e in verdicts)
                    (explicit if strong else other).setdefault(tool.id, []).append(
                        Evidence(question, raw)
                    )
                    answers_using.setdefault(tool.id, set()).add(question)
    uses = {k: list(v) for k, v in explicit.items()}
    for tool_id, found in other.items():
        if tool_id in uses:
            uses[tool_id] += found
        elif tool_id not in denied:
            uses[tool_id] = found
    _imply(catalogue, uses)
    _composites(catalogue, uses, answers_using)
    used = tuple(
        ToolUse(tool, _evidence(uses[tool.id])) for tool in catalogue.tools if tool.id in uses
    )
    kept = tuple(m for m in mentions if m.tool.id not in uses)
    return ToolReport(used, kept)


OWN_WORK_QUESTIONS = frozenset({"contributions"})
"""Answers in which every sentence is about the group's own work (who did what)."""


def _judge(
    sentence: str, start: int, end: int, cued: bool, settled: bool
) -> tuple[str | None, bool]:
    """Classify a mention; say whether its reason is about it, or its clause states its use.

    Args:
        sentence: The sentence.
        start: Where the mention starts.
        end: Where it ends.
        cued: Whether the sentence holds a cue word at all (`_TRIGGER`).
        settled: Whether a use of the entry was stated outright already (then whether this
            one is too does not matter).
    """
    reason, direct = classify(sentence, start, end) if cued else (None, False)
    if reason is not None or settled:
        return reason, direct
    before, after = _clause(sentence, start, end)
    return None, bool(_EXPLICIT_USE.search(before) or _EXPLICIT_USE.search(after))


def _in_context(tool: Tool, lowered: str, words: set[str]) -> bool:
    """Whether a sentence can mention an entry: its context words, none of its `unless`."""
    if tool.unless and any(u in words or (" " in u and u in lowered) for u in tool.unless):
        return False
    if not tool.context:
        return True
    return bool(tool.context & words) or any(c in lowered for c in tool.context if not c.isalnum())


def _imply(catalogue: ToolCatalogue, uses: dict[str, list[Evidence]]) -> None:
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
    catalogue: ToolCatalogue, uses: dict[str, list[Evidence]], answers: dict[str, set[str]]
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
            uses[tool.id] = [e for part in tool.all_of for e in uses[part] if e.question in shared]


def _evidence(found: list[Evidence]) -> tuple[Evidence, ...]:
    return tuple(dict.fromkeys(found))[:MAX_EVIDENCE]
