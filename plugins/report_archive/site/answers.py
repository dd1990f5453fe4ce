"""Student markdown → safe HTML.

The pipeline, for every answer and for the text outside the questions:

1. cmark-gfm, the renderer GitHub itself uses for README files, so an answer reads as it
   did on GitHub when the group wrote it (lists without a blank line before them, two-space
   nested lists, bare URLs as links), with the GitHub extensions that cannot read files or
   add attributes: tables, autolinks, strikethrough. Raw HTML is passed through to the next
   step. The site's own markdown extensions (Python-Markdown's) never see student text.
2. `sanitize.clean_untrusted`: allow-listed tags and attributes only.
3. `rewriter.Rewriter`: images and links are resolved with the parser's references (published
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

import copy
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

import cmarkgfm

from report_archive.reports.model import Reference
from report_archive.site.figures import FigurePlan
from report_archive.site.redact import Redactor
from report_archive.site.rewriter import BLOCKS, Rewriter, demote
from report_archive.site.sanitize import clean_final, clean_untrusted

__all__ = [
    "BLOCKS",
    "ROOT",
    "GroupJob",
    "MarkdownRenderer",
    "Rendered",
    "demote",
    "render_group",
    "title_text",
]

_INLINE_CACHE_SIZE = 20_000

ROOT = f"ra-root-{secrets.token_hex(8)}/"
"""Placeholder for the relative path from a page to the site root, in rendered URLs."""

_EXTENSIONS = ["table", "autolink", "strikethrough"]
_OPTIONS = cmarkgfm.Options.CMARK_OPT_UNSAFE  # raw HTML is kept: nh3 cleans it next
_TITLE_DROP = re.compile(r"[<>\"`\x00-\x1f\x7f]")


def title_text(text: str) -> str:
    """Return a title safe to become an MkDocs page title: one line, no ``<>"`` or backquote.

    Themes print ``page.title`` without escaping it (Material in ``<title>``, through
    ``striptags``, which decodes entities), so these characters are removed rather than
    escaped; MkDocs is given the title escaped (`report_archive.build.stubs`).
    """
    return " ".join(_TITLE_DROP.sub(" ", text).split())


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

    def __init__(self, root: str = ROOT) -> None:
        self.root = root
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
        rewriter = Rewriter(
            references, figures, redactor or Redactor(enabled=False), shift, self.root
        )
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


@dataclass(frozen=True)
class GroupJob:
    """Everything needed to render one report's texts, in a worker process or here.

    Attributes:
        texts: (markdown, references) of each text to render.
        figures: Where the report's files are published.
        redactor: The group's redactor.
        root: The token that stands for the path to the site root in the HTML (the one of
            the process that plans the site, so that a worker's HTML is the same).
    """

    texts: list[tuple[str, tuple[Reference, ...]]]
    figures: FigurePlan
    redactor: Redactor
    root: str = ROOT


_renderers: dict[str, MarkdownRenderer] = {}
"""One renderer (and its cache) per root token, for the life of a worker process."""


def render_group(job: GroupJob) -> list[Rendered]:
    """Render a report's texts (the function worker processes run; see `parallel`).

    The job's redactor is not changed (a worker has a copy, this process takes one): the
    labels it gives students first named in an answer are the same wherever it runs.
    """
    renderer = _renderers.get(job.root)
    if renderer is None:
        renderer = _renderers[job.root] = MarkdownRenderer(job.root)
    redactor = copy.deepcopy(job.redactor)
    return [
        renderer.render_answer(text, refs, figures=job.figures, redactor=redactor)
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
