"""Links between generated pages: each URL split once, the same links as MkDocs makes.

`report_archive.build.pages` splits a page's folder once per page and a target's URL once
per build, instead of calling ``mkdocs.utils.get_relative_url`` for every link (a group
page links to its answers' question pages, a question page to its groups). The links must
be those MkDocs' function gives, for the archive's URLs and for any other.
"""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.utils import get_relative_url

from report_archive.build.pages import _folder_parts, _relative, _target

URLS = [
    "",
    "/",
    "//a/",
    "index.html",
    "404.html",
    "a/",
    "a/b/",
    "a/b/index.html",
    "a/b.c/",
    "a/../b/",
    "../x/",
    "./a/",
    "a//b/",
    "/a/b/",
    "a/b/c.d",
    "x.y/z.html",
    "2026-january/group-7/",
    "2026-january/",
    "questions/",
    "questions/q12-docker/",
    "questions/q12-docker/2026-january/",
    "tools/dvc/",
    "assets/report-archive.css",
]


def relative(url: str, page_url: str) -> str:
    return _relative(*_target(url), _folder_parts(page_url))


def test_links_are_mkdocs_links_between_the_archives_urls() -> None:
    for url, page_url in itertools.product(URLS, URLS):
        assert relative(url, page_url) == get_relative_url(url, page_url), (url, page_url)


def test_links_between_the_archives_pages() -> None:
    assert relative("questions/q12/", "2026-january/group-7/") == "../../questions/q12/"
    assert relative("2026-january/group-7/", "2026-january/group-8/") == "../group-7/"
    assert relative("2026-january/", "2026-january/") == "./"


part = st.sampled_from(["a", "b", "x.y", "..", ".", "", "index.html", "g-1"])
urls = st.builds(
    lambda lead, parts, trail: lead + "/".join(parts) + trail,
    st.sampled_from(["", "/", "//"]),
    st.lists(part, max_size=5),
    st.sampled_from(["", "/"]),
)


@settings(deadline=None)  # a neighbour test process can slow one example down
@given(urls, urls)
def test_links_are_mkdocs_links_between_any_urls(url: str, page_url: str) -> None:
    assert relative(url, page_url) == get_relative_url(url, page_url)
