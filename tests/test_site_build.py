"""Full site builds from fixture reports: pages, links, redaction, sanitising, warnings."""

from __future__ import annotations

import posixpath
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from report_archive.reports.catalogue import load_catalogue
from report_archive.reports.model import Status
from report_archive.reports.parser import parse_report
from tests.site_check import (
    FIXTURES,
    SAMPLE,
    Built,
    article,
    broken_links,
    build_site,
    copy_reports,
    figure_src,
    published_figures,
    site_config,
    visible_text,
)

GROUPS = ["2025-january/group-94", "2024-january/group-3", "2026-january/group-85"]
HOSTILE = "2025-january/group-42"
SECRET = "TOP-SECRET-SNIPPET-CONTENT"
STUDENT_NUMBER = re.compile(r"(?<![A-Za-z0-9])[sS]\d{6}(?![0-9])")


def make_reports(root: Path) -> Path:
    """Three sample reports and a hostile one, with figures and metadata."""
    reports = copy_reports(root / "reports", GROUPS)
    hostile = reports / HOSTILE
    (hostile / "figures").mkdir(parents=True)
    (hostile / "README.md").write_text(
        (FIXTURES / "hostile.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    shutil.copy(SAMPLE / "2024-january/group-100/figures/bucket.png", hostile / "figures/plot.png")
    (hostile / "figures/evil.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    )
    (reports / "2025-january/outside.png").write_bytes(b"\x89PNG outside")
    (hostile / "group.yml").write_text(
        yaml.safe_dump(
            {
                "repository": "https://github.com/example/sentiment",
                "commit": "0123456789abcdef0123456789abcdef01234567",
                "title": "<img src=x onerror=alert('xss-title')> Sentiment & \"quotes\"",
                "members": ["s214638", "s204052"],
            }
        )
    )
    (reports / "2025-january/semester.yml").write_text(
        yaml.safe_dump({"title": "January 2025 <script>alert('xss-semester')</script> *x*"})
    )
    return reports


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("hostile")
    reports = make_reports(root)
    (root / "secret.txt").write_text(SECRET)
    config = site_config(reports)
    config["markdown_extensions"] += [
        {"pymdownx.snippets": {"base_path": [str(root)], "check_paths": False}},
        {"toc": {"permalink": True}},
    ]
    return build_site(
        root, config, docs={"about.md": "# About\n\nSee [questions](questions/index.md).\n"}
    )


def test_no_warnings(built: Built) -> None:
    assert built.warnings() == []


def test_expected_pages_exist(built: Built) -> None:
    catalogue = load_catalogue()
    expected = [
        "",
        "semesters/",
        "2025-january/",
        "2024-january/",
        "2026-january/",
        "2025-january/group-94/",
        "2025-january/group-42/",
        "2024-january/group-3/",
        "2026-january/group-85/",
        "questions/",
        "checklist/",
        "problems/",
        "about/",
    ] + [f"questions/{q.id}/" for q in catalogue.questions]
    for url in expected:
        assert (built.site / url / "index.html").is_file(), url


def test_links_and_anchors_resolve(built: Built) -> None:
    assert broken_links(built.site) == []


def test_group_and_question_pages_link_both_ways(built: Built) -> None:
    group = built.article("2025-january/group-94/")
    assert 'id="architecture-figure"' in group
    assert 'href="../../questions/architecture-figure/#2025-january-group-94"' in group
    question = built.article("questions/architecture-figure/")
    assert 'id="2025-january-group-94"' in question
    assert 'href="../../2025-january/group-94/#architecture-figure"' in question


def test_every_answer_is_on_its_group_page(built: Built) -> None:
    for rel in GROUPS:
        report = parse_report(SAMPLE / rel / "README.md")
        html = built.article(rel + "/")
        page = visible_text(html) + " " + " ".join(re.findall(r'alt="([^"]*)"', html))
        words = set(re.findall(r"[A-Za-z]{3,}", page))
        for answer in report.answers:
            if answer.status is not Status.ANSWERED:
                continue
            prose = [
                w.strip(".,;:!?()\"'*_")
                for w in answer.markdown.split()
                if not re.search(r"[\[\]<>=/`|]", w)
            ]
            missing = {w for w in prose if re.fullmatch(r"[A-Za-z]{3,}", w)} - words
            assert not missing, (rel, answer.question, sorted(missing)[:10])


def test_unanswered_and_out_of_range_badges(built: Built) -> None:
    report = parse_report(SAMPLE / "2024-january/group-3/README.md")
    page = built.article("2024-january/group-3/")
    if any(a.status is Status.UNANSWERED for a in report.answers):
        assert "ra-badge--unanswered" in page
    if any(not a.words_ok for a in report.answers):
        assert "recommended</span>" in page


def test_nav_lists_only_top_level_pages(built: Built) -> None:
    for url in ("", "2025-january/group-94/", "questions/architecture-figure/"):
        html = built.page(url)
        links = set(re.findall(r'<a href="([^"]*)" class="md-nav__link', html))
        links |= set(re.findall(r'<a class="md-nav__link[^"]*" href="([^"]*)"', html))
        targets = {
            posixpath.normpath(posixpath.join(url, link.split("#")[0]))
            for link in links
            if not link.startswith("#")
        }
        assert {"semesters", "questions", "checklist", "problems", "about"} <= targets, url
        assert not any("group-" in t for t in targets), (url, targets)
        assert "questions/architecture-figure" not in targets


def crumbs(html: str) -> list[tuple[str | None, str]]:
    """The breadcrumbs of a page: (href or None for the current page, text)."""
    nav = html.split('<nav class="ra-breadcrumbs" aria-label="Breadcrumb">')[1].split("</nav>")[0]
    out: list[tuple[str | None, str]] = []
    for href, _current, text in re.findall(
        r'<li>(?:<a href="([^"]*)">|<span (aria-current)="page">)([^<]*)<', nav
    ):
        out.append((href or None, text))
    return out


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("2025-january/group-94/", [("../../", "Home"), ("../", "January 2025"), (None, "Group")]),
        ("2025-january/", [("../", "Home"), ("../semesters/", "Semesters"), (None, "January")]),
        ("questions/data-version-control/", [("../../", "Home"), ("../", "Questions")]),
        ("checklist/create-a-git-repository/", [("../../", "Home"), ("../", "Checklist")]),
        ("problems/", [("../", "Home"), (None, "Report problems")]),
    ],
)
def test_breadcrumbs_above_the_title(
    built: Built, url: str, expected: list[tuple[str | None, str]]
) -> None:
    html = built.article(url)
    found = crumbs(html)
    assert len(found) >= len(expected)
    for (href, text), (want_href, want_text) in zip(found, expected, strict=False):
        assert href == want_href and text.startswith(want_text), found
    assert found[-1][0] is None  # the page itself, not a link
    assert html.index('class="ra-breadcrumbs"') < html.index("<h1")
    assert "<p>RAPAGEBODY" not in html


def test_question_page_leads_to_its_neighbours_and_counts_answers(built: Built) -> None:
    questions = [q for q in load_catalogue().questions]
    at = next(i for i, q in enumerate(questions) if q.id == "data-version-control")
    page = built.article("questions/data-version-control/")
    pager = page.split('<nav class="ra-pager" aria-label="Questions">')[1].split("</nav>")[0]
    assert f'href="../{questions[at - 1].id}/"' in pager
    assert f'href="../{questions[at + 1].id}/"' in pager
    groups = list(built.site.glob("20*/group-*/index.html"))
    answered = [
        g
        for g in (SAMPLE / p.parent.relative_to(built.site) / "README.md" for p in groups)
        if g.exists()
        and (a := parse_report(g).answer("data-version-control")) is not None
        and a.status is Status.ANSWERED
    ]
    m = re.search(r"<strong>(\d+) of (\d+) groups answered</strong>", page)
    assert m and int(m.group(1)) >= len(answered) > 0
    bands = [int(n) for n in re.findall(r'class="ra-lengths-bar"[^>]*></span> (\d+)</td>', page)]
    assert sum(bands) == int(m.group(1))
    assert "recommended</span>" not in page  # length badges are for staff (problems page)


def test_nav_puts_staff_pages_apart(built: Built) -> None:
    html = built.page("")
    nav = html.split('class="md-nav md-nav--primary"', 1)[1].split("md-sidebar--secondary")[0]
    nav = re.sub(r'<nav class="md-nav md-nav--secondary".*?</nav>', "", nav, flags=re.S)
    labels = [
        " ".join(re.sub(r"<[^>]+>", " ", m).split())
        for m in re.findall(r'class="md-nav__link[^"]*"[^>]*>(.*?)</(?:a|label|span)>', nav, re.S)
    ]
    labels = [label for label in labels if label]
    staff = labels.index("For staff")
    assert labels.index("Semesters") < labels.index("Questions") < staff
    assert labels.index("Checklist") < staff and labels.index("Search") < staff
    assert labels.index("Problems") > staff and labels.index("About") > staff


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script_text.append(data)


SITE_FORM = re.compile(r'<form class="ra-search-form[a-z -]*" role="search"')


def test_student_content_is_sanitised_everywhere(built: Built) -> None:
    for path in built.html_files():
        html = path.read_text(encoding="utf-8")
        parser = _Tags()
        parser.feed(html)
        assert not any("xss" in text for text in parser.script_text), path
        for tag, attrs in parser.tags:
            for name, value in attrs.items():
                assert not (name.startswith("on") and "xss" in (value or "")), (path, tag, name)
                if name in ("href", "src"):
                    assert not (value or "").strip().lower().startswith("javascript:"), path
        body = article(html) if "<article" in html else ""
        body = SITE_FORM.sub("", body)  # the site's own search forms (home, search page)
        for bad in ("<iframe", "<object", "<embed", "<form", "<base", "http-equiv", "<style"):
            assert bad not in body, (path, bad)
        assert SECRET not in html
        assert "root:x:0:0" not in html
        assert not re.search(r'class="[^"]*evil-class', html)
        assert 'class="md-header" id="api"' not in html


def test_hostile_answers_render_as_text(built: Built) -> None:
    page = built.article(HOSTILE + "/")
    text = visible_text(page)
    assert "{{ 7*7 }}" in text
    assert '--8<-- "secret.txt"' in text
    assert "**md in html stays raw**" in text or "md in html stays raw" in text
    assert "Styled paragraph" in text
    assert 'id="checklist"' in page and page.count('id="checklist"') == 1
    # student headings are pushed below the page's own
    assert "<h4>A big student heading</h4>" in page
    assert "<h5>A second student heading</h5>" in page
    assert "<h4>Hijacked heading</h4>" in page
    # titles from metadata are escaped
    assert "&lt;img src=x onerror=alert(&#39;xss-title&#39;)&gt; Sentiment &amp;" in page


def test_page_titles_are_safe(built: Built) -> None:
    for url in ("2025-january/", HOSTILE + "/"):
        html = built.page(url)
        title = html[html.index("<title>") + 7 : html.index("</title>")]
        assert "<" not in title and ">" not in title
        assert "January 2025 script alert('xss-semester') /script *x*" in title


def test_figures_are_published_or_shown_missing(built: Built) -> None:
    page = built.article(HOSTILE + "/")
    url = figure_src(page, "plot")
    assert re.fullmatch(r"\.\./\.\./figures/[0-9a-f]{20}\.(png|webp)", url)
    assert (built.site / url.removeprefix("../../")).is_file()
    assert not [f for f in published_figures(built.site) if f.endswith(".svg")]  # evil.svg
    assert not list(built.site.rglob("outside.png"))
    assert not list(built.site.rglob("passwd"))
    text = visible_text(page)
    assert "Missing figure: figures/nope.png" in text
    assert "Figure outside the report's folder, not shown: ../../etc/passwd" in text
    assert "Figure outside the report's folder, not shown: ../outside.png" in text
    assert "Figure not shown (nothing would be left of the SVG file" in text
    assert "External image: tracker" in text
    assert f'<a class="ra-figure" href="{url}"' in page
    assert f'<img class="ra-figure-img" src="{url}"' in page
    assert not re.search(r'<img[^>]+src="https?:', page)
    # only referenced files are published
    assert not (
        built.site / "2026-january/group-85/figures/Skærmbillede 2026-01-21 172118.png"
    ).exists()


def test_student_numbers_are_redacted_everywhere(built: Built) -> None:
    for path in built.site.rglob("*"):
        if path.suffix in (".html", ".json", ".xml"):
            found = STUDENT_NUMBER.findall(path.read_text(encoding="utf-8"))
            assert not found, (path, found[:5])
    page = visible_text(built.article(HOSTILE + "/"))
    assert "Student A was in charge of the data pipeline, Student B did the API" in page
    assert "Student Student" not in page
    assert "Student F (a friend) helped" in page
    assert "Members Student A, Student B, Student C, Student D, Student E" in page


def test_problems_page_names_file_and_line(built: Built) -> None:
    page = built.article("problems/")
    report = parse_report(built.site.parent / "reports" / HOSTILE / "README.md")
    missing = [d for d in report.diagnostics if d.code == "missing-figure"]
    assert missing
    where = f"reports/{HOSTILE}/README.md:{missing[0].line}"
    assert where in page
    assert f'href="../2025-january/group-42/#{missing[0].question}"' in page


def test_checklist_page_compares_semesters(built: Built) -> None:
    page = built.article("checklist/")
    assert "<script" not in page
    table = page.split('<table class="ra-table ra-checklist-table">')[1].split("</table>")[0]
    head = table.split("</thead>")[0]
    semesters = re.findall(r'<th scope="col">([^<]+)<br>', head)
    years = [re.findall(r"20\d\d", title)[0] for title in semesters]
    assert years == sorted(years)  # oldest first
    assert len(semesters) == len({g.split("/")[0] for g in GROUPS})
    rows = re.findall(r"<tr><td>(.*?)</tr>", table, re.S)
    last = r"<td>(\d+)%<br><span[^>]*>\d+/\d+</span></td></tr>"
    overall = [int(m) for m in re.findall(last, table)]
    assert len(overall) == len(rows) > 20
    assert overall == sorted(overall, reverse=True)  # most ticked first
    assert "Create a git repository" in page
    # every item links to its page, which lists the groups that ticked it
    links = re.findall(r'<a href="([^"]+)">Create a git repository</a>', table)
    assert links
    item = built.article("checklist/" + links[0])
    ticked = re.findall(r'<a href="[^"]*(20\d\d-january/group-\d+)/#checklist">', item)
    assert ticked
    for group in ticked:
        report = parse_report(SAMPLE / group / "README.md")
        item_ticked = [i.checked for i in report.checklist if i.text == "Create a git repository"]
        assert item_ticked and any(item_ticked), group


def test_checklist_chart_reads_on_a_phone(built: Built) -> None:
    page = built.article("checklist/")
    chart = page.split('<figure class="ra-shares"')[1].split("</figure>")[0]
    assert 'aria-hidden="true"' in page.split('<figure class="ra-shares"')[1][:40]
    assert "<a " not in chart  # nothing focusable hidden from screen readers
    css = (built.site / "assets/report-archive.css").read_text()
    sizes = re.findall(r"\.ra-shares-(?:text|value)[^{]*\{[^}]*font-size: ([.\d]+)rem", css)
    assert sizes and min(float(s) for s in sizes) * 20 >= 11  # Material's rem is 20 px


def test_home_lists_semesters_and_questions(built: Built) -> None:
    page = built.article("")
    for semester in ("2026-january/", "2024-january/"):
        assert f'href="{semester}"' in page
    assert 'href="questions/architecture-figure/"' in page
    assert '<form class="ra-search-form ra-home-search" role="search" action="search/"' in page


def test_plain_urls_and_templates_override(tmp_path: Path) -> None:
    reports = copy_reports(tmp_path / "reports", ["2025-january/group-94"])
    overrides = tmp_path / "overrides"
    (overrides / "partials").mkdir(parents=True)
    (overrides / "partials/search.html").write_text(
        (Path(__file__).parents[1] / "plugins/report_archive/site/templates/partials/search.html")
        .read_text()
        .replace('data-ra-kind="{{ kind }}"', 'data-pagefind-body data-ra-kind="{{ kind }}"')
    )
    config = site_config(reports, {"templates_dir": "overrides"}, use_directory_urls=False)
    result = build_site(tmp_path, config)
    assert result.warnings() == []
    assert (result.site / "2025-january/group-94/index.html").is_file()
    assert broken_links(result.site) == []
    assert "data-pagefind-body" in result.page("2025-january/group-94/index.html")


def test_redaction_can_be_turned_off(tmp_path: Path) -> None:
    reports = copy_reports(tmp_path / "reports", ["2025-january/group-94"])
    result = build_site(tmp_path, site_config(reports, {"redact_members": False}))
    assert "s224176" in result.article("2025-january/group-94/")


def test_home_marker_in_hand_written_index(tmp_path: Path) -> None:
    reports = copy_reports(tmp_path / "reports", ["2025-january/group-94"])
    docs = {"index.md": "# Welcome\n\nOur own words.\n\n<!-- report-archive:home -->\n"}
    result = build_site(tmp_path, site_config(reports), docs=docs)
    page = result.article("")
    assert "Our own words." in page
    assert 'href="2025-january/"' in page
    assert broken_links(result.site) == []


def test_large_question_pages_are_split(tmp_path: Path) -> None:
    reports = copy_reports(
        tmp_path / "reports",
        [*GROUPS, "2025-january/group-42", "2025-january/group-15", "2026-january/group-65"],
    )
    result = build_site(tmp_path, site_config(reports, {"max_page_size": 50_000}))
    assert result.warnings() == []
    assert broken_links(result.site) == []
    split = [p for p in (result.site / "questions").glob("*/*/index.html")]
    assert split, "some question was expected to be split by semester"
    for path in (result.site / "questions").rglob("index.html"):
        assert path.stat().st_size <= 60_000, path


def test_bad_group_yml_is_a_problem_not_a_warning(tmp_path: Path) -> None:
    reports = copy_reports(tmp_path / "reports", ["2025-january/group-94"])
    (reports / "2025-january/group-94/group.yml").write_text(
        "repository: javascript:alert(1)\ncommit: 12345\ncolour: blue\n"
    )
    result = build_site(tmp_path, site_config(reports))
    assert result.warnings() == []
    page = result.article("problems/")
    assert "reports/2025-january/group-94/group.yml" in page
    assert "repository" in page and "commit" in page and "colour" in page
    assert "javascript:" not in result.article("2025-january/group-94/")


def test_bad_semester_yml_is_a_problem_naming_file_and_line(tmp_path: Path) -> None:
    reports = copy_reports(tmp_path / "reports", ["2025-january/group-94"])
    (reports / "2025-january/semester.yml").write_text("order: 3\ntitle: [not, a, string]\n")
    result = build_site(tmp_path, site_config(reports))
    assert result.warnings() == []
    problems = result.article("problems/")
    assert "reports/2025-january/semester.yml:2</code>: title: expected text" in problems
    assert "January 2025" in result.article("2025-january/")


@pytest.mark.parametrize("option", ["reports_dir", "templates_dir"])
def test_missing_folder_is_a_configuration_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, option: str
) -> None:
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    (tmp_path / "docs").mkdir()
    (tmp_path / "reports").mkdir()
    config = site_config(tmp_path / "reports", {option: str(tmp_path / "nowhere")})
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    with pytest.raises(Abort, match="configuration error"):
        load_config(str(tmp_path / "mkdocs.yml"))
    assert f"{option}" in caplog.text and "isn't an existing directory" in caplog.text


def test_worker_processes_build_the_same_site(tmp_path: Path) -> None:
    """``jobs: 2`` parses and renders in worker processes: the site is the same, byte for
    byte, problems of unreadable reports included."""
    reports = make_reports(tmp_path / "in")
    broken = reports / "2025-january/group-7"
    broken.mkdir()
    (broken / "README.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    sites = {}
    for jobs in (1, 2):
        result = build_site(tmp_path / f"jobs{jobs}", site_config(reports, {"jobs": jobs}))
        assert result.warnings() == []
        sites[jobs] = result.site
    one = sorted(p.relative_to(sites[1]) for p in sites[1].rglob("*.html"))
    two = sorted(p.relative_to(sites[2]) for p in sites[2].rglob("*.html"))
    assert one == two and len(one) > 20
    for rel in one:
        assert (sites[1] / rel).read_bytes() == (sites[2] / rel).read_bytes(), rel
    problems = (sites[2] / "problems/index.html").read_text(encoding="utf-8")
    assert "binary file, not a markdown report" in problems
    figures = published_figures(sites[1])
    assert figures and figures == published_figures(sites[2])


@pytest.mark.parametrize("name", ["semesters.md", "questions/index.md", "checklist/README.md"])
def test_docs_page_at_a_generated_url_is_an_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    from mkdocs.exceptions import Abort

    reports = copy_reports(tmp_path / "reports", ["2025-january/group-94"])
    with pytest.raises(Abort):
        build_site(tmp_path, site_config(reports), docs={name: "# Mine\n"})
    assert f"docs/{name} is in the way of a generated page" in caplog.text
