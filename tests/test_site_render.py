"""Rendering pieces without MkDocs: markdown, sanitising, redaction, figures, charts, pages."""

from __future__ import annotations

import html
import io
import os
from pathlib import Path

import pytest
from PIL import Image

from report_archive.reports.archive import Archive, GroupEntry, Semester
from report_archive.reports.catalogue import load_catalogue
from report_archive.reports.meta import GroupMeta
from report_archive.reports.model import (
    Answer,
    ChecklistItem,
    Group,
    Reference,
    RefKind,
    RefStatus,
    Report,
    Status,
    TemplateInfo,
)
from report_archive.reports.parallel import AUTO_MIN_ITEMS, cpu_count, workers
from report_archive.reports.parser import parse_report
from report_archive.search.answers import html_text
from report_archive.site import figures as figures_module
from report_archive.site.answers import (
    ROOT,
    MarkdownRenderer,
    fill_root,
    relative_root,
    title_text,
)
from report_archive.site.charts import Bar, bar_chart
from report_archive.site.figures import FigurePlan, FileChecks, Publish, candidates, plan_figures
from report_archive.site.plan import Options, SitePlan
from report_archive.site.publish import FigurePublisher
from report_archive.site.redact import Redactor, student_label
from report_archive.site.rendering import PageRenderer, extract_toc, title_id
from report_archive.site.sanitize import MAX_DEPTH, limit_nesting
from report_archive.site.urls import paginate
from report_archive.site.views.rows import badges
from tests.site_check import CORPUS, SAMPLE


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(out, "PNG")
    return out.getvalue()


PNG = _png()


def ref(
    target: str, status: RefStatus, path: str | None = None, kind: RefKind = RefKind.IMAGE
) -> Reference:
    return Reference(target=target, kind=kind, status=status, line=1, path=path)


@pytest.fixture
def renderer() -> MarkdownRenderer:
    return MarkdownRenderer()


def test_markdown_basics(renderer: MarkdownRenderer) -> None:
    html = renderer.render(
        "Some **bold** text\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```py\nx = '<b>'\n```\n"
    )
    assert "<strong>bold</strong>" in html
    assert "<table>" in html and "<td>1</td>" in html
    assert "<pre><code>x = '&lt;b&gt;'" in html


def test_answers_render_as_github_rendered_them(renderer: MarkdownRenderer) -> None:
    """Students previewed their answers on GitHub: lists without a blank line before them,
    two-space nested lists, bare links and strikethrough work as they did there."""
    html = renderer.render(
        "We used:\n- DVC\n  - with a GCS remote\n- Hydra\n\n"
        "See https://example.com/docs and ~~not this~~.\n"
    )
    assert "<p>We used:</p>\n<ul>" in html
    assert "<li>DVC\n<ul>\n<li>with a GCS remote</li>" in html
    assert '<a href="https://example.com/docs" rel="nofollow noopener noreferrer">' in html
    assert "<del>not this</del>" in html


def test_dangerous_html_is_removed(renderer: MarkdownRenderer) -> None:
    html = renderer.render(
        '<script>alert(1)</script><img src=x onerror="alert(2)">'
        '<a href="javascript:alert(3)">a</a><iframe src="https://e.x"></iframe>'
        '<style>p{}</style><form><input></form><meta http-equiv="refresh" content="0">'
        '<base href="https://e.x/"><object data="x"></object><embed src="x">'
        '<p id="content" class="md-header" style="color:red" onclick="x">p</p>'
        '<a href="data:text/html,hi">d</a><a href="vbscript:x">v</a>'
    )
    for bad in ("<script", "onerror", "javascript:", "<iframe", "<style", "<form", "<input",
                "<meta", "<base", "<object", "<embed", " id=", "md-header", "style=",
                "onclick", "data:", "vbscript"):  # fmt: skip
        assert bad not in html, bad
    assert "<p>p</p>" in html


def test_deep_nesting_keeps_its_text(renderer: MarkdownRenderer) -> None:
    html = renderer.render(">" * 5000 + " deep **words**")
    assert html.count("<blockquote>") == html.count("</blockquote>") == MAX_DEPTH
    assert "deep words" in html  # the paragraph and the emphasis are too deep for tags


def test_limit_nesting() -> None:
    shallow = "<div>" * 10 + "<br>x<p>a<p>b" + "</p></div>" * 10
    assert limit_nesting(shallow, 11) == shallow
    assert limit_nesting("<div><div><b>x</b></div><i>y</i></div>", 2) == (
        "<div><div>x</div><i>y</i></div>"
    )
    # A "<" before a removed tag does not meet the text after it; a tag without ">" loses
    # its "<".
    assert limit_nesting("<b><b><<i>script>", 2) == "<b><b>< script>"
    assert limit_nesting("<b><b><i x<u>", 2) == "<b><b>&lt;i x"


def test_markdown_extensions_of_the_site_do_not_apply(renderer: MarkdownRenderer) -> None:
    html = renderer.render('--8<-- "secret.txt"\n\ntext { onclick="x" }\n\n{: .cls }\n')
    assert '--8&lt;-- "secret.txt"' in html
    assert "onclick" in html and "<p>text { onclick" in html  # shown as text, not applied
    assert 'class="cls"' not in html


def test_headings_are_demoted(renderer: MarkdownRenderer) -> None:
    html = renderer.render("# One\n\n## Two\n\n### Three\n\n#### Four\n\n<h2>Raw</h2>")
    assert "<h4>One</h4>" in html and "<h5>Two</h5>" in html
    assert "<h6>Three</h6>" in html and "<h6>Four</h6>" in html
    assert "<h5>Raw</h5>" in html
    assert extract_toc(html) == []


def test_figures_are_resolved(renderer: MarkdownRenderer) -> None:
    plan = FigurePlan(base="s/g/", paths={"figures/a b.png": "s/g/figures/a b.png"})
    refs = [
        ref("figures/a b.png", RefStatus.FOUND, "figures/a b.png"),
        ref("figures/gone.png", RefStatus.MISSING),
        ref("../../x.png", RefStatus.OUTSIDE),
        ref("https://e.x/i.png", RefStatus.EXTERNAL),
    ]
    html = renderer.render(
        "![a](<figures/a b.png>) ![g](figures/gone.png) ![o](../../x.png) ![e](https://e.x/i.png)"
        ' <img src="figures/unknown.png"> ![d](data:image/png;base64,AAAA)',
        refs,
        figures=plan,
    )
    url = ROOT + "s/g/figures/a%20b.png"
    assert f'<a class="ra-figure" href="{url}"' in html
    assert f'<img class="ra-figure-img" src="{url}" alt="a" loading="lazy">' in html
    assert "Missing figure: figures/gone.png" in html
    assert '<span class="ra-figure-alt">g</span>' in html  # the student's alt text stays
    assert '<span class="ra-figure-alt">o</span>' in html
    assert "outside the report's folder, not shown: ../../x.png" in html
    assert '<a class="ra-figure-external" href="https://e.x/i.png"' in html
    assert "Figure not found: figures/unknown.png" in html
    assert "Image without a usable source" in html
    assert "<img" not in html.replace(f'<img class="ra-figure-img" src="{url}"', "")
    assert fill_root(html, "../../").count('src="../../s/g/figures/a%20b.png"') == 1


def test_found_figure_without_a_plan_is_a_placeholder(renderer: MarkdownRenderer) -> None:
    html = renderer.render(
        "![a](figures/a.png)", [ref("figures/a.png", RefStatus.FOUND, "figures/a.png")]
    )
    assert "ra-figure-missing" in html and "<img" not in html


def test_links(renderer: MarkdownRenderer) -> None:
    plan = FigurePlan(base="s/g/", paths={"figures/a.png": "s/g/figures/a.png"})
    refs = [
        ref("figures/a.png", RefStatus.FOUND, "figures/a.png", RefKind.LINK),
        ref("../README.md", RefStatus.OUTSIDE, kind=RefKind.LINK),
        ref("#q1", RefStatus.ANCHOR, kind=RefKind.LINK),
    ]
    html = renderer.render(
        "[fig](figures/a.png) [up](../README.md) [here](#q1) [web](https://e.x/s123456) "
        "<mailto:a@b.dk>",
        refs,
        figures=plan,
        redactor=Redactor(),
    )
    assert f'<a href="{ROOT}s/g/figures/a.png"' in html
    assert "up" in html and "README" not in html
    assert 'href="#q1"' not in html
    assert "web" in html and "s123456" not in html  # link with a student number: text only
    assert 'href="mailto:a@b.dk"' in html


def test_redaction() -> None:
    r = Redactor(["s224176", "S111111", "Jane Doe"])
    assert r.text("s224176 and S111111, then s999999 and s224176") == (
        "Student A and Student B, then Student D and Student A"
    )
    assert r.text("Thanks to jane  DOE.") == "Thanks to Student C."
    assert r.text("Student s111111 did it") == "Student B did it"
    assert r.text("as224176 s2241760 s22417") == "as224176 s2241760 s22417"
    assert r.member("s224176") == "Student A"
    assert r.member("Jane Doe") == "Student C"
    assert Redactor(["s224176"], enabled=False).text("s224176") == "s224176"
    assert [student_label(i) for i in (0, 25, 26, 27)] == [
        "Student A",
        "Student Z",
        "Student AA",
        "Student AB",
    ]


def test_redaction_in_rendered_html(renderer: MarkdownRenderer) -> None:
    html = renderer.render(
        "Student s224176 wrote `s224176` and ![s224176](figures/x.png)",
        [ref("figures/x.png", RefStatus.MISSING)],
        redactor=Redactor(["s224176"]),
    )
    assert "s224176" not in html
    assert "Student A wrote <code>Student A</code>" in html


def test_titles() -> None:
    assert title_text('Jan <script>"x"</script>\n`y`') == "Jan script x /script y"


def test_relative_root() -> None:
    assert relative_root("") == ""
    assert relative_root("index.html") == ""
    assert relative_root("a/b/") == "../../"
    assert relative_root("a/b.html") == "../"


def test_plan_figures(tmp_path: Path) -> None:
    folder = tmp_path / "group-1"
    (folder / "figures").mkdir(parents=True)
    (folder / "figures/a.png").write_bytes(PNG)
    (folder / "figures/doc.pdf").write_bytes(b"%PDF")
    (folder / "figures/bad.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="x"/>')
    (folder / "figures/ok.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>')
    (tmp_path / "secret.png").write_bytes(PNG)
    os.symlink(tmp_path / "secret.png", folder / "figures/link.png")
    refs = [
        ref("figures/a.png", RefStatus.FOUND, "figures/a.png"),
        ref("figures/a.png", RefStatus.FOUND, "figures/a.png"),
        ref("figures/doc.pdf", RefStatus.FOUND, "figures/doc.pdf"),
        ref("figures/bad.svg", RefStatus.FOUND, "figures/bad.svg"),
        ref("figures/ok.svg", RefStatus.FOUND, "figures/ok.svg"),
        ref("figures/link.png", RefStatus.FOUND, "figures/link.png"),
        ref("../secret.png", RefStatus.FOUND, "../secret.png"),
        ref("figures/nope.png", RefStatus.MISSING),
    ]
    publisher = FigurePublisher(tmp_path / "cache")
    plan = plan_figures(folder, refs, "2026-january/group-1/", publisher)
    assert set(plan.files) == {
        "2026-january/group-1/figures/a.png",
        "2026-january/group-1/figures/ok.svg",
    }
    assert plan.files["2026-january/group-1/figures/a.png"] == folder.resolve() / "figures/a.png"
    rebuilt = plan.files["2026-january/group-1/figures/ok.svg"]
    assert rebuilt.is_relative_to(tmp_path / "cache")  # never the report's own SVG
    assert rebuilt.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert set(plan.rejected) == {
        "figures/doc.pdf",
        "figures/bad.svg",
        "figures/link.png",
        "../secret.png",
    }
    # every figure not published is a diagnostic at its reference; other files are not
    assert [(d.code, d.line) for d in plan.diagnostics] == [
        ("figure-not-published", refs[3].line),
        ("figure-not-published", refs[5].line),
        ("figure-not-published", refs[6].line),
    ]
    assert "'figures/bad.svg' is not published: nothing would be left" in (
        plan.diagnostics[0].message
    )


def test_a_build_checks_each_figure_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`candidates` keeps its checks for `plan_figures`: same answers, no second look."""
    folder = tmp_path / "group-1"
    (folder / "figures").mkdir(parents=True)
    (folder / "figures/a.png").write_bytes(PNG)
    (folder / "figures/b.png").write_bytes(PNG)
    (tmp_path / "secret.png").write_bytes(PNG)
    os.symlink(tmp_path / "secret.png", folder / "figures/link.png")
    refs = [
        ref(name, RefStatus.FOUND, name)
        for name in ("figures/a.png", "figures/b.png", "figures/link.png", "../secret.png")
    ]
    looked: list[Path] = []
    real = figures_module.check_inside

    def check_inside(path: Path, root: Path, scope: Path | None = None) -> int:
        looked.append(path)
        return real(path, root, scope)

    monkeypatch.setattr(figures_module, "check_inside", check_inside)
    publisher = FigurePublisher(tmp_path / "cache")
    alone = plan_figures(folder, refs, "s/g/", publisher)
    assert len(looked) == 3  # the three inside the folder (the fourth is refused by its path)
    looked.clear()
    checks = FileChecks()
    found = candidates(folder, refs, checks)
    assert found == [folder.resolve() / "figures/a.png", folder.resolve() / "figures/b.png"]
    shared = plan_figures(folder, refs, "s/g/", publisher, checks=checks)
    assert len(looked) == 3  # by candidates only
    assert (shared.files, shared.rejected) == (alone.files, alone.rejected)
    assert set(shared.rejected) == {"figures/link.png", "../secret.png"}
    # the next build checks again (a new FileChecks): b.png is now a link, refused
    (folder / "figures/b.png").unlink()
    os.symlink(tmp_path / "secret.png", folder / "figures/b.png")
    again = plan_figures(folder, refs, "s/g/", publisher, checks=FileChecks())
    assert set(again.files) == {"s/g/figures/a.png"}
    assert "figures/b.png" in again.rejected


def test_chart_escapes_labels() -> None:
    svg = bar_chart(
        [Bar("<script>alert(1)</script> & more", 3, "3/4"), Bar("x" * 200, 0)],
        maximum=4,
        title='Chart "t" <b>',
    )
    assert svg.startswith('<svg class="ra-chart"')
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert 'aria-label="Chart &quot;t&quot; &lt;b&gt;"' in svg
    assert "…" in svg


def testpaginate() -> None:
    assert paginate([], 10) == [0]
    assert paginate([4, 4, 4], 10) == [2, 1]
    assert paginate([20, 1, 1], 10) == [1, 2]


def _answer(question: str, number: int, text: str, status: Status = Status.ANSWERED) -> Answer:
    return Answer(
        number=number,
        question=question,
        title=question,
        markdown=text,
        status=status,
        words=len(text.split()),
        images=0,
        word_range=(100, 200) if number > 2 else None,
        image_range=None,
        line=10 * number,
    )


def _report(folder: Path, number: int, answers: list[Answer]) -> Report:
    return Report(
        source=folder / "README.md",
        template=TemplateInfo("31-2026", 31),
        group=Group(number, ("s100001", "s100002")),
        checklist=[ChecklistItem("Create a git repository", True, ("M5",), "", "Week 1", 3)],
        answers=answers,
        extra="Extra words from s100002.",
        diagnostics=[],
    )


def test_plan_and_render_pages_without_mkdocs(tmp_path: Path) -> None:
    catalogue = load_catalogue()
    semester = Semester("2026-january", "January 2026", 202601, tmp_path)
    groups = []
    for n, text in ((1, "We used <b>typer</b>, said s100001."), (2, "")):
        folder = tmp_path / f"group-{n}"
        folder.mkdir()
        answers = [
            _answer("group-number", 1, str(n)),
            _answer(
                "third-party-package",
                3,
                text,
                Status.ANSWERED if text else Status.UNANSWERED,
            ),
        ]
        groups.append(
            GroupEntry(
                "2026-january", f"group-{n}", n, folder, _report(folder, n, answers), GroupMeta()
            )
        )
    semester.groups = groups
    plan = SitePlan(Archive(tmp_path, [semester]), catalogue, Options())
    assert "2026-january/group-1/index.md" in plan.pages
    assert "questions/third-party-package/index.md" in plan.pages
    assert plan.pages["index.md"].in_nav and not plan.pages["2026-january/group-1/index.md"].in_nav
    assert plan.answer_links[("2026-january/group-1/index.md", "third-party-package")] == (
        "questions/third-party-package/index.md",
        "2026-january-group-1",
    )

    def url(uri: str) -> str:
        return "/" + uri

    renderer = PageRenderer(plan)
    group = renderer.render(plan.pages["2026-january/group-1/index.md"], url, "../../")
    assert "We used <b>typer</b>, said Student A." in group.html
    assert "Extra words from Student B." in group.html
    assert 'href="/questions/third-party-package/index.md#2026-january-group-1"' in group.html
    toc = [e.id for e in group.toc]
    assert toc[:2] == ["section-group-information", "group-number"]  # the answers first
    assert toc.index("checklist") > toc.index("group-number")
    question = renderer.render(plan.pages["questions/third-party-package/index.md"], url)
    assert 'href="/2026-january/group-1/index.md#third-party-package"' in question.html
    assert "Unanswered:" in question.html and "Group 2" in question.html
    spec = plan.pages["2026-january/group-1/index.md"]
    assert plan.stub(spec) == plan.stub(plan.pages["questions/api/index.md"]) == f"{plan.token}\n"
    assert spec.plain_title.startswith("Group 1 · January 2026 · ")
    anchor = title_id(spec.plain_title)
    assert group.heading.startswith(
        f'<h1 id="{anchor}">{html.escape(spec.plain_title)}<a class="headerlink" href="#{anchor}"'
    )
    assert anchor.startswith("group-1-january-2026-")
    assert [title_id(t) for t in ("- A  b--c", "日本語", "x_y/z")] == ["-a-b-c", "_1", "x_yz"]


def test_badges() -> None:
    answer = _answer("api", 23, "short")
    assert badges(answer) == [("range", "1 words · 100–200 recommended")]
    assert badges(_answer("api", 23, "", Status.UNANSWERED)) == [("unanswered", "Unanswered")]


def test_inline_lines_naming_a_student_are_redacted_despite_the_cache(
    renderer: MarkdownRenderer,
) -> None:
    plain = "Create a **git** repository"
    assert renderer.render_inline(plain) == "Create a <strong>git</strong> repository"
    assert renderer.render_inline(plain, Redactor(["s224176"])) == renderer.render_inline(plain)
    note = "done by s224176"
    assert renderer.render_inline(note) == note
    assert renderer.render_inline(note, Redactor(["s224176"])) == "done by Student A"
    assert renderer.render_inline(note) == note


def test_rewriter_reads_what_nh3_writes(renderer: MarkdownRenderer) -> None:
    html = renderer.render(
        'a < b && c > d <a href="https://e.x/?a=1&b=2" title="x > y &quot;q&quot;">link</a>'
        '\n\n<abbr title="2 > 1">two</abbr> <img src="https://e.x/i.png" alt="1 < 2">'
    )
    assert "<p>a &lt; b &amp;&amp; c &gt; d " in html
    assert 'href="https://e.x/?a=1&amp;b=2" title="x &gt; y &quot;q&quot;"' in html
    assert '<abbr title="2 &gt; 1">two</abbr>' in html
    assert "External image: 1 &lt; 2" in html


@pytest.mark.parametrize("source", ["sample", "corpus"])
def test_search_text_is_the_visible_text_of_the_html(source: str) -> None:
    """The text kept for search while rendering equals what an HTML parser reads back."""
    root = SAMPLE if source == "sample" else CORPUS
    if not root.is_dir():
        pytest.skip(f"{root} is absent (the corpus lives in ../shared/corpus)")
    renderer = MarkdownRenderer()
    checked = 0
    for readme in sorted(root.glob("*/*/README.md")):
        report = parse_report(readme)
        redactor = Redactor(report.group.members)
        figures = plan_figures(readme.parent, report.references, "s/g/", Publish)
        for answer in report.answers:
            out = renderer.render_answer(
                answer.markdown, answer.references, figures=figures, redactor=redactor
            )
            assert out.text == html_text(out.html), (readme, answer.question)
            checked += bool(out.text)
    assert checked > 50


def test_workers_one_per_cpu_only_for_large_archives() -> None:
    assert workers(0, AUTO_MIN_ITEMS - 1) == 1
    assert workers(0, AUTO_MIN_ITEMS) == min(cpu_count(), AUTO_MIN_ITEMS)
    assert workers(1, 1000) == 1
    assert workers(4, 3) == 3


def test_problems_pages_stay_within_the_page_budget(tmp_path: Path) -> None:
    """Problems pages are split from an estimate of their markup; every part, rendered
    with the links a built page has, stays within the budget."""
    from report_archive.reports.archive import load_archive
    from tests.reports import blank, write

    reports = tmp_path / "reports"
    for n in range(1, 61):  # every question unanswered: a problem per question
        write(reports / "2026-january" / f"group-{n}", blank())
    plan = SitePlan(load_archive(reports), load_catalogue(), Options())
    parts = [s for s in plan.of_kind("problems") if s.data.parent]
    assert len(parts) > 2
    renderer = PageRenderer(plan)
    for spec in parts:
        html = renderer.render(spec, lambda uri: "../../../" + uri.removesuffix("index.md")).html
        assert len(html.encode()) <= plan.budget, spec.src_uri
