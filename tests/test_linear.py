"""Student text takes linear time: no input makes a pattern or a scan go quadratic.

Each adversarial family is one line of 15,000 characters and of 60,000 (the size of a whole
report), given to every public entry point that reads student text; the larger must take at
most six times as long as the smaller (a linear step takes four times; a quadratic one
sixteen). Times are CPU times, the fastest of several tries, with the garbage collector off,
so the ratio holds on a busy machine; a try that is clearly too slow is stopped early, and
the tries stop at the first that passes. On a shared machine a neighbour's burst can slow
the larger input for seconds (its processor time too: caches and memory are shared), so the
tries go on for up to `BUDGET` processor seconds before the test fails.
"""

from __future__ import annotations

import contextlib
import gc
import math
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from report_archive.reports.identity import derive_title, plain_line, readme_identity
from report_archive.reports.links import count_images, find_references
from report_archive.reports.parser import parse_bytes
from report_archive.site.answers import ROOT, MarkdownRenderer
from report_archive.site.redact import Redactor
from report_archive.site.rewriter import Rewriter
from tests.fuzz import pipeline

N = 15_000
RATIO = 6.0
TRIES = 100
BUDGET = 15.0  # CPU seconds of tries before giving up (a passing family stops at its first)
SMALL_LIMIT = 2.0  # seconds: a small run this slow is a failure already
RESOLUTION = 0.002  # seconds: fast calls are repeated to take at least this long
SOURCE = Path(__file__).resolve().parent / "linear" / "README.md"  # no figures there

Make = Callable[[int], str]


def repeat(unit: str, tail: str = "") -> Make:
    return lambda n: unit * (n // len(unit)) + tail


LINES: dict[str, Make] = {
    "a-tags": repeat("<a "),
    "img-src": repeat("<img src="),
    "img-src-no-value": repeat("<img src "),
    "image-openers": repeat("!["),
    "brackets": repeat("[", "](x)"),
    "nested-brackets": lambda n: "[" * (n // 2) + "]" * (n // 2) + "(x)",
    "link-then-parens": lambda n: "[x](" + "(" * n,
    "close-open": lambda n: "[x" + "](" * (n // 2),
    "empty-links": repeat("[]("),
    "links-unclosed-titles": repeat('[x](y "'),
    "angle-destinations": repeat("[x](<"),
    "stars": repeat("*"),
    "underscores": repeat("_"),
    "emphasis": repeat("*_"),
    "dashes-fill-here": lambda n: "-" * n + " question 1 fill here",
    "dashed-spaces": lambda n: "--- a" + " " * n + "b",
    "quotes": repeat(">", " x"),
    "hashes": repeat("#"),
    "heading-spaces": lambda n: "# a" + " " * n + "b",
    "pipes": repeat("|"),
    "backticks": repeat("`"),
    "char-refs": repeat("&#"),
    "lt": repeat("<"),
    "autolinks": repeat("<http:"),
    "divs": repeat("<div>"),
    "formatting": lambda n: "".join(f'<b title="{i}">' for i in range(n // 16)),
    "student-numbers": repeat("student s224176 "),
    "group-words": repeat("group "),
    "modules": repeat("(M1, "),
    "mojibake": repeat("naÃ¯ve Pythonâ€™s "),
    "source-paths": repeat("src/a_b/c_d.py "),
    "task-phrases": repeat("image classification of "),
    "dataset-names": repeat('The Big "Data" dataset '),
    "repository-links": repeat("github.com/a/b/tree/"),
}
"""Single-line families: each is a whole line of student text."""

REPORTS: dict[str, Make] = {
    "unclosed-fences": repeat("### Question 1\n```x\n"),
    "question-prompts": repeat("### Question 2\n> **Enter the group number**\n"),
    "checklist": repeat("* [x] Create a git repository\n"),
    "fence-per-line": repeat("```\n"),
    "blank-quotes": repeat(">\n"),
}
"""Multi-line families: each is a whole report."""

_renderer = MarkdownRenderer()
_redactor = Redactor(["s224176", "Ada Lovelace"])


def _report(text: str) -> bytes:
    return f"### Question 1\n\n{text}\n".encode()


ENTRY_POINTS: dict[str, Callable[[str], object]] = {
    "find_references": find_references,
    "count_images": count_images,
    "parse_bytes": lambda text: parse_bytes(_report(text), SOURCE),
    "render_answer": lambda text: _renderer.render_answer(text, redactor=_redactor),
    "redactor": _redactor.text,
    "pipeline": lambda text: pipeline.run(_report(text), SOURCE),
    "derive_title": lambda text: derive_title(
        parse_bytes(f"### Question 3\n\n{text}\n".encode(), SOURCE), summary=text
    ),
    "readme_identity": lambda text: readme_identity(f"# {text}\n\n{text}\n".encode()),
    "plain_line": lambda text: plain_line(text, 300),
}


class TooSlow(Exception):
    pass


def _stop(signum: int, frame: object) -> None:
    raise TooSlow


def _time(call: Callable[[str], object], arg: str, times: int, limit: float) -> float:
    """CPU seconds per call, stopping with `TooSlow` after `limit` seconds (regexes
    check for signals as they run)."""
    gc.collect()
    gc.disable()
    previous = signal.signal(signal.SIGALRM, _stop)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        start = time.process_time()
        for _ in range(times):
            call(arg)
        return (time.process_time() - start) / times
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        gc.enable()


def assert_linear(call: Callable[[str], object], make: Make, n: int = N) -> None:
    small, large = make(n), make(4 * n)
    try:
        first = _time(call, small, 1, SMALL_LIMIT)
    except TooSlow:
        pytest.fail(f"{len(small):,} characters took over {SMALL_LIMIT} s")
    times = max(1, min(1000, math.ceil(RESOLUTION / max(first, 1e-7))))
    deadline = time.process_time() + BUDGET
    best_small = best_large = math.inf
    for _ in range(TRIES):
        best_small = min(best_small, _time(call, small, times, SMALL_LIMIT * times))
        limit = max(0.5, 2 * RATIO * best_small) * times  # a try this slow is stopped
        with contextlib.suppress(TooSlow):
            best_large = min(best_large, _time(call, large, times, limit))
        if best_large <= RATIO * best_small or time.process_time() > deadline:
            break
        time.sleep(0.05)  # let a burst of someone else's work pass
    assert best_large <= RATIO * best_small, (
        f"{len(large):,} characters took {best_large:.4f} s, "
        f"{best_large / best_small:.1f}× the {best_small:.4f} s of {len(small):,} "
        f"(at most {RATIO:g}× expected)"
    )


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize("family", LINES)
def test_line_is_linear(family: str, entry: str) -> None:
    assert_linear(ENTRY_POINTS[entry], LINES[family])


@pytest.mark.parametrize("entry", ["parse_bytes", "pipeline"])
@pytest.mark.parametrize("family", REPORTS)
def test_report_is_linear(family: str, entry: str) -> None:
    def whole(text: str) -> object:
        if entry == "parse_bytes":
            return parse_bytes(text.encode(), SOURCE)
        return pipeline.run(text.encode(), SOURCE)

    assert_linear(whole, REPORTS[family])


def test_rewriter_tokenizer_is_linear() -> None:
    """The rewriter reads nh3's output only, but must not go quadratic on any text."""

    def rewrite(html: str) -> str:
        rewriter = Rewriter((), None, Redactor(enabled=False), 3, ROOT)
        rewriter.feed(html)
        return rewriter.result()

    assert_linear(rewrite, repeat("<a b"))
    assert_linear(rewrite, repeat('<a b="'))
