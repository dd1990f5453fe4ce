"""`report-archive check --format csv` never writes a cell a spreadsheet would run."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from report_archive.cli import main
from report_archive.cli.csvout import FORMULA_STARTS, safe_cell, write_csv
from tests.reports import write

# A report that follows no known template, so its headings' titles are kept as written.
HOSTILE = """\
### Question 1 =HYPERLINK("http://x","y")

![a](<=cmd|' /C calc'!A0.png>) and ![b](+1.png)

### Question 2 +1

![c](@SUM(1).png) ![d](-2+3.png) ![e](figures/a.png)

### Question 3 @SUM(1)

Some text.

### Question 4 -SUM(1)

More text.
"""

# Folder names become the summary's "report" cells.
FOLDERS = ["=1+1", "+1", "-2+3", "@SUM(1)", "\tTAB", "\rCR", "group-1"]


def check_csv(capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> list[list[str]]:
    assert main(["check", "--format", "csv", *args]) == code
    out = capsys.readouterr().out
    return [row for row in csv.reader(io.StringIO(out, newline="")) if row]


def assert_no_formula(rows: list[list[str]]) -> None:
    cells = [cell for row in rows for cell in row]
    assert len(cells) > 20
    for cell in cells:
        # A spreadsheet also starts a cell after ";" where ";" separates lists.
        for part in cell.split(";"):
            assert not part.startswith(tuple(FORMULA_STARTS)), repr(cell)


def test_details_of_a_hostile_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = write(tmp_path / "g", HOSTILE)
    rows = check_csv(capsys, str(report))
    assert_no_formula(rows)
    titles = {row[0]: row[2] for row in rows[1:]}
    assert titles["1"] == '\'=HYPERLINK("http://x","y"'
    assert titles["2"] == "'+1"
    assert titles["3"] == "'@SUM(1"
    missing = {row[0]: row[8] for row in rows[1:]}
    assert missing["1"] == "'=cmd|' /C calc'!A0.png;'+1.png"
    assert missing["2"] == "'@SUM(1).png;'-2+3.png;figures/a.png"  # CommonMark's balanced ()
    assert rows[1][4:7] == ["5", "", "2"] and rows[1][9] == "True"  # computed: unchanged


def test_summary_of_hostile_folders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in FOLDERS:
        write(tmp_path / name, HOSTILE)
    write(tmp_path / "-binary", b"\x00\x01")
    rows = check_csv(capsys, str(tmp_path), code=2)  # the binary file is unreadable
    assert_no_formula(rows)
    names = {row[0] for row in rows[1:]}
    cr = next(name for name in names if name.endswith("CR"))  # "\r" itself shown escaped
    assert cr.startswith("'")
    assert names - {cr} == {"'" + n for n in FOLDERS[:-1] if n != "\rCR"} | {"group-1", "'-binary"}
    assert rows[0][:2] == ["report", "group"]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a;=b;c", "a;'=b;c"),
        (["=a", "b", "-c"], "'=a;b;'-c"),
        ("plain = text", "plain = text"),
        ("", ""),
        (-1, -1),
        (3, 3),
        (True, True),
        (None, None),
    ],
)
def test_safe_cell(value: object, cell: object) -> None:
    assert safe_cell(value) == cell


def test_write_csv_numbers_stay_numbers() -> None:
    assert write_csv([{"a": 1, "b": "=x", "c": None}]) == "a,b,c\n1,'=x,"
    assert write_csv([]) == ""
