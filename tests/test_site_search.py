"""The Pagefind search index: one record per answer, named, filtered, redacted, linked."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from report_archive.model import Status
from report_archive.parser import parse_report
from report_archive.search import SearchRecord, html_text, write_index
from tests.site_check import (
    Built,
    anchor_exists,
    broken_links,
    build_site,
    copy_reports,
    pagefind_records,
    site_config,
)
from tests.test_site_build import STUDENT_NUMBER, make_reports

DOCS = {"about.md": "# About the archive\n\nHow to read a report: zanzibar.\n"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("search")
    reports = make_reports(root / "in")
    return build_site(root, site_config(reports), docs=DOCS)


IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")


def searchable(reports: Path) -> dict[str, list[str]]:
    """Group folder (``2025-january/group-94``) → its answered questions with some text.

    An answer that is only a figure without alt text has nothing to search.
    """
    out = {}
    for readme in sorted(reports.glob("*/*/README.md")):
        report = parse_report(readme)
        key = readme.parent.relative_to(reports).as_posix()
        out[key] = [
            a.question
            for a in report.answers
            if a.status is Status.ANSWERED and IMAGE.sub(r"\1", a.markdown).split()
        ]
    return out


def test_html_text_keeps_words_and_drops_markup() -> None:
    html = (
        "<p>We used <code>dvc&nbsp;pull</code> &amp; GCS.</p><ul><li>one</li><li>two</li></ul>"
        '<span class="ra-figure-missing"><span class="ra-figure-note">Missing figure: '
        'figures/x.png</span> <span class="ra-figure-alt">our bucket</span></span>'
        '<img src="a.png" alt="the pipeline"><p>end</p>'
    )
    assert html_text(html) == "We used dvc pull & GCS. one two our bucket the pipeline end"


def test_one_record_per_answered_answer_and_per_docs_page(built: Built) -> None:
    records = pagefind_records(built.site)
    expected = searchable(built.site.parent / "in" / "reports")
    answers = [r for r in records if "#" in r["url"]]
    assert len(answers) == sum(len(ids) for ids in expected.values())
    urls = [r["url"] for r in answers]
    assert len(set(urls)) == len(urls), "an answer is indexed twice"
    for group, ids in expected.items():
        for question in ids:
            assert f"/{group}/#{question}" in urls
    docs = [r for r in records if "#" not in r["url"]]
    assert [(r["url"], r["meta"]["title"]) for r in docs] == [("/about/", "About the archive")]
    assert "zanzibar" in docs[0]["content"]
    entry = json.loads((built.site / "pagefind/pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == len(records)


def test_generated_listings_are_not_indexed(built: Built) -> None:
    urls = [r["url"] for r in pagefind_records(built.site)]
    assert not [u for u in urls if u.startswith(("/questions/", "/problems/", "/checklist/"))]
    assert "/" not in urls and "/search/" not in urls


def test_hits_say_whose_answer_and_jump_to_it(built: Built) -> None:
    records = {r["url"]: r for r in pagefind_records(built.site)}
    dvc = records["/2026-january/group-85/#data-version-control"]
    assert dvc["meta"]["title"] == "Group 85 · January 2026 · Data version control"
    assert dvc["filters"] == {"Semester": ["January 2026"], "Question": ["Data version control"]}
    report = parse_report(built.site.parent / "in/reports/2026-january/group-85/README.md")
    (answer,) = [a for a in report.answers if a.question == "data-version-control"]
    words = [w for w in answer.markdown.split() if re.fullmatch(r"[A-Za-z]{5,}", w)]
    assert words and all(w in dvc["content"] for w in words)
    for url in records:
        assert anchor_exists(built.site, url), url


def test_index_is_redacted_and_has_no_markup(built: Built) -> None:
    for record in pagefind_records(built.site):
        text = json.dumps(record, ensure_ascii=False)
        assert not STUDENT_NUMBER.search(text), record["url"]
        assert "<script" not in record["content"] and "onerror=" not in record["content"]
    hostile = [r for r in pagefind_records(built.site) if "/2025-january/group-42/" in r["url"]]
    assert hostile
    assert all("xss-title" not in r["meta"]["title"] for r in hostile)


def test_search_page_and_home_box(built: Built) -> None:
    for url, root in (("search/", "../"), ("", "")):
        page = built.article(url)
        assert f'data-ra-root="{root}"' in page
        assert f'<script src="{root}pagefind/pagefind-ui.js"></script>' in page
    assert (built.site / "assets/report-archive-search.js").is_file()
    assert (built.site / "pagefind/pagefind-ui.js").is_file()
    assert 'href="search/"' in built.page("")  # in the navigation
    assert broken_links(built.site) == []
    assert built.warnings() == []


def test_engine_mkdocs_uses_the_theme_search(tmp_path: Path) -> None:
    reports = copy_reports(tmp_path / "reports", ["2025-january/group-94"])
    config = site_config(reports, {"search": {"engine": "mkdocs"}})
    config["plugins"].insert(0, "search")
    result = build_site(tmp_path, config)
    assert result.warnings() == []
    assert (result.site / "search/search_index.json").is_file()
    assert not (result.site / "pagefind").exists()
    assert "data-ra-search" not in result.article("")


def test_engine_none_has_no_search(tmp_path: Path) -> None:
    reports = copy_reports(tmp_path / "reports", ["2025-january/group-94"])
    result = build_site(tmp_path, site_config(reports, {"search": {"engine": "none"}}))
    assert result.warnings() == []
    assert not (result.site / "pagefind").exists()
    assert not (result.site / "search").exists()
    assert "ra-search" not in result.article("")


def test_pagefind_with_theme_search_plugin_warns(tmp_path: Path) -> None:
    reports = copy_reports(tmp_path / "reports", ["2025-january/group-94"])
    config = site_config(reports)
    config["plugins"].insert(0, "search")
    result = build_site(tmp_path, config)
    assert len(result.warnings()) == 1
    assert "both indexes" in result.warnings()[0]


def test_search_url_is_configurable(tmp_path: Path) -> None:
    reports = copy_reports(tmp_path / "reports", ["2025-january/group-94"])
    result = build_site(tmp_path, site_config(reports, {"search": {"url": "find"}}))
    assert "data-ra-search" in result.article("find/")
    assert 'href="find/"' in result.article("")


def test_docs_file_in_the_index_folder_is_an_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from mkdocs.exceptions import Abort

    reports = copy_reports(tmp_path / "reports", ["2025-january/group-94"])
    with pytest.raises(Abort):
        build_site(tmp_path, site_config(reports), docs={"pagefind/notes.md": "# x\n"})
    assert "pagefind/notes.md is in the way of the search index" in caplog.text


def test_write_index_replaces_an_old_bundle(tmp_path: Path) -> None:
    out = tmp_path / "pagefind"
    (out / "fragment").mkdir(parents=True)
    (out / "fragment/stale.pf_fragment").write_bytes(b"old")
    records = [
        SearchRecord(f"/g{i}/#a", f"Group {i}", f"answer number {i}", {"Semester": ["S"]})
        for i in range(3)
    ]
    stats = write_index(records, out)
    assert stats.records == 3
    assert not (out / "fragment/stale.pf_fragment").exists()
    assert len(pagefind_records(tmp_path)) == 3
