"""Every page names a group "Group 15 · January 2026 · <title>", with its summary where room.

A real MkDocs build of sample reports whose titles come from each source: staff's
``title`` (with a summary and a repository), the README's ``readme_title``, and none (the
title is derived from the report). Groups 15 of January 2025 and January 2026 share a
number: their names differ.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.site_check import Built, build_site, copy_reports, pagefind_records, site_config

GROUPS = [
    "2025-january/group-15",
    "2026-january/group-15",
    "2026-january/group-65",
    "2026-january/group-85",
]
README_TITLE = "Fashion-MNIST with a ResNet & friends"
README_SUMMARY = "Sorts clothes <by> picture, as its README says."
STAFF = "Pneumonia detection in chest X-rays"
DERIVED = "Medical image segmentation on Hippocampus MRI"


def identity_reports(root: Path) -> Path:
    """The sample groups, one titled by its README, one with no title at all."""
    reports = copy_reports(root / "reports", GROUPS)
    (reports / "2026-january/group-65/group.yml").unlink()
    (reports / "2025-january/group-15/group.yml").write_text(
        yaml.safe_dump({"readme_title": README_TITLE, "readme_summary": README_SUMMARY}),
        encoding="utf-8",
    )
    return reports


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("identity")
    return build_site(root, site_config(identity_reports(root)), strict=True)


def test_builds_strict(built: Built) -> None:
    assert built.warnings() == []


def cards(page: str) -> dict[str, str]:
    """Each card of a semester page by its group's label: the card's HTML after its heading."""
    found = re.findall(
        r'<li class="ra-card"[^>]*>.*?<h2 class="ra-card-title"><a [^>]*>(Group \d+)</a></h2>'
        r"(.*?)</li>",
        page,
        re.S,
    )
    return dict(found)


def test_semester_page_shows_title_and_summary_and_marks_derived(built: Built) -> None:
    page = built.article("2026-january/")
    cells = cards(page)
    assert list(cells) == ["Group 15", "Group 65", "Group 85"]  # natural order
    assert f'<p class="ra-card-project">{STAFF}</p>' in cells["Group 85"]
    assert "Weights &amp; Biases tracking" in cells["Group 85"]  # the summary
    assert (
        f'<p class="ra-card-project"><em class="ra-derived">{DERIVED}</em> '
        '<span class="ra-derived-note">(derived)</span></p>'
    ) in cells["Group 65"]
    assert "Image anomaly detection with DINOv3 features" in cells["Group 15"]
    assert 'Titles marked "derived" are derived from the report' in page
    other = built.article("2025-january/")
    assert "Fashion-MNIST with a ResNet &amp; friends" in other
    assert "Sorts clothes &lt;by&gt; picture" in other and "ra-derived" not in other


def test_group_page_header_names_the_project(built: Built) -> None:
    page = built.article("2026-january/group-85/")
    assert re.search(f'<h1 [^>]*>Group 85 · January 2026 · {STAFF}<a class="headerlink"', page)
    header = page.split('<header class="ra-group-head"')[1].split("</header>")[0]
    assert f"<dt>Project</dt><dd>{STAFF}</dd>" in header
    assert '<p class="ra-group-summary">Classifies chest X-ray images' in header
    assert 'href="https://github.com/RABL1N/02476-Project/tree/9f11814b58' in header
    derived = built.article("2026-january/group-65/")
    assert re.search(f'<h1 [^>]*>Group 65 · January 2026 · {DERIVED}<a class="headerlink"', derived)
    assert (
        f'<dd><em class="ra-derived">{DERIVED}</em> '
        '<span class="ra-derived-note">(derived from the report)</span></dd>'
    ) in derived
    assert "ra-group-summary" not in derived


def test_question_and_problem_pages_name_groups_in_full(built: Built) -> None:
    question = built.article("questions/third-party-package/")
    headings = re.findall(r"<h3 id=\"[^\"]+\">([^<]+)<a", question)
    assert "Group 15 · January 2026 · Image anomaly detection with DINOv3 features" in headings
    assert f"Group 15 · January 2025 · {README_TITLE.replace('&', '&amp;')}" in headings
    assert f"Group 65 · January 2026 · {DERIVED}" in headings
    problems = built.article("problems/")
    assert re.search(
        rf"<h3 id=\"2026-january-group-65\">Group 65 · January 2026 · {DERIVED} \(", problems
    )


def test_search_hits_are_named_in_full(built: Built) -> None:
    titles = {r["url"]: r["meta"]["title"] for r in pagefind_records(built.site)}
    assert titles["/2026-january/group-65/"] == f"Group 65 · January 2026 · {DERIVED}"
    assert (
        titles["/2025-january/group-15/"]
        == "Group 15 · January 2025 · Fashion-MNIST with a ResNet ＆ friends"
    )
    assert titles["/2026-january/group-15/"] != titles["/2025-january/group-15/"]


def test_a_title_written_with_entities_stays_text(tmp_path: Path) -> None:
    """A title holding entities (an imported README heading can: ``&lt;img ...&gt;``) is
    shown as those characters in the page's ``<title>``, its heading and its table of
    contents, never as markup: MkDocs is given the title escaped, as its render gave it."""
    reports = copy_reports(tmp_path / "reports", ["2026-january/group-85"])
    hostile = "R&D &lt;/title&gt;&lt;img src=x onerror=alert(1)&gt; A & B"
    group_yml = reports / "2026-january/group-85/group.yml"
    group_yml.write_text(yaml.safe_dump({"title": hostile}), encoding="utf-8")
    built = build_site(tmp_path / "site", site_config(reports), strict=True)
    page = (built.site / "2026-january/group-85/index.html").read_text(encoding="utf-8")
    assert "<img src=x" not in page and "</title><img" not in page
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title is not None and "&lt;/title&gt;&lt;img src=x onerror=alert(1)&gt;" in title[1]
    assert re.search(r'<h1 id="[^"]+">Group 85 · January 2026 · R&amp;D &amp;lt;/title', page)
