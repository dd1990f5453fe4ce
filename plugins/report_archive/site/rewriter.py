"""Rewriting sanitised student HTML: figures, links, headings and student numbers.

`Rewriter` reads the HTML that `sanitize.clean_untrusted` made (nh3's serialisation, so a
simple tokeniser reads it in linear time) and writes it again: images and links are
resolved with the parser's references (published figures get a site URL and a lightbox
link; missing ones a visible placeholder; external images become links, never hot-linked),
headings are demoted below the page's own, and student numbers are redacted in the visible
text, also across markup (``s22<b>4176</b>``).
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable
from urllib.parse import quote, unquote, urlsplit

from report_archive.reports.decoding import normalise
from report_archive.reports.model import Reference, RefKind, RefStatus
from report_archive.site.figures import FigurePlan
from report_archive.site.redact import Redactor

__all__ = ["BLOCKS", "Rewriter", "demote"]

_VOID = frozenset({"br", "hr", "img", "wbr", "col"})
BLOCKS = frozenset(
    {"p", "div", "li", "ul", "ol", "table", "tr", "td", "th", "pre", "blockquote", "br",
     "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "figcaption", "summary", "details",
     "section", "article", "hr"}
)  # fmt: skip
"""Tags that separate words in the visible text of HTML."""
_HEADING = re.compile(r"^h([1-6])$")


def demote(level: int, shift: int = 3) -> int:
    """Return a heading level pushed down by `shift`, at most 6."""
    return min(6, level + shift)


def _norm_target(target: str) -> str:
    text = html.unescape(target.strip().strip("<>").strip())
    text = unquote(text)
    while text.startswith("./"):
        text = text[2:]
    return text


_TOKEN = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s=/<>\"']+(?:=\"[^\"]*\")?)*)\s*/?>|([^<]+)|<"
)
"""A tag, a run of text, or a lone ``<``, in HTML as nh3 serialises it: attribute values
always double-quoted (``"`` inside them escaped), ``<`` in text always escaped. An
attribute name stops at ``<``, so a tag that is never closed is given up at the next ``<``
(linear time on any input)."""
_ATTR = re.compile(r"([^\s=/<>\"']+)(?:=\"([^\"]*)\")?")
_REWRITTEN = frozenset({"a", "img", "h1", "h2", "h3", "h4", "h5", "h6"} | _VOID)
"""Tags the rewriter changes (or, at their end, drops) even without attributes."""


class Rewriter:
    """Re-serialises nh3 output, resolving figures and links and redacting text.

    It reads only what nh3 writes (`_TOKEN`), which is regular enough for a tokenizer much
    faster than `html.parser`; whatever it writes is cleaned by nh3 again afterwards.

    Args:
        references: The parser's references for the text.
        figures: Where the report's files are published; None publishes nothing.
        redactor: Redacts student numbers.
        shift: How many levels headings are pushed down.
        root: The token that stands for the path to the site root in URLs.
    """

    def __init__(
        self,
        references: Iterable[Reference],
        figures: FigurePlan | None,
        redactor: Redactor,
        shift: int,
        root: str,
    ) -> None:
        self.root = root
        self.figures = figures
        self.redactor = redactor
        self.shift = shift
        self.refs: dict[tuple[RefKind, str], Reference] = {}
        self.any_refs: dict[str, Reference] = {}
        for ref in references:
            key = _norm_target(ref.target)
            self.refs.setdefault((ref.kind, key), ref)
            self.any_refs.setdefault(key, ref)
        self.out: list[str] = []
        self.text: list[str] = []  # the visible text (`Rendered.text`)
        self.links: list[bool] = []  # per open <a>: whether it was written
        self.pending: list[tuple[int, int, str]] = []
        """Text runs of the current block not written yet: (index in `out`, index in
        `text`, the text), redacted together by `_flush`."""

    def feed(self, clean: str) -> None:
        """Read HTML that nh3 wrote.

        Text, and tags without attributes that need no rewriting, are handled here rather
        than by the callbacks (with the same result), which makes answers dense with markup
        (``*_*_*_``...) about half as slow.
        """
        unescape = html.unescape
        out, visible, pending = self.out, self.text, self.pending
        for m in _TOKEN.finditer(clean):
            slash, tag, attrs, text = m.groups()
            if text is not None:  # as handle_data: redacted with its block, at _flush
                pending.append((len(out), len(visible), unescape(text)))
                out.append("")
                visible.append("")
                continue
            if tag is None:
                self.handle_data("<")
                continue
            tag = tag.lower()
            if not attrs and tag not in _REWRITTEN:
                if tag in BLOCKS:
                    self._flush()
                    visible.append(" ")
                out.append(f"</{tag}>" if slash else f"<{tag}>")
            elif slash:
                self.handle_endtag(tag)
            else:
                pairs: list[tuple[str, str | None]] = [
                    (name.lower(), unescape(value)) for name, value in _ATTR.findall(attrs)
                ]
                self.handle_starttag(tag, pairs)

    def result(self) -> str:
        """Return the HTML written so far, with every open link closed."""
        self._flush()
        while self.links:
            if self.links.pop():
                self.out.append("</a>")
        return "".join(self.out)

    def _flush(self) -> None:
        """Redact the pending text runs as one text, then write them.

        A student number split by inline markup (``<strong>s</strong>224176``) or by
        invisible characters is found in the joined text; its label goes where it starts
        and the rest of it is removed from the runs it spans.
        """
        if not self.pending:
            return
        pending = self.pending[:]
        self.pending.clear()  # in place: `feed` holds the list
        spans = self.redactor.spans("".join(raw for _, _, raw in pending))
        offset = 0
        for out_index, text_index, raw in pending:
            kept = _cut(raw, offset, spans) if spans else raw
            offset += len(raw)
            self.out[out_index] = html.escape(kept, quote=False)
            self.text[text_index] = kept

    # -- helpers ---------------------------------------------------------------------------

    def _lookup(self, kind: RefKind, target: str) -> Reference | None:
        key = _norm_target(target)
        return self.refs.get((kind, key)) or self.any_refs.get(key)

    def _site_url(self, ref: Reference | None) -> str | None:
        if ref is None or ref.status is not RefStatus.FOUND or self.figures is None:
            return None
        site = self.figures.site_path(ref.path)
        return self.root + quote(site) if site else None

    def _text(self, text: str) -> str:
        return html.escape(self.redactor.text(text), quote=False)

    def _attrs(self, attrs: Iterable[tuple[str, str | None]]) -> str:
        """Write attributes whose values have the shape their name allows (`_VALUES`).

        Free text (``alt``, ``title``) is redacted; numbers must be short (so no student
        number hides in ``start`` or ``colspan``); anything else is dropped.
        """
        parts = []
        for name, value in attrs:
            if value is None:
                continue
            if name in ("alt", "title"):
                value = self.redactor.text(value)
            else:
                shape = _VALUES.get(name)
                if shape is None or not shape.fullmatch(value.strip()):
                    continue
                value = value.strip()
            parts.append(f' {name}="{html.escape(value, quote=True)}"')
        return "".join(parts)

    def _placeholder(self, message: str, alt: str = "") -> None:
        """Show a figure that cannot be shown: the site's message, then the student's alt."""
        caption = f' <span class="ra-figure-alt">{self._text(alt)}</span>' if alt.strip() else ""
        if caption:
            self.text.append(f" {self.redactor.text(alt)}")
        self.out.append(
            f'<span class="ra-figure-missing"><span class="ra-figure-note">'
            f"{self._text(message)}</span>{caption}</span>"
        )

    # -- parser callbacks ------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Write an opening tag, rewritten."""
        if tag in BLOCKS:
            self._flush()
            self.text.append(" ")
        if tag == "img":
            self._image(dict(attrs))
            return
        if tag == "a":
            self._link(dict(attrs))
            return
        m = _HEADING.match(tag)
        if m:
            tag = f"h{demote(int(m.group(1)), self.shift)}"
        self.out.append(f"<{tag}{self._attrs(attrs)}>")

    def handle_endtag(self, tag: str) -> None:
        """Write a closing tag (none for a dropped link or a void element)."""
        if tag in BLOCKS:
            self._flush()
            self.text.append(" ")
        if tag in _VOID:
            return
        if tag == "a":
            if self.links and self.links.pop():
                self.out.append("</a>")
            return
        m = _HEADING.match(tag)
        if m:
            tag = f"h{demote(int(m.group(1)), self.shift)}"
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        """Queue a text run; it is redacted with the rest of its block."""
        self.pending.append((len(self.out), len(self.text), data))
        self.out.append("")
        self.text.append("")

    # -- images and links ------------------------------------------------------------------

    def _image(self, attrs: dict[str, str | None]) -> None:
        src = (attrs.get("src") or "").strip()
        alt = attrs.get("alt") or ""
        inside_link = any(self.links)
        if not src:
            self._placeholder("Image without a usable source", alt)
            return
        ref = self._lookup(RefKind.IMAGE, src)
        scheme = urlsplit(src).scheme.lower()
        status = ref.status if ref else (RefStatus.EXTERNAL if scheme else None)
        if status is RefStatus.EXTERNAL or scheme:
            label = f"External image: {alt or src}"
            if inside_link or scheme not in ("http", "https"):
                self._placeholder(f"External image: {src}", alt)
            else:
                self.text.append(self.redactor.text(label))
                self.out.append(
                    f'<a class="ra-figure-external" href="{html.escape(src)}">'
                    f"{self._text(label)}</a>"
                )
            return
        url = self._site_url(ref)
        linked = self.figures.link(ref.path) if ref and self.figures else None
        if url is None and linked is not None and ref is not None:
            name = alt or posixpath.basename(ref.path or src)
            self._repository_figure(linked, name, inside_link=inside_link)
            return
        if url is None:
            self._placeholder(self._missing_message(ref, src), alt)
            return
        keep = {k: v for k, v in attrs.items() if k in ("width", "height", "title") and v}
        self.text.append(f" {self.redactor.text(alt)} ")
        alt_text = html.escape(self.redactor.text(alt))
        img = (
            f'<img class="ra-figure-img" src="{html.escape(url)}" '
            f'alt="{alt_text}" loading="lazy"{self._attrs(keep.items())}>'
        )
        if inside_link:
            self.out.append(img)
        else:
            self.out.append(f'<a class="ra-figure" href="{html.escape(url)}">{img}</a>')

    def _repository_figure(self, url: str, name: str, *, inside_link: bool) -> None:
        """Link a figure that is not published to its file in the group's repository."""
        label = f"Figure in the group's repository: {self.redactor.text(name)}"
        self.text.append(f" {label} ")
        text = html.escape(label, quote=False)
        if inside_link:  # the student's link already leads somewhere
            self.out.append(text)
        else:
            self.out.append(f'<a class="ra-figure-link" href="{html.escape(url)}">{text}</a>')

    def _missing_message(self, ref: Reference | None, src: str) -> str:
        name = ref.target if ref else src
        if ref is None:
            return f"Figure not found: {name}"
        if ref.status is RefStatus.OUTSIDE:
            return f"Figure outside the report's folder, not shown: {name}"
        if ref.status is RefStatus.FOUND and self.figures and ref.path in self.figures.rejected:
            return f"Figure not shown ({self.figures.rejected[ref.path]}): {name}"
        if ref.status is RefStatus.ANCHOR:
            return f"Image without a usable source: {name}"
        return f"Missing figure: {name}"

    def _link(self, attrs: dict[str, str | None]) -> None:
        href = (attrs.get("href") or "").strip()
        title = attrs.get("title")
        target: str | None = None
        if href:
            scheme = urlsplit(href).scheme.lower()
            if scheme in ("http", "https", "mailto"):
                target = href
            elif not scheme and not href.startswith("#"):
                ref = self._lookup(RefKind.LINK, href)
                url = self._site_url(ref)
                if url is not None:
                    target = url
        if (
            target is not None
            and self.redactor.enabled
            and not target.startswith(self.root)
            and _names_a_number(self.redactor, unquote(target))
        ):
            target = None
        if target is None:
            self.links.append(False)
            return
        extra = self._attrs([("title", title)]) if title else ""
        self.out.append(f'<a href="{html.escape(target)}"{extra}>')
        self.links.append(True)


_VALUES = {
    "width": re.compile(r"\d{1,4}%?"),
    "height": re.compile(r"\d{1,4}%?"),
    "start": re.compile(r"-?\d{1,4}"),
    "colspan": re.compile(r"\d{1,3}"),
    "rowspan": re.compile(r"\d{1,3}"),
    "align": re.compile(r"(?i:left|right|center|justify)"),
    "scope": re.compile(r"(?i:row|col|rowgroup|colgroup)"),
}
"""The shapes of the attribute values kept besides free text (numbers of at most four
digits: a six-digit student number never fits)."""


_SIX_DIGITS = re.compile(r"(?<![0-9])[0-9]{6}(?![0-9])")


def _names_a_number(redactor: Redactor, url: str) -> bool:
    """Whether a link's URL may name a student; such a link is shown as its text only.

    A student number in any form, or any run of exactly six digits: the URL itself is not
    shown, so dropping a link with a six-digit number loses little.
    """
    return redactor.affects(url) or bool(_SIX_DIGITS.search(normalise(url)[0]))


def _cut(raw: str, offset: int, spans: list[tuple[int, int, str]]) -> str:
    """Return the part of a text run that survives redaction of the joined text.

    Args:
        raw: The run.
        offset: Where the run starts in the joined text.
        spans: ``(start, end, label)`` in the joined text.
    """
    end = offset + len(raw)
    out: list[str] = []
    at = offset
    for start, stop, label in spans:
        if stop <= offset or start >= end:
            continue
        if start >= at:
            out.append(raw[at - offset : start - offset])
            out.append(label)
        at = max(at, min(stop, end))
    out.append(raw[at - offset :])
    return "".join(out)
