"""The HTML allow-list for student content, enforced with nh3.

Student HTML is cleaned twice (see `report_archive.site.answers`): `clean_untrusted` on what
Markdown made of the student's text, then `clean_final` on the rewritten result, which is the
last step before the HTML is put in a page. Both drop scripts, styles, frames, objects,
forms, ``meta``/``base``, every ``on*`` and ``style`` attribute, comments and any URL whose
scheme is not http, https or mailto (relative URLs are kept for the rewriter to resolve).
"""

from __future__ import annotations

import re

import nh3

__all__ = ["CLASSES", "MAX_DEPTH", "clean_final", "clean_untrusted", "limit_nesting"]

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

GENERIC_ATTRIBUTES = frozenset({"lang", "title"})
"""Attributes kept on every tag (nh3's own default, named here so the allow-list is whole)."""

CLASSES: dict[str, set[str]] = {
    "a": {"ra-figure", "ra-figure-external", "ra-figure-link"},
    "img": {"ra-figure-img"},
    "span": {"ra-figure-missing", "ra-figure-note", "ra-figure-alt", "ra-link-dropped"},
}
"""Classes the rewriter adds, the only ones that survive `clean_final`."""

URL_SCHEMES = frozenset({"http", "https", "mailto"})
"""URL schemes kept; relative URLs are kept too."""

_LINK_REL = "nofollow noopener noreferrer"


def _final_attributes() -> dict[str, set[str]]:
    attributes = _attributes()
    attributes["img"].add("loading")
    return attributes


def _attributes() -> dict[str, set[str]]:
    return {"*": set(GENERIC_ATTRIBUTES)} | {k: set(v) for k, v in ATTRIBUTES.items()}


_UNTRUSTED = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes=_attributes(),
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


MAX_DEPTH = 100
"""How deeply elements may nest in student HTML; deeper ones lose their tags (see
`limit_nesting`)."""

_TAG_OPEN = re.compile(r"<(/?)([a-zA-Z][^\s/<>]*)")
_TAG_REST = re.compile(r"[^<>]*>")
_VOID_TAGS = frozenset(
    {"area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img",
     "input", "keygen", "link", "meta", "param", "source", "track", "wbr"}
)  # fmt: skip
_SIBLINGS = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "option"})
"""Elements that a start tag of the same name closes (``<li>a<li>b``)."""


def limit_nesting(html: str, max_depth: int = MAX_DEPTH) -> str:
    """Remove the tags of elements nested deeper than `max_depth`, keeping their text.

    nh3's HTML parser takes time quadratic in the depth of nesting (every start tag looks
    through the open elements), so 15,000 nested block quotes (``>`` repeated) take
    seconds. This pass counts depth generously, so that the parser never sees much deeper
    nesting than it counts: every ``<name`` opens an element, even inside a comment or an
    attribute value, and an end tag closes one only when it names the innermost open
    element. Beyond `max_depth`, start tags are removed, and so are the end tags that match
    them. The result is cleaned by nh3 all the same, so whatever this pass leaves is safe.

    Args:
        html: HTML made from student markdown (cmark-gfm's output, raw HTML included).
        max_depth: The deepest nesting kept.

    Returns:
        `html`, unchanged when no element is deeper than `max_depth`.
    """
    if html.count("<") <= max_depth:
        return html
    stack: list[str] = []
    removed: dict[str, int] = {}  # tag name -> start tags removed and not yet closed
    out: list[str] = []
    done = 0  # html[:done] is in out
    for m in _TAG_OPEN.finditer(html):
        closing, name = m.group(1), m.group(2).lower()
        if name in _VOID_TAGS:
            continue
        if closing:
            if not removed.get(name):
                if stack and stack[-1] == name:
                    stack.pop()
                continue
            removed[name] -= 1
        elif stack and stack[-1] == name and name in _SIBLINGS:
            continue  # it closes the open one and takes its place
        elif len(stack) < max_depth:
            stack.append(name)
            continue
        else:
            removed[name] = removed.get(name, 0) + 1
        # Remove the tag up to its ">"; with no ">" before the next "<", escape its "<".
        # A "<" just before it must not meet the text after it ("<" "<b>" "i>"): a space.
        out.append(html[done : m.start()])
        rest = _TAG_REST.match(html, m.end())
        if rest is None:
            out.append("&lt;")
            done = m.start() + 1
        else:
            out.append(" " if html[m.start() - 1 : m.start()] == "<" else "")
            done = rest.end()
    if not out:
        return html
    out.append(html[done:])
    return "".join(out)


def clean_untrusted(html: str) -> str:
    """Clean HTML made from student markdown: allow-listed tags and attributes only.

    Elements nested deeper than `MAX_DEPTH` lose their tags first (`limit_nesting`).
    """
    return str(_UNTRUSTED.clean(limit_nesting(html)))


def clean_final(html: str) -> str:
    """Clean rewritten student HTML: as `clean_untrusted`, plus the rewriter's classes."""
    return str(_FINAL.clean(html))
