"""Student markdown → safe HTML.

The pipeline, for every answer and for the text outside the questions:

1. cmark-gfm, the renderer GitHub itself uses for README files, so an answer reads as it
   did on GitHub when the group wrote it (lists without a blank line before them, two-space
   nested lists, bare URLs as links), with the GitHub extensions that cannot read files or
   add attributes: tables, autolinks, strikethrough. Raw HTML is passed through to the next
   step. The site's own markdown extensions (Python-Markdown's) never see student text.
2. `sanitize.clean_untrusted`: allow-listed tags and attributes only.
3. `_Rewriter`: images and links are resolved with the parser's references (published
   figures get a site URL and a lightbox link; missing ones a visible placeholder; external
   images become links, never hot-linked), headings are demoted below the page's own (h1-h3 →
   h4-h6), and student numbers in visible text are redacted.
4. `sanitize.clean_final`: the same allow-list again, plus the rewriter's own classes.

URLs of published figures start with `ROOT`, a token the page replaces with the relative
path to the site root; it lets one rendering serve every page that shows the answer. The
token is made per process and cannot be produced by students (nh3 would keep it only as part
of a relative URL, and it is only ever replaced at the start of ``src``/``href`` values the
rewriter wrote).
"""

from __future__ import annotations

import html
import posixpath
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

import cmarkgfm

from report_archive.figures import FigurePlan
from report_archive.model import Reference, RefKind, RefStatus
from report_archive.redact import STUDENT_NUMBER, Redactor
from report_archive.sanitize import clean_final, clean_untrusted

__all__ = [
    "BLOCKS",
    "ROOT",
    "GroupJob",
    "MarkdownRenderer",
    "Rendered",
    "demote",
    "escape_markdown",
    "render_group",
    "title_text",
]

_INLINE_CACHE_SIZE = 20_000

ROOT = f"ra-root-{secrets.token_hex(8)}/"
"""Placeholder for the relative path from a page to the site root, in rendered URLs."""

_EXTENSIONS = ["table", "autolink", "strikethrough"]
_OPTIONS = cmarkgfm.Options.CMARK_OPT_UNSAFE  # raw HTML is kept: nh3 cleans it next
_VOID = frozenset({"br", "hr", "img", "wbr", "col"})
BLOCKS = frozenset(
    {"p", "div", "li", "ul", "ol", "table", "tr", "td", "th", "pre", "blockquote", "br",
     "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "figcaption", "summary", "details",
     "section", "article", "hr"}
)  # fmt: skip
"""Tags that separate words in the visible text of HTML."""
_HEADING = re.compile(r"^h([1-6])$")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>&])")  # Python-Markdown's escapable set
_TITLE_DROP = re.compile(r"[<>\"`\x00-\x1f\x7f]")


def escape_markdown(text: str) -> str:
    """Escape text for a markdown context: no markup, no HTML, one line.

    Every markdown punctuation gets a backslash, and ``<``/``>``/``&`` become entities so no
    HTML can start.
    """
    one_line = " ".join(text.split())
    escaped = _MD_SPECIAL.sub(r"\\\1", one_line)
    return escaped.replace("\\<", "&lt;").replace("\\>", "&gt;").replace("\\&", "&amp;")


def title_text(text: str) -> str:
    """Return a title safe to become an MkDocs page title: one line, no ``<>"`` or backquote.

    MkDocs derives ``page.title`` from the page's first heading with entities decoded, and
    themes print it unescaped (Material in ``<title>``), so these characters are removed
    rather than escaped.
    """
    return " ".join(_TITLE_DROP.sub(" ", text).split())


def demote(level: int, shift: int = 3) -> int:
    """Return a heading level pushed down by `shift`, at most 6."""
    return min(6, level + shift)


def _norm_target(target: str) -> str:
    text = html.unescape(target.strip().strip("<>").strip())
    text = unquote(text)
    while text.startswith("./"):
        text = text[2:]
    return text


@dataclass(frozen=True)
class Rendered:
    """Student markdown rendered once: the HTML for pages, the visible text for search.

    Attributes:
        html: Safe HTML (with `ROOT` tokens).
        text: What a reader sees, on one line: the text, the alt text of figures, no site
            notes on figures that cannot be shown. Redacted like the HTML.
    """

    html: str
    text: str


class MarkdownRenderer:
    """Renders untrusted markdown to sanitised HTML (not thread-safe: it keeps a cache)."""

    def __init__(self) -> None:
        self._inline_cache: dict[str, str] = {}

    def render(
        self,
        text: str,
        references: Iterable[Reference] = (),
        *,
        figures: FigurePlan | None = None,
        redactor: Redactor | None = None,
        shift: int = 3,
    ) -> str:
        """Render student markdown to safe HTML.

        Args:
            text: The student's markdown.
            references: The parser's references for this text.
            figures: Where the report's files are published; None publishes nothing.
            redactor: Redacts student numbers; None leaves them.
            shift: How many levels headings are pushed down.

        Returns:
            HTML, safe to embed in a page once `ROOT` is replaced.
        """
        return self.render_answer(
            text, references, figures=figures, redactor=redactor, shift=shift
        ).html

    def render_answer(
        self,
        text: str,
        references: Iterable[Reference] = (),
        *,
        figures: FigurePlan | None = None,
        redactor: Redactor | None = None,
        shift: int = 3,
    ) -> Rendered:
        """Render student markdown to safe HTML and keep its visible text (see `render`)."""
        if not text.strip():
            return Rendered("", "")
        raw: str = cmarkgfm.markdown_to_html_with_extensions(
            text, options=_OPTIONS, extensions=_EXTENSIONS
        )
        clean = clean_untrusted(raw)
        rewriter = _Rewriter(references, figures, redactor or Redactor(enabled=False), shift)
        rewriter.feed(clean)
        return Rendered(clean_final(rewriter.result()), " ".join("".join(rewriter.text).split()))

    def render_inline(self, text: str, redactor: Redactor | None = None) -> str:
        """Render one line of student markdown (a checklist item) without the paragraph.

        Lines that name no student render the same for every group (most checklist items
        are the template's own text), so they are rendered once and remembered.
        """
        line = " ".join(text.split())
        if not line:
            return ""
        if redactor is not None and redactor.affects(line):
            return self._inline(line, redactor)
        out = self._inline_cache.get(line)
        if out is None:
            out = self._inline(line, None)
            if len(self._inline_cache) < _INLINE_CACHE_SIZE:
                self._inline_cache[line] = out
        return out

    def _inline(self, line: str, redactor: Redactor | None) -> str:
        out = self.render(line, redactor=redactor).strip()
        if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
            out = out[3:-4]
        return out

    def render_trusted(self, text: str, shift: int = 3) -> str:
        """Render our own markdown (question prompts) the same safe way."""
        return self.render(text, shift=shift)


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


class _Rewriter:
    """Re-serialises nh3 output, resolving figures and links and redacting text.

    It reads only what nh3 writes (`_TOKEN`), which is regular enough for a tokenizer much
    faster than `html.parser`; whatever it writes is cleaned by nh3 again afterwards.
    """

    def __init__(
        self,
        references: Iterable[Reference],
        figures: FigurePlan | None,
        redactor: Redactor,
        shift: int,
    ) -> None:
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

    def feed(self, clean: str) -> None:
        """Read HTML that nh3 wrote.

        Text, and tags without attributes that need no rewriting, are handled here rather
        than by the callbacks (with the same result), which makes answers dense with markup
        (``*_*_*_``...) about half as slow.
        """
        unescape, escape, redact = html.unescape, html.escape, self.redactor.text
        out, visible = self.out, self.text
        for m in _TOKEN.finditer(clean):
            slash, tag, attrs, text = m.groups()
            if text is not None:
                text = redact(unescape(text))
                visible.append(text)
                out.append(escape(text, quote=False))
                continue
            if tag is None:
                self.handle_data("<")
                continue
            tag = tag.lower()
            if not attrs and tag not in _REWRITTEN:
                if tag in BLOCKS:
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
        while self.links:
            if self.links.pop():
                self.out.append("</a>")
        return "".join(self.out)

    # -- helpers ---------------------------------------------------------------------------

    def _lookup(self, kind: RefKind, target: str) -> Reference | None:
        key = _norm_target(target)
        return self.refs.get((kind, key)) or self.any_refs.get(key)

    def _site_url(self, ref: Reference | None) -> str | None:
        if ref is None or ref.status is not RefStatus.FOUND or self.figures is None:
            return None
        site = self.figures.site_path(ref.path)
        return ROOT + quote(site) if site else None

    def _text(self, text: str) -> str:
        return html.escape(self.redactor.text(text), quote=False)

    def _attrs(self, attrs: Iterable[tuple[str, str | None]]) -> str:
        parts = []
        for name, value in attrs:
            if value is None:
                parts.append(f" {name}")
            else:
                if name in ("alt", "title"):
                    value = self.redactor.text(value)
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
        if tag in BLOCKS:
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
        if tag in BLOCKS:
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
        self.text.append(self.redactor.text(data))
        self.out.append(html.escape(self.text[-1], quote=False))

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
            and not target.startswith(ROOT)
            and STUDENT_NUMBER.search(unquote(target))
        ):
            target = None
        if target is None:
            self.links.append(False)
            return
        extra = self._attrs([("title", title)]) if title else ""
        self.out.append(f'<a href="{html.escape(target)}"{extra}>')
        self.links.append(True)


@dataclass(frozen=True)
class GroupJob:
    """Everything needed to render one report's texts, in a worker process or here.

    Attributes:
        texts: (markdown, references) of each text to render.
        figures: Where the report's files are published.
        redactor: The group's redactor.
    """

    texts: list[tuple[str, tuple[Reference, ...]]]
    figures: FigurePlan
    redactor: Redactor


_worker_renderer: MarkdownRenderer | None = None


def render_group(job: GroupJob) -> list[Rendered]:
    """Render a report's texts (the function worker processes run; see `parallel`)."""
    global _worker_renderer
    if _worker_renderer is None:
        _worker_renderer = MarkdownRenderer()
    renderer = _worker_renderer
    return [
        renderer.render_answer(text, refs, figures=job.figures, redactor=job.redactor)
        for text, refs in job.texts
    ]


def relative_root(page_url: str) -> str:
    """Return the relative path from a page's URL to the site root (``""`` at the root).

    Args:
        page_url: The page's URL relative to the site root, as MkDocs gives it
            (``2026-january/group-15/`` or ``2026-january/group-15/index.html``).
    """
    depth = page_url.count("/")
    return "../" * depth


def fill_root(html_text: str, root: str) -> str:
    """Replace the `ROOT` token in rendered HTML by the path to the site root."""
    return html_text.replace(ROOT, root)


def site_join(*parts: str) -> str:
    """Join site path segments, skipping empty ones."""
    return posixpath.join(*[p for p in parts if p]) if any(parts) else ""
