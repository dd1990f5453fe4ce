"""`report-archive parse` and `check`, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reports import PNG, T27, T2026, blank, filled, write


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "report_archive.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def semester(tmp_path: Path) -> Path:
    root = tmp_path / "2026-january"
    write(root / "group-42", filled(T2026, q14="Our W&B runs.\n\n![wandb](figures/wandb.png)"))
    write(root / "group-42" / "figures", PNG, "wandb.png")
    write(root / "group-7", filled(T27, q1="7", q7=" ".join(["long"] * 300)))
    write(root / "group-9", blank(T2026))
    return root


def test_parse_json_schema(semester: Path) -> None:
    result = run("parse", "--json", str(semester))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [d["group"]["number"] for d in data] == [7, None, 42]  # natural order
    first = data[2]
    assert set(first) >= {
        "source",
        "template",
        "group",
        "checklist",
        "answers",
        "extra",
        "diagnostics",
        "tools",
        "mentions",
    }
    assert first["template"] == {"id": "31-2026", "questions": 31}
    assert first["group"]["members"] == ["s224229", "s224176", "s225785"]
    assert set(first["checklist"][0]) >= {"text", "checked", "modules", "note"}
    answer = next(a for a in first["answers"] if a["question"] == "experiment-tracking")
    assert answer["number"] == 14 and answer["title"] == "Experiment tracking"
    assert answer["markdown"] == "Our W&B runs.\n\n![wandb](figures/wandb.png)"
    assert answer["status"] == "answered" and answer["words"] == 4 and answer["images"] == 1
    assert answer["range"] == {"words": [200, 300], "images": [1, 3]}
    assert answer["ok"] is False
    assert answer["references"][0]["status"] == "found"
    assert set(first["diagnostics"][0]) >= {"level", "line", "message"}
    wandb = next(t for t in first["tools"] if t["id"] == "wandb")
    assert wandb["name"] == "Weights & Biases" and wandb["category"] == "experiment-tracking"
    assert wandb["evidence"][0] == {"question": "experiment-tracking", "text": "Our W&B runs."}
    # the template's prompts name tools too, but only the students' text counts
    assert {t["id"] for t in data[1]["tools"]} == set() and data[1]["mentions"] == []


def test_parse_json_mentions_not_used(tmp_path: Path) -> None:
    write(
        tmp_path / "group-3",
        filled(T2026, q14="We did not use DVC. We could have used Prometheus for monitoring."),
    )
    data = json.loads(run("parse", "--json", str(tmp_path)).stdout)[0]
    assert "dvc" not in {t["id"] for t in data["tools"]}
    reasons = {m["id"]: m["reason"] for m in data["mentions"]}
    assert reasons["dvc"] == "negated" and reasons["prometheus"] == "hypothetical"


def test_tools_command_counts_per_semester(tmp_path: Path) -> None:
    for semester, group, text in [
        ("2025-january", "group-2", "We used DVC with a remote."),
        ("2025-january", "group-10", "We did not use DVC."),
        ("2026-january", "group-1", "We used DVC and Docker."),
    ]:
        write(tmp_path / semester / group, filled(T2026, q14=text))
    result = run("tools", "--format", "json", str(tmp_path))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["groups"] == {"2025-january": 2, "2026-january": 1}
    dvc = next(t for t in data["tools"] if t["id"] == "dvc")
    assert dvc["groups"] == 2 and dvc["semesters"] == {"2025-january": 1, "2026-january": 1}
    assert data["tools"][0]["id"] == "dvc"  # most used first
    table = run("tools", str(tmp_path)).stdout
    assert "1/2" in table and "3 reports in 2 semesters" in table
    csv_out = run("tools", "--format", "csv", str(tmp_path)).stdout
    assert csv_out.splitlines()[0] == "id,name,category,groups,share,2025-january,2026-january"


def test_parse_text_summary(semester: Path) -> None:
    result = run("parse", str(semester / "group-7" / "README.md"))
    assert result.returncode == 0
    assert "template 27, group 7" in result.stdout


def test_check_single_report_table(semester: Path) -> None:
    result = run("check", str(semester / "group-7" / "README.md"))
    assert result.returncode == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if line.startswith("7 "))
    assert "Tests" in row and "too long" in row and "300 / 50-100" in row
    assert "README.md:" in result.stdout and "300 words" in result.stdout


def test_check_semester_one_line_per_group(semester: Path) -> None:
    result = run("check", str(semester))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert [ln.split()[0] for ln in lines[2:5]] == ["group-7", "group-9", "group-42"]
    assert "3 reports: 0 complete, 1 with unanswered questions, 2 with answers out" in result.stdout
    header = lines[0].split()
    assert "unanswered" in header and "ok" not in header
    rows = json.loads(run("check", "--format", "json", str(semester)).stdout)
    assert rows[1]["report"] == "group-9" and rows[1]["unanswered"] == 31 - 2  # Q1, Q2 filled
    assert rows[0]["unanswered"] == 0 and rows[0]["out_of_range"] >= 1


@pytest.mark.parametrize("fmt", ["csv", "json", "markdown", "table"])
def test_check_formats(semester: Path, fmt: str) -> None:
    result = run("check", "--format", fmt, str(semester))
    assert result.returncode == 0
    out = result.stdout
    if fmt == "json":
        rows = json.loads(out)
        assert [r["group"] for r in rows] == [7, None, 42]
        assert rows[0]["out_of_range"] >= 1
    elif fmt == "csv":
        assert out.splitlines()[0].startswith("report,group,template,answered")
        assert out.splitlines()[1].startswith("group-7,7,27,")
    elif fmt == "markdown":
        assert out.startswith("| report | group |") and "|---|" in out
    else:
        assert out.startswith("report")


def test_check_strict_exit_codes(semester: Path, tmp_path: Path) -> None:
    assert run("check", "--strict", str(semester)).returncode == 1
    good = filled(T2026, q14="W&B " + " ".join(["word"] * 220) + " ![x](https://e.org/x.png)")
    for n, text in {
        19: "![b](https://e.org/b.png)",
        20: "![r](https://e.org/r.png)",
        21: "![c](https://e.org/c.png)",
    }.items():
        good = good.replace(f"Answer{n} " + " ".join(["word"] * 120), text)
    good = good.replace(
        "Answer29 " + " ".join(["word"] * 120),
        "Arch " + " ".join(["word"] * 220) + " ![a](https://e.org/a.png)",
    )
    good = good.replace("Answer11 " + " ".join(["word"] * 120), " ".join(["ci"] * 220))
    good = good.replace("Answer14 " + " ".join(["word"] * 120), "")
    good = good.replace("Answer30 " + " ".join(["word"] * 120), " ".join(["hard"] * 220))
    good = good.replace("Answer7 " + " ".join(["word"] * 120), " ".join(["t"] * 60))
    good = good.replace("Answer12 " + " ".join(["word"] * 120), " ".join(["cfg"] * 60))
    path = write(tmp_path / "good", good)
    result = run("check", "--strict", str(path))
    assert result.returncode == 0, result.stdout
    assert run("check", str(semester)).returncode == 0


def test_check_unreadable_exit_2(tmp_path: Path) -> None:
    binary = write(tmp_path / "bin", PNG)
    result = run("check", str(binary))
    assert result.returncode == 2
    assert "binary" in result.stderr and "Traceback" not in result.stderr
    result = run("check", str(tmp_path / "missing.md"))
    assert result.returncode == 2 and "no such file" in result.stderr
    assert run("parse", str(binary)).returncode == 2


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01\x02", b"\xff\xfe\xfd not utf-8", b"### Question 1\n```", b"\r\r\r"],
)
def test_no_traceback_on_any_input(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path / "x", content)
    result = run("check", str(path))
    assert result.returncode in (0, 2)
    assert "Traceback" not in result.stderr


def test_check_reports_bad_metadata_with_file_and_line(semester: Path) -> None:
    (semester / "group-42" / "group.yml").write_text("title: ok\nimported: 2026-13-01\n")
    (semester / "semester.yml").write_text("order: 2026-02-30\n")
    result = run("check", str(semester))
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert f"{semester / 'group-42' / 'group.yml'}:2: imported: '2026-13-01'" in result.stderr
    assert f"{semester / 'semester.yml'}:1: order: expected a whole number" in result.stderr
