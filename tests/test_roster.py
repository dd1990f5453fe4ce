from __future__ import annotations

from pathlib import Path

import pytest

from report_archive.staff.roster import RosterEntry, RosterError, parse_roster, read_roster

HEADER = "group_number,student_1,student_2,student_3,student_4,student_5,repo_url"
HASH = "0123456789abcdef0123456789abcdef01234567"


def write(tmp_path: Path, text: str, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def error(text: str) -> RosterError:
    with pytest.raises(RosterError) as info:
        parse_roster(text, "roster.csv")
    return info.value


def test_reads_the_course_columns(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"{HEADER}\n"
        "1,s224229,S230001,,,,https://github.com/a/one\n"
        "12, s1 ,s2,s3,s4,s5, /srv/repos/twelve \n",
    )
    assert read_roster(path) == [
        RosterEntry(1, ("s224229", "s230001"), "https://github.com/a/one", None, None, 2),
        RosterEntry(12, ("s1", "s2", "s3", "s4", "s5"), "/srv/repos/twelve", None, None, 3),
    ]


def test_branch_and_commit_columns_pin_a_version() -> None:
    entries = parse_roster(
        "group_number,student_1,repo_url,branch,commit\n"
        "1,s1,https://github.com/a/one,dev,\n"
        f"2,s2,https://github.com/a/two,,{HASH.upper()}\n"
        "3,s3,https://github.com/a/three,,\n"
    )
    assert [(e.branch, e.commit) for e in entries] == [("dev", None), (None, HASH), (None, None)]


def test_bom_crlf_blank_lines_and_header_case(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    text = "\ufeffGroup_Number , Student_1,REPO_URL\r\n\r\n4,s1,https://h/x\r\n\r\n5,s2,https://h/y\r\n"
    path.write_bytes(text.encode("utf-8"))
    entries = read_roster(path)
    assert [(e.group, e.line) for e in entries] == [(4, 3), (5, 5)]


def test_line_numbers_count_quoted_newlines() -> None:
    entries = parse_roster(
        'group_number,student_1,repo_url\n1,"two\nlines",https://h/a\n2,s2,https://h/b\n'
    )
    assert [e.line for e in entries] == [2, 4]


def test_message_names_file_line_and_column() -> None:
    exc = error(f"{HEADER}\n1,s1,,,,,https://h/a\nx,s1,,,,,https://h/b\n")
    assert (exc.file, exc.line, exc.column) == ("roster.csv", 3, "group_number")
    assert str(exc) == "roster.csv:3: column 'group_number': 'x' is not a positive whole number"
    assert isinstance(exc, ValueError)


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("group_number,student_1\n1,s1\n", 1, "repo_url", "missing column"),
        ("student_1,repo_url\ns1,https://h/a\n", 1, "group_number", "missing column"),
        ("group_number,repo_url,email\n1,https://h/a,x\n", 1, "email", "unknown column"),
        ("group_number,repo_url,repo_url\n1,a,b\n", 1, "repo_url", "twice"),
        ("group_number,repo_url\n1,https://h/a,extra\n", 2, None, "expected 2 fields, found 3"),
        ("group_number,repo_url\n1\n", 2, None, "expected 2 fields, found 1"),
        ("group_number,repo_url\n0,https://h/a\n", 2, "group_number", "positive"),
        ("group_number,repo_url\n,https://h/a\n", 2, "group_number", "empty"),
        ("group_number,repo_url\n1,https://h/a\n1,https://h/b\n", 3, "group_number", "line 2"),
        ("group_number,repo_url\n1,\n", 2, "repo_url", "empty"),
        ("group_number,repo_url\n1,git@github.com:a/b.git\n", 2, "repo_url", "ssh"),
        ("group_number,repo_url\n1,ssh://github.com/a/b\n", 2, "repo_url", "only https"),
        ("group_number,repo_url\n1,http://github.com/a/b\n", 2, "repo_url", "only https"),
        ("group_number,repo_url\n1,ext::sh -c touch% /tmp/x\n", 2, "repo_url", "helper"),
        ("group_number,repo_url\n1,--upload-pack=touch\n", 2, "repo_url", "'-'"),
        ("group_number,repo_url\n1,https://u:tok@github.com/a/b\n", 2, "repo_url", "credentials"),
        ("group_number,repo_url,commit\n1,https://h/a,abc1234\n", 2, "commit", "full commit"),
        ("group_number,repo_url,branch\n1,https://h/a,-x\n", 2, "branch", "not a valid"),
        ("group_number,repo_url,branch\n1,https://h/a,a..b\n", 2, "branch", "not a valid"),
        (f"group_number,repo_url,branch,commit\n1,https://h/a,m,{HASH}\n", 2, "commit", "both"),
        ("group_number,repo_url\n", 1, None, "no groups"),
        ("", None, None, "empty"),
        ('group_number,repo_url\n1,"https://h/a\n', 2, None, "bad CSV"),
    ],
)
def test_malformed_rosters_are_rejected(
    text: str, line: int | None, column: str | None, words: str
) -> None:
    exc = error(text)
    assert (exc.line, exc.column) == (line, column)
    assert words in str(exc)
    assert str(exc).startswith("roster.csv")


def test_local_paths_and_file_urls_are_accepted() -> None:
    entries = parse_roster(
        "group_number,repo_url\n1,repos/one\n2,file:///srv/two\n3,/abs/three\n4,./with space\n"
    )
    assert [e.repo_url for e in entries] == [
        "repos/one",
        "file:///srv/two",
        "/abs/three",
        "./with space",
    ]


def test_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(RosterError, match="cannot be read"):
        read_roster(tmp_path / "absent.csv")
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"group_number,student_1,repo_url\n1,J\xf8rgen,https://h/a\n")
    with pytest.raises(RosterError) as info:
        read_roster(path)
    assert info.value.line == 2
    assert "UTF-8" in str(info.value)
