"""Build the whole corpus (``../shared/corpus``) as a site: strict, linked, within size.

Run alone with ``pytest -m corpus tests/test_site_corpus.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.site_check import Built, broken_links, build_site, site_config

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"
REPORTS = CORPUS / "reports"
STUDENT_NUMBER = re.compile(r"(?<![A-Za-z0-9])[sS]\d{6}(?![0-9])")

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not REPORTS.is_dir(), reason=f"the corpus is not at {CORPUS}"),
]


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("corpus")
    config = site_config(REPORTS)
    config["markdown_extensions"].append({"toc": {"permalink": True}})
    return build_site(root, config)


def test_corpus_builds_without_warnings(corpus_site: Built) -> None:
    assert corpus_site.warnings() == []


def test_corpus_has_every_group_page(corpus_site: Built) -> None:
    for readme in REPORTS.glob("*/*/README.md"):
        semester, group = readme.parent.parent.name, readme.parent.name
        assert (corpus_site.site / semester / group / "index.html").is_file()


def test_corpus_links_resolve(corpus_site: Built) -> None:
    assert broken_links(corpus_site.site) == []


def test_corpus_pages_stay_under_the_size_cap(corpus_site: Built) -> None:
    too_big = [
        (p.relative_to(corpus_site.site).as_posix(), p.stat().st_size)
        for p in corpus_site.html_files()
        if p.stat().st_size > 300_000
    ]
    assert too_big == []


def test_corpus_pages_show_no_student_numbers(corpus_site: Built) -> None:
    for path in corpus_site.html_files():
        text = path.read_text(encoding="utf-8")
        # repository links from the corpus metadata may name a student's account
        text = re.sub(r'href="https://github\.com/[^"]*"', "", text)
        assert not STUDENT_NUMBER.search(text), path


def test_corpus_figures_are_copied(corpus_site: Built) -> None:
    figures = list(corpus_site.site.glob("figures/*"))  # named from their content
    assert len(figures) > 100


def test_corpus_tool_pages(corpus_site: Built) -> None:
    tools = corpus_site.article("tools/")
    assert tools.count('<li><a href="') > 50  # an entry per tool some group used
    dvc = corpus_site.article("tools/dvc/")
    assert dvc.count('class="ra-evidence"') > 25
    assert "#data-version-control" in dvc
    for readme in REPORTS.glob("*/*/README.md"):
        page = corpus_site.article(f"{readme.parent.parent.name}/{readme.parent.name}/")
        similar = page[page.index('id="similar-groups"') :]
        similar = similar[: similar.index("</ul>")]
        assert similar.count("<li>") == 5, readme
