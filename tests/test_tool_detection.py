"""Tool detection: the catalogue, use told from mention, and the score on the labelled set."""

from __future__ import annotations

from pathlib import Path

import pytest

from report_archive.reports.parser import parse_bytes
from report_archive.reports.tools import (
    ToolCatalogueError,
    detect_tools,
    load_tool_catalogue,
    parse_tool_catalogue,
    sentences,
)
from report_archive.reports.tools.cues import TRIGGER, classify
from report_archive.reports.tools.scan import WORD
from tests.helpers import CORPUS, corpus_reports, requires_corpus
from tests.reports import T2026, filled
from tests.tool_labels import HELD_OUT, evaluate, load_labels

REQUIRED = [
    "git",
    "github-actions",
    "dvc",
    "docker",
    "hydra",
    "wandb",
    "mlflow",
    "tensorboard",
    "pytorch-lightning",
    "pytest",
    "coverage",
    "pre-commit",
    "ruff",
    "black",
    "flake8",
    "mypy",
    "typer",
    "fastapi",
    "bentoml",
    "onnx",
    "streamlit",
    "gradio",
    "locust",
    "cookiecutter",
    "uv",
    "conda",
    "gcp-bucket",
    "gcp-compute-engine",
    "vertex-ai",
    "cloud-run",
    "cloud-build",
    "artifact-registry",
    "cloud-functions",
    "kubernetes",
    "prometheus",
    "evidently",
    "cloud-monitoring-alerts",
    "huggingface-transformers",
    "timm",
    "profiler",
    "quantization-or-pruning",
    "data-drift-detection",
    "load-testing",
    "dvc-with-gcs-remote",
    "frontend",
]
SAMPLE = Path(__file__).resolve().parents[1] / "reports"


def test_catalogue_has_every_required_entry() -> None:
    catalogue = load_tool_catalogue()
    ids = [t.id for t in catalogue.tools]
    assert set(REQUIRED) <= set(ids)
    assert 60 <= len(ids) <= 90 and len(ids) == len(set(ids))
    categories = {c.id for c in catalogue.categories}
    for tool in catalogue.tools:
        assert tool.category in categories and tool.url.startswith("https://")
        assert tool.description and "\n" not in tool.description
    assert catalogue.tool("fastapi").pattern.search("we wrote the API in FastPI")
    assert catalogue.tool("wandb").pattern.search("logged to Weights & Biases")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"categories": [{"id": "x", "title": "X"}], "tools": [{"id": "A"}]}, "id"),
        ({"categories": [], "tools": [{"id": "a", "name": "A", "category": "x"}]}, "category"),
        (
            {
                "categories": [{"id": "x", "title": "X"}],
                "tools": [
                    {"id": "a", "name": "A", "category": "x", "url": "https://a",
                     "description": "d", "spellings": ["a"], "implies": ["b"]}
                ],
            },
            "unknown entry 'b'",
        ),
    ],
)  # fmt: skip
def test_a_bad_catalogue_names_the_entry(data: object, message: str) -> None:
    with pytest.raises(ToolCatalogueError, match=message):
        parse_tool_catalogue(data, "tools.yml")


def reasons(sentence: str, mention: str) -> str | None:
    start = sentence.index(mention)
    return classify(sentence, start, start + len(mention))[0]


@pytest.mark.parametrize(
    ("sentence", "mention", "reason"),
    [
        ("We used DVC to version our data.", "DVC", None),
        ("Our images are built by Cloud Build on every push.", "Cloud Build", None),
        ("We did not use DVC in this project.", "DVC", "negated"),
        ("DVC was not implemented.", "DVC", "negated"),
        ("We had no time for load testing.", "load testing", "negated"),
        ("We could have used Prometheus for the metrics.", "Prometheus", "hypothetical"),
        ("A future improvement would be Evidently for drift.", "Evidently", "hypothetical"),
        (
            "If we had more time, we would have added a Streamlit frontend.",
            "Streamlit",
            "hypothetical",
        ),
        ("Instead of Cloud Build we used GitHub Actions.", "Cloud Build", "alternative"),
        ("Instead of Cloud Build we used GitHub Actions.", "GitHub Actions", None),
        ("We tried ONNX but dependency problems stopped us.", "ONNX", "tried-and-dropped"),
        ("We removed Hydra after the first week.", "Hydra", "tried-and-dropped"),
        ("Regarding profiling, we did not have time.", "profiling", "negated"),
        ("We did not use Docker, but Cloud Run runs our image.", "Cloud Run", None),
        ("We had no issues with DVC at all.", "DVC", None),
    ],
)
def test_use_is_told_from_mention(sentence: str, mention: str, reason: str | None) -> None:
    assert reasons(sentence, mention) == reason


def test_only_the_students_text_counts() -> None:
    """The template's own prompts and checklist name DVC, W&B, Kubernetes...: not a use."""
    blank = filled(T2026, q10="Nothing here.", q14="We logged to W&B.")
    report = parse_bytes(blank.encode(), Path("/x/group-1/README.md"))
    found = detect_tools(report)
    assert "wandb" in found.ids
    assert not {"dvc", "kubernetes", "hydra", "evidently"} & found.ids
    (wandb,) = [u for u in found.used if u.tool.id == "wandb"]
    assert [(e.question, e.text) for e in wandb.evidence] == [
        ("experiment-tracking", "We logged to W&B.")
    ]


def test_negated_mentions_are_kept_with_their_reason() -> None:
    text = filled(T2026, q10="We did not use DVC.", q25="We tried Locust but it failed.")
    found = detect_tools(parse_bytes(text.encode(), Path("/x/group-1/README.md")))
    kept = {(m.tool.id, m.reason) for m in found.mentions}
    assert ("dvc", "negated") in kept and ("locust", "tried-and-dropped") in kept
    assert "dvc" not in found.ids and "load-testing" not in found.ids


def test_implied_and_composite_entries() -> None:
    text = filled(
        T2026,
        q10="We used DVC with a GCS bucket as the remote.",
        q25="We load tested the API with Locust.",
    )
    ids = detect_tools(parse_bytes(text.encode(), Path("/x/group-1/README.md"))).ids
    assert {"dvc", "gcp-bucket", "dvc-with-gcs-remote", "gcp", "locust", "load-testing"} <= ids


def all_mentions() -> list[tuple[str, int, int]]:
    catalogue = load_tool_catalogue()
    paths = sorted(SAMPLE.glob("*/*/README.md")) + (corpus_reports() if CORPUS.is_dir() else [])
    found = []
    for path in paths:
        report = parse_bytes(path.read_bytes(), path)
        texts = [a.markdown for a in report.answers] + [report.extra]
        for text in texts:
            for sentence in sentences(text):
                for tool in catalogue.tools:
                    found += [
                        (sentence, m.start(), m.end()) for m in tool.pattern.finditer(sentence)
                    ]
    return found


def test_the_cue_shortcut_changes_nothing() -> None:
    """A sentence with no word of `_TRIGGER` is never classified: it must hold no cue."""
    mentions = all_mentions()
    assert len(mentions) > 500
    for sentence, start, end in mentions:
        if TRIGGER.isdisjoint(WORD.findall(sentence.lower())):
            assert classify(sentence, start, end)[0] is None, sentence


@requires_corpus
def test_labels_cover_the_catalogue_and_their_reports() -> None:
    ids = {t.id for t in load_tool_catalogue().tools}
    labels = load_labels()
    assert len(labels) >= 20
    for label in labels:
        assert (CORPUS / label.report / "README.md").is_file()
        for group in (label.used, label.not_used, label.unclear):
            assert set(group) <= ids, label.report
        for entry in label.used.values():
            assert entry["quote"]


@requires_corpus
@pytest.mark.parametrize("which", ["all", "held-out"])
def test_precision_and_recall_on_the_labelled_reports(which: str) -> None:
    score = evaluate(which)
    assert score.precision >= 0.95, score.errors
    assert score.recall >= 0.92, score.errors
    assert score.tp > (300 if which == "held-out" else 900)


@requires_corpus
def test_telling_use_from_mention_beats_keywords_without_losing_recall() -> None:
    detector, keywords = evaluate("all"), evaluate("all", baseline=True)
    assert detector.precision >= keywords.precision + 0.05
    assert detector.recall >= keywords.recall - 0.03


def test_held_out_reports_are_labelled() -> None:
    labelled = {
        path.stem.replace("_", "/", 1)
        for path in Path(__file__).parent.joinpath("fixtures/tools/labels").glob("*.yml")
    }
    assert labelled >= HELD_OUT
