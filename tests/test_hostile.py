"""The hostile archive (tests/hostile.py) builds strict and leaks nothing.

Its browser half (nothing fires in Chromium) is in test_browser.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from tests.hostile import (
    DIGITS,
    ESC,
    IMPORTED,
    LINKED_COMMIT,
    LINKED_REPOSITORY,
    SECRET,
    SEMESTER,
    UNKNOWN,
    make_hostile_archive,
)
from tests.site_check import (
    Built,
    article,
    build_site,
    numbers_in_site,
    pagefind_records,
    site_config,
    site_texts,
    visible_text,
)

UNSAFE_TERMINAL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Built]:
    root = tmp_path_factory.mktemp("hostile-archive")
    reports = make_hostile_archive(root)
    return reports, build_site(root, site_config(reports), strict=True)


def test_builds_strict_without_warnings(hostile: tuple[Path, Built]) -> None:
    _, built = hostile
    assert built.warnings() == []
    assert (built.site / SEMESTER / "group-7" / "index.html").is_file()


def test_nothing_from_outside_and_no_student_number_anywhere(hostile: tuple[Path, Built]) -> None:
    _, built = hostile
    assert [where for where, text in site_texts(built.site) if SECRET in text] == []
    assert numbers_in_site(built.site, DIGITS) == []


def test_figures_linked_to_the_repository_leak_nothing(
    hostile: tuple[Path, Built], tmp_path: Path
) -> None:
    """In link mode, a figure's alt text and file name reach a link's label and URL."""
    reports, _ = hostile
    config = site_config(reports, {"figures": {"mode": "link"}})
    built = build_site(tmp_path, config, strict=True)
    assert built.warnings() == []
    assert numbers_in_site(built.site, DIGITS) == []
    page = built.article(f"{SEMESTER}/group-16/")
    blob = f"{LINKED_REPOSITORY}/blob/{LINKED_COMMIT}/reports/figures/"
    links = re.findall(r'<a class="ra-figure-link" href="([^"]+)"', page)
    assert links == [blob + "q%22uote%20%26%20more.png"]  # once: not inside the other link
    assert not re.search(r"<img[^>]*onerror", page)
    label = "Figure in the group's repository: &lt;img src=x onerror=alert(document.domain)&gt;"
    assert f"{label} Student " in page  # the alt text as text, its number redacted
    assert "Figure in the group's repository: inside a link</a>" in page  # no link in a link
    assert 'class="ra-figure-img"' in page  # the figure named after a number is published


def test_every_problem_is_named_on_the_problems_page(hostile: tuple[Path, Built]) -> None:
    _, built = hostile
    page = built.article("problems/")
    for expected in (
        "group-11/README.md",  # a symbolic link
        "group-12/README.md",  # a hard link
        "group-13",  # a linked folder
        "over the limit of 1.0 MB",  # group-15
        "bomb.png&#39; is not published",
        "group.yml:3",  # imported: 2026-13-01
        "2025-january/semester.yml:1",  # order: 2026-02-30
        "group.yml:8",  # prepared_figures, naming a figure whose name holds HTML
        "prepared_figures: files: &#39;figures/&lt;img src=x onerror=",
    ):
        assert expected in page, expected


def test_titles_and_summaries_are_plain_escaped_and_redacted(hostile: tuple[Path, Built]) -> None:
    reports, built = hostile
    # What the import read from the hostile README: one line of plain text.
    meta = yaml.safe_load((reports / SEMESTER / f"group-{IMPORTED}" / "group.yml").read_text())
    for key in ("readme_title", "readme_summary"):
        value = meta[key]
        assert not UNSAFE_TERMINAL.search(value) and "\n" not in value, key
        assert "<" not in value and ">" not in value and "javascript:" not in value, key
    assert "Klassifier" in meta["readme_title"] and "We classify" in meta["readme_summary"]
    # Every title and summary is shown escaped, the imported ones and group.yml's own.
    page = built.page(f"{SEMESTER}/")
    assert "Klassifier" in page and "We classify alert(" in page
    assert "&lt;img src=x onerror=alert(document.domain)&gt;" in page
    assert "&lt;script&gt;alert(&#39;summary&#39;)&lt;/script&gt;" in page
    assert "<script>alert(" not in page and "<img src=x" not in page
    header = built.article(f"{SEMESTER}/group-7/").split('<header class="ra-group-head"')[1]
    header = header.split("</header>")[0]
    assert "&lt;script&gt;alert(&#39;summary&#39;)&lt;/script&gt;" in header
    assert ESC not in page and ESC not in header


def test_search_records_hold_no_markup(hostile: tuple[Path, Built]) -> None:
    _, built = hostile
    records = pagefind_records(built.site)
    assert records
    for record in records:
        values = [record["meta"].get("title", "")]
        values += [v for vs in record.get("filters", {}).values() for v in vs]
        values += [a["text"] for a in record.get("anchors", [])]
        values.append(record["content"])
        for value in values:
            assert "<" not in value and ">" not in value, (record["url"], value)
    inert = "‹img src=x onerror=alert(document.domain)›"
    unknown = next(r for r in records if r["url"].endswith(f"/{UNKNOWN}/"))
    assert any(inert in a["text"] for a in unknown["anchors"])  # the students' own titles
    group = next(r for r in records if r["url"].endswith(f"/{SEMESTER}/group-7/"))
    assert inert in group["meta"]["title"]  # the project's title
    assert inert in group["filters"]["Semester"][0]
    notes = next(a for a in group["anchors"] if a["id"] == "checklist")
    note = group["content"].split(maxsplit=notes["location"])[-1]
    assert note.startswith("by Student A, Student B")  # the note's HTML was sanitised away


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "report_archive.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_csv_and_terminal_output_are_safe(hostile: tuple[Path, Built]) -> None:
    reports, _ = hostile
    for args in (("--format", "csv"), ("--format", "csv", "--details"), ()):
        done = run_cli("check", *args, str(reports / SEMESTER))
        assert "Traceback" not in done.stderr
        assert not UNSAFE_TERMINAL.search(done.stdout + done.stderr), args
        assert ESC not in done.stdout + done.stderr
        if "csv" in args:
            for row in csv.reader(io.StringIO(done.stdout)):
                for cell in row:
                    assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell
    done = run_cli("parse", "--json", str(reports / SEMESTER / UNKNOWN / "README.md"))
    assert json.loads(done.stdout)[0]["answers"][0]["title"].startswith("<img")
    assert not UNSAFE_TERMINAL.search(done.stdout)


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [(tag, name) for name, _ in attrs]


def test_tool_pages_quote_evidence_as_inert_redacted_text(hostile: tuple[Path, Built]) -> None:
    _, built = hostile
    dvc = built.article("tools/dvc/")
    text = visible_text(dvc)
    assert "We used DVC Student " in text and "and Docker, as 1 < 2 <svg onload" in text
    assert "&lt;svg onload=alert(&#39;evidence&#39;)//" in dvc
    assert "<img src=x onerror=alert(document.domain)>" in text  # a question title, as text
    pages = sorted((built.site / "tools").rglob("index.html"))
    assert len(pages) > 2
    for path in pages:
        html = article(path.read_text(encoding="utf-8"))
        parser = _Attributes()
        parser.feed(html)
        assert [(t, a) for t, a in parser.found if a.startswith("on") or t == "img"] == []
        assert not UNSAFE_TERMINAL.search(html), path
