"""The tool detector's shortcuts change nothing: each gives what the plain reading gives.

The detector skips the work its input rules out (`report_archive.reports.tools`: quick
patterns, sentences looked up by their words, cues skipped when their words are missing).
Each test compares a shortcut with the plain reading it stands for, written out here as it
was first written: on every sentence and mention of the sample and of the corpus, on text
made to reach the shortcuts' edges, and on generated text.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from report_archive.reports.parser import parse_bytes
from report_archive.reports.tools import cue_words, cues, load_tool_catalogue, sentences
from report_archive.reports.tools.catalogue import ToolCatalogue
from report_archive.reports.tools.cues import (
    EXPLICIT_USE,
    EXPLICIT_USE_LOWERED,
    QUOTES,
    TRIGGER,
    classify,
    clause,
    cued,
)
from report_archive.reports.tools.detect import _texts
from report_archive.reports.tools.judge import SentenceJudge
from report_archive.reports.tools.scan import WORD, named
from report_archive.reports.tools.sentences import LONG_SENTENCE
from tests.helpers import CORPUS, corpus_reports

SAMPLE = Path(__file__).resolve().parents[1] / "reports"
ASCII = st.characters(codec="ascii")


@cache
def answers() -> list[str]:
    """Every text the detector reads in the sample and (when present) the corpus."""
    paths = sorted(SAMPLE.glob("*/*/README.md")) + (corpus_reports() if CORPUS.is_dir() else [])
    return [md for p in paths for _, md in _texts(parse_bytes(p.read_bytes(), p))]


EDGES = [
    "We used Docker, DVC and W&B; we did not use Kubernetes - nor Cloud Run.",
    "We used Doc[ker](https://docker.com) and [Dock](a)[er](b) for the images.",
    "Our remote is https://example.org/" + "a" * 320 + "dvc and it worked.",
    "```\n" + "x" * 995 + " dockerfile docker\n```",
    "We used docker " * 200 + "and it ran. We did not use DVC " + "x" * 2100 + " dvc.",
    "We deployed on \u212aubernetes and \u017ftreamlit; \u0130nvoke didn\u2019t help.",
    "We used \u201cDVC\u201d e.g. for the data. Also i.e. Hydra! No? Yes.) Next: GCP.",
    "* we tried ONNX\n* but dependency problems stopped us\n\n| Locust | load testing |",
    "If we had more time, we would have used Evidently. We could've used Prometheus.",
    "We used docker-compose, .dvc files, pre-commit.ci, x.github/workflows and gs://b.",
    "Regarding profiling, we did not have time. Instead of Cloud Build we used Actions.",
    "Streamlit was replaced by Gradio, Conda was dropped and uv was used instead.",
    "```\nwe moreover" + " " * 76 + "docker, not pip\n```",
]
"""Text at the edges of the shortcuts: links that join words, a cut URL, code line and
long sentence, letters that only match in another case, curly quotes, several clauses, and
"instead of" looked for in the last 80 characters before a mention, cut inside "moreover"."""


def plain_sentences(markdown: str) -> Iterator[str]:
    """The sentences as first written: every pass over every paragraph (and the cut)."""
    fence = re.compile(r"^\s*(`{3,}|~{3,})")
    item = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
    paragraph: list[str] = []
    in_code = False
    for line in markdown.split("\n"):
        if fence.match(line):
            in_code = not in_code
            yield from plain_paragraph(paragraph)
            paragraph = []
            continue
        stripped = line.strip()
        if in_code:
            if stripped:
                yield stripped[:1000]
            continue
        if not stripped or item.match(line) or stripped.startswith(("|", "#")):
            yield from plain_paragraph(paragraph)
            paragraph = []
        if stripped:
            paragraph.append(item.sub("", line))
    yield from plain_paragraph(paragraph)


def plain_paragraph(lines: list[str]) -> Iterator[str]:
    if not lines:
        return
    text = " ".join(lines)
    text = re.sub(r"!\[([^\]\n]{0,300})\]\([^)\n]{0,500}\)", r" \1 ", text)
    text = re.sub(r"\[([^\]\n]{0,300})\]\([^)\n]{0,500}\)", r"\1", text)
    text = re.sub(r"\bhttps?://[^\s)>\]]{1,300}", " ", text)
    text = re.sub(r"<[^<>\n]{0,300}>", " ", text)
    text = re.sub(r"[*_`#>|]+", " ", text)
    text = " ".join(text.split())
    abbreviation = re.compile(r"\b(?:e\.g|i\.e|etc|vs|approx|incl|cf|fig|no|ca)\.$", re.I)
    pending = ""
    for piece in re.split(r"(?<=[.!?])[\"')\]]?\s+(?=[\"'(\[]?[A-Z0-9])", text):
        pending = f"{pending} {piece}".strip() if pending else piece
        if pending[-1:] == "." and abbreviation.search(pending[-8:]):
            continue
        yield from plain_cut(pending)
        pending = ""
    yield from plain_cut(pending)


def plain_cut(sentence: str) -> Iterator[str]:
    while len(sentence) > LONG_SENTENCE:
        cut = sentence.rfind(" ", 0, LONG_SENTENCE + 1)
        cut = cut if cut > 0 else LONG_SENTENCE
        yield sentence[:cut]
        sentence = sentence[cut:].lstrip(" ")
    if sentence:
        yield sentence


def plain_candidates(catalogue: ToolCatalogue, words: set[str]) -> list[str]:
    return [t.id for t in catalogue.tools if any(key <= words for key in t.keys)]


def plain_named(markdown: str, catalogue: ToolCatalogue) -> list[tuple[object, ...]]:
    """Every sentence read: its words, the entries they allow, their matches."""
    likely = plain_candidates(catalogue, set(WORD.findall(markdown.lower())))
    likely_words = {w for i in likely for key in catalogue.tool(i).keys for w in key}
    found: list[tuple[object, ...]] = []
    for raw in plain_sentences(markdown):
        text = raw.translate(QUOTES)
        words = set(WORD.findall(text.lower()))
        if words.isdisjoint(likely_words):
            continue
        tools = [
            (i, [m.span() for m in catalogue.tool(i).pattern.finditer(text)])
            for i in plain_candidates(catalogue, words)
        ]
        tools = [(i, spans) for i, spans in tools if spans]
        if tools:
            found.append((raw, text, text.lower(), words, text.isascii(), tools))
    return found


def quick_named(markdown: str, catalogue: ToolCatalogue) -> list[tuple[object, ...]]:
    return [
        (n.raw, n.text, n.lowered, n.words, n.ascii, [(t.id, spans) for t, spans in n.tools])
        for n in named(markdown, catalogue)
    ]


def test_sentences_are_those_of_every_pass_on_every_paragraph() -> None:
    for text in [*answers(), *EDGES]:
        assert list(sentences(text)) == list(plain_sentences(text)), text[:200]


def test_the_sentences_named_are_those_of_reading_every_sentence() -> None:
    catalogue = load_tool_catalogue()
    for text in [*answers(), *EDGES]:
        assert quick_named(text, catalogue) == plain_named(text, catalogue), text[:200]


def test_finder_finds_what_the_pattern_finds() -> None:
    texts = [*EDGES, *(s.translate(QUOTES) for t in answers() for s in plain_sentences(t))]
    texts += [t.translate(QUOTES) for t in answers()]
    for tool in load_tool_catalogue().tools:
        for text in texts:
            if text.isascii():
                assert spans_found(tool.id, text) == spans_matched(tool.id, text), (tool.id, text)


def spans_matched(tool_id: str, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in load_tool_catalogue().tool(tool_id).pattern.finditer(text)]


def spans_found(tool_id: str, text: str) -> list[tuple[int, int]]:
    tool = load_tool_catalogue().tool(tool_id)
    return [m.span() for m in tool.finder.finditer(text.lower() if tool.finds_lowered else text)]


def plain_judge(sentence: str, start: int, end: int, settled: bool) -> tuple[str | None, bool]:
    """A mention judged as first written: the whole clause, every cue looked for."""
    before, after = clause(sentence, start, end)
    if not TRIGGER.isdisjoint(WORD.findall(sentence.lower())) and cued(sentence, before, after):
        reason, direct = classify(sentence, start, end, (before, after))
        if reason is not None or settled:
            return reason, direct
    elif settled:
        return None, False
    return None, bool(EXPLICIT_USE.search(before) or EXPLICIT_USE.search(after))


def judged_alike(text: str) -> None:
    catalogue = load_tool_catalogue()
    for found in named(text, catalogue):
        for _, spans in found.tools:
            for start, end in spans:
                for settled in (False, True):
                    judge = SentenceJudge(found.text, found.lowered, found.words, found.ascii)
                    quick = judge.judge(start, end, settled)
                    assert quick == plain_judge(found.text, start, end, settled), found.text


def test_every_mention_is_judged_as_by_the_plain_reading() -> None:
    for text in [*answers(), *EDGES]:
        judged_alike(text)


CUES = {
    "_ALTERNATIVE_BEFORE": cue_words.ALTERNATIVE_BEFORE,
    "_ALTERNATIVE_AFTER": cue_words.ALTERNATIVE_AFTER,
    "_DROPPED_BEFORE": cue_words.DROPPED_BEFORE,
    "_TRIED": cue_words.TRIED,
    "_NEGATED_BEFORE": cue_words.NEGATED_BEFORE,
    "_NO_BEFORE": cue_words.NO_BEFORE,
    "_NEGATED_AFTER": cue_words.NEGATED_AFTER,
    "_HYPOTHETICAL": cue_words.HYPOTHETICAL,
    "_HYPOTHETICAL_AFTER": cue_words.HYPOTHETICAL_AFTER,
    "_COUNTERFACTUAL": cue_words.COUNTERFACTUAL,
    "_GENERIC": cue_words.GENERIC,
}


def words_of(text: str) -> set[str]:
    return set(WORD.findall(text.lower()))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())  # drawing from these large patterns is slow: a few examples each run
def test_every_match_of_a_cue_holds_the_words_it_needs(data: st.DataObject) -> None:
    for name, needs in CUES.items():
        text = data.draw(st.from_regex(getattr(cues, name), alphabet=ASCII), label=name)
        assert needs.met(words_of(text)), (name, text)
        assert needs.met(cue_words.NEEDED.intersection(words_of(text))), (name, text)
    text = data.draw(st.from_regex(EXPLICIT_USE, alphabet=ASCII), label="explicit")
    assert cue_words.may_state_use(words_of(text)), text
    assert EXPLICIT_USE_LOWERED.search(text.lower()), text


VOCABULARY = [
    "we", "used", "Docker", "DVC", "W&B", "not", "didn't", "never", "no", "could", "have",
    "if", "had", "more", "time", "instead", "of", "replaced", "by", "tried", "but", "however",
    "using", "was", "set", "up", "in", "production", "commonly", "the", "Cloud", "Run",
    "profiling", "future", "would", "be", "nice", "to", "GCP", "bucket", "-", ";", ",", ".",
    "e.g.", "Regarding", "it", "one", "can", "via", "Locust", "load", "testing", "\u2019",
]  # fmt: skip
sentence_text = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=24).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(sentence_text)
def test_generated_sentences_are_judged_as_by_the_plain_reading(text: str) -> None:
    judged_alike(text)
    catalogue = load_tool_catalogue()
    assert quick_named(text, catalogue) == plain_named(text, catalogue)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=string.ascii_letters + " '.,;-", max_size=80))
def test_explicit_use_is_found_alike_in_lower_case(text: str) -> None:
    assert bool(EXPLICIT_USE.search(text)) == bool(EXPLICIT_USE_LOWERED.search(text.lower()))


PIECES = sorted(
    {
        form
        for tool in load_tool_catalogue().tools
        for spelling in (*tool.spellings, *tool.exact)
        for form in (spelling, spelling.upper(), spelling.lower(), spelling.title())
    }
    | {" ", "  ", "\t", "-", ".", "_", "x", "(", ")", "/", ",", ":", "1", "\n"}
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=10).map("".join))
def test_finder_finds_what_the_pattern_finds_in_generated_text(text: str) -> None:
    for tool in load_tool_catalogue().tools:
        assert spans_found(tool.id, text) == spans_matched(tool.id, text), tool.id


markdown_line = st.one_of(
    sentence_text,
    st.just(""),
    st.sampled_from(["```", "~~~", "| a | b |", "# Heading", "* item", "1. item", "> quote"]),
    st.builds(lambda w: f"[{w}](https://x.org/{w})", sentence_text),
    st.builds(lambda w: f"x[{w}](y)z and ![{w}](f.png)", sentence_text),
    st.builds(lambda w: f"**{w}** `{w}` <b>{w}</b>", sentence_text),
    st.builds(lambda n: "docker " * n + "we did not use it.", st.integers(1, 400)),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(markdown_line, max_size=12).map("\n".join))
def test_generated_markdown_is_read_as_by_the_plain_reading(markdown: str) -> None:
    catalogue = load_tool_catalogue()
    assert list(sentences(markdown)) == list(plain_sentences(markdown))
    assert quick_named(markdown, catalogue) == plain_named(markdown, catalogue)
