"""Settings every test runs with."""

from __future__ import annotations

import pytest

from report_archive.site.page_cache import CHECK_ENV


@pytest.fixture(autouse=True)
def check_kept_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page a build takes from the page cache is rendered again and compared: a view
    whose inputs miss what its page shows fails the build that would have shown it stale."""
    monkeypatch.setenv(CHECK_ENV, "1")
