"""The sample archive in real Chromium: search an answer, open the hit, land on the answer.

Needs Debian's ``chromium`` (``.ci/run`` installs it). Without it the tests skip, unless
``REPORT_ARCHIVE_REQUIRE_BROWSER=1`` (set by ``.ci/run``), where they fail instead.
With ``REPORT_ARCHIVE_SCREENSHOTS=1`` they also save the README's screenshots into
``docs/assets/screenshots/``.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from report_archive.catalogue import load_catalogue
from report_archive.model import Status
from report_archive.parser import parse_report
from tests.browser import browser, missing_browser, serve, wait_for_results, watch

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "docs/assets/screenshots"
SEARCH_BUDGET = 300_000
"""Bytes of search files (``pagefind/``) a browser may fetch before its first result."""

_missing = missing_browser()
if _missing and os.environ.get("REPORT_ARCHIVE_REQUIRE_BROWSER") == "1":
    raise RuntimeError(f"the browser tests must run here, but {_missing}")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(_missing is not None, reason=f"no browser: {_missing}"),
]


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
    """Open the search page, type a query, return the hits' links once they show."""
    page.goto(base_url + "search/")
    page.fill(".pagefind-ui__search-input", query)
    wait_for_results(page)
    links = page.locator(".pagefind-ui__result-link")
    return [str(links.nth(i).get_attribute("href")) for i in range(links.count())]


def test_search_finds_an_answer_and_the_hit_opens_it(page: Any, base_url: str) -> None:
    word, group, question = rare_word()
    traffic = watch(page)
    hits = search(page, base_url, word)
    target = f"/{group}/#{question}"
    assert target in hits, (word, hits)
    hit = page.locator(".pagefind-ui__result", has=page.locator(f'a[href="{target}"]'))
    whose = hit.locator(".pagefind-ui__result-title > a").first.inner_text()
    assert re.fullmatch(r"Group \d+ · \w+ \d{4}", whose), whose
    assert whose.startswith(f"Group {group.rsplit('-', 1)[1]} · ")
    what = page.locator(f'.pagefind-ui__result-nested a[href="{target}"]').inner_text()
    assert what == question_title(question), what

    page.click(f'.pagefind-ui__result-link[href="{target}"]')
    page.wait_for_url(base_url.rstrip("/") + target)
    answer = page.locator(f"#{question}")
    answer.wait_for()
    assert answer.is_visible()
    block = page.locator(f'section[data-ra-block="answer"][data-ra-question="{question}"]')
    assert word in block.inner_text().lower()
    assert answer.bounding_box()["y"] < 400  # scrolled to the answer
    assert traffic.console_errors == []


def test_filters_narrow_by_semester(page: Any, base_url: str) -> None:
    search(page, base_url, "docker")
    page.click(".pagefind-ui__filter-name >> text=Semester")
    page.check('.pagefind-ui__filter-checkbox[value="January 2025"]')
    page.wait_for_function(  # the list empties while it is filtered: wait for the new hits
        "() => { const links = [...document.querySelectorAll('.pagefind-ui__result-link')];"
        " return links.length > 0"
        " && links.every(a => a.getAttribute('href').startsWith('/2025-january/')); }"
    )
    hrefs = page.locator(".pagefind-ui__result-link").evaluate_all(
        "els => els.map(a => a.getAttribute('href'))"
    )
    assert hrefs and all(h.startswith("/2025-january/") for h in hrefs)


def test_home_search_box_and_query_parameter(page: Any, base_url: str) -> None:
    traffic = watch(page)
    page.goto(base_url)
    assert page.locator(".pagefind-ui__search-input").is_visible()
    page.goto(base_url + "search/?q=docker")
    wait_for_results(page)
    assert page.input_value(".pagefind-ui__search-input") == "docker"
    search_bytes = traffic.bytes("/pagefind/")
    assert 0 < search_bytes <= SEARCH_BUDGET, search_bytes
    assert traffic.console_errors == []


def test_pages_show_no_console_errors(page: Any, base_url: str) -> None:
    traffic = watch(page)
    for url in ("", "semesters/", "2025-january/", "questions/data-version-control/",
                "checklist/", "problems/", "2026-january/group-85/"):  # fmt: skip
        page.goto(base_url + url)
        page.wait_for_load_state("networkidle")
    assert traffic.console_errors == []
    failed = [u for u, size in traffic.requests if size == 0 and not u.endswith("/")]
    assert failed == []


@pytest.mark.skipif(
    os.environ.get("REPORT_ARCHIVE_SCREENSHOTS") != "1",
    reason="set REPORT_ARCHIVE_SCREENSHOTS=1 to refresh docs/assets/screenshots/",
)
def test_screenshots(page: Any, base_url: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shots = {
        "group-page.png": "2023-january/group-26/#architecture-figure",
        "question-page.png": "questions/data-version-control/",
    }
    for name, url in shots.items():
        page.goto(base_url + url)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(SCREENSHOTS / name))
    search(page, base_url, "load testing locust")
    page.screenshot(path=str(SCREENSHOTS / "search.png"))
    for name in [*shots, "search.png"]:
        assert (SCREENSHOTS / name).stat().st_size > 10_000
