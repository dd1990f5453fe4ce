"""Use or mention: the cues, read in the clause that holds a mention.

A mention is not a use when its clause negates it ("we did not use DVC", "DVC was not
implemented"), makes it hypothetical or future ("we could have used Prometheus", "if we
had more time"), names it as the road not taken ("instead of Cloud Build"), or says it
was tried and dropped ("we tried ONNX but ..."); or when the sentence is a general remark
("X is commonly used in production"). `classify` says which.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet

from report_archive.reports.tools import cue_words as needs

__all__ = [
    "CLAUSE_WORDS",
    "EXPLICIT_USE",
    "EXPLICIT_USE_LOWERED",
    "OWN_WORK",
    "QUOTES",
    "TRIGGER",
    "classify",
    "clause",
    "clause_cues",
    "cued",
]

_CLAUSE_WORDS = (
    "but",
    "however",
    "although",
    "though",
    "whereas",
    "while",
    "except",
    "yet",
    "instead",
)
_CLAUSE = re.compile(r";|\s[-–—]\s|,?\s(?:" + "|".join(_CLAUSE_WORDS) + r")\b", re.IGNORECASE)
"""Where a clause ends: the cues of one clause do not reach into the next. In ASCII text, a
sentence without ``;``, ``-`` and the words of `CLAUSE_WORDS` is one clause."""
CLAUSE_WORDS = frozenset(_CLAUSE_WORDS)

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
TRIGGER = frozenset(_TRIGGER_WORDS.split())
"""A word every cue above needs: a sentence without any of them holds no cue, so its
mentions are uses without looking further (a test checks that classifying every mention of
the sample and of the corpus gives the same with and without this shortcut)."""
QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_WORD = re.compile(r"[a-z0-9]+")
_WINDOW = 12
_ALTERNATIVE_REACH = 80
"""Characters before a mention in which "instead of" and the like are looked for."""
"""Words before a mention, within its clause, that a cue may stand in."""
_NEAR = 5
"""Words before a mention within which a negation is about the mention itself."""


def clause(sentence: str, start: int, end: int) -> tuple[str, str]:
    """The text before and after a mention, within the clause that holds it."""
    before_start = 0
    for m in _CLAUSE.finditer(sentence, 0, start):
        before_start = m.end()
    after = sentence[end:]
    stop = _CLAUSE.search(after)
    return sentence[before_start:start], after[: stop.start()] if stop else after


def cued(sentence: str, before: str, after: str) -> bool:
    """Whether a mention's clause may hold a cue.

    A cue needs a `TRIGGER` word before or after the mention, or a sentence that opens
    with a condition; without one, `classify` finds no reason.
    """
    return clause_cues(sentence, before, after) is not None


def clause_cues(sentence: str, before: str, after: str) -> set[str] | None:
    """The words of a mention's clause when it may hold a cue (`cued`), else None."""
    words = set(_WORD.findall(f"{before} {after}".lower()))
    if TRIGGER.isdisjoint(words) and _CONDITIONAL.match(sentence) is None:
        return None
    return words


def classify(
    sentence: str,
    start: int,
    end: int,
    parts: tuple[str, str] | None = None,
    words: AbstractSet[str] | None = None,
) -> tuple[str | None, bool]:
    """Say whether a mention is a use and, when not, why.

    Args:
        sentence: The sentence (with straight quotes).
        start: Where the mention starts.
        end: Where it ends.
        parts: The text before and after the mention in its clause, if known (`clause`).
        words: The lower-case words before and after the mention in its clause
            (`clause_cues`), given only when the sentence is ASCII: the cues that need a
            word they do not hold are not looked for.

    Returns:
        The reason (``alternative``, ``tried-and-dropped``, ``negated``, ``hypothetical``,
        ``other``) or None for a use; and whether the reason is about the entry itself:
        the road not taken, a drop, or a negation right before it or of its use after it
        ("we did not use X", "X was not implemented"), rather than a negation elsewhere in
        its clause.
    """
    before, after = parts or clause(sentence, start, end)
    if words is not None:
        words = needs.NEEDED.intersection(words)  # the few that matter, quicker to look in
    before_words = before.split()
    window = " ".join(before_words[-_WINDOW:])
    if (
        (needs.ALTERNATIVE_BEFORE.met(words) or _cut_in_word(before, _ALTERNATIVE_REACH))
        and _ALTERNATIVE_BEFORE.search(before[-_ALTERNATIVE_REACH:])
    ) or (needs.ALTERNATIVE_AFTER.met(words) and _ALTERNATIVE_AFTER.search(after)):
        return "alternative", True
    if (needs.DROPPED_BEFORE.met(words) and _DROPPED_BEFORE.search(window)) or (
        needs.TRIED.met(words) and _TRIED.search(window) and _DROPPED.search(sentence[end:])
    ):
        return "tried-and-dropped", True
    negation = needs.NEGATED_BEFORE.met(words)
    near = " ".join(before_words[-_NEAR:])
    direct = bool(
        (negation and _negations(near))
        or (needs.NO_BEFORE.met(words) and _NO_BEFORE.search(before))
        or (needs.NEGATED_AFTER.met(words) and _NEGATED_AFTER.search(after))
    )
    topic = _TOPIC.match(before) is not None
    if direct or (negation and (_negations(window) or (topic and _negations(after)))):
        return "negated", direct
    if (
        (needs.HYPOTHETICAL.met(words) and _HYPOTHETICAL.search(window))
        or (needs.HYPOTHETICAL_AFTER.met(words) and _HYPOTHETICAL_AFTER.search(after))
        or (
            needs.COUNTERFACTUAL.met(words)
            and (_COUNTERFACTUAL.search(before) or _COUNTERFACTUAL.search(after))
        )
        or _CONDITIONAL.match(sentence)
    ):
        return "hypothetical", False
    if needs.GENERIC.met(words) and (_GENERIC.search(before) or _GENERIC.search(after)):
        return "other", False
    return None, False


def _cut_in_word(text: str, reach: int) -> bool:
    """Whether the last `reach` characters of a text start inside a word.

    That word then reads as a shorter one ("over" of "moreover"), which the words of the
    clause do not hold.
    """
    if len(text) <= reach:
        return False
    a, b = text[-reach - 1], text[-reach]
    return (a.isalnum() or a == "_") and (b.isalnum() or b == "_")


def _negations(text: str) -> bool:
    return any(not _NOT_A_NEGATION.match(text, m.start()) for m in _NEGATED_BEFORE.finditer(text))


OWN_WORK = re.compile(
    r"\b(?:we|our|us|ours|ourselves|i|my|the team|the group|team members?|group members?)\b"
    r"|^\s*(?:some|others|most|all|each|everyone)\b"
    r"|\b(?:was|were|has been|have been|got)\s+(?:\w+ly\s+)?(?:used|implemented|"
    r"performed|done|set ?up|added|carried out|conducted|applied|deployed|integrated|"
    r"tested|measured|monitored|utili[sz]ed|employed)\b",
    re.IGNORECASE,
)
"""A sentence about the group's own work: a first person, or a thing said to be done."""

_SUBJECTS = ("we", "i", "he", "she", "they")
_ACTS = (
    r"used?|using|utili[sz]ed?|set up|setup|implemented|deployed|trained|ran|run|built|"
    r"created|added|integrated|configured|wrote|relied on|leveraged|employed|adopted|chose|"
    r"made use of|went with|hosted|stored|tracked|logged|pushed|pulled|installed|managed|"
    r"applied|performed|conducted|did|opted for|switched to|moved to|migrated to"
)
_AUXILIARY = ("was", "were", "is", "are", "has been", "have been")
_DONE_PATTERN = (
    r"used|utili[sz]ed|implemented|deployed|set up|integrated|employed|applied|performed|"
    r"conducted|hosted|stored|tracked|added|configured"
)
_MEANS = ("using", "with the help of", "by means of", "via", "through")
_EXPLICIT_TAILS = (
    (_SUBJECTS, r"\s+(?:\w+\s+){0,3}?(?:" + _ACTS + r")\b"),
    (_AUXILIARY, r"\s+(?:\w+ly\s+)?(?:" + _DONE_PATTERN + r")\b"),
    (_MEANS, r"\b"),
)
EXPLICIT_USE = re.compile(
    "|".join(rf"\b(?:{'|'.join(heads)}){tail}" for heads, tail in _EXPLICIT_TAILS),
    re.IGNORECASE,
)
"""An explicit use in the mention's clause ("we used X", "X was set up", "using X")."""
EXPLICIT_USE_LOWERED = re.compile(
    "|".join(
        rf"{re.escape(head)}(?<!\w.{{{len(head)}}}){tail}"
        for heads, tail in _EXPLICIT_TAILS
        for head in heads
    )
)
"""`EXPLICIT_USE` for lower-cased ASCII text, found quicker: it opens with the words a use
starts with, so the regular expression engine skips to their first letters."""
