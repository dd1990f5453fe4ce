"""Python's cycle collector during a build: paused while the archive loads, then what was
loaded frozen until the build ends; a finished or failed build leaves it as it found it;
a serving process collects the last build's cycles while it waits for an edit."""

from __future__ import annotations

import gc
import threading
import time
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from report_archive.build import collector
from tests.site_check import build_site, copy_reports, site_config


def test_a_build_pauses_the_collector_and_leaves_it_as_it_was(tmp_path: Path) -> None:
    seen: list[tuple[bool, int]] = []
    freeze = collector.freeze

    def spy() -> None:  # called at the end of loading, still paused
        seen.append((gc.isenabled(), gc.get_freeze_count(), gc.get_threshold()))
        freeze()
        seen.append((gc.isenabled(), gc.get_freeze_count(), gc.get_threshold()))

    thresholds = gc.get_threshold()
    reports = copy_reports(tmp_path / "reports", ["2025-january/group-94"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(collector, "freeze", spy)
        build_site(tmp_path / "ok", site_config(reports), strict=True)
    (enabled, before, _), (_, frozen, while_frozen) = seen
    assert not enabled and frozen > before  # paused, then the loaded objects frozen
    # full collections rarer while frozen, the younger generations as before
    assert while_frozen == (*thresholds[:2], max(thresholds[2], collector.FULL_EVERY))
    assert while_frozen[2] > thresholds[2]
    assert gc.isenabled() and gc.get_freeze_count() == 0  # thawed when the build ended
    assert gc.get_threshold() == thresholds  # and collecting as often as before


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
    thresholds = gc.get_threshold()
    with pytest.raises(Abort):
        build_site(tmp_path / "site", config, docs=docs)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds


class _Cycle:
    """An object in a cycle, which only the cycle collector frees."""

    def __init__(self, freed: list[str], name: str) -> None:
        self.me = self
        weakref.finalize(self, freed.append, name)


@pytest.fixture
def collector_off() -> Iterator[None]:
    """Only explicit collections run (Python's own ones would free the cycles too)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        collector.settle()
        if enabled:
            gc.enable()


@pytest.mark.usefixtures("collector_off")
def test_a_serving_process_collects_the_last_build_while_it_waits() -> None:
    freed: list[str] = []
    _Cycle(freed, "last build")
    collector.collect_later(delay=0.05)
    for _ in range(100):
        if freed:
            break
        time.sleep(0.05)
    assert freed == ["last build"]
    _Cycle(freed, "not owed")
    collector.settle()  # collected already: the next build starts at once
    assert freed == ["last build"]


@pytest.mark.usefixtures("collector_off")
def test_a_build_that_comes_first_collects_what_is_owed() -> None:
    freed: list[str] = []
    _Cycle(freed, "last build")
    collector.collect_later(delay=60)
    collector.settle()
    assert freed == ["last build"]


def test_serving_collects_after_each_build_in_another_thread(tmp_path: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from report_archive.plugin import ReportArchivePlugin

    reports = copy_reports(tmp_path / "reports", ["2025-january/group-94"])
    folder = tmp_path / "served"
    build_site(folder, site_config(reports, {"cache": False}))  # writes mkdocs.yml
    served = load_config(str(folder / "mkdocs.yml"))
    plugin = served.plugins["report-archive"]
    assert isinstance(plugin, ReportArchivePlugin)
    full: list[tuple[float, str]] = []  # full collections: when, in which thread

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append((time.monotonic(), threading.current_thread().name))

    served.plugins.on_startup(command="serve", dirty=False)
    gc.callbacks.append(seen)
    try:
        build(served)
        ended = time.monotonic()
        time.sleep(collector.IDLE_DELAY + 1)
        # On a busy machine the timer's thread can start late: wait for it a while more
        while time.monotonic() < ended + 15 and not _idle(full, ended):
            time.sleep(0.1)
    finally:
        gc.callbacks.remove(seen)
        served.plugins.on_shutdown()
    assert plugin.plan is None  # let go of once the build ended
    idle = _idle(full, ended)
    assert idle and threading.main_thread().name not in idle


def _idle(full: list[tuple[float, str]], ended: float) -> list[str]:
    """The threads of the full collections that started once the build had been over a while."""
    return [name for when, name in full if when >= ended + collector.IDLE_DELAY * 0.9]
