"""A short fuzz run: mutated real reports through parse → render → search record.

The long run is ``make fuzz`` (``benchmarks/fuzz_reports.py``); see `tests.fuzz`.
"""

from __future__ import annotations

from tests.fuzz import pipeline
from tests.fuzz.generate import XSS, cases, seed_reports
from tests.fuzz.runner import failures, fuzz

REPORTS = 300


def test_generated_reports_are_safe_and_fast() -> None:
    outcomes = fuzz(REPORTS, seed=1, seeds=seed_reports(corpus=False))
    assert len(outcomes) == REPORTS
    problems = failures(outcomes)
    assert not problems, "\n".join(problems[:10])


def test_generation_is_deterministic() -> None:
    first = [(c.source, c.data, c.mutations) for c in cases(20, seed=5)]
    again = [(c.source, c.data, c.mutations) for c in cases(20, seed=5)]
    assert first == again
    assert first != [(c.source, c.data, c.mutations) for c in cases(20, seed=6)]


def test_every_vector_renders_safely() -> None:
    source = seed_reports(corpus=False)[0]
    base = source.read_bytes()
    at = base.index(b"### Question 5")
    for vector in XSS:
        data = base[:at] + b"### Question 5\n\n" + vector.encode() + b"\n\n" + base[at:]
        assert pipeline.problems(pipeline.run(data, source)) == [], vector


def test_the_checks_see_unsafe_html() -> None:
    """The checks themselves: each of these would be reported."""
    bad = {
        "<script>alert(1)</script>": "tag <script>",
        '<img src="x.png" onerror="alert(1)">': "attribute 'onerror'",
        '<a href="jav&#x09;ascript:alert(1)">x</a>': "href=",
        '<a href="data:text/html,x">x</a>': "href=",
        '<img src="https://example.com/x.png">': "src=",
        '<p style="color: red">x</p>': "attribute 'style'",
        '<span class="evil">x</span>': "class 'evil'",
        "a < b": "unescaped '<'",
        "<!-- x -->": "comment",
    }
    for html, expected in bad.items():
        found = pipeline.fragment_problems(html)
        assert any(expected in p for p in found), (html, found)
    assert (
        pipeline.fragment_problems('<p title="x"><a href="https://e.org" rel="x">y</a></p>') == []
    )
    assert pipeline.record_problems('<p>x</p><h2 id="a" data-pagefind-weight="1">t</h2>', 1) == []
    assert pipeline.record_problems('<p>x</p><img src="x">', 0) != []
