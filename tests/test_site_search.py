"""The Pagefind search index: a record per group, a section per answer, only the groups' own
words (no template text), the tools they used as filter and weighted names, redacted, linked."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from report_archive.reports.archive import load_archive
from report_archive.reports.model import Status
from report_archive.reports.parser import parse_report
from report_archive.search.answers import html_text
from report_archive.search.pagefind import PagefindService, write_index
from report_archive.search.records import (
    _INERT_CONTENT,
    _INVISIBLE,
    TOOL_WEIGHT,
    SearchRecord,
    Section,
    plain,
)
from report_archive.search.shards import ShardWriter, split
from tests.reports import T2026, filled, write
from tests.site_check import (
    SAMPLE,
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


def section_text(record: dict[str, Any], anchor: str) -> list[str]:
    """The words of a record's section, as Pagefind stores them."""
    anchors = sorted(record["anchors"], key=lambda a: a["location"])
    (start,) = [a["location"] for a in anchors if a["id"] == anchor]
    following = [a["location"] for a in anchors if a["location"] > start]
    return record["content"].split()[start : min(following, default=None)]


def test_one_record_per_group_and_one_section_per_answer(built: Built) -> None:
    records = pagefind_records(built.site)
    expected = searchable(built.site.parent / "in" / "reports")
    groups = {r["url"]: r for r in records if r["url"] != "/about/"}
    assert len(groups) == len(records) - 1, "a page is indexed twice"
    assert sorted(groups) == sorted(f"/{g}/" for g, ids in expected.items() if ids)
    for group, ids in expected.items():
        if not ids:
            continue
        anchors = [a["id"] for a in groups[f"/{group}/"]["anchors"]]
        assert len(anchors) == len(set(anchors)), f"an answer of {group} is indexed twice"
        assert sorted(a for a in anchors if a not in ("extra", "checklist")) == sorted(ids), group
    docs = [r for r in records if r["url"] == "/about/"]
    assert [r["meta"]["title"] for r in docs] == ["About the archive"]
    assert "zanzibar" in docs[0]["content"]
    assert docs[0]["filters"] == {"Source": ["Documentation"]}
    assert all("Source" not in r["filters"] for r in groups.values())
    entry = json.loads((built.site / "pagefind/pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == len(records)


def test_generated_listings_are_not_indexed(built: Built) -> None:
    urls = [r["url"] for r in pagefind_records(built.site)]
    assert not [u for u in urls if u.startswith(("/questions/", "/problems/", "/checklist/"))]
    assert "/" not in urls and "/search/" not in urls


def test_hits_say_whose_answer_and_jump_to_it(built: Built) -> None:
    records = {r["url"]: r for r in pagefind_records(built.site)}
    group = records["/2026-january/group-85/"]
    assert group["meta"]["title"] == "Group 85 · January 2026 · Pneumonia detection in chest X-rays"
    assert group["filters"]["Semester"] == ["January 2026"]
    assert "Question" not in group["filters"]
    (dvc,) = [a for a in group["anchors"] if a["id"] == "data-version-control"]
    assert dvc["text"] == ""  # the question's title is not indexed; the search page names it
    section = section_text(group, "data-version-control")
    report = parse_report(built.site.parent / "in/reports/2026-january/group-85/README.md")
    (answer,) = [a for a in report.answers if a.question == "data-version-control"]
    words = [w for w in answer.markdown.split() if re.fullmatch(r"[A-Za-z]{5,}", w)]
    assert words and all(w in section for w in words)
    for url, record in records.items():
        assert anchor_exists(built.site, url), url
        for anchor in record.get("anchors", []):
            assert anchor_exists(built.site, f"{url}#{anchor['id']}"), (url, anchor)


def test_the_tools_a_group_used_are_a_filter_and_weighted_names(built: Built) -> None:
    archive = load_archive(built.site.parent / "in" / "reports", tools=True)
    records = {r["url"]: r for r in pagefind_records(built.site)}
    checked = 0
    for entry in archive.groups:
        record = records.get(f"/{entry.semester}/{entry.slug}/")
        if record is None or entry.tools is None:
            continue
        names = [use.tool.name for use in entry.tools.used]
        assert record["filters"].get("Tool", []) == [plain(n) for n in names], entry.slug
        if names:
            first = min(a["location"] for a in record["anchors"])
            weighted = " ".join(record["content"].split()[:first])
            assert all(plain(name) in weighted for name in names), weighted
            checked += 1
    assert checked >= 3
    group = records["/2026-january/group-85/"]
    assert "DVC" in group["filters"]["Tool"]
    document = SearchRecord("/g/", "G", tools=("DVC", "Cloud Run"), sections=()).html()
    assert f'<p data-pagefind-weight="{TOOL_WEIGHT:g}">DVC · Cloud Run</p>' in document


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]{4,}", text.casefold()))


def test_only_what_the_group_wrote_is_indexed(built: Built) -> None:
    """Question titles, prompts and checklist items never make a group a hit: every word of
    a group's record is a word of its answers, other text or checklist notes as the parser
    kept them (template text removed), of its name, or of the tools it used."""
    reports = built.site.parent / "in" / "reports"
    archive = load_archive(reports, tools=True)
    records = {r["url"]: r for r in pagefind_records(built.site)}
    checked = 0
    for entry in archive.groups:
        record = records.get(f"/{entry.semester}/{entry.slug}/")
        if record is None or entry.report is None:
            continue
        report = entry.report
        own = [a.markdown for a in report.answers] + [report.extra]
        own += [item.note for item in report.checklist]
        own += [record["meta"]["title"], "Student", "External image"]  # name, redaction, links
        own += [use.tool.name for use in entry.tools.used] if entry.tools else []
        indexed = words(record["content"]) | words(" ".join(a["text"] for a in record["anchors"]))
        text = " ".join(own)
        allowed = words(text) | words(re.sub(r"[`*~]", "", text))  # inline markup joins words
        assert indexed <= allowed, (entry.slug, sorted(indexed - allowed))
        checked += 1
    assert checked == len(records) - 1


def test_students_checklist_notes_are_indexed_not_the_items(tmp_path: Path) -> None:
    item = "* [ ] Create a git repository (M5)"
    text = filled(T2026).replace(item, f"{item} - mirrored to zorblaxhub nightly", 1)
    assert "zorblaxhub" in text
    write(tmp_path / "reports/2026-january/group-3", text)
    built = build_site(tmp_path, site_config(tmp_path / "reports"))
    (record,) = pagefind_records(built.site)
    notes = section_text(record, "checklist")
    assert " ".join(notes).rstrip(".") == "mirrored to zorblaxhub nightly"
    assert "repository" not in record["content"].lower()
    assert anchor_exists(built.site, "/2026-january/group-3/#checklist")


def test_index_is_redacted_and_has_no_markup(built: Built) -> None:
    for record in pagefind_records(built.site):
        text = json.dumps(record, ensure_ascii=False)
        assert not STUDENT_NUMBER.search(text), record["url"]
        assert "<script" not in record["content"] and "onerror=" not in record["content"]
    (hostile,) = [r for r in pagefind_records(built.site) if r["url"] == "/2025-january/group-42/"]
    # The group's title (group.yml) names the hit, as inert text: no tag a UI could build.
    title = hostile["meta"]["title"]
    assert title.startswith("Group 42 · ") and "‹img src=x onerror=alert(" in title
    assert "<" not in title and ">" not in title and '"' not in title
    assert all(a["text"] == "" for a in hostile["anchors"])


def test_without_group_pages_question_pages_are_the_records(tmp_path: Path) -> None:
    groups = ["2025-january/group-94", "2026-january/group-85"]
    reports = copy_reports(tmp_path / "reports", groups)
    pages = {"groups": False}
    result = build_site(tmp_path, site_config(reports, {"pages": pages}))
    assert result.warnings() == []
    records = pagefind_records(result.site)
    assert records and all(r["url"].startswith("/questions/") for r in records)
    (dvc,) = [r for r in records if r["url"] == "/questions/data-version-control/"]
    assert dvc["filters"]["Question"] == ["Data version control"]  # names it, not searched
    assert "version" not in dvc["meta"].get("title", "").lower()
    assert sorted(a["text"] for a in dvc["anchors"]) == [
        "Group 85 · January 2026 · Pneumonia detection in chest X-rays",
        "Group 94 · January 2025 · Image model with training and inference endpoints",
    ]
    for record in records:
        for anchor in record["anchors"]:
            assert anchor_exists(result.site, f"{record['url']}#{anchor['id']}"), anchor


HEADER_FORM = re.compile(r'<form class="ra-header-search" role="search" action="([^"]*)"')


def test_search_page_home_box_and_header_box(built: Built) -> None:
    page = built.article("search/")
    assert 'data-ra-root="../"' in page
    assert '<script src="../assets/report-archive-search.js"></script>' in page
    labels = re.search(
        r'<script type="application/json" class="ra-search-labels">(.*?)</script>', page
    )
    assert labels is not None
    assert json.loads(labels.group(1))["data-version-control"] == "Data version control"
    assert 'action="search/"' in built.article("")  # the home page's box opens the search page
    assert (built.site / "assets/report-archive-search.js").is_file()
    assert (built.site / "pagefind/pagefind.js").is_file()
    assert 'data-ra-indexes="pagefind/"' in page  # one index: a small site is not split
    assert [p.name for p in built.site.glob("pagefind*")] == ["pagefind"]
    assert 'href="search/"' in built.page("")  # in the navigation
    for html_file in built.html_files():
        rel = html_file.relative_to(built.site).as_posix()
        if rel == "404.html":
            continue
        actions = HEADER_FORM.findall(html_file.read_text(encoding="utf-8"))
        depth = rel.count("/")
        assert actions == [("../" * depth or "./") + "search/"], rel
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
    assert "ra-header-search" not in result.page("")


def test_engine_none_has_no_search(tmp_path: Path) -> None:
    reports = copy_reports(tmp_path / "reports", ["2025-january/group-94"])
    result = build_site(tmp_path, site_config(reports, {"search": {"engine": "none"}}))
    assert result.warnings() == []
    assert not (result.site / "pagefind").exists()
    assert not (result.site / "search").exists()
    assert "ra-search" not in result.page("")


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
    assert 'action="find/"' in result.article("")
    assert 'action="../../find/"' in result.page("2025-january/group-94/")


@pytest.mark.parametrize("folder", ["pagefind", "pagefind-2"])
def test_docs_file_in_the_index_folder_is_an_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, folder: str
) -> None:
    from mkdocs.exceptions import Abort

    reports = copy_reports(tmp_path / "reports", ["2025-january/group-94"])
    with pytest.raises(Abort):
        build_site(tmp_path, site_config(reports), docs={f"{folder}/notes.md": "# x\n"})
    assert f"{folder}/notes.md is in the way of the search index ({folder}/)" in caplog.text


def test_write_index_replaces_an_old_bundle(tmp_path: Path) -> None:
    out = tmp_path / "pagefind"
    (out / "fragment").mkdir(parents=True)
    (out / "fragment/stale.pf_fragment").write_bytes(b"old")
    records = [
        SearchRecord(f"/g{i}/", f"Group {i}", "", {"Semester": ["S"]}, (Section("a", "x"),))
        for i in range(3)
    ]
    stats = write_index([*records, SearchRecord("/about/", "About", "a docs page")], out)
    assert stats.records == 4
    assert not (out / "fragment/stale.pf_fragment").exists()
    assert len(pagefind_records(tmp_path)) == 4


def test_many_answers_are_read_a_few_dozen_at_a_time() -> None:
    """Pagefind answers each record on its own; reading them one by one would wake two
    threads per record, each taking Python's lock from the build."""
    with PagefindService() as service:
        (created,) = service.send([{"type": "NewIndex", "config": {"force_language": "en"}}])
        index = int(created["index_id"])
        records = [
            SearchRecord(f"/g{i}/", f"Group {i}", "words " * (100 + i), {"Semester": ["S"]})
            for i in range(300)
        ]
        before = service.reads
        answers = service.send(record.payload(index) for record in records)
        assert [a["page_word_count"] for a in answers] == [100 + i for i in range(300)]
        assert service.reads - before <= 100  # one by one: about 290


def test_several_indexes_are_written_before_the_pages_are(tmp_path: Path) -> None:
    """Every index but the last is written at once; the last waits for the hand-written pages."""
    shards = [
        [
            SearchRecord(f"/s{n}g{i}/", f"G {i}", "", {"Semester": [f"S{n}"]}, (Section("a", "x"),))
            for i in range(2)
        ]
        for n in range(3)
    ]
    outputs = [tmp_path / name for name in ("pagefind", "pagefind-2", "pagefind-3")]
    writer = ShardWriter(shards, outputs)
    try:
        deadline = time.monotonic() + 60
        while not (outputs[1] / "pagefind-entry.json").exists():  # no write() yet
            assert time.monotonic() < deadline, "the first indexes were not written at once"
            time.sleep(0.1)
        assert not outputs[2].exists()  # the last waits for the pages
        writer.add([SearchRecord("/about/", "About", "a docs page")])
        stats = writer.write()
    finally:
        writer.close()
    assert [s.records for s in stats] == [2, 2, 3]
    for written, output in zip(stats, outputs, strict=True):  # counted when asked
        files = [p for p in output.rglob("*") if p.is_file()]
        assert written.files == len(files) > 0
        assert written.bytes == sum(p.stat().st_size for p in files)
    urls = [{r["url"] for r in pagefind_records(tmp_path, o.name)} for o in outputs]
    assert urls == [{"/s0g0/", "/s0g1/"}, {"/s1g0/", "/s1g1/"}, {"/s2g0/", "/s2g1/", "/about/"}]


def test_section_documents_escape_what_students_wrote() -> None:
    hostile = '<img src=x onerror=alert(1)>"&'
    record = SearchRecord(
        "/g/",
        hostile,
        "",
        {"Tool": [hostile]},
        (Section('a"b', hostile, hostile),),
        tools=(hostile,),
    )
    document = record.html()
    assert "<img" not in document and "onerror=alert(1)>" not in document
    assert 'id=""' in document  # an anchor that is not a plain slug is dropped
    tags, texts = parse_document(document)
    assert {tag for tag, _ in tags} == {"html", "head", "meta", "body", "h2", "p"}
    values = [v for _, attrs in tags for k, v in attrs if k == "content"] + texts
    assert "‹img src=x onerror=alert(1)›”＆" in values  # title, filter value, heading, tools
    assert '‹img src=x onerror=alert(1)›"＆' in values  # content keeps quotes for phrases
    for value in values:
        assert not set(value) & set("<>&"), value
    payload = SearchRecord("/d/", hostile, hostile, {"Tool": [hostile]}).payload(1)
    assert (
        payload["meta"]["title"]
        == payload["filters"]["Tool"][0]
        == "‹img src=x onerror=alert(1)›”＆"
    )
    assert payload["content"] == '‹img src=x onerror=alert(1)›"＆'


@pytest.mark.parametrize("char", ["\x1b", "\u200b", "\u00ad", "\u202e", "\x00", "\x85"])
def test_plain_drops_control_and_invisible_characters(char: str) -> None:
    assert plain(f"Group{char} 42 ·  x") == "Group 42 · x"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab <>&\"'`\u2039\uff06\x00\u200b\n\t é")))
def test_searched_text_has_no_markup_characters_and_keeps_quotes(text: str) -> None:
    out = plain(text, label=False)
    assert not set(out) & {"<", ">", "&"}
    folded = " ".join(_INVISIBLE.sub(" ", text).translate(_INERT_CONTENT).split())
    assert out == folded  # each markup character becomes its look-alike, nothing else changes


def parse_document(document: str) -> tuple[list[tuple[str, list[tuple[str, str]]]], list[str]]:
    """Return the tags (with attributes) and the text runs of an HTML document."""
    tags: list[tuple[str, list[tuple[str, str]]]] = []
    texts: list[str] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            tags.append((tag, [(k, v or "") for k, v in attrs]))

        def handle_data(self, data: str) -> None:
            if data.strip():
                texts.append(data)

    parser = Parser(convert_charrefs=True)
    parser.feed(document)
    parser.close()
    return tags, texts


def _pagefind_children() -> list[int]:
    """Pids of this process's ``pagefind`` children (Linux: read from /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            name = stat.read_text().split("(", 1)[1].rsplit(")", 1)[0]
        except (OSError, IndexError):
            continue
        if int(fields[1]) == os.getpid() and "pagefind" in name:
            out.append(int(stat.parent.name))
    return out


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="needs Linux's /proc")
def test_a_failed_build_stops_pagefind_and_the_conversions(tmp_path: Path) -> None:
    """A page that cannot be rendered fails the build after indexing started: the
    ``pagefind`` process and the figure conversions are stopped, nothing is left running."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, PluginError

    from tests.test_publish import noisy_png

    reports = copy_reports(tmp_path / "reports", ["2024-january/group-100"])
    noisy_png(reports / "2024-january/group-100/figures/bucket.png")
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides/group.html").write_text("{{ no_such_variable }}\n")
    (tmp_path / "docs").mkdir()
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(
        yaml.safe_dump(site_config(reports, {"templates_dir": "overrides"})), encoding="utf-8"
    )
    before = set(_pagefind_children())
    config = load_config(str(config_file), site_dir=str(tmp_path / "site"))
    with pytest.raises((PluginError, Abort)):
        build(config)
    plugin = config.plugins["report-archive"]
    assert plugin.search._index is None and plugin.search._writer is None
    assert plugin._figures is None
    assert set(_pagefind_children()) - before == set()


# -- several indexes --------------------------------------------------------------------------


def semester_records(*sizes: int) -> list[SearchRecord]:
    """Group records of consecutive semesters with these many groups each."""
    return [
        SearchRecord(
            f"/s{s}/g{g}/", f"Group {g}", "", {"Semester": [f"S{s}"]}, (Section("a", "x"),)
        )
        for s, size in enumerate(sizes)
        for g in range(size)
    ]


def semesters_of(shards: list[list[SearchRecord]]) -> list[list[str]]:
    return [[r.filters["Semester"][0] for r in shard] for shard in shards]


def test_split_keeps_semesters_together_where_they_fit() -> None:
    records = semester_records(3, 4, 2, 1)
    assert split(records, 0) == [records]
    assert split(records, 10) == [records]
    assert semesters_of(split(records, 4)) == [["S0"] * 3, ["S1"] * 4, ["S2"] * 2 + ["S3"]]
    # A semester larger than an index fills indexes of its own; the next may join its rest.
    assert semesters_of(split(records, 3)) == [
        ["S0"] * 3,
        ["S1"] * 3,
        ["S1", "S2", "S2"],
        ["S3"],
    ]
    for limit in range(1, 11):
        shards = split(records, limit)
        assert [r for shard in shards for r in shard] == records, limit  # in order, each once
        assert all(0 < len(shard) <= limit for shard in shards), limit
    assert split([], 2) == [[]]


def test_split_gives_the_newest_semester_indexes_of_its_own() -> None:
    """The semester staff review (the first, the newest) is never indexed with another, so
    an edit there writes a small index again."""
    records = semester_records(3, 4, 2, 1)
    assert semesters_of(split(records, 8)) == [["S0"] * 3, ["S1"] * 4 + ["S2"] * 2 + ["S3"]]
    assert semesters_of(split(records, 9)) == [["S0"] * 3, ["S1"] * 4 + ["S2"] * 2 + ["S3"]]
    assert semesters_of(split(semester_records(2, 1, 1), 3)) == [["S0"] * 2, ["S1", "S2"]]


PAGEFIND_LOG = """#!{python}
import resource, subprocess, sys, time
with open({log!r}, "a") as f:
    f.write(f"start {{time.monotonic()}}\\n")
code = subprocess.call([{binary!r}, *sys.argv[1:]])
with open({log!r}, "a") as f:
    f.write(f"end {{time.monotonic()}}\\n")
sys.exit(code)
"""
"""Runs the real pagefind binary (``PAGEFIND_BINARY_PATH``) and logs when it starts and ends."""


def test_a_large_archive_is_split_into_indexes_written_one_after_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ``search.shard_groups: 3`` the sample's 10 groups (semesters of 3, 4, 2 and 1
    groups) go into four indexes, one ``pagefind`` process at a time; the groups are
    partitioned among them, the semesters that fit stay whole, the hand-written page is in
    the last (the others can be kept between builds), and the search page names every
    index."""
    from pagefind.service import get_executable

    log = tmp_path / "pagefind.log"
    wrapper = tmp_path / "pagefind-log.py"
    binary = str(get_executable())
    wrapper.write_text(PAGEFIND_LOG.format(python=sys.executable, binary=binary, log=str(log)))
    wrapper.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(wrapper))
    reports = SAMPLE
    built = build_site(tmp_path, site_config(reports, {"search": {"shard_groups": 3}}), docs=DOCS)
    assert built.warnings() == []

    folders = ["pagefind", "pagefind-2", "pagefind-3", "pagefind-4"]
    assert sorted(p.name for p in built.site.glob("pagefind*")) == folders
    events = [line.split() for line in log.read_text().splitlines()]
    assert [kind for kind, _ in events] == ["start", "end"] * len(folders)  # never two at once
    times = [float(at) for _, at in events]
    assert times == sorted(times)

    expected = {f"/{g}/" for g, ids in searchable(reports).items() if ids}
    semesters = {f"/{g}/": g.split("/")[0] for g in searchable(reports)}
    shards = [{r["url"] for r in pagefind_records(built.site, f)} for f in folders]
    assert shards[-1] - expected == {"/about/"}  # the hand-written page, in the last index
    assert all(shard <= expected for shard in shards[:-1])
    groups = [shard & expected for shard in shards]
    assert sorted(u for shard in groups for u in shard) == sorted(expected)  # each once
    assert all(0 < len(shard) <= 3 for shard in groups)
    for semester in set(semesters.values()):
        members = {u for u, s in semesters.items() if s == semester and u in expected}
        holding = [i for i, shard in enumerate(groups) if shard & members]
        if len(members) <= 3:
            assert len(holding) == 1, (semester, holding)
        assert holding == list(range(holding[0], holding[-1] + 1)), semester  # in order
    for folder, shard in zip(folders, shards, strict=True):
        entry = json.loads((built.site / folder / "pagefind-entry.json").read_text())
        assert entry["languages"]["en"]["page_count"] == len(shard)
    page = built.article("search/")
    assert 'data-ra-indexes="pagefind/ pagefind-2/ pagefind-3/ pagefind-4/"' in page
    logged = [r.getMessage() for r in built.records]
    assert "search: 4 indexes of 3, 3, 3, 1 records (search.shard_groups)" in " ".join(logged)
    assert broken_links(built.site) == []


def index_lines(built: Built) -> list[str]:
    """How each index was made: "kept" (copied from the cache) or "indexed"."""
    return [
        "kept" if "unchanged since the last build" in message else "indexed"
        for r in built.records
        if (message := r.getMessage()).startswith("report_archive: search index (")
    ]


def test_unchanged_indexes_are_copied_from_the_cache(tmp_path: Path) -> None:
    """Split into four indexes, a build after an edit indexes again only the index of the
    edited group; every index holds the records a build without any cache gives."""
    reports = Path(shutil.copytree(SAMPLE, tmp_path / "reports"))
    cache = {"figures": {"cache_dir": str(tmp_path / "cache")}}
    config = site_config(reports, {"search": {"shard_groups": 3}, **cache})
    first = build_site(tmp_path / "first", config, docs=DOCS)
    assert index_lines(first) == ["indexed"] * 4
    second = build_site(tmp_path / "second", config, docs=DOCS)
    assert index_lines(second) == ["kept"] * 4

    folders = ["pagefind", "pagefind-2", "pagefind-3", "pagefind-4"]
    holder = next(
        n
        for n, folder in enumerate(folders)
        if "/2025-january/group-42/" in {r["url"] for r in pagefind_records(second.site, folder)}
    )
    edited = reports / "2025-january/group-42/README.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nWe load tested with Locust.\n")
    third = build_site(tmp_path / "third", config, docs=DOCS)
    assert index_lines(third) == ["indexed" if n == holder else "kept" for n in range(4)]

    empty = {"figures": {"cache_dir": str(tmp_path / "empty-cache")}}
    clean = build_site(
        tmp_path / "clean",
        site_config(reports, {"search": {"shard_groups": 3}, **empty}),
        docs=DOCS,
    )
    assert index_lines(clean) == ["indexed"] * 4
    for folder in folders:
        kept = sorted(repr(sorted(r.items())) for r in pagefind_records(third.site, folder))
        fresh = sorted(repr(sorted(r.items())) for r in pagefind_records(clean.site, folder))
        assert kept == fresh, folder
    assert "Locust" in json.dumps(pagefind_records(third.site, folders[holder]))
