"""The HTML allow-list for student content, enforced with nh3.

Student HTML is cleaned twice (see `report_archive.site.answers`): `clean_untrusted` on what
Markdown made of the student's text, then `clean_final` on the rewritten result, which is the
last step before the HTML is put in a page. Both drop scripts, styles, frames, objects,
forms, ``meta``/``base``, every ``on*`` and ``style`` attribute, comments and any URL whose
scheme is not http, https or mailto (relative URLs are kept for the rewriter to resolve).
"""

from __future__ import annotations

import nh3

__all__ = ["CLASSES", "clean_final", "clean_untrusted"]

TAGS = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
     "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
     "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
     "pre", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "summary", "sup",
     "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var",
     "wbr"}
)  # fmt: skip
"""Tags kept (others are removed, their text kept)."""

DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "template", "iframe", "frame", "frameset", "object", "embed",
     "noscript", "svg", "math", "textarea", "select", "title", "head", "applet", "canvas",
     "audio", "video", "xmp", "noembed", "noframes", "plaintext"}
)  # fmt: skip
"""Tags removed together with everything inside them."""

ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
    "abbr": {"title"},
}
"""Attributes kept, per tag (no ``id``, ``class``, ``style`` or ``on*``; no ``datetime``,
which readers never see and which could carry a student number)."""

CLASSES: dict[str, set[str]] = {
    "a": {"ra-figure", "ra-figure-external"},
    "img": {"ra-figure-img"},
    "span": {"ra-figure-missing", "ra-figure-note", "ra-figure-alt", "ra-link-dropped"},
}
"""Classes the rewriter adds, the only ones that survive `clean_final`."""

URL_SCHEMES = frozenset({"http", "https", "mailto"})
"""URL schemes kept; relative URLs are kept too."""

_LINK_REL = "nofollow noopener noreferrer"


def _final_attributes() -> dict[str, set[str]]:
    attributes = {k: set(v) for k, v in ATTRIBUTES.items()}
    attributes["img"].add("loading")
    return attributes


_UNTRUSTED = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={k: set(v) for k, v in ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    strip_comments=True,
    link_rel=None,
)
_FINAL = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes=_final_attributes(),
    url_schemes=set(URL_SCHEMES),
    strip_comments=True,
    link_rel=_LINK_REL,
    allowed_classes={k: set(v) for k, v in CLASSES.items()},
)


def clean_untrusted(html: str) -> str:
    """Clean HTML made from student markdown: allow-listed tags and attributes only."""
    return str(_UNTRUSTED.clean(html))


def clean_final(html: str) -> str:
    """Clean rewritten student HTML: as `clean_untrusted`, plus the rewriter's classes."""
    return str(_FINAL.clean(html))
