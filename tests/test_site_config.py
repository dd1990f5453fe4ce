"""The plugin's options and the semester.yml/group.yml schemas."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
import yaml

from report_archive.config import PluginConfig
from report_archive.plugin import ReportArchivePlugin
from report_archive.reports.meta import (
    PreparedFigures,
    default_semester_order,
    default_semester_title,
    read_group_meta,
    read_semester_meta,
)

ROOT = Path(__file__).resolve().parents[1]


def load(options: dict[str, Any]) -> tuple[PluginConfig, list[str], list[str]]:
    """Validate options as if in the repository's mkdocs.yml (folders relative to it)."""
    plugin = ReportArchivePlugin()
    errors, warnings = plugin.load_config(options, str(ROOT / "mkdocs.yml"))
    return (
        plugin.config,
        [f"{k}: {e}" for k, e in errors],
        [f"{k}: {w}" for k, w in warnings],
    )


def test_defaults() -> None:
    config, errors, warnings = load({})
    assert errors == [] and warnings == []
    assert config.reports_dir == str(ROOT / "reports")
    assert config.templates_dir is None
    assert config.redact_members is True
    assert config.archive_url == ""
    assert config.semesters_url == "semesters"
    assert config.questions_url == "questions"
    assert config.checklist_url == "checklist"
    assert config.problems_url == "problems"
    assert config.tools_url == "tools"
    assert config.max_page_size == 300_000
    assert config.nav is True
    assert dict(config.pages) == {
        "home": True,
        "semesters": True,
        "groups": True,
        "questions": True,
        "checklist": True,
        "problems": True,
        "tools": True,
    }
    assert config.search.engine == "pagefind"
    assert config.search.shard_groups == 800
    assert config.jobs == 0
    assert dict(config.figures) == {
        "mode": "publish",
        "shrink": True,
        "min_bytes": 20_000,
        "max_side": 1600,
        "quality": 75,
        "max_bytes": 100_000,
        "max_pixels": 40_000_000,
        "dedupe": True,
        "url": "figures",
        "cache_dir": ".cache/report-archive",
    }


def test_custom_values() -> None:
    config, errors, _ = load(
        {
            "reports_dir": "reports/2026-january",
            "questions_url": "archive/q",
            "archive_url": "archive",
            "pages": {"checklist": False},
            "search": {"engine": "none"},
            "redact_members": False,
        }
    )
    assert errors == []
    assert config.questions_url == "archive/q"
    assert config.archive_url == "archive"
    assert config.pages.checklist is False and config.pages.home is True
    assert config.search.engine == "none"


@pytest.mark.parametrize(
    ("options", "key"),
    [
        ({"questions_url": "../up"}, "questions_url"),
        ({"questions_url": "/abs"}, "questions_url"),
        ({"questions_url": "Has Space"}, "questions_url"),
        ({"questions_url": ""}, "questions_url"),
        ({"problems_url": "questions"}, "problems_url"),
        ({"max_page_size": 1000}, "max_page_size"),
        ({"redact_members": "yes"}, "redact_members"),
        ({"pages": {"groups": "no"}}, "pages"),
        ({"search": {"engine": "google"}}, "search"),
        ({"search": {"url": "questions"}}, "search.url"),
        ({"search": {"shard_groups": -1}}, "search"),
        ({"search": {"shard_groups": "many"}}, "search"),
        ({"figures": {"quality": 0}}, "figures"),
        ({"figures": {"max_side": 10}}, "figures"),
        ({"figures": {"max_pixels": 999_999}}, "figures"),
        ({"figures": {"max_pixels": 100_000_000}}, "figures"),
        ({"figures": {"max_bytes": 5_000}}, "figures"),
        ({"figures": {"mode": "hotlink"}}, "figures"),
        ({"figures": {"url": "questions"}}, "figures.url"),
        ({"jobs": -1}, "jobs"),
    ],
)
def test_invalid_options(options: dict[str, Any], key: str) -> None:
    _, errors, _ = load(options)
    assert errors and errors[0].startswith(key)


def test_shard_groups_from_mkdocs_yml(tmp_path: Path) -> None:
    """``search.shard_groups`` as MkDocs reads it from ``mkdocs.yml``; 0 is one index."""
    from mkdocs.config import load_config

    for value in (2, 0):
        config_file = tmp_path / "mkdocs.yml"
        plugin = {"reports_dir": str(ROOT / "reports"), "search": {"shard_groups": value}}
        config_file.write_text(
            yaml.safe_dump({"site_name": "x", "plugins": [{"report-archive": plugin}]})
        )
        (tmp_path / "docs").mkdir(exist_ok=True)
        config = load_config(str(config_file))
        search = config.plugins["report-archive"].config.search
        assert search.shard_groups == value and search.engine == "pagefind"


def test_unknown_option_warns() -> None:
    _, errors, warnings = load({"colour": "blue"})
    assert errors == []
    assert any("colour" in w for w in warnings)


def test_invalid_option_in_mkdocs_yml_aborts(tmp_path: Path) -> None:
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        yaml.safe_dump(
            {
                "site_name": "x",
                "plugins": [{"report-archive": {"questions_url": "../../etc"}}],
            }
        )
    )
    with pytest.raises(Abort, match="configuration error"):
        load_config(str(tmp_path / "mkdocs.yml"))


def test_semester_meta_defaults(tmp_path: Path) -> None:
    folder = tmp_path / "2026-january"
    folder.mkdir()
    meta, problems = read_semester_meta(folder)
    assert (meta.title, meta.order, problems) == ("January 2026", 202601, [])
    assert default_semester_title("spring-x") == "spring-x"
    assert default_semester_order("2024-june") == 202406
    assert default_semester_order("misc") == 0


def test_semester_meta_values_and_errors(tmp_path: Path) -> None:
    folder = tmp_path / "2026-january"
    folder.mkdir()
    (folder / "semester.yml").write_text("title: Winter 2026\norder: 5\n")
    meta, problems = read_semester_meta(folder)
    assert (meta.title, meta.order, problems) == ("Winter 2026", 5, [])
    (folder / "semester.yml").write_text("title: [a]\norder: soon\nextra: 1\n")
    meta, problems = read_semester_meta(folder)
    assert (meta.title, meta.order) == ("January 2026", 202601)
    messages = [str(p) for p in problems]
    assert len(messages) == 3
    assert all(str(folder / "semester.yml") in m for m in messages)
    assert f"{folder / 'semester.yml'}:1: title: expected text, got a list" in messages[0]
    assert messages[1].startswith(f"{folder / 'semester.yml'}:2: order: expected a whole number")
    assert messages[2].startswith(f"{folder / 'semester.yml'}:3: extra: unknown key")


def test_group_meta(tmp_path: Path) -> None:
    folder = tmp_path / "group-1"
    folder.mkdir()
    (folder / "group.yml").write_text(
        yaml.safe_dump(
            {
                "repository": "https://github.com/a/b",
                "commit": "ABCDEF1234",
                "title": " Project ",
                "members": ["s123456", " Jane "],
                "imported": "2026-01-20",
            }
        )
    )
    meta, problems = read_group_meta(folder)
    assert problems == []
    assert meta.repository == "https://github.com/a/b"
    assert meta.commit == "abcdef1234"
    assert meta.title == "Project"
    assert meta.members == ("s123456", "Jane")
    assert meta.imported == "2026-01-20"
    assert meta.prepared_figures is None


def test_group_meta_prepared_figures(tmp_path: Path) -> None:
    digest = hashlib.sha256(b"x").hexdigest()
    (tmp_path / "group.yml").write_text(
        yaml.safe_dump(
            {"prepared_figures": {"encoding": "webp:1", "files": {"figures/a b.png": digest}}}
        )
    )
    meta, problems = read_group_meta(tmp_path)
    assert problems == []
    assert meta.prepared_figures == PreparedFigures("webp:1", {"figures/a b.png": digest})


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("repository: javascript:alert(1)\n", "repository"),
        ('repository: "https://github.com/a/b\\"onmouseover=x"\n', "repository"),
        ("commit: 1234567\n", "commit"),
        ("commit: not-hex\n", "commit"),
        ("members: s123456\n", "members"),
        ("title: 5\n", "title"),
        ("prepared_figures: [a]\n", "prepared_figures"),
        ("prepared_figures: {encoding: webp, files: [a.png]}\n", "prepared_figures"),
        (
            f"prepared_figures: {{encoding: webp, files: {{../a.png: '{'0' * 64}'}}}}\n",
            "prepared_figures",
        ),
        (
            f"prepared_figures: {{encoding: webp, files: {{/a.png: '{'0' * 64}'}}}}\n",
            "prepared_figures",
        ),
        ("prepared_figures: {encoding: webp, files: {a.png: abc}}\n", "prepared_figures"),
        ("prepared_figures: {encoding: [x], files: {}}\n", "prepared_figures"),
    ],
)
def test_group_meta_errors_name_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    (tmp_path / "group.yml").write_text(text)
    meta, problems = read_group_meta(tmp_path)
    assert len(problems) == 1
    assert problems[0].file == tmp_path / "group.yml"
    assert problems[0].message.startswith(f"{key}:")
    assert getattr(meta, key) in (None, ())


def test_group_meta_unreadable(tmp_path: Path) -> None:
    (tmp_path / "group.yml").write_text("repository: [unclosed\n")
    meta, problems = read_group_meta(tmp_path)
    assert meta.repository is None
    assert problems[0].fatal and "cannot be read" in problems[0].message
    (tmp_path / "group.yml").write_text("- a list\n")
    _, problems = read_group_meta(tmp_path)
    assert problems[0].fatal and "mapping" in problems[0].message


def test_serve_watches_reports_and_templates(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    (tmp_path / "docs").mkdir()
    (tmp_path / "reports").mkdir()
    (tmp_path / "overrides").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        yaml.safe_dump(
            {
                "site_name": "x",
                "theme": {"name": "material"},
                "plugins": [{"report-archive": {"templates_dir": "overrides"}}],
            }
        )
    )
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    plugin = config.plugins["report-archive"]

    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    server = Server()
    plugin.on_serve(server, config=config, builder=None)  # type: ignore[arg-type]
    watching = plugin._watching
    try:
        assert watching is not None and watching.watcher is not None
        assert watching.watcher.folder == tmp_path / "reports"
        # the reports are polled by the plugin; a server it cannot wake (this one) watches
        # the file the plugin rewrites after a change
        assert watching.signal is not None
        assert server.watched == [str(watching.signal.folder), str(tmp_path / "overrides")]
    finally:
        plugin.on_shutdown()
    assert plugin._watching is None and not watching.signal.folder.exists()
    assert "assets/report-archive.css" in config.extra_css
