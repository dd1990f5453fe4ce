"""The reading cache: a build that takes reports from it gives the site a clean build gives.

Real builds of the sample (Material, Pagefind) in temporary folders sharing one cache
folder; sites are compared file by file (Pagefind's bundle, whose file names vary from one
build to the next even with the same input, by its records).
"""

from __future__ import annotations

import dataclasses
import filecmp
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from mkdocs.exceptions import Abort

from report_archive.build.layout_cache import LayoutCache
from report_archive.reports.archive import load_archive
from report_archive.reports.read_cache import ReadCache
from report_archive.reports.reading import Reader
from report_archive.reports.store import memory
from report_archive.site.page_cache import CHECK_ENV
from report_archive.site.views.group import GroupView
from tests.reports import PNG
from tests.site_check import Built, build_site, copy_reports, pagefind_records, site_config

ROOT = Path(__file__).resolve().parents[1]
GROUPS = ["2026-january/group-85", "2025-january/group-42", "2024-january/group-100"]


def differences(a: Path, b: Path) -> list[str]:
    """Files that differ between two sites, or are in one only (Pagefind's bundle aside)."""
    found: list[str] = []

    def walk(cmp: filecmp.dircmp[str], prefix: str) -> None:
        found.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.diff_files)
        found.extend(prefix + n for n in cmp.funny_files)
        for name, sub in cmp.subdirs.items():
            if prefix + name != "pagefind":
                walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(a, b), "")
    return sorted(found)


def records(built: Built) -> list[str]:
    return sorted(repr(sorted(r.items())) for r in pagefind_records(built.site))


def read_line(built: Built, what: str = "reports") -> str:
    (line,) = [
        message
        for r in built.records
        if "unchanged since the last build" in (message := r.getMessage())
        and f" {what}: " in f" {message}"
    ]
    return line.split(" (cache")[0]


def pages_line(built: Built) -> tuple[int, int]:
    """(pages rendered, pages taken from the page cache)."""
    words = read_line(built, "pages").split(" pages: ")[1].split()
    return int(words[0]), int(words[2])


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    return copy_reports(tmp_path / "reports", GROUPS, ROOT / "reports")


def build(folder: Path, reports: Path, cache: Path | None) -> Built:
    plugin: dict[str, object] = (
        {"figures": {"cache_dir": str(cache)}} if cache else {"cache": False}
    )
    return build_site(folder, site_config(reports, plugin), strict=True)


def test_cached_builds_give_the_clean_build_site(tmp_path: Path, reports: Path) -> None:
    cache = tmp_path / "cache"
    first = build(tmp_path / "first", reports, cache)
    assert read_line(first).endswith("reports: 3 read, 0 unchanged since the last build")
    rendered, kept = pages_line(first)
    assert rendered > 20 and kept == 0
    second = build(tmp_path / "second", reports, cache)
    assert read_line(second).endswith("reports: 0 read, 3 unchanged since the last build")
    assert pages_line(second) == (0, rendered)
    assert read_line(second, "groups").endswith(
        "groups: 0 rendered, 3 unchanged since the last build"
    )
    assert differences(first.site, second.site) == []
    assert records(first) == records(second)

    # A staff member edits one report, then adds a file to another report's folder
    # (whether a figure it references is found depends on its folder's listing).
    edited = reports / GROUPS[0] / "README.md"
    edited.write_text(
        edited.read_text(encoding="utf-8") + "\nWe also tried Locust for load testing.\n",
        encoding="utf-8",
    )
    after_edit = build(tmp_path / "after-edit", reports, cache)
    assert read_line(after_edit).endswith("reports: 1 read, 2 unchanged since the last build")
    assert read_line(after_edit, "groups").endswith(
        "groups: 1 rendered, 2 unchanged since the last build"
    )
    # The other groups' pages and their semesters' pages are kept.
    again, kept = pages_line(after_edit)
    assert kept >= 4 and again + kept == rendered
    added = reports / GROUPS[1] / "figures" / "added-later.png"
    added.parent.mkdir(exist_ok=True)
    added.write_bytes(PNG)
    cached = build(tmp_path / "cached", reports, cache)
    assert read_line(cached).endswith("reports: 1 read, 2 unchanged since the last build")
    clean = build(tmp_path / "clean", reports, None)
    assert not [r for r in clean.records if "unchanged since the last build" in r.getMessage()]
    assert differences(cached.site, clean.site) == []
    assert records(cached) == records(clean)
    group = (cached.site / "2026-january/group-85/index.html").read_text(encoding="utf-8")
    assert "We also tried Locust for load testing." in group


def test_a_changed_listing_or_code_input_changes_the_key(tmp_path: Path, reports: Path) -> None:
    from report_archive.reports.parser import parse_report

    kept = ReadCache(Reader(parse_report, tools=False), tmp_path / "cache")
    report = reports / GROUPS[2] / "README.md"
    key = kept.key(report)
    assert key is not None and key == kept.key(report)  # the same in every call
    (report.parent / "notes.txt").write_text("x", encoding="utf-8")
    assert kept.key(report) != key
    other = ReadCache(Reader(parse_report, tools=True), tmp_path / "cache")
    assert other.key(report) != kept.key(report)  # tools detected or not
    linked = report.parent / "linked.md"
    linked.symlink_to(report)
    assert kept.key(linked) is None  # a link is read every time, never cached


def test_unused_results_are_pruned_and_a_broken_file_is_a_miss(
    tmp_path: Path, reports: Path
) -> None:
    cache = tmp_path / "cache"
    load_archive(reports, cache=cache)
    kept = sorted(cache.glob("*/*.pickle"))
    assert len(kept) == 3
    kept[0].write_bytes(b"not a pickle")
    archive = load_archive(reports, cache=cache)
    assert archive.read_counts == (2, 1)
    assert [g.report is not None for g in archive.groups] == [True, True, True]
    for folder in GROUPS[1:]:
        shutil.rmtree(reports / folder)
    again = load_archive(reports, cache=cache)
    assert again.read_counts == (1, 0)
    assert len(list(cache.glob("*/*.pickle"))) == 1  # the two removed groups' results pruned


def test_a_page_kept_stale_fails_the_check(
    tmp_path: Path, reports: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A group page shows its neighbours' names: renaming a group renders its neighbours'
    pages again. A view that forgot them (`View.others`) would keep them stale, which the
    tests' check (every kept page rendered again and compared) turns into an error."""
    cache = tmp_path / "cache"
    build(tmp_path / "first", reports, cache)
    meta = reports / GROUPS[1] / "group.yml"
    meta.write_text(
        meta.read_text(encoding="utf-8").replace(
            "IMDb movie review sentiment classification", "Sentiment of film reviews"
        ),
        encoding="utf-8",
    )
    renamed = build(tmp_path / "renamed", reports, cache)
    before = (renamed.site / "2026-january/group-85/index.html").read_text(encoding="utf-8")
    assert "Sentiment of film reviews" in before  # the next group's name, on its neighbour

    monkeypatch.setattr(GroupView, "others", lambda self, spec, site: None)
    build(tmp_path / "forgetful", reports, cache)
    meta.write_text(meta.read_text(encoding="utf-8").replace("film", "movie"), encoding="utf-8")
    with pytest.raises(Abort):
        build(tmp_path / "stale", reports, cache)
    assert "2026-january/group-85/index.md (group) differs from a fresh rendering" in caplog.text


def test_a_later_build_in_another_process_takes_everything_from_the_cache(
    tmp_path: Path, reports: Path
) -> None:
    """Keys are the same in every process: a second ``mkdocs build``, with another hash seed
    (the order of sets changes with it), renders and lays out nothing again."""
    config = site_config(reports, {"figures": {"cache_dir": str(tmp_path / "cache")}})
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    (tmp_path / "docs").mkdir()

    def build_in_process(seed: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-f", str(config_file)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed, "NO_MKDOCS_2_WARNING": "1"},
            check=True,
        )
        return done.stderr

    first = build_in_process("1")
    assert "layouts: 0 laid out" not in first
    second = build_in_process("2")
    for kind in (
        "reports: 0 read",
        "groups: 0 rendered",
        "pages: 0 rendered",
        "layouts: 0 laid out",
    ):
        assert kind in second, kind


def test_a_layout_kept_stale_fails_the_check(
    tmp_path: Path, reports: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A layout key that forgot the page's content would keep a group page stale after an
    edit; the tests' check (every kept layout laid out again and compared) makes it an
    error naming the page."""
    forgetful = LayoutCache.key
    monkeypatch.setattr(
        LayoutCache,
        "key",
        lambda self, context, page, nav: (
            None
            if forgetful(self, context, page, nav) is None
            else hashlib.sha256(page.url.encode()).hexdigest()
        ),
    )
    cache = tmp_path / "cache"
    build(tmp_path / "first", reports, cache)
    edited = reports / GROUPS[0] / "README.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA sentence added.\n")
    with pytest.raises(Abort):
        build(tmp_path / "stale", reports, cache)
    assert "2026-january/group-85/index.md differs from the theme's" in caplog.text


def test_an_edit_renders_again_only_the_listings_that_show_the_group(tmp_path: Path) -> None:
    """Every group of the sample, with pages small enough that question pages are split by
    semester. After an edit to one answer (a tool added, its length
    changed), the question pages of other semesters are kept, and the site is the clean
    build's (the tests' check renders every kept page again)."""
    reports = tmp_path / "reports"
    shutil.copytree(ROOT / "reports", reports)
    cache = tmp_path / "cache"
    plugin = {"max_page_size": 50_000, "figures": {"cache_dir": str(cache)}}
    config = site_config(reports, plugin)
    first = build_site(tmp_path / "first", config, strict=True)
    rendered, _ = pages_line(first)
    older = [
        p
        for p in first.site.glob("questions/*/*/**/index.html")
        if not p.relative_to(first.site).parts[2].startswith("2026-")
    ]
    assert len(older) > 20  # split by semester

    edited = reports / "2026-january/group-85/README.md"
    text = edited.read_text(encoding="utf-8")
    marker = "### Question 26"
    assert marker in text
    edited.write_text(
        text.replace(marker, "We load tested the API with Locust.\n\n" + marker, 1),
        encoding="utf-8",
    )
    after = build_site(tmp_path / "after-edit", config, strict=True)
    again, kept = pages_line(after)
    assert again + kept == rendered and kept >= len(older)
    assert again < rendered / 2
    clean = build_site(
        tmp_path / "clean", site_config(reports, {"max_page_size": 50_000, "cache": False})
    )
    assert differences(after.site, clean.site) == []
    assert records(after) == records(clean)


def test_serving_keeps_the_caches_in_memory_between_builds(tmp_path: Path, reports: Path) -> None:
    """``mkdocs serve`` starts the plugin with ``command="serve"``: the builds after the first
    take the caches' values from memory (here the cache folders are even removed in
    between), and after an edit the site is the clean build's (the tests' check renders
    and lays out every kept page again)."""
    from mkdocs.config import load_config

    cache = tmp_path / "cache"
    config = site_config(reports, {"figures": {"cache_dir": str(cache)}})
    folder = tmp_path / "served"
    first = build_site(folder, config, strict=True)
    rendered, _ = pages_line(first)
    served = load_config(str(folder / "mkdocs.yml"))
    served.plugins.on_startup(command="serve", dirty=False)
    try:
        assert memory(cache / "pages") == {}
        build_site(folder, config, strict=True)  # takes from disk, keeps in memory
        for kind in ("reports", "groups", "pages", "layouts"):
            shutil.rmtree(cache / kind)
        (cache / "decisions.pickle").unlink()
        again = build_site(folder, config, strict=True)
        assert read_line(again).endswith("reports: 0 read, 3 unchanged since the last build")
        assert pages_line(again) == (0, rendered)
        layouts = read_line(again, "layouts")
        assert layouts.endswith(f"layouts: 0 laid out, {rendered} unchanged since the last build")

        edited = reports / GROUPS[1] / "README.md"
        edited.write_text(
            edited.read_text(encoding="utf-8") + "\nWe load tested the API with Locust.\n",
            encoding="utf-8",
        )
        after = build_site(folder, config, strict=True)
        assert read_line(after).endswith("reports: 1 read, 2 unchanged since the last build")
    finally:
        served.plugins.on_shutdown()
    assert memory(cache / "pages") is None
    clean = build(tmp_path / "clean", reports, None)
    assert differences(after.site, clean.site) == []
    assert records(after) == records(clean)


def stubs_line(built: Built) -> tuple[int, int, bool]:
    """(stubs rendered by the site's markdown, generated pages, the last build's render given)."""
    (line,) = [m for r in built.records if " stubs: " in f" {(m := r.getMessage())}"]
    words = line.split(" stubs: ")[1].split()
    return int(words[0]), int(words[3]), "kept from the last build" in line


def test_each_stub_is_rendered_once(
    tmp_path: Path, reports: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Every generated page's stub is its placeholder alone: the site's markdown renders it
    once a build and every page is given that render, with its own title (the output is a
    clean build's, checked against one made by rendering every stub). While serving, the
    render is kept for the next builds. The tests' check renders every stub again and
    compares, so a given render that differs fails the build."""
    from mkdocs.config import load_config

    cache = tmp_path / "cache"
    config = site_config(reports, {"figures": {"cache_dir": str(cache)}})
    folder = tmp_path / "served"
    with pytest.MonkeyPatch.context() as patch:  # renders given, not checked
        patch.setenv(CHECK_ENV, "0")
        built = build_site(folder, config, strict=True)
    rendered, pages, kept = stubs_line(built)
    assert (rendered, kept) == (1, False) and pages == sum(pages_line(built)) > 10
    checked = build(tmp_path / "checked", reports, None)  # every stub rendered and compared
    assert stubs_line(checked)[:2] == (pages, pages)
    assert differences(built.site, checked.site) == []
    page = (built.site / "2026-january" / "group-85" / "index.html").read_text()
    assert "<title>Group 85 · January 2026 · " in page
    assert memory(cache / "stubs") is None
    served = load_config(str(folder / "mkdocs.yml"))
    served.plugins.on_startup(command="serve", dirty=False)
    try:
        first = build_site(folder, config, strict=True)
        assert stubs_line(first) == (pages, pages, False)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv(CHECK_ENV, "0")
            given = build_site(folder, config, strict=True)
        assert stubs_line(given) == (0, pages, True)
        assert differences(given.site, checked.site) == []
        kept_renders = memory(cache / "stubs")
        assert kept_renders is not None and len(kept_renders) == 1
        ((key, render),) = kept_renders.items()
        kept_renders[key] = dataclasses.replace(render, content=render.content + "<p>stale</p>")
        with pytest.raises(Abort):
            build_site(folder, config, strict=True)
        assert "was given for its stub differs from a new one" in caplog.text
    finally:
        served.plugins.on_shutdown()


def test_a_build_forgets_the_readings_and_renderings_of_removed_groups(
    tmp_path: Path, reports: Path
) -> None:
    """The reading and group caches are pruned once the build is done (their new values
    are written meanwhile), and only then: a removed group's values are gone."""
    cache = tmp_path / "cache"

    def kept() -> dict[str, int]:
        return {
            name: len(list((cache / name).glob("*/*.pickle"))) for name in ("reports", "groups")
        }

    build(tmp_path / "first", reports, cache)
    assert kept() == {"reports": 3, "groups": 6}  # a title and the answers per group
    for folder in GROUPS[1:]:
        shutil.rmtree(reports / folder)
    build(tmp_path / "second", reports, cache)
    assert kept() == {"reports": 1, "groups": 2}


def test_a_failed_build_writes_what_the_caches_were_given(tmp_path: Path, reports: Path) -> None:
    """A build that fails once the reports are read (here an override template that
    cannot render) leaves no cache's writer thread waiting (`mkdocs serve` would gather
    one per failed rebuild), and what was read is kept for the next build."""
    from report_archive.reports import store

    templates = tmp_path / "overrides"
    templates.mkdir()
    (templates / "group.html").write_text("{{ 1 // 0 }}", encoding="utf-8")
    cache = tmp_path / "cache"
    plugin = {"figures": {"cache_dir": str(cache)}, "templates_dir": str(templates)}
    with pytest.raises(Abort):
        build_site(tmp_path / "failed", site_config(reports, plugin))
    assert not store._writer.running
    assert len(list((cache / "reports").glob("*/*.pickle"))) == 3
    (templates / "group.html").unlink()
    again = build(tmp_path / "again", reports, cache)
    assert read_line(again).endswith("reports: 0 read, 3 unchanged since the last build")
