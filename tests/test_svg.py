"""SVG figures are published rebuilt from an allow-list, never as the student wrote them."""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from report_archive.site.svg import MAX_DEPTH, MAX_SVG_BYTES, SVG, XLINK, SvgRefused, rebuild_svg
from tests.helpers import CORPUS, FIXTURES
from tests.site_check import (
    FIGURES_GROUP,
    broken_links,
    build_site,
    figure_src,
    published_figures,
    report_with_figures,
    site_config,
    visible_text,
)

HOSTILE = FIXTURES / "svg"
DRAWIO = CORPUS / "2024-january/group-64/figures/overview.svg"
LOGOS = CORPUS / "2024-january/group-23/figures/logos"

REFUSED = {
    "billion-laughs.svg": "DTD internal subset",
    "external-entity.svg": "DTD internal subset",
    "not-xml.svg": "not well-formed XML",
}
"""Hostile fixtures that are not published at all, and why."""

KEPT = {
    "xslt-self.svg": ("<?xml-stylesheet", "<rect"),
    "css-stylesheet.svg": ("<?xml-stylesheet", "<rect"),
    "css-escape-import.svg": ("@\\69mport", "<rect"),
    "css-escape-url.svg": ("u\\72l(", "<rect"),
    "script.svg": ("<script>", "<circle"),
    "onload.svg": ("onload=", "<circle"),
    "a-javascript.svg": ("javascript:", "<text"),
    "use-external.svg": ('<use href="https://', "<circle"),
    "image-external.svg": ('<image href="https://', "<circle"),
    "image-data-svg.svg": ("data:image/svg+xml", "<circle"),
    "foreignobject-iframe.svg": ("<iframe", "<text"),
    "animate-href.svg": ("<animate", "<text"),
    "set-href.svg": ("<set", "<rect"),
    "style-import.svg": ("@import", "<rect"),
    "style-background.svg": ("background:url(https://", "<rect"),
}
"""Hostile fixtures that are published rebuilt: (the attack in the original, what is kept)."""

FORBIDDEN = re.compile(
    r"<\?|<!|script|javascript|evil\.example|\bon\w+=|@|\\|xsl|foreignObject|iframe|"
    r"<animate|<set|<a[ >]|svg\+xml|https?:(?!//www\.w3\.org/(2000/svg|1999/xlink)\")",
    re.IGNORECASE,
)
"""What no rebuilt file contains (the namespace declarations are the only URLs left)."""


def rebuilt(text: str) -> str:
    return rebuild_svg(text.encode()).decode()


def test_fixtures_cover_every_case() -> None:
    assert {p.name for p in HOSTILE.glob("*.svg")} == set(REFUSED) | set(KEPT)


@pytest.mark.parametrize("name", sorted(KEPT))
def test_hostile_svg_is_rebuilt_without_the_attack(name: str) -> None:
    original = (HOSTILE / name).read_text(encoding="utf-8")
    attack, kept = KEPT[name]
    assert attack in original
    out = rebuilt(original)
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="' + SVG + '"')
    assert not FORBIDDEN.search(out.split("\n", 1)[1]), out
    assert kept in out
    root = ET.fromstring(out)  # well-formed, in the SVG namespace
    assert root.tag == f"{{{SVG}}}svg"


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_svg_is_refused(name: str) -> None:
    with pytest.raises(SvgRefused, match=REFUSED[name]):
        rebuild_svg((HOSTILE / name).read_bytes())


def test_draw_io_labels_fall_back_to_their_text() -> None:
    out = rebuilt(
        '<svg xmlns="http://www.w3.org/2000/svg"><g><switch>'
        '<foreignObject requiredFeatures="http://www.w3.org/TR/SVG11/feature#Extensibility">'
        '<div xmlns="http://www.w3.org/1999/xhtml">Train</div></foreignObject>'
        '<text x="5" y="9" font-size="12px">Train</text></switch></g></svg>'
    )
    assert out.endswith(
        '<g><switch><text x="5" y="9" font-size="12px">Train</text></switch></g></svg>\n'
    )


def test_links_are_unwrapped_and_events_dropped() -> None:
    out = rebuilt(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<a xlink:href="https://www.drawio.com/" target="_blank">'
        '<text onclick="alert(1)" x="1">draw.io</text></a></svg>'
    )
    assert out.endswith(f'<svg xmlns="{SVG}"><text x="1">draw.io</text></svg>\n')


def test_safe_drawing_keeps_styles_references_and_embedded_rasters() -> None:
    source = (
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        "<!-- a comment -->\n"
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'viewBox="0 0 10 10"><defs><style>.a { fill: rgb(1, 2, 3); }</style>'
        '<linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient>'
        '<clipPath id="c"><rect width="5" height="5"/></clipPath>'
        '<filter id="f"><feGaussianBlur stdDeviation="1"/></filter></defs>'
        '<rect class="a" fill="url(#g)" clip-path="url(\'#c\')" filter="url(#f)" '
        'style="stroke: red; transform: rotate(5deg)" width="10" height="10"/>'
        '<use xlink:href="#c"/><use href="#c"/>'
        '<image xlink:href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>'
        '<text xml:space="preserve">a &lt; b &amp; c</text></svg>'
    )
    out = rebuilt(source)
    body = out.split("\n", 1)[1]
    assert body.startswith(
        f'<svg xmlns="{SVG}" xmlns:xlink="{XLINK}" viewBox="0 0 10 10"><defs>'
        "<style>.a { fill: rgb(1, 2, 3); }</style>"
    )
    assert (
        '<rect class="a" fill="url(#g)" clip-path="url(\'#c\')" filter="url(#f)" '
        'style="stroke: red; transform: rotate(5deg)" width="10" height="10"/>'
    ) in body
    assert '<use xlink:href="#c"/><use href="#c"/>' in body
    assert '<image xlink:href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>' in body
    assert '<text xml:space="preserve">a &lt; b &amp; c</text>' in body
    assert "DOCTYPE" not in out and "comment" not in out


@pytest.mark.parametrize(
    "css",
    [
        "@media print { rect { fill: red } }",
        "rect { fill: u\\72l(#ok) }",
        "rect { background: image-set('https://e.x/a.png' 1x) }",
        "rect { width: expression(alert(1)) }",
        "rect { fill: url(https://e.x/p.svg#p) }",
        "rect { fill: url( //e.x/p ) }",
        "rect { behavior: url(#a) url(x.htc) }",
    ],
)
def test_unsafe_css_is_dropped(css: str) -> None:
    out = rebuilt(
        f'<svg xmlns="http://www.w3.org/2000/svg"><style>{css}</style>'
        f'<rect style="{css}" fill="{css}" width="1"/></svg>'
    )
    assert out.endswith('<svg xmlns="http://www.w3.org/2000/svg"><rect width="1"/></svg>\n')


def test_other_namespaces_and_unknown_elements_are_dropped() -> None:
    out = rebuilt(
        '<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
        'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" '
        'inkscape:version="1.3" sodipodi:docname="x.svg" data-x="1">'
        '<sodipodi:namedview id="n"/><metadata><x/></metadata><view id="v"/>'
        '<g inkscape:label="Layer" inkscape:groupmode="layer"><path d="M0 0h1"/></g></svg>'
    )
    assert out.endswith('<svg xmlns="http://www.w3.org/2000/svg"><g><path d="M0 0h1"/></g></svg>\n')


def test_embedded_rasters_are_checked() -> None:
    source = (
        '<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/>'
        '<image href="data:image/png;base64,iVBORw0KGgo=" width="1"/>'
        '<image href="data:image/png;base64,not base64!" width="2"/></svg>'
    )
    checked: list[bytes] = []

    def refuse(data: bytes) -> str:
        checked.append(data)
        return "too many pixels"

    assert "<image" not in rebuild_svg(source.encode(), refuse).decode()
    assert checked == [b"\x89PNG\r\n\x1a\n"]


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("<html><body/></html>", "root element is not <svg>"),
        ('<svg xmlns="http://www.w3.org/1999/xhtml"><rect/></svg>', "root element is not <svg>"),
        ('<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>', "nothing would be"),
        ('<svg xmlns="http://www.w3.org/2000/svg"><defs/><title>t</title></svg>', "nothing"),
        ("<svg><x:rect/></svg>", "not well-formed XML"),
        ("<svg>" + "<g>" * (MAX_DEPTH + 1) + "</g>" * (MAX_DEPTH + 1) + "</svg>", "nested"),
        ("<svg>&unknown;</svg>", "not well-formed XML"),
    ],
)
def test_refused_svgs(source: str, reason: str) -> None:
    with pytest.raises(SvgRefused, match=reason):
        rebuild_svg(source.encode())


def test_too_large_svg_is_refused_before_parsing() -> None:
    with pytest.raises(SvgRefused, match="larger than"):
        rebuild_svg(b"<svg>" + b" " * MAX_SVG_BYTES + b"</svg>")


def _count(tree: ET.Element, tag: str) -> int:
    return sum(1 for e in tree.iter(f"{{{SVG}}}{tag}"))


@pytest.mark.corpus
@pytest.mark.skipif(not DRAWIO.is_file(), reason=f"the corpus' draw.io figure is not at {DRAWIO}")
def test_real_draw_io_diagram_keeps_its_labels_and_icons() -> None:
    data = DRAWIO.read_bytes()
    assert b"<!DOCTYPE svg PUBLIC" in data and b"<foreignObject" in data
    original = ET.fromstring(data)
    out = rebuild_svg(data)
    tree = ET.fromstring(out)
    labels = [e.text for e in tree.iter(f"{{{SVG}}}text")]
    assert len(labels) == _count(original, "text") == 41
    assert "Text is not SVG - cannot display" in labels  # draw.io's warning, in a <switch>
    assert sum(1 for t in labels if t and t.strip()) == 41
    images = [e.get(f"{{{XLINK}}}href", "") for e in tree.iter(f"{{{SVG}}}image")]
    assert len(images) == 26  # the 27th icon is an SVG inside the SVG: dropped
    assert all(href.startswith("data:image/png;base64,") for href in images)
    for tag in ("rect", "path", "ellipse", "clipPath", "switch"):
        assert _count(tree, tag) == _count(original, tag), tag
    assert _count(tree, "foreignObject") == 0 and b"<!DOCTYPE" not in out
    assert len(out) < len(data) / 2  # the HTML labels and draw.io's own copy are gone


@pytest.mark.corpus
@pytest.mark.skipif(not LOGOS.is_dir(), reason=f"the corpus' logos are not at {LOGOS}")
def test_real_logos_keep_their_shapes_and_styles() -> None:
    logos = sorted(LOGOS.glob("*.svg"))
    assert len(logos) == 6
    for logo in logos:
        original = ET.fromstring(logo.read_bytes())
        tree = ET.fromstring(rebuild_svg(logo.read_bytes()))
        for tag in ("path", "polygon", "rect", "style", "g"):
            assert _count(tree, tag) == _count(original, tag), (logo.name, tag)
        assert tree.get("viewBox") == original.get("viewBox"), logo.name


@pytest.mark.parametrize("shrink", [True, False])
def test_site_publishes_only_rebuilt_svgs(tmp_path: Path, shrink: bool) -> None:
    """Whether or not large figures are shrunk, every SVG is published rebuilt, under its
    own name; one that cannot be rebuilt is a placeholder and a problem naming it."""
    names = ["script.svg", "xslt-self.svg", "not-xml.svg", "billion-laughs.svg"]
    folder = report_with_figures(tmp_path / "reports", {n: HOSTILE / n for n in names})
    plugin = {"figures": {"shrink": shrink}, "search": {"engine": "none"}}
    config = site_config(tmp_path / "reports", plugin)
    result = build_site(tmp_path, config)
    assert result.warnings() == []
    page = result.article(FIGURES_GROUP + "/")
    for name in ("script.svg", "xslt-self.svg"):
        url = figure_src(page, f"figure {name}").removeprefix("../../")
        out = (result.site / url).read_bytes()
        assert out == rebuild_svg((folder / "figures" / name).read_bytes()), name
        assert out != (folder / "figures" / name).read_bytes()
        assert url == f"figures/{hashlib.sha256(out).hexdigest()[:20]}.svg"
    svgs = [f for f in published_figures(result.site) if f.endswith(".svg")]
    assert len(svgs) == 2  # not not-xml.svg nor billion-laughs.svg
    rebuilt_copies = list((tmp_path / ".cache/report-archive").rglob("*.svg"))
    assert len(rebuilt_copies) == 2  # content-addressed in the figure cache

    page = visible_text(page)
    assert "Figure not shown (it is not well-formed XML (mismatched tag, line 1))" in page
    assert "Figure not shown (it has a DTD internal subset" in page
    problems = visible_text(result.article("problems/"))
    readme = (folder / "README.md").read_text(encoding="utf-8").splitlines()
    line = readme.index("![figure not-xml.svg](figures/not-xml.svg)") + 1
    assert (
        "The figure 'figures/not-xml.svg' is not published: it is not well-formed XML "
        "(mismatched tag, line 1). ( Individual contributions ) figure-not-published "
        f"reports/{FIGURES_GROUP}/README.md:{line}"
    ) in problems
    assert "The figure 'figures/billion-laughs.svg' is not published: it has a DTD" in problems
    assert broken_links(result.site) == []
