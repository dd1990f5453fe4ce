"""The sample archive in real Chromium: search an answer, open the hit, land on the answer;
and every published figure, opened directly on the site's origin, runs nothing and loads
nothing from elsewhere.

Needs Debian's ``chromium`` (``.ci/run`` installs it). Without it the tests skip, unless
``REPORT_ARCHIVE_REQUIRE_BROWSER=1`` (set by ``.ci/run``), where they fail instead.
With ``REPORT_ARCHIVE_SCREENSHOTS=1`` they also save the README's screenshots into
``docs/assets/screenshots/``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml

from report_archive.reports.archive import load_archive
from report_archive.reports.catalogue import load_catalogue
from report_archive.reports.model import Status
from report_archive.reports.parser import parse_report
from report_archive.site.svg import SvgRefused, rebuild_svg
from tests.browser import (
    RESULT_LINK,
    SEARCH_FILES,
    browser,
    browser_mark,
    serious_violations,
    serve,
    wait_for_results,
    watch,
)
from tests.hostile import make_hostile_archive
from tests.reports import T2026, filled, write
from tests.site_check import (
    build_site,
    pagefind_records,
    published_figures,
    report_with_figures,
    site_config,
)

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "docs/assets/screenshots"
SEARCH_BUDGET = 300_000
"""Bytes of search files (``pagefind/``, and ``pagefind-2/``... when the index is split) a
browser may fetch before its first result."""

pytestmark = [pytest.mark.browser, browser_mark()]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own archive (mkdocs.yml, docs/, reports/) built strict."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    out = tmp_path_factory.mktemp("browser") / "site"
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(out), strict=True)
    build(config)
    return out


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with browser() as instance:
        yield instance


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


def rare_word() -> tuple[str, str, str]:
    """Return (word, group folder, question id): a long word only one sample answer uses."""
    seen: Counter[str] = Counter()
    where: dict[str, tuple[str, str]] = {}
    for readme in sorted((ROOT / "reports").glob("*/*/README.md")):
        group = readme.parent.relative_to(ROOT / "reports").as_posix()
        for answer in parse_report(readme).answers:
            if answer.status is not Status.ANSWERED:
                continue
            for word in set(re.findall(r"\b[a-z]{9,}\b", answer.markdown.lower())):
                seen[word] += 1
                where[word] = (group, answer.question)
    word = sorted(w for w, n in seen.items() if n == 1)[len(seen) // 7 % 10]
    return word, *where[word]


def question_title(question: str) -> str:
    """Return a question's short title from the catalogue."""
    (title,) = [q.title for q in load_catalogue().questions if q.id == question]
    return title


def search(page: Any, base_url: str, query: str) -> list[str]:
    """Open the search page, type a query, return the answers' links once hits show."""
    page.goto(base_url + "search/")
    page.fill(INPUT, query)
    page.press(INPUT, "Enter")
    wait_for_results(page)
    return hrefs(page, ANSWER_LINK)


INPUT = "#ra-search-input"
ANSWER_LINK = ".ra-result-answer-link"
STATUS = ".ra-search-status"


def hrefs(page: Any, selector: str = RESULT_LINK) -> list[str]:
    """The ``href`` of every element a selector finds, as written in the page."""
    found: list[str] = page.locator(selector).evaluate_all(
        "els => els.map(a => a.getAttribute('href'))"
    )
    return found


def wait_until_settled(page: Any) -> str:
    """Wait until the search page has answered (hits, or none); return what it says."""
    page.wait_for_function(
        "s => { const t = document.querySelector(s).textContent;"
        " return t !== '' && t !== 'Searching…'; }",
        arg=STATUS,
    )
    page.wait_for_load_state("networkidle")
    return str(page.locator(STATUS).inner_text())


def wait_for_option(page: Any, select: str, text: str) -> None:
    """Wait until a filter lists an option with this text: the filters' counts are filled
    in after the status line and the first hits (a settled page may not have them yet)."""
    page.wait_for_function(
        "([select, text]) => [...document.querySelectorAll(select + ' option')]"
        ".some(o => o.textContent === text)",
        arg=[select, text],
    )


def test_search_finds_an_answer_and_the_hit_opens_it(page: Any, base_url: str) -> None:
    word, group, question = rare_word()
    traffic = watch(page)
    answers = search(page, base_url, word)
    target = f"../{group}/#{question}"
    assert target in answers, (word, answers)
    hit = page.locator(".ra-result", has=page.locator(f'a[href="{target}"]'))
    whose = hit.locator(RESULT_LINK).inner_text()
    title = yaml.safe_load((ROOT / "reports" / group / "group.yml").read_text())["title"]
    assert re.fullmatch(r"Group \d+ · \w+ \d{4} · .+", whose), whose
    assert whose.startswith(f"Group {group.rsplit('-', 1)[1]} · ") and whose.endswith(title)
    what = hit.locator(f'{ANSWER_LINK}[href="{target}"]').inner_text()
    assert what == question_title(question), what
    assert word in hit.locator("mark").first.inner_text().lower()

    page.click(f'{ANSWER_LINK}[href="{target}"]')
    page.wait_for_url(base_url + target.removeprefix("../"))
    answer = page.locator(f"#{question}")
    answer.wait_for()
    assert answer.is_visible()
    block = page.locator(f'section[data-ra-block="answer"][data-ra-question="{question}"]')
    assert word in block.inner_text().lower()
    assert answer.bounding_box()["y"] < 400  # scrolled to the answer
    assert traffic.console_errors == []


def test_filters_narrow_by_semester(page: Any, base_url: str) -> None:
    search(page, base_url, "docker")
    page.select_option("#ra-search-semester", "January 2025")
    page.wait_for_function(  # the list empties while it is filtered: wait for the new hits
        "() => { const links = [...document.querySelectorAll('.ra-result-link')];"
        " return links.length > 0"
        " && links.every(a => a.getAttribute('href').startsWith('../2025-january/')); }"
    )
    assert "semester=January+2025" in page.url


def show_every_hit(page: Any, count: int) -> list[str]:
    """Press "Show more groups" until `count` hits are listed; return their groups
    (``2025-january/group-94``), in order."""
    listed_or_more = """([link, count]) => document.querySelectorAll(link).length >= count
        || !document.querySelector(".ra-search-more").hidden"""
    for _ in range(count):
        page.wait_for_function(listed_or_more, arg=[RESULT_LINK, count])
        if len(hrefs(page)) >= count:
            break
        page.locator(".ra-search-more").click()
        page.wait_for_load_state("networkidle")
    return [h.removeprefix("../").rstrip("/") for h in hrefs(page)]


def groups_that_used(tool: str, reports: Path = ROOT / "reports") -> set[str]:
    """The groups of an archive (``2025-january/group-94``) that used a tool."""
    archive = load_archive(reports, tools=True)
    return {
        f"{entry.semester}/{entry.slug}"
        for entry in archive.groups
        if entry.tools and tool in entry.tools.ids
    }


def test_tool_filter_and_back_button_keep_the_search(page: Any, base_url: str) -> None:
    """The issue's "done when": search for a tool, filter by Tool, open the hit, come back
    to the same query and filters. Groups that used the tool come first."""
    used = groups_that_used("cloud-run")
    assert 0 < len(used) < 10  # some sample groups did not use Cloud Run
    search(page, base_url, "cloud run")
    unfiltered = wait_until_settled(page)
    first = f"The {len(used)} that used Cloud Run come first."
    assert unfiltered == f"10 groups wrote “cloud run”. {first}"
    ranked = show_every_hit(page, 10)
    assert len(ranked) == 10
    assert set(ranked[: len(used)]) == used

    page.select_option("#ra-search-tool", "Cloud Run")
    page.wait_for_url("**/search/?q=cloud+run&tool=Cloud+Run")
    filtered = wait_until_settled(page)
    assert filtered == f"{len(used)} groups that used Cloud Run wrote “cloud run”."
    before = hrefs(page)
    assert {h.removeprefix("../").rstrip("/") for h in before} <= used
    assert all("Used Cloud Run" in t for t in page.locator(".ra-result-tools").all_inner_texts())

    page.locator(ANSWER_LINK).first.click()
    page.wait_for_url("**/#*")
    assert "/search/" not in page.url
    page.go_back()
    page.wait_for_url("**/search/?q=cloud+run&tool=Cloud+Run")
    wait_for_results(page)
    assert page.input_value(INPUT) == "cloud run"
    assert page.input_value("#ra-search-tool") == "Cloud Run"
    assert wait_until_settled(page) == filtered
    assert hrefs(page) == before
    page.go_back()  # the search before the filter
    page.wait_for_url("**/search/?q=cloud+run")
    page.wait_for_function("() => document.querySelector('#ra-search-tool').value === ''")
    assert wait_until_settled(page) == unfiltered


def test_a_shared_address_opens_the_same_search(chromium: Any, base_url: str) -> None:
    context = chromium.new_context()
    page = context.new_page()
    page.goto(base_url + "search/?q=docker&semester=January+2024")
    wait_for_results(page)
    assert page.input_value(INPUT) == "docker"
    assert page.input_value("#ra-search-semester") == "January 2024"
    assert all(h.startswith("../2024-january/") for h in hrefs(page))
    context.close()


def template_only_phrases() -> tuple[str, str]:
    """A question's title and a checklist item that no sample group wrote."""
    catalogue = load_catalogue()
    written = []
    for readme in (ROOT / "reports").glob("*/*/README.md"):
        report = parse_report(readme)
        written += [a.markdown for a in report.answers] + [report.extra]
        written += [item.note for item in report.checklist]
    own = " ".join(re.findall(r"[a-z0-9]+", " ".join(written).lower()))

    def new(texts: list[str]) -> str:
        phrases = (" ".join(re.findall(r"[a-z0-9]+", t.lower())) for t in texts)
        return next(p for p in sorted(phrases) if len(p.split()) >= 2 and p not in own)

    titles = new([q.title for q in catalogue.questions])
    items = new([re.sub(r"\(M\d+\)", "", item.text) for item in catalogue.checklist])
    return titles, items


def test_template_text_finds_no_group(page: Any, base_url: str) -> None:
    """Question titles and checklist items are not indexed: a phrase only they have finds
    no group (the site's documentation may have it: it is left out unless asked)."""
    for phrase in template_only_phrases():
        page.goto(base_url + "search/?" + urlencode({"q": f'"{phrase}"'}))
        assert wait_until_settled(page) == f'No group wrote “"{phrase}"”.', phrase
        assert page.locator(".ra-result").count() == 0


def test_documentation_only_when_asked(page: Any, base_url: str) -> None:
    page.goto(base_url + "search/?q=zizmor")
    assert wait_until_settled(page) == "No group wrote “zizmor”."
    page.check("#ra-search-docs")
    page.wait_for_url("**/search/?q=zizmor&docs=1")
    wait_for_results(page)
    assert "../reference/security/" in hrefs(page)
    assert re.fullmatch(r"\d+ documentation pages? holds? “zizmor”\.", wait_until_settled(page))
    assert page.is_disabled("#ra-search-tool")


def test_home_search_box_and_query_parameter(page: Any, base_url: str) -> None:
    traffic = watch(page)
    page.goto(base_url)
    page.fill("#ra-home-search-input", "docker")
    page.press("#ra-home-search-input", "Enter")
    page.wait_for_url("**/search/?q=docker")
    wait_for_results(page)
    first = len(traffic.finished)
    assert page.input_value(INPUT) == "docker"
    search_bytes = traffic.bytes(SEARCH_FILES, first=first)
    assert 0 < search_bytes <= SEARCH_BUDGET, search_bytes
    assert traffic.console_errors == []


def test_header_search_box_on_a_phone(chromium: Any, base_url: str) -> None:
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    traffic = watch(page)
    page.goto(base_url + "2026-january/group-85/")
    box = page.locator("#ra-header-search-input")
    assert box.is_visible()
    assert page.locator("label[for=ra-header-search-input]").inner_text() == "Search the archive"
    assert overflow(page) == 0
    box.fill("docker")
    box.press("Enter")
    page.wait_for_url("**/search/?q=docker")
    wait_for_results(page)
    assert page.input_value(INPUT) == "docker"
    wait_until_settled(page)
    assert overflow(page) == 0
    assert traffic.console_errors == []
    context.close()


def overflow(page: Any) -> int:
    """Pixels the page is wider than the viewport (0 when nothing scrolls sideways)."""
    width: int = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return width


def test_search_page_with_results_passes_axe(page: Any, base_url: str) -> None:
    page.goto(base_url + "search/?q=docker")
    wait_for_results(page)
    wait_until_settled(page)
    assert serious_violations(page) == []
    page.goto(base_url + "2026-january/group-85/")
    assert serious_violations(page, ".md-header") == []  # the header's search box


def test_a_group_that_used_a_tool_ranks_above_one_that_only_names_it(
    chromium: Any, tmp_path: Path
) -> None:
    used = "For load testing we used Locust against the deployed API. " + "word " * 60
    named = (
        "We did not use Locust. Locust was not set up, so no Locust tests exist; "
        "we never tried Locust. " + "word " * 60
    )
    reports = tmp_path / "reports"
    write(reports / "2026-january/group-1", filled(T2026, q25=used))
    write(reports / "2026-january/group-2", filled(T2026, q25=named))
    assert groups_that_used("locust", reports) == {"2026-january/group-1"}  # the premise
    built = build_site(tmp_path, site_config(reports))
    with serve(built.site) as base:
        context = chromium.new_context()
        page = context.new_page()
        page.goto(base + "search/?q=locust")
        wait_for_results(page)
        settled = wait_until_settled(page)
        assert settled == "2 groups wrote “locust”. The one that used Locust comes first."
        assert hrefs(page) == ["../2026-january/group-1/", "../2026-january/group-2/"]
        context.close()


def test_search_across_several_indexes_under_a_subpath(chromium: Any, tmp_path: Path) -> None:
    """The sample split into four Pagefind indexes (``search.shard_groups: 3``) and served
    under a project path: the header's box opens the search page, which merges every index:
    hits from every index, the counts of the status line and of both filters as with one
    index, a filter on a semester split between two indexes, the documentation, every search
    file under the path and within the bytes budget."""
    archive = load_archive(ROOT / "reports", tools=True)
    docs = {"about.md": "# About the archive\n\nHow to read a report: zanzibar.\n"}
    built = build_site(
        tmp_path, site_config(ROOT / "reports", {"search": {"shard_groups": 3}}), docs=docs
    )
    folders = sorted(p.name for p in built.site.glob("pagefind*"))
    assert folders == ["pagefind", "pagefind-2", "pagefind-3", "pagefind-4"]
    shard_of = {
        r["url"].strip("/"): folder
        for folder in folders
        for r in pagefind_records(built.site, folder)
    }
    used = groups_that_used("cloud-run")
    with serve(built.site, "/report-archive/") as base:
        context = chromium.new_context()
        page = context.new_page()
        traffic = watch(page)
        page.goto(base + "2025-january/group-94/")
        page.fill("#ra-header-search-input", "cloud run")
        page.press("#ra-header-search-input", "Enter")
        page.wait_for_url("**/report-archive/search/?q=cloud+run")
        wait_for_results(page)
        first = len(traffic.finished)
        assert 0 < traffic.bytes(SEARCH_FILES, first=first) <= SEARCH_BUDGET
        status = wait_until_settled(page)
        assert (
            status
            == f"10 groups wrote “cloud run”. The {len(used)} that used Cloud Run come first."
        )
        ranked = show_every_hit(page, 10)
        assert len(ranked) == 10 and set(ranked[: len(used)]) == used
        assert {shard_of[g] for g in ranked} == set(folders)  # hits from every index
        wait_for_option(page, "#ra-search-tool", f"Cloud Run ({len(used)} groups)")
        options = page.locator("#ra-search-semester option").all_inner_texts()
        for semester in archive.semesters:
            n = len(semester.groups)
            assert f"{semester.title} ({n} group{'s' if n > 1 else ''})" in options, options

        split = [s.title for s in archive.semesters if len(s.groups) > 3]  # in two indexes
        assert split == ["January 2025"]
        page.select_option("#ra-search-semester", "January 2025")
        page.wait_for_url("**/search/?q=cloud+run&semester=January+2025")
        in_2025 = wait_until_settled(page)
        assert in_2025.startswith("4 groups in January 2025 wrote “cloud run”."), in_2025
        listed = show_every_hit(page, 4)
        assert sorted(listed) == sorted(e for e in shard_of if e.startswith("2025-january/"))
        assert len({shard_of[g] for g in listed}) == 2

        page.goto(base + "search/?q=zanzibar&docs=1")
        wait_for_results(page)
        assert hrefs(page) == ["../about/"]
        assert wait_until_settled(page) == "1 documentation page holds “zanzibar”."
        requested = [url for url, _ in traffic.requests if SEARCH_FILES.search(url)]
        assert all(url.startswith(base) for url in requested)
        assert {SEARCH_FILES.search(url).group(0).strip("/") for url in requested} == set(folders)
        assert traffic.console_errors == []
        context.close()


def test_pages_show_no_console_errors(page: Any, base_url: str) -> None:
    traffic = watch(page)
    for url in ("", "semesters/", "2025-january/", "questions/data-version-control/",
                "checklist/", "problems/", "2026-january/group-85/"):  # fmt: skip
        page.goto(base_url + url)
        page.wait_for_load_state("networkidle")
    assert traffic.console_errors == []
    failed = [u for u, size in traffic.requests if size == 0 and not u.endswith("/")]
    assert failed == []


PAGE_TYPES = {
    "home": "",
    "semesters": "semesters/",
    "semester": "2023-january/",
    "group": "2026-january/group-85/",
    "group, old template": "2024-january/group-100/",
    "questions": "questions/",
    "question": "questions/ci/",
    "tools": "tools/",
    "tool": "tools/dvc/",
    "checklist": "checklist/",
    "problems": "problems/",
    "search": "search/?q=docker",
    "404": "404.html",
    "documentation": "architecture/",
    "documentation with code": "publishing/",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_type_passes_axe(chromium: Any, base_url: str, width: int, scheme: str) -> None:
    """axe-core finds no serious or critical violation on any kind of page, on a desktop and
    on a phone, in either colour scheme; no page is cut short (its scripts all load)."""
    context = chromium.new_context(viewport={"width": width, "height": 844}, color_scheme=scheme)
    page = context.new_page()
    found = {}
    try:
        for kind, url in PAGE_TYPES.items():
            page.goto(base_url + url)
            page.wait_for_load_state("networkidle")
            if url == "search/?q=docker":
                wait_until_settled(page)
            assert page.evaluate("() => typeof window.document$") == "object", kind
            if bad := serious_violations(page):
                found[kind] = bad
    finally:
        context.close()
    assert found == {}


def test_a_phone_reaches_the_last_question_in_two_taps(chromium: Any, base_url: str) -> None:
    """On a 390 px phone a group page opens with its header and a collapsed list of its
    questions: one tap opens the list, a second lands on the last question."""
    context = chromium.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(base_url + "2026-january/group-85/")
        jump = page.locator("nav.ra-jump summary")
        jump.tap()
        last = page.locator("nav.ra-jump li a").last
        target = last.get_attribute("href")
        assert target is not None and target.startswith("#")
        last.tap()
        page.wait_for_url("**" + target)
        heading = page.locator(target)
        box = heading.bounding_box()
        assert box is not None and 0 <= box["y"] < PHONE["height"]
        assert heading.inner_text().startswith("Q31")  # the 2026 template's last question
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"]
    finally:
        context.close()


def test_group_page_answers_come_before_the_collapsed_checklist(page: Any, base_url: str) -> None:
    page.goto(base_url + "2026-january/group-85/")
    first_answer = page.locator("h3#group-number").bounding_box()
    checklist = page.locator("h2#checklist").bounding_box()
    assert first_answer is not None and checklist is not None
    assert first_answer["y"] < checklist["y"]
    box = page.locator("details.ra-checklist-box")
    assert box.get_attribute("open") is None
    assert not page.locator("ul.ra-checklist").first.is_visible()
    page.locator(".ra-facts a[href='#checklist']").click()
    box.locator("summary").click()
    assert page.locator("ul.ra-checklist").first.is_visible()


def test_semester_gallery_filters_by_tool(page: Any, base_url: str) -> None:
    """The tool filter shows the cards of the groups that used the tool, says how many,
    and keeps the choice in the address."""
    page.goto(base_url + "2025-january/")
    cards = page.locator("li.ra-card")
    assert cards.count() == 4
    labels = [c.inner_text().split("\n")[0] for c in cards.all()]
    assert labels == ["Group 8", "Group 15", "Group 42", "Group 94"]  # natural order
    used = {
        label: (c.get_attribute("data-ra-tools") or "").split()
        for label, c in zip(labels, cards.all(), strict=True)
    }
    tool = next(t for t in used["Group 42"] if sum(t in v for v in used.values()) < 4)
    page.select_option("#ra-gallery-tool", tool)
    page.wait_for_url(f"**/2025-january/?tool={tool}")
    shown = [label for label, c in zip(labels, cards.all(), strict=True) if c.is_visible()]
    assert shown == [label for label in labels if tool in used[label]]
    assert "Group 42" in shown and len(shown) < 4
    status = page.locator(".ra-gallery-status").inner_text()
    assert status == f"{len(shown)} of 4 groups"
    page.reload()
    assert page.locator("#ra-gallery-tool").input_value() == tool
    assert sum(c.is_visible() for c in cards.all()) == len(shown)
    page.select_option("#ra-gallery-tool", "")
    assert all(c.is_visible() for c in cards.all())


def test_dark_mode_follows_the_system_and_toggles(chromium: Any, base_url: str) -> None:
    def scheme(page: Any) -> str:
        return str(page.eval_on_selector("body", "b => b.dataset.mdColorScheme"))

    for system, expected in (("light", "default"), ("dark", "slate")):
        context = chromium.new_context(color_scheme=system)
        page = context.new_page()
        page.goto(base_url + "2025-january/group-94/")
        assert scheme(page) == expected, system
        context.close()
    context = chromium.new_context(color_scheme="light")
    page = context.new_page()
    page.goto(base_url)
    toggle = page.locator("form[data-md-component=palette] label:visible").first
    assert toggle.get_attribute("title") == "Switch to light mode"  # follows the system
    toggle.click()
    assert scheme(page) == "default"
    page.locator("form[data-md-component=palette] label:visible").first.click()
    assert scheme(page) == "slate"  # dark, chosen by the reader
    page.goto(base_url + "questions/")
    assert scheme(page) == "slate"  # and remembered on the next page
    context.close()


PHONE = {"width": 390, "height": 844}
READABLE_PX = 11
"""Smallest chart text, in CSS pixels as drawn on the page."""


def chart_text_px(page: Any) -> list[float]:
    """The size of every text of the page's adoption charts, in CSS pixels as drawn."""
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll('svg.ra-adoption')].flatMap(svg => {
                const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                return [...svg.querySelectorAll('text')].map(
                    t => parseFloat(getComputedStyle(t).fontSize) * scale);
            })"""
        )
    )


@pytest.mark.parametrize("url", ["tools/", "tools/dvc/", "2024-january/group-100/"])
def test_tool_pages_on_a_phone(chromium: Any, base_url: str, url: str) -> None:
    """At 390 px: nothing wider than the screen, chart text at least 11 px as drawn (the
    chart scrolls sideways inside the page when wider), no serious axe-core violation."""
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    traffic = watch(page)
    try:
        page.goto(base_url + url)
        page.wait_for_load_state("networkidle")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width
        sizes = chart_text_px(page)
        if url.startswith("tools/"):
            assert len(sizes) >= 8 and min(sizes) >= READABLE_PX, sizes
            box = page.locator("svg.ra-adoption text").first.bounding_box()
            assert box is not None and box["height"] >= READABLE_PX
        else:
            assert page.locator("#tools-used").is_visible()
            assert page.locator("#similar-groups + ul a").count() == 5
        assert serious_violations(page) == []
        assert traffic.console_errors == []
    finally:
        context.close()


def test_a_heatmap_row_opens_its_tool_page(page: Any, base_url: str) -> None:
    page.goto(base_url + "tools/")
    page.locator('svg.ra-adoption a[aria-label="DVC"]').click()
    page.wait_for_url(base_url + "tools/dvc/")
    assert page.locator("h1").inner_text().startswith("DVC")


_LOAD_FIGURES = """() => Promise.all(
    [...document.querySelectorAll("img.ra-figure-img")].map((img) => {
        img.loading = "eager";
        return img.decode().then(() => [img.currentSrc, img.naturalWidth], () => [img.src, 0]);
    })
)"""


def test_figures_load_from_their_content_names_under_a_subpath(
    chromium: Any, site: Path, tmp_path: Path
) -> None:
    """Served as GitHub Pages serves a project site (``/<repo>/``), every figure of a group
    page loads from ``<repo>/figures/<digest>.<ext>``."""
    shutil.copytree(site, tmp_path / "report-archive")
    context = chromium.new_context()
    page = context.new_page()
    try:
        with serve(tmp_path) as base_url:
            page.goto(base_url + "report-archive/2023-january/group-26/")
            loaded = page.evaluate(_LOAD_FIGURES)
    finally:
        context.close()
    assert len(loaded) >= 5
    for src, width in loaded:
        assert re.fullmatch(
            re.escape(base_url) + r"report-archive/figures/[0-9a-f]{20}\.(webp|png|jpg|svg)", src
        ), src
        assert width > 0, src


HOSTILE_SVG = Path(__file__).resolve().parent / "fixtures" / "svg"


@dataclass
class Opened:
    """What a file did when opened as a page: dialogs, requests elsewhere, script errors."""

    dialogs: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def open_files(chromium: Any, base_url: str, names: list[str]) -> dict[str, Opened]:
    """Open each file as a page, wait for its animations and click its texts (links)."""
    context = chromium.new_context()
    page = context.new_page()
    seen = Opened()
    page.on("dialog", lambda d: (seen.dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: None if r.url.startswith(base_url) else seen.foreign.append(r.url))
    page.on("pageerror", lambda e: seen.errors.append(str(e)))
    page.on(
        "console",
        lambda m: (
            seen.errors.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    out: dict[str, Opened] = {}
    try:
        for name in names:
            page.goto(base_url + name)
            page.wait_for_timeout(150)  # animations start at 0s; onload has run
            texts = page.locator("text")
            for i in range(min(texts.count(), 3)):
                texts.nth(i).click(force=True, timeout=2_000)
                page.wait_for_timeout(100)  # a javascript: link runs after the click
            page.goto("about:blank")  # ends what the file started before the next
            out[name] = Opened(seen.dialogs[:], seen.foreign[:], seen.errors[:])
            seen.dialogs.clear(), seen.foreign.clear(), seen.errors.clear()
    finally:
        context.close()
    return out


def test_hostile_svgs_attack_when_published_as_they_are(chromium: Any) -> None:
    """The check below sees the attacks: the originals, served as they are, run script and
    load from elsewhere."""
    names = ["xslt-self.svg", "onload.svg", "a-javascript.svg", "style-import.svg",
             "css-escape-url.svg", "css-stylesheet.svg"]  # fmt: skip
    with serve(HOSTILE_SVG) as base_url:
        seen = open_files(chromium, base_url, names)
    assert seen["xslt-self.svg"].dialogs == ["xslt 127.0.0.1"]
    assert seen["onload.svg"].dialogs == ["onload 127.0.0.1"]
    assert seen["a-javascript.svg"].dialogs == ["link"]
    assert seen["style-import.svg"].foreign == ["https://evil.example/import.css"]
    assert seen["css-escape-url.svg"].foreign == ["https://evil.example/escaped-url.png"]
    assert seen["css-stylesheet.svg"].foreign == ["https://evil.example/sheet.css"]


def test_every_published_figure_is_inert_on_the_site_origin(chromium: Any, tmp_path: Path) -> None:
    report_with_figures(tmp_path / "reports", {p.name: p for p in HOSTILE_SVG.glob("*.svg")})
    plugin = {"search": {"engine": "none"}}
    built = build_site(tmp_path, site_config(tmp_path / "reports", plugin))
    figures = published_figures(built.site)
    svgs = [f for f in figures if f.endswith(".svg")]
    rebuilt = set()
    for path in HOSTILE_SVG.glob("*.svg"):
        with contextlib.suppress(SvgRefused):  # 3 cannot be rebuilt
            rebuilt.add(rebuild_svg(path.read_bytes()))
    assert len(svgs) == len(rebuilt) > 5  # each distinct rebuilt file, once
    assert len(figures) > len(svgs)  # the report's own PNG figures too
    with serve(built.site) as base_url:
        seen = open_files(chromium, base_url, figures)
    assert {f: o for f, o in seen.items() if o != Opened()} == {}
    assert len(seen) == len(figures)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile archive of tests/hostile.py, built strict."""
    root = tmp_path_factory.mktemp("hostile-browser")
    return build_site(root, site_config(make_hostile_archive(root)), strict=True).site


def test_hostile_archive_fires_nothing(chromium: Any, hostile_site: Path) -> None:
    """Home, search (no query, a query with hits and its filters, a query with none, hostile
    queries and filters in the address), every semester, group, tool and problems page, then every
    published figure opened on its own: no dialog, no request to another site, no script
    error. The hostile values from the address are shown as text."""
    hostile = {
        "q": "<img src=x onerror=alert(1)>",
        "semester": "<img src=x onerror=alert(2)>",
        "tool": "<svg/onload=alert(3)>",
    }
    searches = [
        "search/?" + urlencode(hostile),
        "search/?" + urlencode({"q": "DVC", "tool": hostile["tool"]}),
        "search/?" + urlencode({"q": '"><script>alert(4)</script>', "docs": "1"}),
        "search/?q=DVC",
        "search/?q=DVC&docs=1",
        "search/?q=qqzzxx",
    ]
    pages = ["", "search/", *searches, "problems/", "checklist/"]
    pages += sorted(
        p.parent.relative_to(hostile_site).as_posix() + "/"
        for p in [
            *hostile_site.glob("20*/**/index.html"),
            *hostile_site.glob("tools/**/index.html"),
        ]
    )
    figures = published_figures(hostile_site)
    assert len(pages) > 8 and figures
    context = chromium.new_context()
    page = context.new_page()
    seen = Opened()
    with serve(hostile_site) as base_url:
        page.on("dialog", lambda d: (seen.dialogs.append(d.message), d.dismiss()))
        page.on(
            "request",
            lambda r: None if r.url.startswith(base_url) else seen.foreign.append(r.url),
        )
        page.on("pageerror", lambda e: seen.errors.append(str(e)))
        try:
            for url in pages:
                page.goto(base_url + url)
                page.wait_for_load_state("networkidle")
                if url.startswith("search/?"):
                    status = wait_until_settled(page)  # hits and the filters' values shown
                    if url == "search/?q=DVC":
                        assert page.locator(RESULT_LINK).count() > 0
                    if "onload" in url:  # the address's value is an option, as text
                        wait_for_option(page, "#ra-search-tool", f"{hostile['tool']} (0 groups)")
                    if "onerror%3Dalert%281" in url:
                        assert hostile["q"] in status
        finally:
            context.close()
        assert seen == Opened(), seen
        opened = open_files(chromium, base_url, figures)
    assert {f: o for f, o in opened.items() if o != Opened()} == {}


@pytest.mark.skipif(
    os.environ.get("REPORT_ARCHIVE_SCREENSHOTS") != "1",
    reason="set REPORT_ARCHIVE_SCREENSHOTS=1 to refresh docs/assets/screenshots/",
)
def test_screenshots(chromium: Any, page: Any, base_url: str) -> None:
    """The README's screenshots: a desktop (1366 x 900) and a phone (390 x 844)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    shots = {
        "semester-page.png": "2025-january/",
        "group-page.png": "2026-january/group-85/",
        "question-page.png": "questions/data-version-control/",
    }
    for name, url in shots.items():
        page.goto(base_url + url)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(SCREENSHOTS / name))
    search(page, base_url, "load testing locust")
    page.screenshot(path=str(SCREENSHOTS / "search.png"))
    context = chromium.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    phone = context.new_page()
    try:
        phone.goto(base_url + "2026-january/group-85/")
        phone.screenshot(path=str(SCREENSHOTS / "phone-group-page.png"))
        phone.goto(base_url + "2025-january/")
        phone.wait_for_load_state("networkidle")
        phone.screenshot(path=str(SCREENSHOTS / "phone-semester-page.png"))
    finally:
        context.close()
    for name in [*shots, "search.png", "phone-group-page.png", "phone-semester-page.png"]:
        assert (SCREENSHOTS / name).stat().st_size > 10_000
