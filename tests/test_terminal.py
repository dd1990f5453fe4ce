"""Student text reaches the staff's terminal shown, never obeyed (`report_archive.cli.terminal`)."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from report_archive.cli import main
from report_archive.cli.terminal import EscapeControlsFilter, escape_controls, json_safe
from tests.reports import write

C0 = {*range(0x20)} - {0x0A, 0x09}
C1 = {*range(0x80, 0xA0)}
BIDI = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
UNSAFE = C0 | {0x7F} | C1 | BIDI

FOLDER = "group-\x1b[31m7"
REPORT = """\
### Question 1 \x1b[2J cleared

![x](figures/\x1b]0;pwned\x07.png)

### Question 2 \u202egnp.exe and \x9b31m

Answer \x85 with a C1 next line, \u2066isolated\u2069 and DEL\x7f.
"""


def raw_unsafe(text: str) -> set[str]:
    return {c for c in text if ord(c) in UNSAFE}


def test_escape_controls_every_code_point() -> None:
    others = "".join(map(chr, range(0x110000))).translate(dict.fromkeys(UNSAFE))
    assert escape_controls(others) == others  # text, line feed, tab, emoji: unchanged
    for c in UNSAFE:
        shown = escape_controls(chr(c))
        assert shown == (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}")
    assert escape_controls("\x1b]0;t\x07\r") == "\\x1b]0;t\\x07\\x0d"
    assert escape_controls("\u202e\u2066\u200f") == "\\u202e\\u2066\\u200f"
    assert escape_controls("line\n\tindented æøå 😀") == "line\n\tindented æøå 😀"


def test_json_safe_keeps_values_and_survives_escaping() -> None:
    value = {"title": "".join(map(chr, sorted(UNSAFE))) + "\n\tæ", "n": [1, None]}
    text = json_safe(json.dumps(value, ensure_ascii=False, indent=2))
    assert json.loads(text) == value
    assert escape_controls(text) == text
    assert "\\u202e" in text and "\\u0085" in text and "\\u007f" in text


def test_log_filter_escapes_the_message() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%s: %s", ("a\x1b[2J", 3), None)
    assert EscapeControlsFilter().filter(record)
    assert record.getMessage() == "a\\x1b[2J: 3"


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A semester whose folder names and reports carry ESC, C1 and bidi characters."""
    semester = tmp_path / "2026-january"
    write(semester / FOLDER, REPORT)
    write(semester / "group-\u202e8", REPORT)
    return semester


def assert_shown_not_obeyed(text: str, *escaped: str) -> None:
    assert not raw_unsafe(text), sorted(raw_unsafe(text))
    for shown in escaped:
        assert shown in text


NAMES = ("group-\\x1b[31m7", "group-\\u202e8")
TITLES = ("\\x1b[2J", "\\u202egnp.exe", "\\x9b31m", "figures/\\x1b]0;pwned\\x07.png")


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["parse"], NAMES),
        (["check"], NAMES),
        (["check", "--details"], NAMES + TITLES),
        (["check", "--details", "--format", "markdown"], NAMES + TITLES),
        (["check", "--details", "--format", "csv"], TITLES),
    ],
)
def test_cli_text_output(
    hostile: Path, capsys: pytest.CaptureFixture[str], args: list[str], shown: tuple[str, ...]
) -> None:
    main([*args, str(hostile), str(hostile / "missing-\x1b[2J.md")])
    out, err = capsys.readouterr()
    assert_shown_not_obeyed(out + err, "missing-\\x1b[2J", *shown)


@pytest.mark.parametrize("args", [["parse", "--json"], ["check", "--details", "--format", "json"]])
def test_cli_json_output_keeps_its_values(
    hostile: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    main([*args, str(hostile / FOLDER)])
    out, err = capsys.readouterr()
    assert_shown_not_obeyed(out + err)
    data = json.loads(out)
    if args[0] == "parse":
        (report,) = data
        assert report["source"].endswith(f"{FOLDER}/README.md")
        answers = report["answers"]
    else:
        answers = data["questions"]
    titles = [a["title"] for a in answers]
    assert titles[0].startswith("\x1b[2J") and "\u202egnp.exe and \x9b31m" in titles[1]
    if args[0] == "parse":
        assert "\x85" in answers[1]["markdown"] and "\x7f" in answers[1]["markdown"]


def test_console_script_output(hostile: Path) -> None:
    done = subprocess.run(
        [Path(sys.executable).with_name("report-archive"), "check", "--details", str(hostile)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert_shown_not_obeyed(done.stdout + done.stderr, "group-\\x1b[31m7", "\\x1b[2J")


def test_argparse_messages_are_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["parse", "README.md", "--\u202eevil\x1b[2J"])
    assert_shown_not_obeyed(
        capsys.readouterr().err, "unrecognized arguments: --\\u202eevil\\x1b[2J"
    )


def test_plugin_log_messages_are_escaped(hostile: Path, tmp_path: Path) -> None:
    from tests.site_check import build_site, site_config

    config = site_config(hostile.parent, {"search": {"engine": "none"}, "jobs": 1})
    built = build_site(tmp_path / "site", config)
    plugin = [r.getMessage() for r in built.records if r.name.endswith("report_archive.plugin")]
    assert any("group-\\x1b[31m7" in m and "figures/\\x1b]0;pwned\\x07.png" in m for m in plugin)
    assert_shown_not_obeyed("\n".join(plugin))
