"""Judge the mentions of one sentence, skipping the cues its words rule out.

`SentenceJudge` says of each mention of a sentence whether it is a use and, when not,
why (`cues.classify`), and whether the mention's clause states the use outright
(`cues.EXPLICIT_USE`). Each cue of `cues` needs certain words, so in an ASCII sentence the
sentence's words tell at once which cannot be there: without a `TRIGGER` word nothing is
classified, without ``;``, ``-`` or a `CLAUSE_WORDS` word the sentence is one clause, and
without an `EXPLICIT_WORDS` word no use is stated outright. Other sentences are read in full.
"""

from __future__ import annotations

import re

from report_archive.reports.tools.cue_words import may_state_use
from report_archive.reports.tools.cues import (
    CLAUSE_WORDS,
    EXPLICIT_USE,
    EXPLICIT_USE_LOWERED,
    TRIGGER,
    classify,
    clause,
    clause_cues,
)

__all__ = ["SentenceJudge"]

_WORD = re.compile(r"[a-z0-9]+")
_DASH = re.compile(r"\s-\s")
"""A dash between spaces, which ends a clause (`cues.clause`) in ASCII text."""


class SentenceJudge:
    """Judge the mentions of one sentence.

    Args:
        sentence: The sentence, with straight quotes (`cues.QUOTES`).
        lowered: The sentence in lower case.
        words: The words of the sentence in lower case.
        ascii: Whether the sentence is ASCII; only then do its words rule cues out.
    """

    __slots__ = ("_explicit", "_one_clause", "cued", "lowered", "sentence", "words")

    def __init__(self, sentence: str, lowered: str, words: set[str], ascii: bool) -> None:
        self.sentence = sentence
        self.lowered = lowered
        self.words = words if ascii else None
        self.cued = not TRIGGER.isdisjoint(words)
        self._one_clause: bool | None = None
        self._explicit: bool | None = None

    @property
    def one_clause(self) -> bool:
        """Whether the sentence is one clause, as its words and characters tell at once."""
        if self._one_clause is None:
            sentence, words = self.sentence, self.words
            self._one_clause = (
                words is not None
                and ";" not in sentence
                and ("-" not in sentence or not _DASH.search(sentence))
                and CLAUSE_WORDS.isdisjoint(words)
            )
        return self._one_clause

    @property
    def explicit(self) -> bool:
        """Whether the sentence may state a use outright, as its words tell at once."""
        if self._explicit is None:
            self._explicit = self.words is None or may_state_use(self.words)
        return self._explicit

    def clause(self, start: int, end: int) -> tuple[str, str]:
        """The text before and after a mention, within its clause (`cues.clause`)."""
        if self.one_clause:
            return self.sentence[:start], self.sentence[end:]
        return clause(self.sentence, start, end)

    def _cues(self, start: int, end: int, before: str, after: str) -> set[str] | None:
        """The words of the mention's clause if it may hold a cue (`cues.clause_cues`).

        In a sentence of one clause whose cue words are all outside the mention, the
        sentence's words stand for them: the mention's own words, which they hold too, make
        no cue possible that was not (`cue_words`: a cue needs words, never their absence).
        """
        if self.one_clause and TRIGGER.isdisjoint(_WORD.findall(self.lowered, start, end)):
            return self.words
        return clause_cues(self.sentence, before, after)

    def judge(self, start: int, end: int, settled: bool) -> tuple[str | None, bool]:
        """Classify a mention; say whether its reason is about it, or it is a stated use.

        Args:
            start: Where the mention starts.
            end: Where it ends.
            settled: Whether a use of the entry was stated outright already (then whether
                this one is too does not matter).

        Returns:
            The reason a mention is not a use (`cues.classify`) and whether the reason is
            about the entry itself; or None and whether the clause states the use outright.
        """
        if not self.cued and (settled or not self.explicit):
            return None, False
        before, after = self.clause(start, end)
        words = self._cues(start, end, before, after) if self.cued else None
        if words is not None:
            gate = words if self.words is not None else None
            reason, direct = classify(self.sentence, start, end, (before, after), gate)
            if reason is not None or settled:
                return reason, direct
        elif settled:
            return None, False
        if not self.explicit:
            return None, False
        if self.words is None:
            return None, bool(EXPLICIT_USE.search(before) or EXPLICIT_USE.search(after))
        return None, bool(
            EXPLICIT_USE_LOWERED.search(before.lower())
            or EXPLICIT_USE_LOWERED.search(after.lower())
        )
