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
from pathlib import Path

import pytest

from tests.hostile import (
    DIGITS,
    ESC,
    LINKED_COMMIT,
    LINKED_REPOSITORY,
    SECRET,
    SEMESTER,
    UNKNOWN,
    make_hostile_archive,
)
from tests.site_check import (
    Built,
    build_site,
    numbers_in_site,
    pagefind_records,
    site_config,
    site_texts,
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
    ):
        assert expected in page, expected


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
    unknown = next(r for r in records if r["url"].endswith(f"/{UNKNOWN}/"))
    assert any(
        "‹img src=x onerror=alert(document.domain)›" in v for v in unknown["filters"]["Question"]
    )


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
