"""Tool pages, tools on group and semester pages, co-usage and similar groups.

A small archive of five reports that say which tools they used ("We used DVC, Docker and
Hydra.") is planned without MkDocs (exact counts, orders and links) and built strict with
it (pages, navigation, links, anchors). The charts are parsed as XML.
"""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from report_archive.reports.archive import load_archive
from report_archive.reports.catalogue import load_catalogue
from report_archive.site.charts import HeatRow, ShareBar, heatmap, share_bars
from report_archive.site.figures import Publish
from report_archive.site.plan import Options, SitePlan
from report_archive.site.rendering import PageRenderer
from report_archive.site.similarity import Jaccard, nearest_brute_force
from report_archive.site.views.tool_page import ToolPage, _span
from tests.reports import PNG, T2026, filled, write
from tests.site_check import Built, broken_links, build_site, site_config

NEW, OLD = "2026-january", "2025-january"
SENTENCES = {
    f"{NEW}/group-1": "We used DVC for our data. We used Docker for containers. We used Hydra.",
    f"{NEW}/group-2": "We used DVC and Docker.",
    f"{NEW}/group-3": "We used Docker.",
    f"{OLD}/group-4": "We used DVC, Docker and Hydra.",
    f"{OLD}/group-5": "We did not use DVC. We used Hydra for the configuration.",
}
EXTRA = "\n\n## Our notes\n\nWe used FastAPI for the API.\n"
"""Text outside the questions of group 3: its FastAPI evidence has question ``extra``."""
USED = {
    "group-1": {"dvc", "docker", "hydra"},
    "group-2": {"dvc", "docker"},
    "group-3": {"docker", "fastapi"},
    "group-4": {"dvc", "docker", "hydra"},
    "group-5": {"hydra"},
}


def make_archive(root: Path, sentences: dict[str, str] = SENTENCES) -> Path:
    """Write one report per group, its 4th answer (dependencies) saying what it used."""
    reports = root / "reports"
    for folder, sentence in sentences.items():
        text = filled(T2026, q4=sentence)
        if folder.endswith("group-3"):
            text += EXTRA
        write(reports / folder, text)
    return reports


def plan(reports: Path, **options: object) -> SitePlan:
    return SitePlan(load_archive(reports, tools=True), load_catalogue(), Options(**options))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SitePlan:
    return plan(make_archive(tmp_path_factory.mktemp("tools")))


def by_slug(site: SitePlan) -> dict[str, object]:
    return {g.entry.slug: g for g in site.groups}


def test_the_detector_sees_what_the_reports_say(site: SitePlan) -> None:
    assert site.tool_index is not None
    index = site.tool_index
    found = {g.entry.slug: {u.tool.id for u in index.uses(g)} for g in site.groups}
    assert found == USED


def test_counts_shares_and_pages_of_used_tools_only(site: SitePlan) -> None:
    index = site.tool_index
    assert index is not None
    assert [t.id for t in index.used] == ["docker", "dvc", "hydra", "fastapi"]
    assert [index.count(t) for t in ("docker", "dvc", "hydra", "fastapi")] == [4, 3, 3, 1]
    tool_pages = sorted(s.src_uri for s in site.of_kind("tool"))
    assert tool_pages == [f"tools/{t}/index.md" for t in ("docker", "dvc", "fastapi", "hydra")]
    assert "kubernetes" in {t.id for t in index.unused}
    dvc = index.adoption("dvc")
    assert [(a.semester.slug, a.used, a.groups) for a in dvc] == [(NEW, 2, 3), (OLD, 1, 2)]
    (new,) = [s for s in site.archive.semesters if s.slug == NEW]
    assert [(t.id, a.used, a.groups) for t, a in index.top(new, 3)] == [
        ("docker", 3, 3),
        ("dvc", 2, 3),
        ("hydra", 1, 3),
    ]


def test_co_usage_counts_groups_that_used_both(site: SitePlan) -> None:
    index = site.tool_index
    assert index is not None
    assert [(t.tool.id, t.groups) for t in index.together("dvc")] == [("docker", 3), ("hydra", 2)]
    assert [(t.tool.id, t.groups) for t in index.together("hydra")] == [("docker", 2), ("dvc", 2)]
    assert [(t.tool.id, t.groups) for t in index.together("fastapi")] == [("docker", 1)]


def test_co_usage_leaves_out_entries_the_catalogue_ties_together(tmp_path: Path) -> None:
    reports = make_archive(tmp_path, {f"{NEW}/group-1": "We used Locust and Docker."})
    index = plan(reports).tool_index
    assert index is not None
    assert {"locust", "load-testing", "docker"} <= {t.id for t in index.used}
    assert [t.tool.id for t in index.together("locust")] == ["docker"]


def test_similar_groups_by_jaccard_with_a_stable_tie_order(site: SitePlan) -> None:
    index = site.tool_index
    assert index is not None
    groups = by_slug(site)

    def similar(slug: str) -> list[tuple[str, int, int, float]]:
        return [
            (s.group.entry.slug, s.shared, s.either, round(s.score, 3))
            for s in index.similar(groups[slug])  # type: ignore[arg-type]
        ]

    assert similar("group-1") == [
        ("group-4", 3, 3, 1.0),
        ("group-2", 2, 3, 0.667),
        ("group-5", 1, 3, 0.333),
        ("group-3", 1, 4, 0.25),
    ]
    # group-1 and group-4 both score 1/3: the earlier in the site's order (newest first) wins
    assert similar("group-5") == [("group-1", 1, 3, 0.333), ("group-4", 1, 3, 0.333)]
    assert [s[0] for s in similar("group-3")] == ["group-2", "group-1", "group-4"]


@pytest.mark.parametrize("seed", range(5))
def test_jaccard_matches_comparing_every_pair(seed: int) -> None:
    rng = random.Random(seed)
    sets = [frozenset(rng.sample(range(30), rng.randint(0, 12))) for _ in range(120)]
    sets += [sets[3]] * 12  # identical sets tie, more of them than any limit
    jaccard = Jaccard(sets)
    for i in range(len(sets)):
        limit = rng.randint(1, 8)
        assert jaccard.nearest(i, limit) == nearest_brute_force(sets, i, limit), i


def render(site: SitePlan, src_uri: str) -> str:
    return PageRenderer(site).render(site.pages[src_uri], lambda uri: "/" + uri).html


def test_tool_page_links_each_evidence_to_its_answer(site: SitePlan) -> None:
    html = render(site, "tools/dvc/index.md")
    assert "We used DVC for our data." in html
    link = r'<a href="/2026-january/group-1/index.md#dependencies">Group 1 · January 2026[^<]*</a>'
    assert re.search(link + " · Managing dependencies", html)
    assert "We did not use DVC" not in html  # group 5 only mentioned it
    assert html.index('id="2026-january"') < html.index('id="2025-january"')  # newest first
    assert "Group 4 · January 2025" in html
    fastapi = render(site, "tools/fastapi/index.md")
    link = r'<a href="/2026-january/group-3/index.md#extra">Group 3 · January 2026[^<]*</a>'
    assert re.search(link + " · Other content of the report", fastapi)


def test_group_page_badges_and_similar_groups(site: SitePlan) -> None:
    html = render(site, "2026-january/group-1/index.md")
    assert html.index('id="checklist"') < html.index('id="tools-used"')  # after the answers
    header = html[html.index('<header class="ra-group-head"') : html.index("</header>")]
    assert (
        '<dt>Tools</dt><dd class="ra-head-tools">'
        '<a class="ra-tool" href="/tools/dvc/index.md">DVC</a>' in header
    )
    section = html[
        html.index('id="tools-used"') : html.index(
            'aria-label="Previous and next group, at the end"'
        )
    ]
    assert '<a class="ra-tool" href="/tools/dvc/index.md">DVC</a>' in section
    assert "<strong>Data</strong>" in section and "<strong>Containers</strong>" in section
    similar = section[section.index('id="similar-groups"') :]
    names = re.findall(r">(Group \d+ · January \d{4})(?: · [^<]*)?</a>", similar)
    assert names == [
        "Group 4 · January 2025",
        "Group 2 · January 2026",
        "Group 5 · January 2025",
        "Group 3 · January 2026",
    ]


def test_semester_page_lists_its_most_used_tools(site: SitePlan) -> None:
    html = render(site, "2026-january/index.md")
    rows = re.findall(
        r'<tr><td><a href="/tools/([a-z-]+)/index.md">[^<]+</a></td><td>(\d+/\d+)', html
    )
    assert rows[:3] == [("docker", "3/3"), ("dvc", "2/3"), ("hydra", "1/3")]


def test_semester_cards_tell_groups_apart(tmp_path: Path) -> None:
    """A semester page's cards: the natural order of group numbers, each group's rarest
    tools first, every tool's id for the filter, the architecture figure as thumbnail."""
    sentences = {
        f"{NEW}/group-{n}": SENTENCES[f"{NEW}/group-{k}"] for n, k in ((10, 1), (9, 2), (100, 3))
    }
    reports = make_archive(tmp_path, sentences)
    architecture = filled(
        T2026, q4=SENTENCES[f"{NEW}/group-1"], q29="Our setup: ![overview](figures/arch.png)"
    )
    write(reports / NEW / "group-10", architecture)
    write(reports / NEW / "group-10" / "figures", PNG, "arch.png")
    site = plan(reports, figures=Publish)  # every figure published as it is
    html = render(site, f"{NEW}/index.md")
    cards = re.findall(r'<li class="ra-card" data-ra-tools="([^"]*)">(.*?)</li>', html, re.S)
    labels = [re.search(r">(Group \d+)</a></h2>", card).group(1) for _, card in cards]  # type: ignore[union-attr]
    assert labels == ["Group 9", "Group 10", "Group 100"]
    ids = {label: set(t.split()) for label, (t, _) in zip(labels, cards, strict=True)}
    assert ids == {
        "Group 9": USED["group-2"],
        "Group 10": USED["group-1"],
        "Group 100": {"docker"},  # FastAPI is in the extra text of group-3 only
    }
    # adoption in the semester: Docker 3, DVC 2, Hydra 1: the rarest first
    tools = re.findall(r'<span class="ra-tool">([^<]+)</span>', cards[1][1])
    assert tools == ["Hydra", "DVC", "Docker"]
    thumb = re.search(r"<img class=\"ra-card-thumb\" src=\"([^\"]+)\"", cards[1][1])
    assert thumb and site.figures[thumb.group(1)].name == "arch.png"
    assert "ra-card-thumb" not in cards[0][1] + cards[2][1]
    options = re.findall(r'<option value="([a-z0-9-]*)">([^<]*)</option>', html)
    assert options[0] == ("", "any tool") and options[1] == ("docker", "Docker (3)")


def test_many_groups_go_on_several_pages(tmp_path: Path) -> None:
    many = {f"{sem}/group-{n}": "We used DVC." for sem in (NEW, OLD) for n in range(1, 41)}
    site = plan(make_archive(tmp_path, many), max_page_size=50_000)
    pages = [s for s in site.of_kind("tool") if s.src_uri.startswith("tools/dvc/")]
    assert [s.src_uri for s in pages][:2] == ["tools/dvc/index.md", "tools/dvc/2/index.md"]
    parts = [s.data for s in pages]
    assert all(isinstance(p, ToolPage) for p in parts)
    first, second = parts[0], parts[1]
    # every group once, newest semester first; the semester in the middle goes on over two
    order = [(b.semester.slug, g.entry.slug) for p in parts for b in p.semesters for g in b.groups]
    assert len(order) == 80 == len(set(order))
    assert order[0] == (NEW, "group-1") and order[-1] == (OLD, "group-40")
    assert first.semesters[-1].semester is second.semesters[0].semester
    assert first.semesters[-1].used == 40 > len(first.semesters[-1].groups)
    assert [(t, n) for t, _, n in first.parts] == [(_span(p), len(p)) for p in parts]
    assert second.parent == "tools/dvc/index.md" and first.next == "tools/dvc/2/index.md"
    n = len(pages)
    assert [p.title for p in pages] == ["DVC"] + [f"DVC ({i}/{n})" for i in range(2, n + 1)]
    for spec in pages:  # each page's content within the budget
        assert len(render(site, spec.src_uri)) <= site.budget


def test_no_tool_pages_when_turned_off(tmp_path: Path) -> None:
    reports = make_archive(tmp_path)
    pages = frozenset({"home", "semesters", "groups", "questions", "checklist", "problems"})
    site = plan(reports, pages=pages)
    assert site.tool_index is None
    assert list(site.of_kind("tool")) == [] and site.index()["tools"] is None
    assert 'id="tools-used"' not in render(site, "2026-january/group-1/index.md")
    # tools on, but no report was read for them
    undetected = SitePlan(load_archive(reports), load_catalogue(), Options())
    assert undetected.tool_index is None and list(undetected.of_kind("tools")) == []


# -- charts ------------------------------------------------------------------------------------

RENDERED_MIN_PX = 11


def font_sizes_at_rendered_width(svg: str) -> list[float]:
    """Every text's font size in CSS pixels, the chart drawn at its ``width`` attribute."""
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    view_width = float(root.attrib["viewBox"].split()[2])
    scale = float(root.attrib["width"]) / view_width
    inherited = float(root.attrib["font-size"])
    texts = root.iter("{http://www.w3.org/2000/svg}text")
    return [float(t.attrib.get("font-size", inherited)) * scale for t in texts]


def test_heatmap_is_valid_svg_with_readable_text_and_links() -> None:
    rows = [
        HeatRow("Docker", "docker/", [1.0, 0.5, None]),
        HeatRow("IAM and service accounts <b>", "iam/", [0.0, 0.25, 0.8]),
    ]
    svg = heatmap(rows, ["January 2025", "June 2025", "January <2026>"], title="T", description="D")
    sizes = font_sizes_at_rendered_width(svg)
    assert sizes and min(sizes) >= RENDERED_MIN_PX
    root = ET.fromstring(svg)
    links = root.findall(".//{http://www.w3.org/2000/svg}a")
    assert [a.attrib["href"] for a in links] == ["docker/", "iam/"]
    assert links[1].attrib["aria-label"] == "IAM and service accounts <b>"
    cells = [t.text for g in root.iter("{http://www.w3.org/2000/svg}g") for t in g if t.text]
    assert {"100", "50", "–", "0", "25", "80"} <= set(cells)
    assert int(root.attrib["width"]) <= 360  # three semesters fit a 390 px phone


def test_share_bars_are_valid_svg_with_readable_text() -> None:
    svg = share_bars(
        [ShareBar("January 2025", 0.5, "1/2"), ShareBar("June <2025>", None, "0/0")],
        title="Share",
        description="D",
    )
    assert min(font_sizes_at_rendered_width(svg)) >= RENDERED_MIN_PX
    root = ET.fromstring(svg)
    assert (
        root.attrib["role"] == "img" and root.find("{http://www.w3.org/2000/svg}title") is not None
    )
    assert int(root.attrib["width"]) <= 358


# -- the built site ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("tools-site")
    config = site_config(make_archive(root), {"search": {"engine": "none"}})
    return build_site(root, config, strict=True)


def test_built_strict_with_every_link_and_anchor(built: Built) -> None:
    assert built.warnings() == []
    assert broken_links(built.site) == []
    for url in ("tools/", "tools/dvc/", "tools/docker/", "tools/hydra/", "tools/fastapi/"):
        assert (built.site / url / "index.html").is_file(), url
    assert not (built.site / "tools/kubernetes").exists()


def test_nav_has_tools_between_questions_and_checklist(built: Built) -> None:
    html = built.page("tools/dvc/")
    nav = re.findall(
        r'class="md-nav__link[^"]*"[^>]*>\s*<span class="md-ellipsis">\s*([^<]+?)\s*<', html
    )
    titles = [t for t in nav if t in ("Semesters", "Questions", "Tools", "Checklist", "Problems")]
    assert titles[:5] == ["Semesters", "Questions", "Tools", "Checklist", "Problems"]


def test_built_tools_page_lists_categories_chart_and_unused(built: Built) -> None:
    page = built.article("tools/")
    assert 'id="data"' in page and 'id="containers"' in page
    assert '<a href="dvc/">DVC</a>: 3 groups (60 %)' in page
    assert "Not used by any group:" in page and "Kubernetes" in page
    svg = page[page.index("<svg") : page.index("</svg>") + 6]
    assert min(font_sizes_at_rendered_width(svg)) >= RENDERED_MIN_PX
    assert 'href="docker/"' in svg
