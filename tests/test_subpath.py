"""The archive served under a project path, as GitHub Pages serves ``<owner>.github.io/<repo>/``.

The repository's own site is built with ``SITE_URL`` set (the Pages workflow sets it from
the repository's Pages address), served under ``/report-archive/`` only (anything else is
404, as another repository's site would be), and opened in Chromium: pages, their assets,
the 404 page and search must all stay under the path.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import browser, browser_mark, serve, watch

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "/report-archive/"
SITE_URL = "https://example.github.io" + PREFIX


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's archive built strict for a project site."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    out = tmp_path_factory.mktemp("subpath") / "site"
    before = os.environ.get("SITE_URL")
    os.environ["SITE_URL"] = SITE_URL
    try:
        config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(out), strict=True)
    finally:
        if before is None:
            del os.environ["SITE_URL"]
        else:
            os.environ["SITE_URL"] = before
    build(config)
    return out


def test_sitemap_and_404_page_name_the_project_path(site: Path) -> None:
    locations = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text())
    assert locations and all(loc.startswith(SITE_URL) for loc in locations)
    assert any("/group-" in loc for loc in locations)  # generated pages are listed too
    page = (site / "404.html").read_text()
    # The 404 page is served at any depth, so its links are absolute: under the path.
    assets = re.findall(r'(?:href|src)="(/[^"]*)"', page)
    assert assets and all(a.startswith(PREFIX) for a in assets), assets


browser_only = browser_mark()


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve(site, PREFIX) as url:
        yield url


@pytest.fixture
def page(base_url: str) -> Iterator[Any]:
    with browser() as instance:
        context = instance.new_context(viewport={"width": 390, "height": 844})
        yield context.new_page()
        context.close()


def _failed(responses: list[Any]) -> list[str]:
    return [f"{r.status} {r.url}" for r in responses if r.status >= 400]


@browser_only
@pytest.mark.browser
def test_pages_and_their_assets_load_under_the_path(page: Any, base_url: str) -> None:
    responses: list[Any] = []
    page.on("response", lambda response: responses.append(response))
    traffic = watch(page)
    page.goto(base_url)
    page.wait_for_load_state("networkidle")
    links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    inside = [u for u in links if u.startswith(base_url)]
    assert inside and all(
        u.startswith(base_url) for u in links if u.startswith("http://127.0.0.1")
    ), links
    for target in ("2025-january/", "2025-january/group-94/", "questions/", "checklist/"):
        page.goto(base_url + target)
        page.wait_for_load_state("networkidle")
        assert page.locator("article h1").count() >= 1, target
    assert not _failed(responses)
    assert not traffic.console_errors


@browser_only
@pytest.mark.browser
def test_the_404_page_is_styled_and_leads_home(page: Any, base_url: str) -> None:
    responses: list[Any] = []
    page.on("response", lambda response: responses.append(response))
    first = page.goto(base_url + "2099-january/group-1/")
    assert first is not None and first.status == 404
    page.wait_for_load_state("networkidle")
    assert not _failed(responses[1:]), _failed(responses)  # its styles and scripts load
    home = page.eval_on_selector(".md-header__button.md-logo", "e => e.href")
    assert home == base_url


@browser_only
@pytest.mark.browser
def test_search_finds_answers_under_the_path(page: Any, base_url: str) -> None:
    responses: list[Any] = []
    page.on("response", lambda response: responses.append(response))
    page.goto(base_url + "search/?q=docker")
    hits = page.locator(".ra-result-link")
    hits.first.wait_for(timeout=15_000)
    targets = hits.evaluate_all("els => els.map(a => a.href)")  # resolved against the page
    assert targets and all(t.startswith(base_url) and "group-" in t for t in targets), targets
    assert not _failed(responses)
    hits.first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.startswith(base_url) and "group-" in page.url
