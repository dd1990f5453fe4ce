"""Making small reports for the tests from the blank template fixtures."""

from __future__ import annotations

import re
from pathlib import Path

from tests.helpers import FIXTURES

TEMPLATES = FIXTURES / "templates"
T27 = TEMPLATES / "2024-11-09_92b03d41.md"
T27_FRONT_MATTER = TEMPLATES / "2022-12-29_58831729.md"
T2025 = TEMPLATES / "2025-01-24_9c3875c2.md"
T2026 = TEMPLATES / "2026-01-09_eb7305c5.md"


def blank(template: Path = T2026) -> str:
    return template.read_text(encoding="utf-8")


def fill(text: str, answers: dict[int, str], keep_placeholder: bool = False) -> str:
    """Put answers where the template says ``--- question N fill here ---``."""
    for number, answer in answers.items():
        placeholder = f"--- question {number} fill here ---"
        at = text.index(placeholder, text.index(f"### Question {number}\n"))
        replacement = f"{answer}\n\n{placeholder}" if keep_placeholder else answer
        text = text[:at] + replacement + text[at + len(placeholder) :]
    return text


def filled(template: Path = T2026, **overrides: str) -> str:
    """A report with every question answered with a distinct sentence of the right length."""
    text = blank(template)
    count = len(re.findall(r"^### Question \d+\s*$", text, re.M))
    answers = {
        n: f"Answer{n} " + " ".join(["word"] * 120)
        for n in range(1, count + 1)
        if re.search(f"^--- question {n} fill here ---$", text, re.M)
    }
    answers[1] = "42"
    answers[2] = "s224229, s224176, s225785"
    for key, value in overrides.items():
        answers[int(key.removeprefix("q"))] = value
    return fill(text, answers)


def write(folder: Path, text: str | bytes, name: str = "README.md") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# A 1x1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
