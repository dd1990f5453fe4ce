"""The question catalogue: loaded once, validated, and true to the blank templates."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from report_archive.reports.catalogue import CatalogueError, load_catalogue, parse_catalogue
from report_archive.reports.parser import parse_report
from tests.helpers import TEMPLATES, requires_templates


def test_loaded_once() -> None:
    assert load_catalogue() is load_catalogue()


def test_families_and_canonical_questions() -> None:
    cat = load_catalogue()
    assert [f.id for f in cat.families] == ["27", "31-2025", "31-2026"]
    assert len(cat.questions_of("27")) == 27
    assert len(cat.questions_of("31-2026")) == 31
    arch = cat.question("architecture-figure")
    assert arch.numbers == {"27": 25, "31-2025": 29, "31-2026": 29}
    assert arch.images["27"] == (1, 1) and arch.words["31-2026"] == (200, 400)
    for qid, n27, n31 in [
        ("deployment", 22, 24),
        ("monitoring", 23, 26),
        ("cloud-credits", 24, 27),
        ("struggles", 26, 30),
        ("contributions", 27, 31),
    ]:
        assert cat.question(qid).numbers == {"27": n27, "31-2025": n31, "31-2026": n31}
    assert cat.question("experiment-tracking").images["31-2025"] == (1, 3)
    assert cat.question("bucket-figure").images["31-2026"] == (1, 2)
    assert "Did you end up using" in cat.question("third-party-package").prompt["31-2026"]
    assert cat.question("third-party-package").words["31-2026"] == (0, 200)
    assert {q.section for q in cat.questions} <= {s.id for s in cat.sections}


def _data() -> dict:
    path = Path(__file__).parents[1] / "plugins/report_archive/reports/data/catalogue.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("questions"), "missing key 'questions'"),
        (lambda d: d["questions"][0].update(section="nowhere"), "unknown section 'nowhere'"),
        (lambda d: d["questions"][1].update(id=d["questions"][0]["id"]), "duplicate id"),
        (lambda d: d["questions"][3]["words"].update({"27": [5]}), "expected [min, max]"),
        (lambda d: d["questions"].pop(4), "should number its questions 1..27"),
    ],
)
def test_malformed_catalogue_is_named(mutate, message: str) -> None:  # type: ignore[no-untyped-def]
    data = copy.deepcopy(_data())
    mutate(data)
    with pytest.raises(CatalogueError, match=message.replace("[", r"\[").replace(".", r"\.")):
        parse_catalogue(data, "test.yml")


@requires_templates
@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.glob("20*.md")) if TEMPLATES.is_dir() else [], ids=lambda p: p.stem
)
def test_every_published_template_is_recognised(template: Path) -> None:
    report = parse_report(template)
    expected = 27 if template.stem < "2024-12" else 31
    assert report.template.questions == expected
    assert report.template.id != "unknown"
    # The family follows the wording of question 3 (2026-01-04 still has the 2025 wording).
    text = template.read_text(encoding="utf-8")
    if expected == 31:
        wording_2026 = "Did you end up using any open-source" in text
        assert report.template.id == ("31-2026" if wording_2026 else "31-2025")
    assert all(a.markdown == "" for a in report.answers), [
        (a.number, a.markdown) for a in report.answers if a.markdown
    ]
    assert report.extra == ""
