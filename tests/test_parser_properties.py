"""Property tests: the parser never raises, and keeps every word it was given."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from report_archive.reports.catalogue import normalize_line
from report_archive.reports.decoding import decode_report
from report_archive.reports.parser import parse_bytes
from tests.helpers import report_output_bag, word_bag

SOURCE = Path("/nonexistent/group-1/README.md")
VOCABULARY = ["docker", "dvc", "we", "used", "s224229", "42", "Cloud", "Run", "æble", "λ", "x"]

words = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=6).map(" ".join)
line = st.one_of(
    words,
    st.just(""),
    st.builds(lambda n: f"### Question {n}", st.integers(1, 35)),
    st.builds(lambda w: f"## {w}", words),
    st.builds(lambda w: f"# {w}", words),
    st.sampled_from(["```", "```bash", "~~~"]),
    st.builds(lambda w: f"> {w}", words),
    st.builds(lambda w: f"> **{w}**", words),
    st.builds(lambda w: f"* [x] {w}", words),
    st.builds(lambda w: f"--- {w} ---", words),
    st.builds(lambda n: f"--- question {n} fill here ---", st.integers(1, 31)),
    st.sampled_from(
        ["## Overall project checklist", "### Week 1", "## Coding environment", "> Answer:"]
    ),
)
documents = st.lists(line, max_size=60).map("\n".join)


def kept_words(text: str) -> object:
    """Words the parser must keep: all but those of the template's own markers (a line
    that reads "Answer:" alone, in any case, is one).

    Counted on the decoded text: decoding (mojibake repair, line ends) has its own tests.
    Lines are stripped, as the parser strips them: ``Þ\x85`` reads as one mojibake letter
    to `word_bag`, but the parser rightly drops a line's trailing ``\x85`` (a space).
    """
    keep = [
        ln.strip()  # trailing whitespace (NEL too) may go, and with it a mojibake pair
        for ln in decode_report(text.encode("utf-8", errors="surrogatepass")).lines
        if not ln.startswith("### Question")
        and "fill here" not in ln
        and ln not in ("## Overall project checklist", "### Week 1", "## Coding environment")
        and ln != "> Answer:"
        and normalize_line(ln).rstrip(":") != "answer"  # the template's marker, any case
    ]
    # A ticked box is kept as `checked`, not as a word.
    return word_bag("\n".join(keep).replace("* [x] ", "* "))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_never_raises_on_any_text(text: str) -> None:
    report = parse_bytes(text.encode("utf-8", errors="surrogatepass"), SOURCE)
    assert report.to_json()["source"] == str(SOURCE)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_never_raises_on_any_bytes(data: bytes) -> None:
    parse_bytes(data, SOURCE)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_keeps_every_word_of_any_text(text: str) -> None:
    report = parse_bytes(text.encode("utf-8", errors="surrogatepass"), SOURCE)
    expected = kept_words(text)
    kept = report_output_bag(report)
    assert not (expected - kept)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_keeps_every_word_of_report_like_text(text: str) -> None:
    report = parse_bytes(text.encode(), SOURCE)
    expected = kept_words(text)
    kept = report_output_bag(report)
    assert not (expected - kept), f"lost {dict(expected - kept)}"
    assert not (kept - word_bag(text)), f"invented {dict(kept - word_bag(text))}"
    checked = sum(ln.startswith("* [x] ") for ln in text.split("\n"))
    assert sum(item.checked for item in report.checklist) <= checked
