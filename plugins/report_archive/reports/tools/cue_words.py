"""The words each cue of `cues` needs, to skip the cues a clause cannot hold.

Every match of a cue's pattern in ASCII text holds, as whole words (letters and digits
between other characters, lower-cased), all the words of one of the cue's `Needs`: "could
have" needs "could" and "have", "didn't" is "didn" and "t". So a clause whose words meet
none of them cannot match the pattern, and `cues.classify` does not look. Where a pattern
lets two words touch ("wasnot"), the glued word is listed too. `tests/test_tool_detection.py`
checks that every alternative of each pattern, written out, meets its needs, and that
classifying every mention of the sample and of the corpus gives the same with and without
them.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet

__all__ = [
    "ALTERNATIVE_AFTER",
    "ALTERNATIVE_BEFORE",
    "COUNTERFACTUAL",
    "DROPPED_BEFORE",
    "GENERIC",
    "HYPOTHETICAL",
    "HYPOTHETICAL_AFTER",
    "NEEDED",
    "NEGATED_AFTER",
    "NEGATED_BEFORE",
    "NO_BEFORE",
    "TRIED",
    "Needs",
    "may_state_use",
]


class Needs:
    """The word sets of a cue: a match holds all the words of at least one.

    Args:
        alternatives: Each a set of words, written with spaces between ("could have").
    """

    __slots__ = ("every", "groups", "keyed", "single", "words")

    def __init__(self, *alternatives: str) -> None:
        self.single = frozenset(a for a in alternatives if " " not in a)
        self.groups: dict[str, list[frozenset[str]]] = {}
        """The sets of several words, by their longest word (the least common, mostly)."""
        for alternative in alternatives:
            words = alternative.split()
            if len(words) > 1:
                longest = max(sorted(words), key=len)
                self.groups.setdefault(longest, []).append(frozenset(words))
        self.keyed = frozenset(self.groups)
        self.every = self.single | self.keyed
        """A word of each alternative: text without any cannot match."""
        self.words = frozenset(word for a in alternatives for word in a.split())
        """Every word of the alternatives."""

    def met(self, words: AbstractSet[str] | None) -> bool:
        """Whether text with these words may match the cue (None: words unknown)."""
        if words is None:
            return True
        if self.every.isdisjoint(words):
            return False
        if not self.single.isdisjoint(words):
            return True
        for word in self.keyed.intersection(words):
            for group in self.groups[word]:
                if group <= words:
                    return True
        return False


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _glued(firsts: str, seconds: str) -> list[str]:
    return [a + b for a in firsts.split() for b in seconds.split()]


_AUXILIARIES = "did does do have has had was were is are could can would"
_REPLACED = "replaced dropped abandoned swapped exchanged substituted"

ALTERNATIVE_BEFORE = Needs(
    "instead of", "rather than", "place of", "opposed to", "than", "over", "replace",
    "replaced", "replacing", "switch from", "switched from", "switching from", "move from",
    "moved from", "moving from", "migrate from", "migrated from", "migrating from",
    "transition from", "transitioned from", "alternative to", "alternatives to",
)  # fmt: skip
ALTERNATIVE_AFTER = Needs(*_REPLACED.split(), *_glued("was were", _REPLACED))
DROPPED_BEFORE = Needs(
    "deleted", "removed", "dropped", "abandoned", "scrapped", "ditched", "discarded",
    "got rid of", "stopped using", "gave up", "moved away from",
)  # fmt: skip
TRIED = Needs(
    "tried", "trying", "try", "attempted", "attempting", "attempt", "experimented with",
    "experimenting with", "initially", "originally", "first", "started with", "started by",
    "started out", "began with",
)  # fmt: skip
NEGATED_BEFORE = Needs(
    "not", "never", "no longer", "unable to", "failed to", "fail to", "cannot", "won t",
    "wont", "neither", "nor", "without", "lack of", "no time", "no need", "nothing", "skip",
    "skipped", "omitted", "avoid", "avoided", "avoiding", "decided against",
    "refrained from",
    *(f"{a}n t" for a in _AUXILIARIES.split()),
    *_glued(_AUXILIARIES, "nt"),
)  # fmt: skip
"""`cues._NEGATED_BEFORE` ("did not" needs "not", "didn't" "didn" and "t")."""
NO_BEFORE = Needs("no")
NEGATED_AFTER = Needs(
    "not", "never", "t", "nonexistent", "non", "absent", "skipped", "omitted", "left", "out",
    *_glued("was were is are been got get did does do", "not never ntnot ntnever"),
    *_glued("t nt", "not never"),
)  # fmt: skip
HYPOTHETICAL = Needs(
    "could", "would", "should ve", "should have", "might", "may be", "plan", "planned to",
    "planning to", "plans to", "want to", "wanted to", "wish to", "wished to", "hope to",
    "hoped to", "intend to", "intended to", "aim to", "aimed to", "consider", "considered",
    "considering", "thought about", "thinking about", "idea", "ideally", "future",
    "next step", "next steps", "if we had", "if we were", "had we", "given time",
    "more time", "further work", "improvement", "improvements", "possible", "possibly",
    "possibility", "potential", "potentially", "eventually", "at some point", "later on",
    "nice to have", "recommend", "recommended", "suggest", "suggested", "suggests",
    "one can", "can be used", "can be achieved", "can be done", "if needed",
    "if necessary", "if required", "if desired", "if wanted", "not yet", "yet to",
)  # fmt: skip
"""`cues._HYPOTHETICAL` ("if we would" needs "would", "further improvements"
"improvements")."""
HYPOTHETICAL_AFTER = Needs("would", "might", "should", "could ve", "could have", "could be")
COUNTERFACTUAL = Needs(
    "if we had", "had we", "if were", "if was", "if had", "would ve", "would have",
    "could ve", "could have", "should ve", "should have", "might ve", "might have",
    "would need", "would require", "in hindsight", "with more time", "given more time",
    "if allowed", "if permitted",
)  # fmt: skip
GENERIC = Needs(
    "commonly", "typically", "generally", "in general", "often used", "usually used",
    "in production systems", "in industry", "industry standard", "course mentions",
    "course introduced", "course taught", "course suggests", "course recommends",
)  # fmt: skip

NEEDED = frozenset().union(
    *(
        needs.words
        for needs in (
            ALTERNATIVE_BEFORE, ALTERNATIVE_AFTER, DROPPED_BEFORE, TRIED, NEGATED_BEFORE,
            NO_BEFORE, NEGATED_AFTER, HYPOTHETICAL, HYPOTHETICAL_AFTER, COUNTERFACTUAL, GENERIC,
        )
    )
)  # fmt: skip
"""Every word a cue of `cues.classify` needs."""

_PRONOUNS = _words("we i he she they")
_USE_VERBS = _words(
    "use used using utilise utilize utilised utilized set setup implemented deployed trained "
    "ran run built created added integrated configured wrote relied leveraged employed "
    "adopted chose made went hosted stored tracked logged pushed pulled installed managed "
    "applied performed conducted did opted switched moved migrated"
)
_BEEN = _words("was were is are has have")
_DONE = _words(
    "used utilised utilized implemented deployed set integrated employed applied performed "
    "conducted hosted stored tracked added configured"
)
_MEANS = _words("using help means via through")


def may_state_use(words: AbstractSet[str]) -> bool:
    """Whether ASCII text with these words can state a use outright (`cues.EXPLICIT_USE`).

    It needs "we" and a verb ("used"), "was" and a participle ("deployed"), or "using",
    "via" and the like.
    """
    return (
        not _MEANS.isdisjoint(words)
        or (not _PRONOUNS.isdisjoint(words) and not _USE_VERBS.isdisjoint(words))
        or (not _BEEN.isdisjoint(words) and not _DONE.isdisjoint(words))
    )
