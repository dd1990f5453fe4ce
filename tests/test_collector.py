"""Python's cycle collector during a build: paused while the archive loads, then what was
loaded frozen until the build ends; a finished or failed build leaves it as it found it."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from report_archive.build import collector
from tests.site_check import build_site, copy_reports, site_config


def test_a_build_pauses_the_collector_and_leaves_it_as_it_was(tmp_path: Path) -> None:
    seen: list[tuple[bool, int]] = []
    freeze = collector.freeze

    def spy() -> None:  # called at the end of loading, still paused
        seen.append((gc.isenabled(), gc.get_freeze_count()))
        freeze()
        seen.append((gc.isenabled(), gc.get_freeze_count()))

    reports = copy_reports(tmp_path / "reports", ["2025-january/group-94"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(collector, "freeze", spy)
        build_site(tmp_path / "ok", site_config(reports), strict=True)
    (enabled, before), (_, frozen) = seen
    assert not enabled and frozen > before  # paused, then the loaded objects frozen
    assert gc.isenabled() and gc.get_freeze_count() == 0  # thawed when the build ended


@pytest.mark.parametrize("failure", ["while loading", "after loading"])
def test_a_failed_build_leaves_the_collector_running(tmp_path: Path, failure: str) -> None:
    reports = copy_reports(tmp_path / "reports", ["2025-january/group-94"])
    templates = tmp_path / "templates"
    templates.mkdir()
    if failure == "while loading":  # a docs page is in the way of a generated page
        docs = {"semesters.md": "# Mine\n"}
    else:  # an override template fails while the pages render
        (templates / "semester.html").write_text("{{ 1 // 0 }}\n", encoding="utf-8")
        docs = {}
    config = site_config(reports, {"templates_dir": str(templates)})
    with pytest.raises(Abort):
        build_site(tmp_path / "site", config, docs=docs)
    assert gc.isenabled() and gc.get_freeze_count() == 0
