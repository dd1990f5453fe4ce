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

import pytest

from report_archive.reports.catalogue import load_catalogue
from report_archive.reports.model import Status
from report_archive.reports.parser import parse_report
from report_archive.site.svg import SvgRefused, rebuild_svg
from tests.browser import browser, missing_browser, serve, wait_for_results, watch
from tests.hostile import make_hostile_archive
from tests.site_check import build_site, published_figures, report_with_figures, site_config

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
    """Home, search (no query, a query with hits and its filters, a query with none), every
    semester, group and problems page, then every published figure opened on its own: no
    dialog, no request to another site, no script error."""
    pages = ["", "search/", "search/?q=DVC", "search/?q=qqzzxx", "problems/", "checklist/"]
    pages += sorted(
        p.parent.relative_to(hostile_site).as_posix() + "/"
        for p in hostile_site.glob("20*/**/index.html")
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
                if url.startswith("search/"):
                    if "DVC" in url:
                        wait_for_results(page)
                    for summary in page.locator(".pagefind-ui__filter-name").all():
                        summary.click()  # the filter values are written into the page
                    page.wait_for_timeout(300)
        finally:
            context.close()
        assert seen == Opened(), seen
        opened = open_files(chromium, base_url, figures)
    assert {f: o for f, o in opened.items() if o != Opened()} == {}


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
