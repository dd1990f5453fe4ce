"""A site built again into its folder writes over the last build's files, and ends as the
folder a clean build makes (`report_archive.build.site_folder`)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from report_archive.build.site_folder import ASIDE, SiteFolder
from report_archive.search.index_cache import IndexCache
from tests.site_check import build_site, copy_reports, site_config
from tests.test_read_cache import differences, records

ROOT = Path(__file__).resolve().parents[1]
GROUPS = ["2026-january/group-85", "2025-january/group-42", "2024-january/group-100"]
REMOVED = "2024-january/group-100"  # with figures of its own


def test_a_build_into_the_last_site_writes_over_it_and_equals_a_clean_build(
    tmp_path: Path,
) -> None:
    reports = copy_reports(tmp_path / "reports", GROUPS, ROOT / "reports")
    # Another plugin copies a file with its old modification time into a kept folder.
    old = tmp_path / "old.txt"
    old.write_text("copied with its time", encoding="utf-8")
    os.utime(old, (1e9, 1e9))
    hook = tmp_path / "copy_hook.py"
    hook.write_text(
        "import os, shutil\n"
        "def on_post_build(config):\n"
        "    os.makedirs(os.path.join(config.site_dir, 'assets'), exist_ok=True)\n"
        f"    shutil.copy2({str(old)!r}, os.path.join(config.site_dir, 'assets', 'old.txt'))\n",
        encoding="utf-8",
    )
    config = site_config(
        reports, {"figures": {"cache_dir": str(tmp_path / "cache")}}, hooks=[str(hook)]
    )
    folder = tmp_path / "again"
    first = build_site(folder, config, strict=True)
    page = first.site / "2026-january/group-85/index.html"
    figures = sorted((first.site / "figures").iterdir())
    removed_figures = {
        path.name
        for path in figures
        if f"figures/{path.name}" in first.page("2024-january/group-100/")
        and f"figures/{path.name}" not in first.page("2026-january/group-85/")
    }
    assert removed_figures and len(figures) > len(removed_figures)
    inodes = {path: path.stat().st_ino for path in [page, *figures]}
    copied = {path: path.stat().st_mtime_ns for path in figures}
    (first.site / "stray.html").write_text("not from this build", encoding="utf-8")
    (first.site / "old" / "deep").mkdir(parents=True)
    (first.site / "old" / "deep" / "page.html").write_text("gone", encoding="utf-8")
    (first.site / ".kept-by-mkdocs").write_text("hidden", encoding="utf-8")
    (first.site / ASIDE / "junk").mkdir(parents=True)  # as a killed build leaves it
    shutil.rmtree(reports / REMOVED)

    again = build_site(folder, config, strict=True)
    clean = build_site(tmp_path / "clean", config, strict=True)
    # MkDocs leaves a hidden file of the site folder; nothing else differs.
    assert differences(again.site, clean.site) == [".kept-by-mkdocs"]
    assert records(again) == records(clean)
    assert not (again.site / "2024-january" / "group-100").exists()
    assert (again.site / "assets" / "old.txt").stat().st_mtime == 1e9
    assert not (again.site / ASIDE).exists()
    # Written over, not removed and made again; the figures kept are not copied again.
    kept = [path for path in inodes if path.exists()]
    assert page in kept and {p.name for p in figures} - {p.name for p in kept} == removed_figures
    assert all(path.stat().st_ino == inodes[path] for path in kept)
    assert all(path.stat().st_mtime_ns == copied[path] for path in kept if path != page)


def test_a_dirty_build_sets_nothing_aside(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    reports = copy_reports(tmp_path / "reports", GROUPS[:1], ROOT / "reports")
    config = site_config(reports, {"cache": False})
    folder = tmp_path / "dirty"
    first = build_site(folder, config)
    plugin = load_config(str(folder / "mkdocs.yml")).plugins["report-archive"]
    plugin.on_startup(command="build", dirty=True)
    plugin.on_pre_build(config=load_config(str(folder / "mkdocs.yml")))
    assert not (first.site / ASIDE).exists() and (first.site / "index.html").exists()


def test_the_sweep_keeps_what_was_written_or_marked_and_removes_the_rest(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for path in [
        "a/index.html",
        "a/old.html",
        "figures/f.webp",
        "pagefind/x.pf",
        "b/c/d.html",
        "top.html",
    ]:
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(path, encoding="utf-8")
    (site / ".git").mkdir()
    folder = SiteFolder()
    folder.set_aside(str(site))
    assert sorted(os.listdir(site)) == [".git", ASIDE, "top.html"]  # MkDocs removes files
    (site / "top.html").unlink()
    folder.put_back()
    assert sorted(os.listdir(site)) == [".git", "a", "b", "figures", "pagefind"]
    (site / "a" / "index.html").write_text("written again", encoding="utf-8")
    (site / "new.html").write_text("new", encoding="utf-8")
    os.utime(site / "a" / "index.html", (1e9, 1e9))  # written, with an old time
    folder.written(["figures/f.webp", "pagefind/"])
    assert folder.sweep() == 2
    left = sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file())
    assert left == ["a/index.html", "figures/f.webp", "new.html", "pagefind/x.pf"]
    assert not (site / "b").exists() and (site / ".git").is_dir()


def test_a_failed_build_removes_what_was_set_aside(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("last build", encoding="utf-8")
    folder = SiteFolder()
    folder.set_aside(str(site))
    folder.abandon()
    assert os.listdir(site) == []
    assert folder.sweep() == 0  # nothing more to do


def test_a_kept_search_index_already_in_the_site_is_not_copied_again(tmp_path: Path) -> None:
    cache = IndexCache(tmp_path / "cache")
    kept = tmp_path / "cache" / "key"
    (kept / "fragment").mkdir(parents=True)
    (kept / "pagefind-entry.json").write_text('{"hash":"aaaa"}', encoding="utf-8")
    (kept / "fragment" / "en_1.pf_fragment").write_bytes(b"\x01\x02")
    output = tmp_path / "site" / "pagefind"
    assert cache.copy("key", output)
    entry = output / "pagefind-entry.json"
    inode = entry.stat().st_ino
    assert cache.copy("key", output)  # the same files: left as they are
    assert entry.stat().st_ino == inode
    entry.write_text('{"hash":"bbbb"}', encoding="utf-8")  # same size, other bytes
    assert cache.copy("key", output)
    assert entry.read_text(encoding="utf-8") == '{"hash":"aaaa"}'
    (output / "extra.js").write_text("", encoding="utf-8")
    assert cache.copy("key", output)
    assert not (output / "extra.js").exists()
    (output / "pagefind-entry.json").unlink()
    (output / "pagefind-entry.json").symlink_to(kept / "pagefind-entry.json")
    assert cache.copy("key", output)  # a link is never taken for the file
    assert not (output / "pagefind-entry.json").is_symlink()
