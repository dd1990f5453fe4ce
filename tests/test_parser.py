"""The parser, one messy-report pattern at a time, on reports made from blank templates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from report_archive.reports.model import RefStatus, Report, Status
from report_archive.reports.parser import ReportReadError, parse_bytes, parse_report
from tests.reports import PNG, T27, T27_FRONT_MATTER, T2025, T2026, blank, fill, filled, write


def parse(tmp_path: Path, text: str | bytes) -> Report:
    return parse_report(write(tmp_path / "group-42", text))


def codes(report: Report) -> list[str]:
    return [d.code for d in report.diagnostics]


# -- template families -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "family", "count"),
    [(T27, "27", 27), (T27_FRONT_MATTER, "27", 27), (T2025, "31-2025", 31), (T2026, "31-2026", 31)],
)
def test_blank_templates_are_recognised(
    tmp_path: Path, template: Path, family: str, count: int
) -> None:
    report = parse(tmp_path, blank(template))
    assert report.template.id == family
    assert report.template.questions == count
    assert len(report.answers) == count
    assert all(a.status is Status.UNANSWERED for a in report.answers)
    assert all(a.markdown == "" for a in report.answers)
    assert report.extra == ""
    assert report.checklist or template == T27_FRONT_MATTER


def test_same_question_under_different_numbers(tmp_path: Path) -> None:
    old = parse(tmp_path / "a", fill(blank(T27), {25: "Old architecture ![a](figures/a.png)"}))
    new = parse(tmp_path / "b", fill(blank(T2026), {29: "New architecture"}))
    assert old.answer("architecture-figure").number == 25
    assert new.answer("architecture-figure").number == 29
    assert old.answer("architecture-figure").markdown.startswith("Old architecture")
    assert new.answer("architecture-figure").markdown == "New architecture"
    assert old.answer("architecture-figure").image_range == (1, 1)


def test_mixed_template_is_read_question_by_question(tmp_path: Path) -> None:
    # The 2026 header and checklist with the 2025 wording of question 3.
    text = blank(T2026)
    q3_2025 = re.search(r"### Question 3\n(.*?)\n## ", blank(T2025), re.S)
    q3_2026 = re.search(r"### Question 3\n(.*?)\n## ", text, re.S)
    assert q3_2025 and q3_2026
    text = text.replace(q3_2026.group(1), q3_2025.group(1))
    report = parse(tmp_path, text)
    assert report.template.id == "31-2025"
    assert any("uv" in item.text for item in report.checklist)


def test_edited_title_line_is_still_read(tmp_path: Path) -> None:
    text = filled(T2026).replace(
        "# Exam template for 02476 Machine Learning Operations", "# Our project report"
    )
    report = parse(tmp_path, text)
    assert report.template.id == "31-2026"
    assert report.extra.startswith("# Our project report")
    assert "This is the report template" not in report.extra


def test_removed_title_line_is_still_read(tmp_path: Path) -> None:
    text = filled(T2025).replace("# Exam template for 02476 Machine Learning Operations\n", "")
    report = parse(tmp_path, text)
    assert report.template.id == "31-2025"
    assert report.group.number == 42


def test_uncatalogued_template_falls_back_to_headings(tmp_path: Path) -> None:
    text = (
        "# Another course\n\n### Question 1 What is a tensor?\n\nAn array.\n\n"
        "### Question 2 Why GPUs?\n\n> **Explain.**\n>\n> Answer:\n\nThey are fast.\n"
    )
    report = parse(tmp_path, text)
    assert report.template.id == "unknown"
    assert [a.question for a in report.answers] == ["q1", "q2"]
    assert report.answers[0].title == "What is a tensor?"
    assert report.answers[0].markdown == "An array."
    assert report.answers[1].markdown == "**Explain.**\n\nThey are fast."
    assert "unknown-template" in codes(report)


# -- group information -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("94", 94),
        ("Group number:  94", 94),
        ("MLOPS 15", 15),
        ("--- 40 ---", 40),
        ("*Group 36*", 36),
        ("Group: MLOps 1", 1),
        ("Awesome 10", 10),
        ("We are group 7 of course 02476", 7),
    ],
)
def test_group_number(tmp_path: Path, written: str, number: int) -> None:
    report = parse(tmp_path, filled(T2026, q1=written))
    assert report.group.number == number


def test_no_group_number_is_a_diagnostic(tmp_path: Path) -> None:
    report = parse(tmp_path, filled(T2026, q1="the best group"))
    assert report.group.number is None
    assert "group-number" in codes(report)


@pytest.mark.parametrize(
    "written",
    [
        "s224229, s224176, s225785",
        "*s224229,  s224176,\ts225785*",
        "s224229\ns224176\ns225785",
        "- S224229\n- s224176\n- s225785",
        "s224229; s 224176 and s-225785",
        "Anna s224229, Bo s224176, Cy s225785",
        "--- s224229, s224176, s225785 ---",
    ],
)
def test_members(tmp_path: Path, written: str) -> None:
    report = parse(tmp_path, filled(T2026, q2=written))
    assert report.group.members == ("s224229", "s224176", "s225785")


def test_member_without_s(tmp_path: Path) -> None:
    report = parse(tmp_path, filled(T2026, q2="183546, s201968"))
    assert report.group.members == ("s201968", "s183546")
    assert "student-number" in codes(report)


# -- checklist -------------------------------------------------------------------------


def test_checklist(tmp_path: Path) -> None:
    text = filled(T2026)
    text = text.replace("* [ ] Create a git repository (M5)", "* [x] Create a git repository (M5)")
    text = text.replace(
        "* [ ] Use logging to log important events in your code (M14)",
        "* [✅] Use logging to log important events in your code (M14) - we used loguru",
    )
    text = text.replace(
        "* [ ] Make sure that all team members have write access to the GitHub repository (M5)",
        "- [X] Make sure that all team members have write access to the GitHub repository (M5)",
    )
    report = parse(tmp_path, text)
    items = {item.text: item for item in report.checklist}
    assert items["Create a git repository"].checked
    assert items["Create a git repository"].modules == ("M5",)
    assert items["Create a git repository"].section == "Week 1"
    assert items[
        "Make sure that all team members have write access to the GitHub repository"
    ].checked
    logging_item = items["Use logging to log important events in your code"]
    assert logging_item.checked and logging_item.note == "- we used loguru"
    multi = next(i for i in report.checklist if i.modules == ("M2", "M6"))
    assert not multi.checked and "pyproject.toml" in multi.text and multi.note == ""
    assert sum(i.checked for i in report.checklist) == 3
    assert len(report.checklist) == 53


# -- answers ---------------------------------------------------------------------------


def test_prompt_example_and_placeholder_are_removed(tmp_path: Path) -> None:
    report = parse(tmp_path, filled(T2026, q4="We used uv."))
    a = report.answer("dependencies")
    assert a.markdown == "We used uv."
    assert a.words == 3 and a.status is Status.ANSWERED
    assert a.word_range == (100, 200) and not a.ok


def test_placeholder_kept_next_to_answer(tmp_path: Path) -> None:
    text = fill(blank(T2026), {9: "We used branches."}, keep_placeholder=True)
    report = parse(tmp_path, text)
    assert report.answer("branches-and-prs").markdown == "We used branches."


def test_placeholder_only_is_unanswered(tmp_path: Path) -> None:
    report = parse(tmp_path, blank(T2026))
    a = report.answer("docker")
    assert a.status is Status.UNANSWERED and a.words == 0
    assert any(d.code == "unanswered" and d.question == "docker" for d in report.diagnostics)


def test_dashes_around_text_are_an_answer(tmp_path: Path) -> None:
    report = parse(tmp_path, filled(T2026, q7="--- We wrote 12 tests ---"))
    assert report.answer("tests").markdown == "We wrote 12 tests"


def test_text_typed_inside_the_quoted_prompt(tmp_path: Path) -> None:
    text = blank(T2026).replace(
        "> **How many tests did you implement and what are they testing in your code?**\n>\n",
        "> **How many tests did you implement and what are they testing in your code?**\n>\n"
        "> We wrote five tests of the data module.\n>\n",
    )
    report = parse(tmp_path, text)
    assert report.answer("tests").markdown == "We wrote five tests of the data module."


def test_a_revised_prompt_and_example_are_template_text(tmp_path: Path) -> None:
    """A template revision the catalogue lacks words the prompt and example differently:
    quoted bold and italic lines before "> Answer:" are still the template's."""
    prompt = "> **How many tests did you implement and what are they testing in your code?**\n"
    text = blank(T2026)
    assert prompt in text
    text = text.replace(
        prompt,
        "> **How many functional tests did you implement, and what do they test?**\n"
        "> We wrote five tests of the data module.\n>\n"
        "> *For example: we tested the API with httpx and locust with 100 users.*\n",
    )
    report = parse(tmp_path, text)
    assert report.answer("tests").markdown == "We wrote five tests of the data module."


def test_text_typed_before_answer_marker(tmp_path: Path) -> None:
    text = blank(T2026)
    start = text.index("### Question 12")
    marker = text.index("> Answer:", start)
    text = text[:marker] + "Hydra configs, run with python train.py lr=0.1\n\n" + text[marker:]
    report = parse(tmp_path, text)
    assert report.answer("experiment-config").markdown == (
        "Hydra configs, run with python train.py lr=0.1"
    )


def test_answer_as_blockquote_after_prompt(tmp_path: Path) -> None:
    report = parse(tmp_path, filled(T2026, q1="> 24"))
    assert report.group.number == 24


def test_word_count_follows_course_checker(tmp_path: Path) -> None:
    answer = "We used `ruff` and **mypy**.\n\n- one\n- two three"
    report = parse(tmp_path, filled(T2026, q6=answer))
    assert report.answer("code-quality").words == len(answer.split())


def test_out_of_range_is_a_diagnostic_with_line(tmp_path: Path) -> None:
    text = filled(T2026, q7=" ".join(["long"] * 150))
    report = parse(tmp_path, text)
    d = next(d for d in report.diagnostics if d.code == "out-of-range" and d.question == "tests")
    lines = text.split("\n")
    assert lines[d.line - 1] == "### Question 7"
    assert "150 words" in d.message and "50–100" in d.message


def test_optional_question_left_blank_is_ok(tmp_path: Path) -> None:
    report = parse(tmp_path, blank(T2026))
    extra = report.answer("extra-features")
    assert extra.status is Status.UNANSWERED and extra.ok
    assert not report.answer("docker").ok


def test_student_headings_stay_in_their_answer(tmp_path: Path) -> None:
    answer = "Intro.\n\n# config.yaml\n\nlr: 1\n\n### Details\n\nMore."
    report = parse(tmp_path, filled(T2026, q12=answer))
    assert report.answer("experiment-config").markdown == answer
    assert report.extra == ""


def test_closing_section_after_last_question_is_extra(tmp_path: Path) -> None:
    text = filled(T2026) + "\n\n## Thanks\n\nThank you for a great course!\n"
    report = parse(tmp_path, text)
    assert report.extra == "## Thanks\n\nThank you for a great course!"
    assert "Thank you" not in report.answer("contributions").markdown


def test_text_added_to_preamble_and_sections_is_extra(tmp_path: Path) -> None:
    text = filled(T2026).replace(
        "## Coding environment\n", "## Coding environment\n\nWe loved this section.\n"
    )
    text = text.replace(
        "## Overall project checklist\n", "Project by group 42.\n\n## Overall project checklist\n"
    )
    report = parse(tmp_path, text)
    assert report.extra == "Project by group 42.\n\nWe loved this section."


def test_hash_lines_inside_code_are_not_headings(tmp_path: Path) -> None:
    answer = (
        "Run it:\n\n```bash\n# Question 9 is not a heading\n### Question 10\nmake train\n```"
        "\n\nDone."
    )
    report = parse(tmp_path, filled(T2026, q4=answer))
    assert report.answer("dependencies").markdown == answer
    assert report.answer("branches-and-prs").markdown.startswith("Answer9")


def test_unclosed_code_fence(tmp_path: Path) -> None:
    answer = (
        "Our Dockerfile:\n\n```dockerfile\nFROM python:3.11\n## install deps\nRUN pip install ."
    )
    report = parse(tmp_path, filled(T2026, q15=answer))
    docker = report.answer("docker")
    assert "FROM python:3.11" in docker.markdown
    assert "## install deps\nRUN pip install ." in docker.markdown
    assert report.answer("debugging-and-profiling").markdown.startswith("Answer16")
    assert "unclosed-fence" in codes(report)


def test_duplicated_heading_keeps_both_texts(tmp_path: Path) -> None:
    text = filled(T2026, q8="First text.")
    text = text.replace("### Question 9\n", "### Question 8\n\nSecond text.\n\n### Question 9\n")
    report = parse(tmp_path, text)
    assert report.answer("coverage").markdown == "First text.\n\nSecond text."
    assert "duplicate-question" in codes(report)


def test_renumbered_heading_is_read_by_its_prompt(tmp_path: Path) -> None:
    text = filled(T2026, q24="We deployed on Cloud Run.")
    text = text.replace("### Question 24\n", "### Question 23b\n", 1)
    text = text.replace("### Question 23b\n", "### Question 42\n", 1)
    report = parse(tmp_path, text)
    assert report.answer("deployment").markdown == "We deployed on Cloud Run."
    assert "renumbered" in codes(report)


def test_heading_text_added_by_student_is_kept(tmp_path: Path) -> None:
    text = filled(T2026, q18="We used e2 VMs.").replace(
        "### Question 18\n", "### Question 18 CHECK\n"
    )
    report = parse(tmp_path, text)
    assert report.answer("compute-engine").markdown == "**CHECK**\n\nWe used e2 VMs."


# -- references ------------------------------------------------------------------------


def test_image_references(tmp_path: Path) -> None:
    folder = tmp_path / "group-42"
    write(folder / "figures", PNG, "a.png")
    write(folder / "figures", PNG, "with spaces.png")
    write(folder / "figures", PNG, "Case.PNG")
    write(tmp_path, "secret", "secret.png")
    answer = "\n".join(
        [
            "![a](figures/a.png)",
            "![b](./figures/a.png)",
            "![c](/reports/figures/a.png)",
            "![d](<figures/with spaces.png>)",
            "![e](figures/with%20spaces.png)",
            "![f](figures/case.png)",
            "![g](figures/never-committed.png)",
            "![h](https://example.org/x.png)",
            "[![i](figures/a.png)](figures/a.png)",
            "![j](../secret.png)",
            "![k](../../etc/passwd)",
            '<img src="figures/a.png" width="50%">',
        ]
    )
    report = parse_report(write(folder, filled(T2026, q14=answer)))
    refs = report.answer("experiment-tracking").references
    by_target = [(r.target, r.kind.value, r.status, r.path) for r in refs]
    assert by_target == [
        ("figures/a.png", "image", RefStatus.FOUND, "figures/a.png"),
        ("./figures/a.png", "image", RefStatus.FOUND, "figures/a.png"),
        ("/reports/figures/a.png", "image", RefStatus.FOUND, "figures/a.png"),
        ("figures/with spaces.png", "image", RefStatus.FOUND, "figures/with spaces.png"),
        ("figures/with%20spaces.png", "image", RefStatus.FOUND, "figures/with spaces.png"),
        ("figures/case.png", "image", RefStatus.FOUND, "figures/Case.PNG"),
        ("figures/never-committed.png", "image", RefStatus.MISSING, None),
        ("https://example.org/x.png", "image", RefStatus.EXTERNAL, None),
        ("figures/a.png", "link", RefStatus.FOUND, "figures/a.png"),
        ("figures/a.png", "image", RefStatus.FOUND, "figures/a.png"),
        ("../secret.png", "image", RefStatus.OUTSIDE, None),
        ("../../etc/passwd", "image", RefStatus.OUTSIDE, None),
        ("figures/a.png", "image", RefStatus.FOUND, "figures/a.png"),
    ]
    assert codes(report).count("missing-figure") == 1
    assert codes(report).count("outside-figure") == 2
    assert codes(report).count("figure-case") == 1
    missing = next(d for d in report.diagnostics if d.code == "missing-figure")
    text_lines = (folder / "README.md").read_text().split("\n")
    assert "never-committed" in text_lines[missing.line - 1]


def test_symlink_out_of_the_folder_is_not_followed(tmp_path: Path) -> None:
    folder = tmp_path / "group-42"
    write(tmp_path, PNG, "outside.png")
    (folder / "figures").mkdir(parents=True)
    (folder / "figures" / "link.png").symlink_to(tmp_path / "outside.png")
    report = parse_report(write(folder, filled(T2026, q19="![x](figures/link.png)")))
    (ref,) = report.answer("bucket-figure").references
    assert ref.status is RefStatus.MISSING and ref.path is None


# -- input as it comes -----------------------------------------------------------------


def test_bom_crlf_tabs_nbsp(tmp_path: Path) -> None:
    text = filled(T2026, q4="We\u00a0used\tuv.")
    data = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    report = parse(tmp_path, data)
    assert report.template.id == "31-2026"
    assert report.answer("dependencies").markdown == "We used\tuv."
    assert report.group.number == 42


def test_front_matter(tmp_path: Path) -> None:
    report = parse(tmp_path, fill(blank(T27_FRONT_MATTER), {1: "7"}))
    assert report.template.id == "27"
    assert report.extra == ""
    assert report.group.number == 7


def test_invalid_utf8_is_decoded_with_a_diagnostic(tmp_path: Path) -> None:
    text = filled(T2026, q4="Caf\ufffd here.")
    data = text.encode("utf-8").replace("\ufffd".encode(), b"\xe9")
    report = parse(tmp_path, data)
    assert report.answer("dependencies").markdown == "Café here."
    d = next(d for d in report.diagnostics if d.code == "encoding")
    assert "UTF-8" in d.message and d.line == text.split("\n").index("Caf\ufffd here.") + 1


def test_mojibake_is_repaired(tmp_path: Path) -> None:
    report = parse(tmp_path, filled(T2026, q3="We used Pythonâ€™s typing and naÃ¯ve Bayes."))
    assert (
        report.answer("third-party-package").markdown == "We used Python’s typing and naïve Bayes."
    )
    assert any(d.code == "encoding" and "repaired" in d.message for d in report.diagnostics)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_read(tmp_path: Path, codec: str) -> None:
    # What Windows PowerShell's "echo ... > README.md" writes; it was read as binary.
    text = filled(T2026, q4="Café here.\r\nAnd there.")
    data = text.encode(codec) if codec == "utf-16" else "\ufeff".encode(codec) + text.encode(codec)
    report = parse(tmp_path, data)
    expected = parse_bytes(text.encode(), report.source)
    assert report.answer("dependencies").markdown == "Café here.\nAnd there."
    assert [a.markdown for a in report.answers] == [a.markdown for a in expected.answers]
    assert any(d.code == "encoding" and "UTF-16" in d.message for d in report.diagnostics)


def test_a_utf16_byte_order_mark_before_utf8_text_is_not_utf16(tmp_path: Path) -> None:
    report = parse(tmp_path, b"\xff\xfe" + filled(T2026, q4="Café here.").encode())
    assert report.answer("dependencies").markdown == "Café here."


# -- broken input ----------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    report = parse(tmp_path, "")
    assert report.answers == [] and report.extra == ""
    assert "empty" in codes(report)


def test_binary_file_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(ReportReadError, match="binary"):
        parse(tmp_path, PNG)


def test_missing_file_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(ReportReadError):
        parse_report(tmp_path / "nope" / "README.md")


def test_no_headings(tmp_path: Path) -> None:
    report = parse(tmp_path, "Just some notes.\n\nNothing else.")
    assert report.extra == "Just some notes.\n\nNothing else."
    assert "no-questions" in codes(report)


def test_parse_bytes_without_a_file() -> None:
    report = parse_bytes(filled(T2026).encode(), Path("/nonexistent/README.md"))
    assert report.group.number == 42
