"""The plugin builds the sample and the corpus under ProperDocs, the maintained fork of
MkDocs 1.x (``properdocs build``), as it does under MkDocs: strict, the same pages."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import CORPUS, requires_corpus
from tests.site_check import ROOT, article, broken_links, build_site, site_config

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("properdocs") is None,
    reason="ProperDocs is not installed (pip install -e '.[test]' installs it)",
)


def properdocs_build(config_file: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """Run ``properdocs build --strict`` on a configuration, as a user would."""
    command = ["build", "--strict", "-f", str(config_file), "-d", str(site)]
    return subprocess.run(
        [sys.executable, "-m", "properdocs", *command],
        capture_output=True,
        text=True,
        cwd=config_file.parent,
        env=dict(os.environ, NO_COLOR="1"),
        timeout=900,
    )


def generated_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def test_properdocs_builds_the_sample_like_mkdocs(tmp_path: Path) -> None:
    done = properdocs_build(ROOT / "mkdocs.yml", tmp_path / "properdocs")
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    assert "report_archive: 10 reports in 4 semesters" in done.stderr
    ours = tmp_path / "properdocs"
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "mkdocs"), strict=True))
    theirs = tmp_path / "mkdocs"
    assert generated_pages(ours) == generated_pages(theirs)
    for page in ("2023-january/group-26/index.html", "questions/docker/index.html"):
        properdocs_html = (ours / page).read_text(encoding="utf-8")
        assert 'content="mkdocs-ProperDocs ' in properdocs_html  # really built by ProperDocs
        assert article(properdocs_html) == article((theirs / page).read_text(encoding="utf-8"))
    assert (ours / "pagefind" / "pagefind-entry.json").is_file()
    assert broken_links(ours) == []


@requires_corpus
@pytest.mark.corpus
def test_properdocs_builds_the_corpus(tmp_path: Path) -> None:
    config = site_config(CORPUS)
    config_file = tmp_path / "mkdocs.yml"
    (tmp_path / "docs").mkdir()
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    done = properdocs_build(config_file, tmp_path / "site")
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    reports = len(list(CORPUS.glob("*/*/README.md")))
    assert f"report_archive: {reports} reports in 4 semesters" in done.stderr
    site = tmp_path / "site"
    assert len(list(site.glob("20*/group-*/index.html"))) == reports
    assert broken_links(site) == []
    # the same build under MkDocs makes the same pages
    mkdocs = build_site(tmp_path / "mkdocs", config, strict=True)
    assert generated_pages(site) == generated_pages(mkdocs.site)
