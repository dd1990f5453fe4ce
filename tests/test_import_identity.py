"""`report-archive import` reads the project's title and summary from the repository's README.

Real git repositories made in tmp_path, imported with the real importer; see test_import.py
for the rest of the import.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from report_archive.cli.main import main
from report_archive.reports.identity.readme import MAX_README_BYTES
from report_archive.staff.importer import GroupStatus, ImportOptions, import_roster
from report_archive.staff.roster import read_roster
from tests.test_import import SEMESTER, commit, git_env, load, make_repo, write_roster

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses POSIX symlinks")
__all__ = ["git_env"]  # the fixture that keeps the user's git configuration out

REPORT = "### Question 1\n\n> **Enter the group number**\n>\n> Answer:\n\n7\n"
README = """# coffee_leaf_classifier

[![tests](https://github.com/x/y/actions/workflows/tests.yaml/badge.svg)](https://x)

Classifies coffee leaf diseases from photos taken in the field. It runs on Cloud Run.

## Project structure
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    path = tmp_path / "repos" / "g7"
    make_repo(path, {"README.md": README, "reports/README.md": REPORT})
    return path


def run(tmp_path: Path, **options: object) -> dict[int, object]:
    roster = write_roster(tmp_path / "roster.csv", ["7,s100001,,,,,repos/g7"])
    results = import_roster(
        read_roster(roster),
        ImportOptions(
            semester=SEMESTER,
            reports_dir=tmp_path / "reports",
            base_dir=tmp_path,
            jobs=1,
            **options,  # type: ignore[arg-type]
        ),
    )
    return {r.group: r for r in results}


def group_yml(tmp_path: Path) -> Path:
    return tmp_path / "reports" / SEMESTER / "group-7" / "group.yml"


def test_import_reads_the_title_and_summary_of_the_readme(tmp_path: Path, repo: Path) -> None:
    (result,) = run(tmp_path).values()
    assert result.status is GroupStatus.NEW  # type: ignore[attr-defined]
    meta = load(group_yml(tmp_path))
    assert meta["readme_title"] == "Coffee leaf classifier"
    assert meta["readme_summary"] == (
        "Classifies coffee leaf diseases from photos taken in the field. It runs on Cloud Run."
    )
    assert "title" not in meta and "summary" not in meta


def test_staff_values_survive_every_import_and_refresh(tmp_path: Path, repo: Path) -> None:
    run(tmp_path)
    path = group_yml(tmp_path)
    meta = load(path)
    meta |= {"title": "Coffee leaf rust", "summary": "Staff's own words."}
    path.write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")

    commit(repo, {"README.md": README.replace("coffee_leaf", "leaf_disease")})
    (result,) = run(tmp_path).values()
    assert result.status is GroupStatus.UPDATED  # type: ignore[attr-defined]
    meta = load(path)
    assert meta["readme_title"] == "Leaf disease classifier"  # a new commit: read again
    assert (meta["title"], meta["summary"]) == ("Coffee leaf rust", "Staff's own words.")

    (result,) = run(tmp_path, refresh_meta=True).values()
    assert result.status is GroupStatus.UNCHANGED  # type: ignore[attr-defined]
    assert (load(path)["title"], load(path)["summary"]) == (
        "Coffee leaf rust",
        "Staff's own words.",
    )


def test_refresh_meta_reads_the_readme_of_unchanged_groups(tmp_path: Path, repo: Path) -> None:
    run(tmp_path)
    path = group_yml(tmp_path)
    old = load(path)
    before = {k: v for k, v in old.items() if not k.startswith("readme_")}
    path.write_text(yaml.safe_dump(before, sort_keys=False), encoding="utf-8")

    (result,) = run(tmp_path).values()  # the commit did not change: nothing is read
    assert result.status is GroupStatus.UNCHANGED  # type: ignore[attr-defined]
    assert "readme_title" not in load(path)

    (result,) = run(tmp_path, refresh_meta=True, dry_run=True).values()
    assert (result.status, result.note) == (  # type: ignore[attr-defined]
        GroupStatus.UNCHANGED,
        "would read the README again",
    )
    assert "readme_title" not in load(path)

    (result,) = run(tmp_path, refresh_meta=True).values()
    assert result.status is GroupStatus.UPDATED  # type: ignore[attr-defined]
    assert result.note == (  # type: ignore[attr-defined]
        "group.yml rewritten: title and summary read again from the README"
    )
    assert load(path) == old | {"imported": old["imported"]}

    (result,) = run(tmp_path, refresh_meta=True).values()
    assert result.status is GroupStatus.UNCHANGED  # type: ignore[attr-defined]


def test_a_readme_that_names_nothing_clears_what_it_said(tmp_path: Path, repo: Path) -> None:
    run(tmp_path)
    commit(repo, {"README.md": "# exam_template\n\nA short description of the project.\n"})
    run(tmp_path)
    meta = load(group_yml(tmp_path))
    assert "readme_title" not in meta and "readme_summary" not in meta


@pytest.mark.parametrize("kind", ["link", "large", "missing"])
def test_readme_that_cannot_be_read_is_named(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "repos" / "g7"
    files: dict[str, bytes | str] = {"reports/README.md": REPORT, "secret.md": README}
    if kind == "large":
        files["README.md"] = "# Big project\n\n" + "x" * MAX_README_BYTES
    make_repo(path, files, links={"README.md": "secret.md"} if kind == "link" else None)
    (result,) = run(tmp_path).values()
    assert result.status is GroupStatus.NEW  # type: ignore[attr-defined]
    meta = load(group_yml(tmp_path))
    assert "readme_title" not in meta
    notes = [d for d in result.diagnostics if "README" in d]  # type: ignore[attr-defined]
    expected = {
        "link": ["README.md: symbolic link; no title read from it"],
        "large": ["README.md: 500 kB, over the 500 kB limit; not read"],
        "missing": [],
    }[kind]
    assert notes == expected


def test_cli_help_shows_examples_and_refresh_meta(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    out = capsys.readouterr().out
    assert "examples:\n  report-archive import --roster roster.csv --semester 2026-january\n" in out
    assert "--refresh-meta" in out and "readme_title" in out


def test_cli_refresh_meta(tmp_path: Path, repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = write_roster(tmp_path / "roster.csv", ["7,s100001,,,,,repos/g7"])
    args = ["import", "--roster", str(roster), "--semester", SEMESTER]
    args += ["--reports-dir", str(tmp_path / "reports"), "--jobs", "1"]
    assert main(args) == 0
    path = group_yml(tmp_path)
    meta = load(path)
    path.write_text(yaml.safe_dump({**meta, "readme_title": "Stale"}), encoding="utf-8")
    assert main(args) == 0
    assert load(path)["readme_title"] == "Stale"
    capsys.readouterr()
    assert main([*args, "--refresh-meta"]) == 0
    assert "title and summary read again from the README" in capsys.readouterr().out
    assert load(path)["readme_title"] == "Coffee leaf classifier"
