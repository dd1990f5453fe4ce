"""Project titles and summaries in Chromium: on a 390 px phone, under a project path.

The pages that show them (the semester table, a group's header, question and problem
headings) have no horizontal overflow at 390 px and no serious or critical axe-core
violation, served under ``/<repo>/`` as GitHub Pages serves a project site. Skips without
a browser, like test_browser.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser import browser, browser_mark, serious_violations, serve, watch
from tests.site_check import build_site, site_config
from tests.test_site_identity import DERIVED, identity_reports

PHONE = {"width": 390, "height": 844}
PREFIX = "/report-archive/"

pytestmark = [pytest.mark.browser, browser_mark()]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("identity-browser")
    built = build_site(root, site_config(identity_reports(root)), strict=True)
    with serve(built.site, PREFIX) as url:
        yield url


@pytest.fixture(scope="module")
def phone() -> Iterator[Any]:
    with browser() as chromium:
        context = chromium.new_context(viewport=PHONE)
        yield context.new_page()
        context.close()


PAGES = {
    "2026-january/": [".md-header__title", "h1", ".ra-cards"],
    "2026-january/group-65/": [".md-header__title", "h1", ".ra-facts", ".ra-pager"],
    "2026-january/group-85/": [".md-header__title", "h1", ".ra-facts", ".ra-pager"],
    "questions/third-party-package/": [".md-header__title", ".ra-answer-block > h3"],
    "problems/": [".md-header__title", ".ra-problems h3"],
}


@pytest.mark.parametrize("url", PAGES)
def test_titles_on_a_phone_under_a_project_path(phone: Any, base_url: str, url: str) -> None:
    traffic = watch(phone)
    phone.goto(base_url + url)
    phone.wait_for_load_state("networkidle")
    assert base_url.endswith(PREFIX)
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    assert serious_violations(phone, PAGES[url]) == []
    assert traffic.console_errors == []
    absolute = phone.evaluate(
        """() => [...document.querySelectorAll('[href], [src]')]
            .map(e => e.getAttribute('href') || e.getAttribute('src'))
            .filter(u => u.startsWith('/') && !u.startsWith('//'))"""
    )
    assert absolute == []
    if url == "2026-january/group-65/":
        heading = phone.locator("h1").inner_text().rstrip("¶ \n")  # its permalink's sign
        assert heading.endswith(DERIVED)
        assert phone.locator(".ra-facts .ra-derived-note").is_visible()
