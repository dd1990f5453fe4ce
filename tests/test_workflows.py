"""The GitHub workflows have the shape the project relies on (GitHub itself is not reachable)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

WORKFLOWS = Path(__file__).resolve().parents[1] / ".github" / "workflows"


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job["steps"])


def uses(job: dict[str, Any]) -> list[str]:
    return [s["uses"].split("@")[0] for s in steps(job) if "uses" in s]


def is_write(permissions: Any) -> bool:
    if isinstance(permissions, str):  # read-all / write-all
        return "write" in permissions
    return any(level == "write" for level in (permissions or {}).values())


@pytest.mark.parametrize("name", ["tests.yml", "pages.yml"])
def test_hardened(name: str) -> None:
    """Pinned actions, no workflow-wide write access, no credentials left in checkouts."""
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    pinned = re.compile(r"^\s*(- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")
    lines = [line for line in text.splitlines() if "uses:" in line]
    assert lines and all(pinned.match(line) for line in lines), lines
    wf = load(name)
    assert "permissions" in wf and not is_write(wf["permissions"])
    for job in wf["jobs"].values():
        assert "permissions" in job  # each job says what it needs
        for step in steps(job):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


def test_tests_run_on_push_and_pull_request() -> None:
    wf = load("tests.yml")
    assert "push" in wf["on"] and "pull_request" in wf["on"]
    (job,) = wf["jobs"].values()
    assert "actions/checkout" in uses(job)
    commands = " ".join(s.get("run", "") for s in steps(job))
    assert "make test" in commands and "make lint" in commands
    readme = (WORKFLOWS.parents[1] / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme  # the same command as the README's
    makefile = (WORKFLOWS.parents[1] / "Makefile").read_text(encoding="utf-8")
    assert "zizmor --offline .github/workflows" in makefile  # so `make lint` audits these


def test_pages_builds_strict_and_deploys() -> None:
    wf = load("pages.yml")
    assert "push" in wf["on"]
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert not is_write(build["permissions"])
    commands = [s.get("run", "") for s in steps(build)]
    assert any("mkdocs build" in c and "--strict" in c for c in commands)
    assert "actions/upload-pages-artifact" in uses(build)
    upload = next(s for s in steps(build) if s.get("uses", "").startswith("actions/upload-pages"))
    assert upload["with"]["path"] == "site"
    assert any("--site-dir site" in c for c in commands)
    cache = next(s for s in steps(build) if s.get("uses", "").startswith("actions/cache"))
    assert cache["with"]["path"] == ".cache/report-archive"  # figures.cache_dir's default
    assert cache["with"]["restore-keys"] == "figures-"  # the newest cache, then a new one
    names = [s.get("uses", "") or s.get("run", "") for s in steps(build)]
    assert names.index(cache["uses"]) < next(i for i, c in enumerate(names) if "mkdocs" in c)
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert uses(deploy) == ["actions/deploy-pages"]
