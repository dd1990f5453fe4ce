"""Files outside the archive are never read; bad metadata values and huge reports are problems.

Links (symbolic and hard) to files outside ``reports/``, ``group.yml`` dates that PyYAML
cannot construct, and reports over the size limit: each becomes a problem naming the file
(and line), never a traceback and never the outside file's content on the site.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from report_archive.reports.archive import load_archive
from report_archive.reports.files import FileTooLarge, UnsafeFile, check_inside, read_inside
from report_archive.reports.meta import read_group_meta, read_semester_meta
from report_archive.reports.parser import ReportReadError, parse_report
from tests.reports import PNG
from tests.site_check import build_site, copy_reports, site_config

SECRET = "OUTSIDE-SECRET-7f3a"
GROUP = "2025-january/group-94"


def outside_file(root: Path) -> Path:
    secret = root / "outside" / "passwd"
    secret.parent.mkdir(parents=True)
    secret.write_text(f"# {SECRET}\n\n### Question 1\n\n{SECRET} root:x:0:0\n")
    return secret


# -- read_inside ------------------------------------------------------------------------------


def test_read_inside_reads_a_plain_file(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "f.txt").write_bytes(b"hello")
    assert read_inside(tmp_path / "a" / "b" / "f.txt", tmp_path, 10) == b"hello"
    assert check_inside(tmp_path / "a" / "b" / "f.txt", tmp_path) == 5


def test_read_inside_refuses_a_symbolic_link(tmp_path: Path) -> None:
    secret = outside_file(tmp_path)
    root = tmp_path / "reports"
    root.mkdir()
    (root / "README.md").symlink_to(secret)
    with pytest.raises(UnsafeFile, match="symbolic link"):
        read_inside(root / "README.md", root, 10_000)


def test_read_inside_refuses_a_linked_folder_on_the_way(tmp_path: Path) -> None:
    secret = outside_file(tmp_path)
    root = tmp_path / "reports"
    (root / "sem").mkdir(parents=True)
    (root / "sem" / "group-1").symlink_to(secret.parent, target_is_directory=True)
    with pytest.raises(UnsafeFile, match="sem/group-1, which is a symbolic link"):
        read_inside(root / "sem" / "group-1" / "passwd", root, 10_000)


def test_read_inside_refuses_a_hard_link(tmp_path: Path) -> None:
    secret = outside_file(tmp_path)
    root = tmp_path / "reports"
    root.mkdir()
    os.link(secret, root / "README.md")
    with pytest.raises(UnsafeFile, match="hard link"):
        read_inside(root / "README.md", root, 10_000)


def test_hard_links_inside_the_report_folder_are_fine(tmp_path: Path) -> None:
    folder = tmp_path / "group-1"
    (folder / "figures").mkdir(parents=True)
    (folder / "figures" / "a.png").write_bytes(b"png")
    os.link(folder / "figures" / "a.png", folder / "figures" / "b.png")
    assert read_inside(folder / "figures" / "b.png", tmp_path, 10, scope=folder) == b"png"
    os.link(folder / "figures" / "a.png", tmp_path / "elsewhere.png")
    with pytest.raises(UnsafeFile, match="hard link to a file outside group-1/"):
        read_inside(folder / "figures" / "b.png", tmp_path, 10, scope=folder)


def test_read_inside_refuses_what_is_not_a_file_or_outside(tmp_path: Path) -> None:
    (tmp_path / "fifo").parent.mkdir(exist_ok=True)
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(UnsafeFile, match="not a regular file"):
        read_inside(tmp_path / "fifo", tmp_path, 10)
    with pytest.raises(UnsafeFile, match="outside"):
        read_inside(tmp_path.parent / "x", tmp_path, 10)
    with pytest.raises(UnsafeFile, match="outside"):
        read_inside(tmp_path / ".." / "x", tmp_path, 10)
    with pytest.raises(FileNotFoundError):
        read_inside(tmp_path / "missing", tmp_path, 10)


def test_read_inside_refuses_a_large_file(tmp_path: Path) -> None:
    (tmp_path / "big").write_bytes(b"x" * 2_000_001)
    with pytest.raises(FileTooLarge, match=r"is 2\.0 MB, over the limit of 1\.0 MB") as e:
        read_inside(tmp_path / "big", tmp_path, 1_000_000)
    assert (e.value.size, e.value.limit) == (2_000_001, 1_000_000)


# -- the parser and the archive ---------------------------------------------------------------


def test_parse_report_refuses_links_and_huge_files(tmp_path: Path) -> None:
    secret = outside_file(tmp_path)
    folder = tmp_path / "group-1"
    folder.mkdir()
    (folder / "README.md").symlink_to(secret)
    with pytest.raises(ReportReadError, match="symbolic link"):
        parse_report(folder / "README.md")
    (folder / "README.md").unlink()
    (folder / "README.md").write_text("### Question 1\n\n" + "word " * 400_000)
    with pytest.raises(ReportReadError, match=r"over the limit of 1\.0 MB"):
        parse_report(folder / "README.md")
    assert parse_report(folder / "README.md", limit=3_000_000).answers


def linked_archive(root: Path) -> Path:
    """A sample report beside every kind of link to a file outside the archive."""
    secret = outside_file(root)
    reports = copy_reports(root / "reports", [GROUP])
    semester = reports / "2025-january"
    (semester / "group-1").mkdir()
    (semester / "group-1" / "README.md").symlink_to(secret)
    (semester / "group-2").mkdir()
    os.link(secret, semester / "group-2" / "README.md")
    (semester / "group-3").symlink_to(secret.parent, target_is_directory=True)
    (reports / "2024-june").symlink_to(semester, target_is_directory=True)
    (reports / GROUP / "group.yml").unlink(missing_ok=True)
    (reports / GROUP / "group.yml").symlink_to(secret)
    picture = root / "outside" / "secret.png"
    picture.write_bytes(PNG)
    (reports / GROUP / "figures").mkdir(exist_ok=True)
    os.link(picture, reports / GROUP / "figures" / "leak.png")
    (reports / GROUP / "figures" / "linked.png").symlink_to(picture)
    with (reports / GROUP / "README.md").open("a", encoding="utf-8") as f:
        f.write("\n![leak](figures/leak.png) ![linked](figures/linked.png)\n")
    return reports


def test_archive_never_reads_through_links(tmp_path: Path) -> None:
    reports = linked_archive(tmp_path)
    archive = load_archive(reports.resolve())
    assert [s.slug for s in archive.semesters] == ["2025-january"]
    groups = {g.slug: g for g in archive.groups}
    assert sorted(groups) == ["group-1", "group-2", "group-94"]
    assert groups["group-1"].report is None and groups["group-2"].report is None
    messages = {
        slug: " ".join(p.diagnostic.message for p in g.problems) for slug, g in groups.items()
    }
    assert "symbolic link" in messages["group-1"]
    assert "hard link" in messages["group-2"]
    assert "group.yml" in str(groups["group-94"].problems[-1].file)
    assert "symbolic link" in messages["group-94"]
    linked = {str(p.file.name): p.diagnostic.message for p in archive.problems}
    assert "symbolic link" in linked["group-3"] and "symbolic link" in linked["2024-june"]


def test_build_publishes_nothing_from_outside(tmp_path: Path) -> None:
    reports = linked_archive(tmp_path)
    result = build_site(tmp_path, site_config(reports))
    assert result.warnings() == []
    for path in result.site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".js"):
            assert SECRET not in path.read_text(encoding="utf-8", errors="replace"), path
    problems = result.article("problems/")
    assert "reports/2025-january/group-1/README.md" in problems
    assert "symbolic link" in problems and "hard link" in problems
    assert "figures/leak.png&#39; is not published: is a hard link" in problems
    assert not list(result.site.rglob("leak.*")) and not list(result.site.rglob("linked.*"))


def test_huge_report_is_a_problem_naming_its_size(tmp_path: Path) -> None:
    reports = copy_reports(tmp_path / "reports", [GROUP])
    big = reports / "2025-january/group-5"
    big.mkdir()
    (big / "README.md").write_text("### Question 1\n\n" + "lorem ipsum " * 200_000)
    result = build_site(tmp_path, site_config(reports, {"max_report_bytes": 500_000}))
    assert result.warnings() == []
    problems = result.article("problems/")
    assert "reports/2025-january/group-5/README.md" in problems
    assert "2.4 MB, over the limit of 500 kB" in problems
    assert "could not be read" in result.article("2025-january/group-5/")


# -- metadata values --------------------------------------------------------------------------


def test_dates_yaml_cannot_construct_are_problems_with_lines(tmp_path: Path) -> None:
    (tmp_path / "group.yml").write_text(
        "repository: https://github.com/a/b\ncommit: 'abc1234'\nimported: 2026-13-01\n"
    )
    meta, problems = read_group_meta(tmp_path)
    assert meta.repository == "https://github.com/a/b" and meta.imported is None
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'group.yml'}:3: imported: '2026-13-01' is not a date (YYYY-MM-DD) or a "
        "date and time (YYYY-MM-DDTHH:MM:SSZ); ignored"
    ]
    (tmp_path / "semester.yml").write_text("title: Winter\norder: 2026-02-30\n")
    semester, problems = read_semester_meta(tmp_path)
    assert (semester.title, semester.order) == ("Winter", 0)
    assert problems[0].line == 2 and "order: expected a whole number" in problems[0].message


@pytest.mark.parametrize(
    "value", ["2026-01-20", "2026-01-20T10:00:00Z", "2026-01-20 10:00:00", "'2026-01-20'"]
)
def test_valid_dates_are_kept_as_written(tmp_path: Path, value: str) -> None:
    (tmp_path / "group.yml").write_text(f"imported: {value}\n")
    meta, problems = read_group_meta(tmp_path)
    assert problems == [] and meta.imported == value.strip("'")


def test_bad_dates_do_not_stop_the_build(tmp_path: Path) -> None:
    reports = copy_reports(tmp_path / "reports", [GROUP])
    (reports / GROUP / "group.yml").write_text(
        yaml.safe_dump({"title": "Sentiment"}) + "imported: 2026-13-01\n"
    )
    (reports / "2025-january/semester.yml").write_text("order: 2026-02-30\n")
    result = build_site(tmp_path, site_config(reports), strict=True)
    assert result.warnings() == []
    problems = result.article("problems/")
    assert "2025-january/semester.yml:1</code>: order: expected a whole number" in problems
    assert "group.yml:2" in problems and "2026-13-01" in problems
    assert "Sentiment" in result.article(f"{GROUP}/")
