"""Rebuild a student's SVG figure from an allow-list (plain Python, no MkDocs).

An SVG file opened on the site's own origin is a document: it can run script (a
``<script>``, an ``onload``, an XSLT stylesheet named by a processing instruction, an
``<animate>`` that rewrites a link) and load things from other sites (a CSS stylesheet,
``@import``, ``url(...)``, an ``<image>`` or ``<use>`` pointing elsewhere). A check of the
original bytes misses what the XML parser ignores and what CSS escapes hide, so the
original is never published: `rebuild_svg` parses the file with a hardened parser and
writes a new document holding only what is on the allow-lists below.

Kept: drawing elements, text, gradients, patterns, clip paths, masks, markers, symbols,
``use`` of an element of the same file, ``image`` of an embedded PNG, JPEG, GIF or WebP,
filters, ``title``/``desc``, and CSS (``style`` attributes and elements) without
backslashes, at-rules, or functions other than colours, transforms, filters and
``url(#id)``. Dropped: everything else, including processing instructions, comments, the
DOCTYPE, ``foreignObject`` (draw.io's HTML labels; the ``<text>`` fallback beside it then
shows), ``script``, animation elements, event attributes, other namespaces (Inkscape's
metadata) and links (``<a>`` is unwrapped: its content stays, the link goes).

The parser refuses an internal DTD subset (so entity declarations: no billion laughs), an
external entity and an entity it does not know; a DOCTYPE naming a public DTD without an
internal subset, as draw.io writes, is accepted and dropped.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NoReturn
from xml.parsers import expat

__all__ = ["MAX_SVG_BYTES", "SvgRefused", "rebuild_svg"]

MAX_SVG_BYTES = 10_000_000
"""Larger SVG files are not published (the corpus' largest, a draw.io diagram with its
icons embedded, is 1.7 MB)."""

MAX_ELEMENTS = 200_000
"""SVG files with more elements are not published."""

MAX_DEPTH = 200
"""SVG files nested deeper are not published."""

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"

DRAWING = frozenset(
    {"path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "image",
     "use"}
)  # fmt: skip
"""Elements that draw something; a rebuilt file without one is not published."""

_FILTER_PRIMITIVES = frozenset(
    {"feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix",
     "feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood",
     "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feImage", "feMerge",
     "feMergeNode", "feMorphology", "feOffset", "fePointLight", "feSpecularLighting",
     "feSpotLight", "feTile", "feTurbulence"}
)  # fmt: skip

_STRUCTURE = frozenset(
    {"svg", "g", "defs", "symbol", "use", "switch", "title", "desc", "style", "image",
     "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker",
     "text", "tspan", "textPath", "filter"}
)  # fmt: skip

ELEMENTS = _STRUCTURE | DRAWING | _FILTER_PRIMITIVES
"""SVG elements kept (with their allowed attributes); any other is dropped with its content."""

UNWRAPPED = frozenset({"a"})
"""Elements replaced by their content."""

_TEXT = frozenset({"text", "tspan", "textPath", "title", "desc"})
"""Elements whose character data is kept."""

_HREF = frozenset({"use", "image", "feImage", "textPath", "linearGradient", "radialGradient",
                   "pattern", "filter"})  # fmt: skip
"""Elements whose ``href`` is kept when it names an element of the file (``#id``)."""

_RASTER_HREF = frozenset({"image", "feImage"})
"""Elements whose ``href`` may also be an embedded raster image."""

_NEEDS_HREF = frozenset({"use", "image", "feImage", "textPath"})
"""Elements dropped when their ``href`` is."""

ATTRIBUTES = frozenset(
    # core, conditional processing
    {"id", "class", "style", "lang", "tabindex", "requiredFeatures", "requiredExtensions",
     "systemLanguage",
     # geometry and coordinate systems
     "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr",
     "width", "height", "d", "points", "pathLength", "transform", "viewBox",
     "preserveAspectRatio", "version", "baseProfile", "dx", "dy", "rotate", "textLength",
     "lengthAdjust", "startOffset", "method", "spacing", "side", "refX", "refY",
     "markerWidth", "markerHeight", "markerUnits", "orient", "patternUnits",
     "patternContentUnits", "patternTransform", "gradientUnits", "gradientTransform",
     "spreadMethod", "offset", "clipPathUnits", "maskUnits", "maskContentUnits",
     "filterUnits", "primitiveUnits",
     # filter primitives
     "in", "in2", "result", "stdDeviation", "mode", "operator", "k1", "k2", "k3", "k4",
     "type", "values", "tableValues", "slope", "intercept", "amplitude", "exponent",
     "order", "kernelMatrix", "divisor", "bias", "targetX", "targetY", "edgeMode",
     "preserveAlpha", "surfaceScale", "diffuseConstant", "specularConstant",
     "specularExponent", "kernelUnitLength", "scale", "xChannelSelector",
     "yChannelSelector", "radius", "baseFrequency", "numOctaves", "seed", "stitchTiles",
     "azimuth", "elevation", "z", "pointsAtX", "pointsAtY", "pointsAtZ",
     "limitingConeAngle",
     # presentation attributes
     "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
     "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray",
     "stroke-dashoffset", "opacity", "color", "display", "visibility", "overflow", "clip",
     "clip-path", "clip-rule", "mask", "filter", "marker", "marker-start", "marker-mid",
     "marker-end", "font", "font-family", "font-size", "font-size-adjust", "font-stretch",
     "font-style", "font-variant", "font-weight", "text-anchor", "text-decoration",
     "text-rendering", "dominant-baseline", "alignment-baseline", "baseline-shift",
     "letter-spacing", "word-spacing", "writing-mode", "direction", "unicode-bidi",
     "stop-color", "stop-opacity", "flood-color", "flood-opacity", "lighting-color",
     "color-interpolation", "color-interpolation-filters", "color-rendering",
     "shape-rendering", "image-rendering", "paint-order", "vector-effect",
     "mix-blend-mode", "isolation", "pointer-events", "transform-origin", "white-space"}
)  # fmt: skip
"""Attributes (without a namespace) kept on any kept element, when their value passes the
CSS check (browsers read presentation attributes as CSS)."""

CSS_FUNCTIONS = frozenset(
    {"rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch", "color", "url",
     "calc", "min", "max", "clamp", "var", "rect", "matrix", "matrix3d", "translate",
     "translatex", "translatey", "translate3d", "rotate", "scale", "scalex", "scaley",
     "skew", "skewx", "skewy", "blur", "brightness", "contrast", "drop-shadow", "grayscale",
     "hue-rotate", "invert", "opacity", "saturate", "sepia", "linear-gradient",
     "radial-gradient"}
)  # fmt: skip
"""CSS functions allowed; others (``image-set("https://…")``, ``expression(…)``, ``src(…)``)
can load things or run script."""

_FUNCTION = re.compile(r"([a-z0-9_-]*)\(")
_URL = re.compile(r"url\(\s*(['\"]?)#[\w.:-]+\1\s*\)")
_LOCAL = re.compile(r"#[\w.:-]+")
_DATA_RASTER = re.compile(r"data:image/(png|jpeg|gif|webp);base64,([A-Za-z0-9+/=\s]*)")
_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_XML_ATTR = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;",
     "\r": "&#13;"}
)  # fmt: skip


class SvgRefused(Exception):
    """The SVG file is not published; the message says why (for the report's diagnostic)."""


RasterCheck = Callable[[bytes], str | None]
"""Returns why an embedded raster image is dropped (too many pixels, unreadable), or None."""


@dataclass
class _Node:
    tag: str
    attrs: list[tuple[str, str]]
    children: list[_Node | str] = field(default_factory=list)


def rebuild_svg(data: bytes, check_raster: RasterCheck | None = None) -> bytes:
    """Parse an SVG file and return a new one made only of allowed elements and attributes.

    Args:
        data: The file's bytes.
        check_raster: Checks an embedded raster image (``data:image/...``); an image it
            refuses is dropped.

    Returns:
        The rebuilt file: UTF-8, in the SVG namespace.

    Raises:
        SvgRefused: The file is too large, is not well-formed XML, declares or uses
            entities, is not an SVG drawing, or has nothing left to draw.
    """
    if len(data) > MAX_SVG_BYTES:
        raise SvgRefused(f"the SVG file is larger than {MAX_SVG_BYTES // 1_000_000} MB")
    root = _parse(data)
    if root.tag != "svg":
        raise SvgRefused("it is not an SVG drawing (its root element is not <svg>)")
    rebuilt = _Rebuilder(check_raster)
    node = rebuilt.element(root)
    if node is None or not rebuilt.draws:
        raise SvgRefused(
            "nothing would be left of the SVG file once scripts, links and embedded "
            "content are removed"
        )
    out: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    _serialise(node, out, xlink=rebuilt.xlink)
    out.append("\n")
    return "".join(out).encode("utf-8")


# -- parsing -------------------------------------------------------------------------------


def _refuse(reason: str) -> Callable[..., NoReturn]:
    def handler(*args: object) -> NoReturn:
        raise SvgRefused(reason)

    return handler


def _parse(data: bytes) -> _Node:
    """Parse with expat: no internal DTD subset, no entities, no external anything."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[_Node] = []
    top: list[_Node] = []
    count = 0

    def doctype(name: str, system: str | None, public: str | None, internal: int) -> None:
        if internal:
            raise SvgRefused("it has a DTD internal subset (entity declarations are refused)")

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal count
        count += 1
        if count > MAX_ELEMENTS:
            raise SvgRefused(f"it has more than {MAX_ELEMENTS:,} elements")
        if len(stack) >= MAX_DEPTH:
            raise SvgRefused(f"its elements are nested more than {MAX_DEPTH} deep")
        node = _Node(tag, list(attrs.items()))
        (stack[-1].children if stack else top).append(node)
        stack.append(node)

    def end(tag: str) -> None:
        stack.pop()

    def text(chars: str) -> None:
        if stack:
            stack[-1].children.append(chars)

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = _refuse("it declares entities")
    parser.UnparsedEntityDeclHandler = _refuse("it declares entities")
    parser.NotationDeclHandler = _refuse("it declares notations")
    parser.ExternalEntityRefHandler = _refuse("it refers to an external entity")
    parser.SkippedEntityHandler = _refuse("it uses an entity that is not declared")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except expat.ExpatError as e:
        raise SvgRefused(
            f"it is not well-formed XML ({expat.ErrorString(e.code)}, line {e.lineno})"
        ) from e
    except RecursionError as e:  # pragma: no cover - MAX_DEPTH keeps expat shallow
        raise SvgRefused("its elements are nested too deep") from e
    if not top:
        raise SvgRefused("it has no element")
    root = top[0]
    root.tag = _svg_local(root.tag) or root.tag
    return root


def _svg_local(name: str) -> str | None:
    """Return an element's local name when it is in the SVG namespace (or none), else None."""
    uri, _, local = name.rpartition(" ")
    return local if uri in ("", SVG) else None


# -- rebuilding ----------------------------------------------------------------------------


class _Rebuilder:
    def __init__(self, check_raster: RasterCheck | None) -> None:
        self.check_raster = check_raster
        self.draws = False
        self.xlink = False

    def element(self, node: _Node) -> _Node | None:
        """Return the allowed copy of an element (its tag already a local SVG name)."""
        tag = node.tag
        attrs: list[tuple[str, str]] = []
        has_href = False
        for name, value in node.attrs:
            kept = self.attribute(tag, name, value)
            if kept is not None:
                attrs.append(kept)
                has_href = has_href or kept[0] in ("href", "xlink:href")
        if tag in _NEEDS_HREF and not has_href:
            return None
        if tag == "style":
            css = "".join(c for c in node.children if isinstance(c, str))
            return _Node(tag, attrs, [css] if css else []) if _safe_css(css) else None
        if tag in DRAWING:
            self.draws = True
        return _Node(tag, attrs, self.children(node, keep_text=tag in _TEXT))

    def children(self, node: _Node, *, keep_text: bool) -> list[_Node | str]:
        out: list[_Node | str] = []
        for child in node.children:
            if isinstance(child, str):
                if keep_text:
                    out.append(child)
                continue
            local = _svg_local(child.tag)
            if local in UNWRAPPED:
                out.extend(self.children(child, keep_text=keep_text))
            elif local in ELEMENTS:
                child.tag = local
                copy = self.element(child)
                if copy is not None:
                    out.append(copy)
        return out

    def attribute(self, tag: str, name: str, value: str) -> tuple[str, str] | None:
        """Return the (serialised name, value) of an allowed attribute, or None."""
        uri, _, local = name.rpartition(" ")
        if local == "href" and uri in ("", XLINK):
            if not self.href_ok(tag, value):
                return None
            if uri:
                self.xlink = True
                return "xlink:href", value
            return "href", value
        if uri == XML and local in ("space", "lang"):
            return f"xml:{local}", value
        if uri or local not in ATTRIBUTES or local.startswith("on"):
            return None
        return (local, value) if _safe_css(value) else None

    def href_ok(self, tag: str, value: str) -> bool:
        target = value.strip()
        if tag in _HREF and _LOCAL.fullmatch(target):
            return True
        if tag not in _RASTER_HREF:
            return False
        m = _DATA_RASTER.fullmatch(target)
        if m is None:
            return False
        if self.check_raster is None:
            return True
        try:
            raw = base64.b64decode("".join(m.group(2).split()), validate=True)
        except (binascii.Error, ValueError):
            return False
        return self.check_raster(raw) is None


def _safe_css(text: str) -> bool:
    r"""Whether CSS (a style sheet, a declaration list or a presentation value) is inert.

    Nothing is decoded first: a backslash (a CSS escape such as ``u\72l(``) is refused
    itself, as are ``@`` (``@import`` and every other at-rule), ``javascript:``,
    ``expression``, functions not in `CSS_FUNCTIONS` and ``url()`` of anything but an
    element of the same file (``url(#id)``).
    """
    lowered = text.lower()
    if "\\" in lowered or "@" in lowered or "javascript:" in lowered or "expression" in lowered:
        return False
    if "(" not in lowered:
        return True
    for m in _FUNCTION.finditer(lowered):
        if m.group(1) and m.group(1) not in CSS_FUNCTIONS:
            return False
    return lowered.count("url(") == len(_URL.findall(lowered))


# -- writing -------------------------------------------------------------------------------


def _serialise(root: _Node, out: list[str], *, xlink: bool) -> None:
    namespaces = f' xmlns="{SVG}"' + (f' xmlns:xlink="{XLINK}"' if xlink else "")
    stack: list[_Node | str] = [root]
    first = True
    while stack:
        item = stack.pop()
        if isinstance(item, str):  # a closing tag
            out.append(item)
            continue
        attrs = "".join(f' {n}="{v.translate(_XML_ATTR)}"' for n, v in item.attrs)
        if first:
            attrs = namespaces + attrs
            first = False
        if not item.children:
            out.append(f"<{item.tag}{attrs}/>")
            continue
        out.append(f"<{item.tag}{attrs}>")
        stack.append(f"</{item.tag}>")
        for child in reversed(item.children):
            if isinstance(child, str):
                stack.append(child.translate(_XML_TEXT))
            else:
                stack.append(child)
