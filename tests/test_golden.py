"""Golden tests: each sample report in reports/ against its reviewed JSON in fixtures/golden/.

The expected files hold the whole parse (answers, checklist, extra) and the diagnostics,
the parser's "log lines". After an intended change, regenerate them with
``REPORT_ARCHIVE_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from report_archive.reports.parser import parse_report

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "fixtures" / "golden"
SAMPLES = sorted((ROOT / "reports").glob("*/*/README.md"))
UPDATE = os.environ.get("REPORT_ARCHIVE_UPDATE_GOLDEN") == "1"


def golden_path(report: Path) -> Path:
    return GOLDEN / f"{report.parent.parent.name}_{report.parent.name}.json"


def actual(report: Path) -> dict:
    data = parse_report(report).to_json()
    data["source"] = report.relative_to(ROOT).as_posix()
    return data


def test_there_are_samples() -> None:
    assert len(SAMPLES) >= 5


@pytest.mark.parametrize("report", SAMPLES, ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}")
def test_golden(report: Path) -> None:
    expected_file = golden_path(report)
    data = actual(report)
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        expected_file.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", "utf-8")
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    assert data["template"] == expected["template"]
    assert data["group"] == expected["group"]
    assert [d["message"] for d in data["diagnostics"]] == [
        d["message"] for d in expected["diagnostics"]
    ]
    assert data["checklist"] == expected["checklist"]
    for got, want in zip(data["answers"], expected["answers"], strict=True):
        assert got == want, f"question {want['number']} ({want['question']})"
    assert data["extra"] == expected["extra"]
    assert data == expected


def test_no_stale_golden_files() -> None:
    expected = {golden_path(p).name for p in SAMPLES}
    assert {p.name for p in GOLDEN.glob("*.json")} == expected
