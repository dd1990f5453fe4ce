"""The site plan without MkDocs: a small archive gives the expected pages, titles, URLs, links.

Golden data as literate-nav tests its parser: ``tests/fixtures/plan/<case>.json`` holds, for
each case, every page (source path, kind, title, in the nav, where it stands among split
parts), every published file, and where each answer is linked from its group's page. Run
with ``REPORT_ARCHIVE_UPDATE_GOLDEN=1`` to write them again after a deliberate change.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from report_archive.reports.archive import load_archive
from report_archive.reports.catalogue import load_catalogue
from report_archive.site.plan import Options, SitePlan
from report_archive.site.views.base import Paged
from report_archive.site.views.checklist import ChecklistStats
from report_archive.site.views.semesters import SemesterView
from report_archive.site.views.tool_page import ToolPage
from tests.site_check import copy_reports

GOLDEN = Path(__file__).resolve().parent / "fixtures" / "plan"
UPDATE = os.environ.get("REPORT_ARCHIVE_UPDATE_GOLDEN") == "1"
GROUPS = ["2024-january/group-100", "2025-january/group-94", "2026-january/group-85"]

CASES: dict[str, dict[str, Any]] = {
    "default": {},
    "small-pages": {"max_page_size": 50_000},
    "prefixed": {
        "archive_url": "archive",
        "questions_url": "archive/questions",
        "tools_url": "archive/tools",
    },
    "no-group-pages": {
        "pages": frozenset(
            {"home", "semesters", "questions", "checklist", "problems", "search", "tools"}
        )
    },
    "no-tool-pages": {
        "pages": frozenset({"home", "semesters", "groups", "questions", "checklist", "problems"})
    },
}


def describe(plan: SitePlan, root: Path) -> dict[str, Any]:
    """What a plan says, as plain data."""
    pages = []
    for spec in plan.pages.values():
        page: dict[str, Any] = {
            "src_uri": spec.src_uri,
            "kind": spec.kind,
            "title": spec.title,
            "nav": spec.in_nav,
        }
        data = spec.data
        if isinstance(data, Paged):
            page["part"] = {
                "overview": data.overview,
                "parts": [[title, uri, count] for title, uri, count in data.parts],
                "parent": data.parent,
                "page": data.page,
                "pages": data.pages,
                "prev": data.prev,
                "next": data.next,
            }
        if isinstance(data, ToolPage):
            page["tool"] = [  # "<semester>: <groups that used it> of <groups detected>"
                f"{b.semester.slug}: {' '.join(g.entry.slug for g in b.groups)} of {b.detected}"
                for b in data.semesters
            ]
        if isinstance(data, ChecklistStats):
            page["checklist"] = {
                "semesters": [s.slug for s in data.semesters],
                "rows": [
                    [r.text, r.uri, [[x.checked, x.total] for x in r.shares]] for r in data.rows
                ],
            }
        pages.append(page)
    return {
        "pages": pages,
        "figures": {site: path.relative_to(root).as_posix() for site, path in plan.figures.items()},
        "answer_links": sorted(
            [group, question, page, anchor]
            for (group, question), (page, anchor) in plan.answer_links.items()
        ),
        "index": plan.index(),
    }


@pytest.fixture(scope="module")
def archive_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_reports(tmp_path_factory.mktemp("plan") / "reports", GROUPS)


def plan_for(root: Path, **options: Any) -> SitePlan:
    from report_archive.site.figures import Publish

    archive = load_archive(root, tools="tools" in options.get("pages", {"tools"}))
    return SitePlan(
        archive, load_catalogue(), Options(figures=lambda path: Publish(path), **options)
    )


@pytest.mark.parametrize("case", sorted(CASES))
def test_plan_matches_golden(archive_root: Path, case: str) -> None:
    plan = plan_for(archive_root, **CASES[case])
    actual = describe(plan, archive_root)
    path = GOLDEN / f"{case}.json"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(actual, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert path.is_file(), f"{path} is missing: run with REPORT_ARCHIVE_UPDATE_GOLDEN=1"
    assert actual == json.loads(path.read_text(encoding="utf-8"))


def test_no_stale_golden_files() -> None:
    assert sorted(p.stem for p in GOLDEN.glob("*.json")) == sorted(CASES)


def test_a_new_page_kind_is_one_view(archive_root: Path) -> None:
    """A site can be planned with its own list of views: only those pages exist."""
    plan = SitePlan(load_archive(archive_root), load_catalogue(), Options(), views=[SemesterView()])
    assert [spec.kind for spec in plan.pages.values()] == ["semester"] * 3
    assert plan.index_uri("questions") is None


def test_template_reference_is_up_to_date() -> None:
    """docs/reference/templates.md is written from the views' contexts; it must be current."""
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[1] / "scripts" / "template_docs.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True)
    assert done.returncode == 0, "run python scripts/template_docs.py"
