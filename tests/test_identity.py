"""A project's identity: plain text, README titles and summaries, derived titles, precedence.

The derived titles of the 33 corpus reports are golden data judged by hand
(``tests/fixtures/identity/derived.yml``): each records whether the title is meaningful.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from report_archive.reports.identity import (
    MAX_TITLE,
    TitleSource,
    derive_title,
    group_identity,
    name_words,
    plain_line,
    readme_identity,
)
from report_archive.reports.identity.readme import MAX_SUMMARY
from report_archive.reports.meta import GroupMeta, read_group_meta
from report_archive.reports.parser import parse_bytes, parse_report
from report_archive.reports.tools import detect_tools, load_tool_catalogue
from tests.helpers import CORPUS, requires_corpus
from tests.reports import T27, T2026, blank, fill

GOLDEN = Path(__file__).resolve().parent / "fixtures" / "identity" / "derived.yml"
UPDATE = os.environ.get("REPORT_ARCHIVE_UPDATE_GOLDEN") == "1"
SOURCE = Path("/nowhere/2026-january/group-7/README.md")


def quiet(template: Path = T2026, **answers: str):  # type: ignore[no-untyped-def]
    """A parsed report with only `answers` answered (every other question left blank)."""
    text = fill(blank(template), {int(k[1:]): v for k, v in answers.items()})
    return parse_bytes(text.encode(), SOURCE)


# -- plain text ------------------------------------------------------------------------------


def test_plain_line_keeps_the_words_and_drops_the_markup() -> None:
    text = (
        "# **Bird** _species_ `classifier` [docs](https://x.example/a(b)) "
        "![badge](https://img.shields.io/x.svg) <img src=x onerror=alert(1)> &lt;b&gt;bold "
        "\x1b]0;pwned\x07 \u202eevil\u200b\n  second   line"
    )
    assert plain_line(text, 200) == "Bird species classifier docs bold ]0;pwned evil second line"


def test_plain_line_is_cut_at_a_word() -> None:
    cut = plain_line("alpha beta gamma delta epsilon", 20)
    assert cut == "alpha beta gamma…" and len(cut) <= 20


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("ml_ops_detect_ai_generated_text", ["detect", "AI", "generated", "text"]),
        ("Patch_Camelyon_2024_MLOPS_G28", ["Patch", "Camelyon"]),
        ("rice_cnn_classifier", ["rice", "CNN", "classifier"]),
        ("DTU-02476-Group-100-Project", []),
        ("mlopsg24", []),
        ("exam_template", []),
        ("project_name", []),
        ("MLOps_2025_group8", []),
    ],
)
def test_name_words_leave_out_the_course(name: str, words: list[str]) -> None:
    assert name_words(name) == words


# -- README ----------------------------------------------------------------------------------

COOKIECUTTER = """# bird_species_classifier

A tool that classifies bird species from photos, with saliency maps. It runs on Cloud Run.
A third sentence that is left out.

## Project structure

```txt
├── data/
```

Created using [mlops_template](https://github.com/SkafteNicki/mlops_template),
a [cookiecutter template](https://github.com/cookiecutter/cookiecutter) for getting
started with Machine Learning Operations (MLOps).
"""


def test_readme_of_the_cookiecutter_template() -> None:
    found = readme_identity(COOKIECUTTER.encode())
    assert found.title == "Bird species classifier"
    assert found.summary == (
        "A tool that classifies bird species from photos, with saliency maps. It runs on Cloud Run."
    )


def test_readme_goal_section_is_the_summary() -> None:
    text = (
        "# Detox\n\n[![tests](https://x/badge.svg)](https://x)\n\n"
        "This repository is for the course.\n\n"
        "## Project description\n\n### Overall goal of the project\n"
        "We classify the severity of toxic comments on Wikipedia.\n\n### Data\nKaggle.\n"
    )
    found = readme_identity(text.encode())
    assert found == found.__class__(
        "Detox", "We classify the severity of toxic comments on Wikipedia."
    )


@pytest.mark.parametrize(
    "text",
    [
        "# project_name\n\nA short description of the project.\n\n## Project structure\n",
        "# exam_template\n\nThis repository contains the project work carried out by group 7 "
        "in the MLOps course taught at DTU.\n",
        "# MLOps Group 7\n\nProject repository for DTU 02476 - MLOps in January 2023.\n",
        "# 02476_project\n\n- a list\n- of things\n\n| a | table |\n",
        "",
        "no heading, few words\n",
    ],
)
def test_readme_that_names_no_project_gives_nothing(text: str) -> None:
    found = readme_identity(text.encode())
    assert (found.title, found.summary) == (None, None)


def test_readme_setext_heading_and_a_paragraph_of_members() -> None:
    text = (
        " MLOps-Project-Detox\n=========\nRune s202192 \\\nJesper s133696\n\n"
        "Classifying toxic comments from Wikipedia by severity, with Transformers.\n"
    )
    found = readme_identity(text.encode())
    assert found.title == "Detox"
    assert found.summary == (
        "Classifying toxic comments from Wikipedia by severity, with Transformers."
    )


def test_readme_without_a_level_one_heading_uses_the_first_heading() -> None:
    text = (
        "Intro line\n\n## Coffee leaf disease classifier\n\n"
        "We classify coffee leaf diseases from photos.\n"
    )
    found = readme_identity(text.encode())
    assert found.title == "Coffee leaf disease classifier"
    assert found.summary == "We classify coffee leaf diseases from photos."


def test_readme_values_are_bounded_plain_one_line_text() -> None:
    text = "# " + "Long title " * 40 + "\n\n" + "word " * 500 + "\n"
    found = readme_identity(text.encode())
    assert found.title and len(found.title) <= 100 and "\n" not in found.title
    assert found.summary and len(found.summary) <= MAX_SUMMARY


def test_readme_code_fences_and_html_are_no_summary() -> None:
    text = (
        "# Wine quality\n\n```\nThe goal of this code block is not a summary at all.\n```\n\n"
        '<p align="center"><img src="logo.png"></p>\n\n'
        "Predicting the quality of Portuguese wines from their chemistry.\n"
    )
    assert readme_identity(text.encode()).summary == (
        "Predicting the quality of Portuguese wines from their chemistry."
    )


# -- derived titles --------------------------------------------------------------------------


def test_derived_title_is_never_empty() -> None:
    assert derive_title(None) == "Project report"
    assert derive_title(quiet()) == "Project report (31-question template)"
    assert derive_title(quiet(T27)) == "Project report (27-question template)"


def test_derived_title_from_the_task_phrase() -> None:
    title = derive_title(
        quiet(q3="We used Transformers for our Twitter sentiment classification model.")
    )
    assert title == "Twitter sentiment classification"


def test_derived_title_leaves_out_the_course_machinery() -> None:
    parsed = quiet(
        q3="We used Evidently for data drift detection and ruff for static code analysis.",
        q26="Our API returns a prediction. We log the model's predictions for drift detection.",
    )
    assert derive_title(parsed) == "Project report (31-question template)"


def test_derived_title_with_the_dataset_and_from_the_verb() -> None:
    parsed = quiet(
        q3="We used the transformers package to classify movie reviews as positive or negative.",
        q14="The embeddings of the IMDb dataset are computed once.",
    )
    assert derive_title(parsed) == "Movie review classification on IMDb"


def test_derived_title_from_the_package_name() -> None:
    parsed = quiet(
        q5="The code lives in `src/coffee_leaf_classifier/` with `data.py` and `model.py`.",
        q3="We used timm for image classification.",
    )
    assert derive_title(parsed) == "Coffee leaf classifier"


def test_derived_title_from_the_repository_and_the_summary() -> None:
    assert derive_title(quiet(), repository="https://github.com/x/Breast_Cancer_Segmentation") == (
        "Breast Cancer Segmentation"
    )
    summary = "The main goal of this project is to develop a tool for bird species classification."
    assert derive_title(quiet(), summary=summary) == "Bird species classification"


def test_derived_title_falls_back_on_the_frameworks_chosen() -> None:
    parsed = quiet(q3="We used PyTorch Lightning to remove boilerplate from our training loop.")
    title = derive_title(parsed, tools=detect_tools(parsed, load_tool_catalogue()))
    assert title == "Project using PyTorch and PyTorch Lightning"


def test_derived_title_is_short() -> None:
    words = " ".join(f"Word{n}" for n in range(30))
    parsed = quiet(q3=f"Our project is {words} classification of many things.")
    assert len(derive_title(parsed, summary=f"We do {words} segmentation.")) <= MAX_TITLE


# -- which title a group gets ----------------------------------------------------------------


def test_staff_title_then_the_readme_then_derived() -> None:
    parsed = quiet(q3="We used Transformers for our Twitter sentiment classification model.")
    both = GroupMeta(
        title="Staff", summary="Staff says", readme_title="Readme", readme_summary="Readme says"
    )
    assert group_identity(both, parsed) == group_identity(both, None)
    found = group_identity(both, parsed)
    assert (found.title, found.source, found.summary) == ("Staff", TitleSource.STAFF, "Staff says")
    readme = GroupMeta(readme_title="Readme", readme_summary="Readme says")
    found = group_identity(readme, parsed)
    assert (found.title, found.source, found.summary) == (
        "Readme",
        TitleSource.README,
        "Readme says",
    )
    found = group_identity(GroupMeta(), parsed)
    assert (found.title, found.source, found.summary) == (
        "Twitter sentiment classification",
        TitleSource.DERIVED,
        "",
    )
    assert found.derived and not group_identity(readme, parsed).derived


def test_readme_keys_of_group_yml_are_checked_with_their_line(tmp_path: Path) -> None:
    (tmp_path / "group.yml").write_text(
        "commit: 'abc1234'\nreadme_title: [a, b]\nreadme_summary: '  Two\n  lines.  '\n",
        encoding="utf-8",
    )
    meta, problems = read_group_meta(tmp_path)
    assert meta.readme_title is None and meta.readme_summary == "Two lines."
    assert [(p.line, p.message) for p in problems] == [
        (2, "readme_title: expected text, got a list (write it in quotes); ignored")
    ]


# -- the corpus, judged by hand --------------------------------------------------------------


@requires_corpus
def test_derived_titles_of_the_corpus_match_the_judged_fixture() -> None:
    catalogue = load_tool_catalogue()
    actual = {}
    for path in sorted(CORPUS.glob("*/*/README.md")):
        parsed = parse_report(path, root=CORPUS)
        key = path.parent.relative_to(CORPUS).as_posix()
        actual[key] = derive_title(parsed, tools=detect_tools(parsed, catalogue))
    judged = yaml.safe_load(GOLDEN.read_text(encoding="utf-8"))
    if UPDATE:
        for key, title in actual.items():
            entry = judged.setdefault(key, {"title": title, "meaningful": None, "project": ""})
            if entry["title"] != title:
                entry.update(title=title, meaningful=None)
        header = "".join(
            line + "\n"
            for line in GOLDEN.read_text(encoding="utf-8").splitlines()
            if line.startswith("#")
        )
        GOLDEN.write_text(
            header + yaml.safe_dump(judged, sort_keys=False, allow_unicode=True, width=95),
            encoding="utf-8",
        )
    assert {k: v["title"] for k, v in judged.items()} == actual
    unjudged = [k for k, v in judged.items() if v["meaningful"] is None]
    assert unjudged == [], "judge these titles by hand in tests/fixtures/identity/derived.yml"
    assert all(v["project"] for v in judged.values())
    meaningful = sum(1 for v in judged.values() if v["meaningful"])
    assert (meaningful, len(judged)) == (21, 33)
