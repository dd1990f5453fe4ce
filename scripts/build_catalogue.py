"""Regenerate plugins/report_archive/reports/data/catalogue.yml from the blank templates.

Usage: python scripts/build_catalogue.py [TEMPLATES_DIR]   (default: ../shared/templates)

The canonical ids, titles and sections below are the hand-kept part; everything else
(prompts, word ranges, the template lines to strip, checklist items) is read from the
blank templates, so a new template version means: drop it in, run this, review the diff.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from report_archive.reports.catalogue import normalize_line  # noqa: E402

OUT = ROOT / "plugins" / "report_archive" / "reports" / "data" / "catalogue.yml"

SECTIONS = {
    "Group information": "group-information",
    "Coding environment": "coding-environment",
    "Version control": "version-control",
    "Running code and tracking experiments": "experiments",
    "Working in the cloud": "cloud",
    "Deployment": "deployment",
    "Overall discussion of project": "discussion",
}

# Canonical questions, in canonical order: id, short title, section, number per family.
QUESTIONS: list[tuple[str, str, str, dict[str, int]]] = []
_ORDER_27 = [
    ("group-number", "Group number", "group-information"),
    ("members", "Group members", "group-information"),
    ("third-party-package", "Third-party packages", "group-information"),
    ("dependencies", "Managing dependencies", "coding-environment"),
    ("code-structure", "Code structure", "coding-environment"),
    ("code-quality", "Code quality and format", "coding-environment"),
    ("tests", "Tests", "version-control"),
    ("coverage", "Code coverage", "version-control"),
    ("branches-and-prs", "Branches and pull requests", "version-control"),
    ("data-version-control", "Data version control", "version-control"),
    ("continuous-integration", "Continuous integration", "version-control"),
    ("experiment-config", "Configuring experiments", "experiments"),
    ("reproducibility", "Reproducibility", "experiments"),
    ("experiment-tracking", "Experiment tracking", "experiments"),
    ("docker", "Docker", "experiments"),
    ("debugging-and-profiling", "Debugging and profiling", "experiments"),
    ("gcp-services", "GCP services", "cloud"),
    ("compute-engine", "Compute Engine", "cloud"),
    ("bucket-figure", "GCP bucket", "cloud"),
    ("registry-figure", "Artifact registry", "cloud"),
    ("build-history-figure", "Cloud build history", "cloud"),
]
_ONLY_31 = {
    22: ("cloud-training", "Training in the cloud", "cloud"),
    23: ("api", "Writing an API", "deployment"),
    25: ("api-testing", "API testing and load testing", "deployment"),
    28: ("extra-features", "Anything extra", "discussion"),
}
_LATER = [
    # id, title, section, number in 27, number in 31
    ("deployment", "Deploying the model", "deployment", 22, 24),
    ("monitoring", "Monitoring", "deployment", 23, 26),
    ("cloud-credits", "Cloud credits", "discussion", 24, 27),
    ("architecture-figure", "Architecture", "discussion", 25, 29),
    ("struggles", "Struggles", "discussion", 26, 30),
    ("contributions", "Individual contributions", "discussion", 27, 31),
]
FAMILIES = ["27", "31-2025", "31-2026"]


def _canonical() -> list[tuple[str, str, str, dict[str, int]]]:
    rows: list[tuple[int, tuple[str, str, str, dict[str, int]]]] = []
    for n, (qid, title, section) in enumerate(_ORDER_27, start=1):
        rows.append((n, (qid, title, section, dict.fromkeys(FAMILIES, n))))
    for n31, (qid, title, section) in _ONLY_31.items():
        rows.append((n31, (qid, title, section, {"31-2025": n31, "31-2026": n31})))
    for qid, title, section, n27, n31 in _LATER:
        rows.append((n31, (qid, title, section, {"27": n27, "31-2025": n31, "31-2026": n31})))
    return [row for _, row in sorted(rows, key=lambda r: r[0])]


WORDS_RE = re.compile(r"recommended answer length:\s*(\d+)\s*-\s*(\d+)", re.I)
IMAGES = {
    "27": {14: (1, 3), 19: (1, 2), 20: (1, 1), 21: (1, 1), 25: (1, 1)},
    "31": {14: (1, 3), 19: (1, 2), 20: (1, 2), 21: (1, 2), 29: (1, 1)},
}
QUESTION_RE = re.compile(r"^#+\s*Question\s+(\d+)\s*$")
HEADING_RE = re.compile(r"^(#+)\s+(.*?)\s*$")
ITEM_RE = re.compile(r"^\s*[*-]\s+\[[ xX]\]\s+(.*)$")
MODULES_RE = re.compile(r"\((M\d+(?:\s*\+\s*M\d+)*)\)\s*$")


def family_of(text: str) -> str:
    count = len(re.findall(r"^### Question \d+\s*$", text, re.M))
    if count == 27:
        return "27"
    return "31-2026" if "Did you end up using any open-source" in text else "31-2025"


def split_template(text: str) -> tuple[list[str], dict[int, list[str]], list[dict[str, str]]]:
    """Return (boilerplate lines, question number -> lines, checklist items)."""
    boiler: list[str] = []
    questions: dict[int, list[str]] = defaultdict(list)
    items: list[dict[str, str]] = []
    current: int | None = None
    checklist_section: str | None = None
    in_fence = False
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith("```") and stripped.count("```") == 1:
            in_fence = not in_fence
        heading = None if in_fence else HEADING_RE.match(line)
        if heading:
            q = QUESTION_RE.match(line)
            if q:
                current = int(q.group(1))
                checklist_section = None
            else:
                current = None
                title = heading.group(2)
                level = len(heading.group(1))
                if title == "Overall project checklist":
                    checklist_section = ""
                elif checklist_section is not None and level == 3:
                    checklist_section = title
                else:
                    checklist_section = None
            i += 1
            continue
        item = ITEM_RE.match(line) if checklist_section else None
        if item:
            text_parts = [item.group(1).strip()]
            while i + 1 < len(lines) and lines[i + 1].startswith("  ") and lines[i + 1].strip():
                i += 1
                text_parts.append(lines[i].strip())
            items.append({"text": " ".join(text_parts), "section": checklist_section or ""})
            i += 1
            continue
        if current is None:
            boiler.append(line)
        else:
            questions[current].append(line)
        i += 1
    return boiler, questions, items


def with_paragraphs(lines: list[str]) -> set[str]:
    """Normalised lines, plus each paragraph joined (for reports that re-flowed it)."""
    out: set[str] = set()
    run: list[str] = []
    for line in [*lines, ""]:
        norm = normalize_line(line)
        if norm:
            out.add(norm)
            run.append(norm)
            continue
        if len(run) > 1:
            out.add(" ".join(run))
        run = []
    return out


def prompt_of(lines: list[str]) -> str:
    bold = [ln.lstrip("> ").strip() for ln in lines if ln.lstrip("> ").startswith("**")]
    return " ".join(b.replace("**", "").strip() for b in bold).strip()


def main() -> None:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "templates"
    files = sorted(src.glob("20*.md"))
    canon = _canonical()
    by_number: dict[str, dict[int, str]] = defaultdict(dict)
    for qid, _title, _section, numbers in canon:
        for fam, n in numbers.items():
            by_number[fam][n] = qid
    q_lines: dict[str, set[str]] = defaultdict(set)
    q_prompt: dict[str, dict[str, str]] = defaultdict(dict)
    q_words: dict[str, dict[str, list[int] | None]] = defaultdict(dict)
    variants: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    boilerplate: set[str] = set()
    headings: set[str] = set()
    checklist: dict[str, dict[str, object]] = {}
    families: dict[str, list[str]] = defaultdict(list)
    for path in files:
        text = path.read_text(encoding="utf-8")
        fam = family_of(text)
        families[fam].append(path.stem)
        for line in text.split("\n"):
            h = HEADING_RE.match(line)
            if h and not QUESTION_RE.match(line):
                headings.add(normalize_line(h.group(2)))
        boiler, questions, items = split_template(text)
        boilerplate.update(with_paragraphs(boiler))
        for n, lines in questions.items():
            qid = by_number[fam][n]
            q_lines[qid].update(with_paragraphs(lines))
            prompt = prompt_of(lines)
            q_prompt[qid][fam] = prompt  # files are sorted: the latest version wins
            variants[qid][normalize_line(prompt)].add(fam)
            words = None
            for x in lines:
                m = WORDS_RE.search(x)
                if m:
                    words = [int(m.group(1)), int(m.group(2))]
            q_words[qid][fam] = words
        for item in items:
            key = normalize_line(item["text"])
            modules = MODULES_RE.search(item["text"])
            entry = checklist.setdefault(
                key,
                {
                    "text": item["text"],
                    "modules": re.findall(r"M\d+", modules.group(1)) if modules else [],
                    "section": item["section"],
                    "families": [],
                },
            )
            entry["text"] = item["text"]
            entry["section"] = item["section"]
            fams = entry["families"]
            assert isinstance(fams, list)
            if fam not in fams:
                fams.append(fam)
    out_questions = []
    for qid, title, section, numbers in canon:
        images: dict[str, list[int] | None] = {}
        for fam, n in numbers.items():
            rng = IMAGES["27" if fam == "27" else "31"].get(n)
            images[fam] = list(rng) if rng else None
        out_questions.append(
            {
                "id": qid,
                "title": title,
                "section": section,
                "numbers": numbers,
                "prompt": {f: q_prompt[qid][f] for f in numbers},
                "words": {f: q_words[qid][f] for f in numbers},
                "images": images,
                "variants": [
                    {"text": v, "families": sorted(fams)}
                    for v, fams in sorted(variants[qid].items())
                ],
                "lines": sorted(x for x in q_lines[qid] if x),
            }
        )
    data = {
        "version": 1,
        "source": "Blank templates of course 02476 (SkafteNicki/dtu_mlops, Apache-2.0)",
        "families": [
            {
                "id": "27",
                "title": "27 questions (2023–2024)",
                "questions": 27,
                "templates": families["27"],
            },
            {
                "id": "31-2025",
                "title": "31 questions (2025)",
                "questions": 31,
                "templates": families["31-2025"],
            },
            {
                "id": "31-2026",
                "title": "31 questions, 2026 wording",
                "questions": 31,
                "templates": families["31-2026"],
            },
        ],
        "sections": [{"id": sid, "title": title} for title, sid in SECTIONS.items()],
        "questions": out_questions,
        "headings": sorted(h for h in headings if h),
        "boilerplate": sorted(b for b in boilerplate if b),
        "checklist": list(checklist.values()),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    header = (
        "# Generated by scripts/build_catalogue.py from the blank templates; ids, titles and\n"
        "# sections are kept in that script. Review the diff after regenerating.\n"
    )
    OUT.write_text(
        header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100),
        encoding="utf-8",
    )
    print(f"wrote {OUT} from {len(files)} templates")


if __name__ == "__main__":
    main()
