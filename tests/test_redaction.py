"""Student numbers never reach a reader, in whatever form the parser itself reads them.

Every form below is found by the parser as a student number (or by a reader as one); the
site must show none of them: not on the group page, the question pages, the semester pages,
in attributes, in file names of published figures, nor in the Pagefind index.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from report_archive.reports.parser import parse_bytes
from report_archive.site.answers import MarkdownRenderer
from report_archive.site.redact import Redactor
from tests.reports import PNG, T2026, filled, write
from tests.site_check import (
    Built,
    build_site,
    figure_src,
    numbers_in,
    numbers_in_site,
    published_figures,
    site_config,
)

MEMBERS = ["s123450", "s123451", "s123452", "s123453", "s123454", "s123455"]
DIGITS = {m[1:] for m in MEMBERS} | {"123456", "123457", "123458", "123459"}

FORMS = {
    "spaced": "s 123450",
    "hyphen": "s-123451",
    "markup": "**s**123452",
    "zero-width": "s\u200b123453",
    "soft-hyphen": "s1234\u00ad54",
    "fullwidth": "ｓ１２３４５５",
    "bare member": "123450",
    "other student": "S123456",
    "word joiner": "s\u2060123457",
    "html split": "<b>s</b>123458",
}


@pytest.mark.parametrize(("form", "text"), sorted(FORMS.items()))
def test_redactor_finds_every_form(form: str, text: str) -> None:
    redactor = Redactor(MEMBERS)
    plain = text.replace("**", "").replace("<b>", "").replace("</b>", "")
    out = redactor.text(f"By {plain} today")
    assert out.startswith("By Student ") and out.endswith(" today"), (form, out)
    assert not leaks(out), (form, out)


def test_spans_point_into_the_original_text() -> None:
    text = "a ｓ１２３４５０ b s\u200b123451 c"
    spans = Redactor(MEMBERS).spans(text)
    assert [text[s:e] for s, e, _ in spans] == ["ｓ１２３４５０", "s\u200b123451"]
    assert [label for *_, label in spans] == ["Student A", "Student B"]


def test_words_that_only_look_like_numbers_stay() -> None:
    redactor = Redactor(MEMBERS)
    for text in ("as123450", "s1234500", "s12345", "1234500", "v123450x"):
        assert redactor.text(text) == text


@pytest.mark.parametrize(("form", "text"), sorted(FORMS.items()))
def test_rendered_answers_show_no_form(form: str, text: str) -> None:
    rendered = MarkdownRenderer().render_answer(
        f"Work by {text} and [a link](https://x.dk/{text}).", redactor=Redactor(MEMBERS)
    )
    assert not leaks(rendered.html), (form, rendered.html)
    assert not leaks(rendered.text), (form, rendered.text)
    assert "Student " in rendered.text


def test_attribute_values_cannot_carry_a_number() -> None:
    markdown = (
        '<ol start="123450"><li>x</li></ol><table><tr><td colspan="123451" rowspan="2">y</td>'
        '</tr></table><time datetime="s123452">z</time><img src="https://e.x/a.png" '
        'title="s123453" alt="s 123454" width="123455">'
    )
    html = MarkdownRenderer().render(markdown, redactor=Redactor(MEMBERS))
    assert not leaks(html), html
    assert 'rowspan="2"' in html and "datetime" not in html and "start=" not in html


def test_parser_reads_members_in_every_form() -> None:
    text = filled(T2026, q2="s 123450, s-123451, ｓ１２３４５２, s\u200b123453 and 123454")
    report = parse_bytes(text.encode(), Path("/x/group-1/README.md"))
    assert report.group.members == ("s123450", "s123451", "s123452", "s123453", "s123454")


# -- a whole site -----------------------------------------------------------------------------


def leaks(text: str) -> list[str]:
    return numbers_in(text, DIGITS)


def site_leaks(site: Path) -> list[str]:
    return numbers_in_site(site, DIGITS)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("redaction")
    semester = root / "reports" / "2026-january"
    forms = " ".join(f"{name}: {text}." for name, text in FORMS.items())
    write(
        semester / "group-7",
        filled(
            T2026,
            q2="s 123450, s-123451, **s**123452, s\u200b123453 and ｓ１２３４５４",
            q5=f"Who did what: {forms}",
            q14='Our tracking ![s123455 run](figures/s123455.png) and <ol start="123450">'
            "<li>x</li></ol>",
            q31=f"Contributions: {forms}\n\n| a | b |\n|---|---|\n| s 123451 | 123452 |",
        ),
    )
    write(semester / "group-7" / "figures", PNG, "s123455.png")
    (semester / "group-7" / "group.yml").write_text(
        yaml.safe_dump(
            {
                "repository": "https://github.com/s123459/project",
                "commit": "0123456789abcdef0123456789abcdef01234567",
                "title": "Made by s-123451",
            }
        )
    )
    (semester / "semester.yml").write_text(yaml.safe_dump({"title": "January 2026 s123458"}))
    return build_site(root, site_config(root / "reports"))


def test_no_number_anywhere_on_the_site(built: Built) -> None:
    assert built.warnings() == []
    assert site_leaks(built.site) == []


def test_what_redaction_leaves_readable(built: Built) -> None:
    page = built.article("2026-january/group-7/")
    assert "Student A" in page and "Student E" in page
    assert "Made by Student B" in page
    assert "github.com" not in page  # the repository is named, not linked
    assert re.search(r"<dd>Student [A-Z]+/project at <code>0123456789</code></dd>", page)
    assert "January 2026 Student A" in built.page("2026-january/")
    (figure,) = published_figures(built.site)  # named from its content
    assert "123455" not in figure and figure.rsplit("/", 1)[1] in page


def test_figure_names_are_redacted_beside_the_page(tmp_path: Path) -> None:
    """Without content names, a figure keeps its own name, redacted."""
    semester = tmp_path / "reports" / "2026-january"
    write(semester / "group-7", filled(T2026, q2="s123450", q14="![run](figures/s123450.png)"))
    write(semester / "group-7" / "figures", PNG, "s123450.png")
    plugin = {"figures": {"dedupe": False}, "search": {"engine": "none"}}
    built = build_site(tmp_path, site_config(tmp_path / "reports", plugin))
    assert published_figures(built.site) == ["2026-january/group-7/figures/student-a.png"]
    src = figure_src(built.article("2026-january/group-7/"), "run")
    assert src == "../../2026-january/group-7/figures/student-a.png"
