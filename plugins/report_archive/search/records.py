"""What reaches Pagefind: records, their filters, and text made inert (`plain`).

A record is one page to be found. A group page's record (`report_archive.search.answers`
makes them) is sent as a small HTML document of its own (`SearchRecord.html`):

- its ``title`` meta is whose page it is ("Group 42 · January 2026 · <project>");
- its filters: ``Semester``, and ``Tool`` (the catalogue names of the tools the group used);
- the names of those tools, once, weighted `TOOL_WEIGHT`, so that a group that used a tool
  ranks above a group whose text only mentions it;
- one section per answer: an ``<h2 id="data-version-control">`` **without text**, then the
  answer's text. The question's title is not indexed: a word of a title (or of a prompt, or
  of the checklist) never makes a group a hit; the search page names each section from the
  catalogue by its anchor. A question of a template the catalogue does not know keeps the
  title the students wrote as its heading text.

Hand-written pages are custom records (no sections) with the filter ``Source:
Documentation``, which the search page leaves out unless asked for them.

Pagefind (1.5) searches every meta value too, so no meta value holds template text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "DOCUMENTATION",
    "FILTER_QUESTION",
    "FILTER_SEMESTER",
    "FILTER_SOURCE",
    "FILTER_TOOL",
    "LANGUAGE",
    "TOOL_WEIGHT",
    "SearchRecord",
    "Section",
    "plain",
]

FILTER_SEMESTER = "Semester"
FILTER_TOOL = "Tool"
FILTER_QUESTION = "Question"
"""Only on question pages' records (without group pages): the question the page is about."""
FILTER_SOURCE = "Source"
DOCUMENTATION = "Documentation"
"""The `FILTER_SOURCE` value of hand-written pages."""
LANGUAGE = "en"
TOOL_WEIGHT = 5.0
"""Pagefind weight of the names of the tools a group used (body text is 1; Pagefind squares
weights, so a name counts about 25 times a word of an answer)."""

_INERT = str.maketrans(
    {"<": "\u2039", ">": "\u203a", "&": "\uff06", '"': "\u201d", "'": "\u2019", "`": "\u2018"}
)
"""HTML's special characters, as look-alikes HTML gives no meaning to (‹ › ＆ ” ’ ‘)."""
_INERT_CONTENT = str.maketrans({"<": "\u2039", ">": "\u203a", "&": "\uff06"})
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
_ANCHOR = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")


def plain(text: str, *, label: bool = True) -> str:
    """Return text the same whether a search UI shows it as text or as HTML.

    Pagefind's default UI writes filter names and values into the page as HTML and titles
    as text; another UI may do either with any field. Whatever a student wrote, what the
    plugin sends to Pagefind has none of the characters HTML gives a meaning to: ``<``,
    ``>`` and ``&`` (and, in labels, quotes and backquotes) become look-alikes, control and
    invisible characters are removed and white space is folded. Escaping once is then the
    identity, so the value can never become markup.

    Args:
        text: Any text.
        label: A title, filter or meta value (quotes are replaced too); False for the
            searched content, whose quotes are kept for phrase search.
    """
    text = _INVISIBLE.sub(" ", text)
    if label:
        text = text.translate(_INERT)
    else:  # the same as translating with _INERT_CONTENT, three times faster on long text
        text = text.replace("&", "\uff06").replace("<", "\u2039").replace(">", "\u203a")
    return " ".join(text.split())


@dataclass(frozen=True)
class Section:
    """One answer inside a record: a part of the page that a hit can open.

    Attributes:
        anchor: The answer's anchor on the record's page.
        content: Plain text to search (never HTML).
        title: Heading text, searched like the content: only text the students wrote
            (their own question titles) or the site's names of groups; "" for catalogue
            questions, which the search page names by their anchor.
    """

    anchor: str
    content: str
    title: str = ""


@dataclass(frozen=True)
class SearchRecord:
    """One page to be found.

    A record without sections is a Pagefind *custom record* (hand-written pages). A record
    with sections is sent as a small HTML document, one ``<h2 id=...>`` per section, so
    that each hit can open the answer it is in.

    Attributes:
        url: Where the hit leads, from the site root (``/2026-january/group-42/``).
        title: What the hit is called ("" for none: the search page then names it by its
            ``Question`` filter).
        content: Plain text to search (never HTML), before the sections.
        filters: Filter name → values.
        sections: The answers on the page.
        tools: Names searched with the weight `TOOL_WEIGHT` (the tools the group used).
    """

    url: str
    title: str
    content: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sections: tuple[Section, ...] = ()
    tools: tuple[str, ...] = ()

    def payload(self, index_id: int) -> dict[str, Any]:
        """Return the Pagefind service request that adds this record.

        Every text goes through `plain` here, the one place records leave the plugin.
        """
        if self.sections or self.tools:
            return {
                "type": "AddFile",
                "index_id": index_id,
                "file_path": None,
                "url": self.url,
                "file_contents": self.html(),
            }
        return {
            "type": "AddRecord",
            "index_id": index_id,
            "url": self.url,
            "content": plain(self.content, label=False),
            "language": LANGUAGE,
            "meta": {"title": plain(self.title)},
            "filters": self._filters() or None,
            "sort": None,
        }

    def _filters(self) -> dict[str, list[str]]:
        filters: dict[str, list[str]] = {}
        for name, values in self.filters.items():
            kept = [v for v in dict.fromkeys(plain(value) for value in values) if v]
            if kept and plain(name):
                filters[plain(name)] = kept
        return filters

    def html(self) -> str:
        """Return the document Pagefind indexes for a record with sections.

        Every text is made `plain` and then escaped, so nothing a student wrote can become
        an element or an attribute of the document, nor markup in what Pagefind stores.
        Section headings keep the weight of body text.
        """
        esc = html.escape
        parts = [
            f'<!DOCTYPE html><html lang="{LANGUAGE}"><head><meta charset="utf-8"></head><body>'
        ]
        if plain(self.title):
            parts.append(
                f'<meta data-pagefind-meta="title[content]" content="{esc(plain(self.title))}">'
            )
        for name, values in self._filters().items():
            parts.extend(
                f'<meta data-pagefind-filter="{esc(name)}[content]" content="{esc(value)}">'
                for value in values
            )
        tools = " · ".join(t for t in (plain(t) for t in self.tools) if t)
        if tools:
            parts.append(f'<p data-pagefind-weight="{TOOL_WEIGHT:g}">{esc(tools)}</p>')
        if self.content:
            parts.append(f"<p>{esc(plain(self.content, label=False))}</p>")
        for section in self.sections:
            anchor = section.anchor if _ANCHOR.match(section.anchor) else ""
            parts.append(
                f'<h2 id="{anchor}" data-pagefind-weight="1">{esc(plain(section.title))}</h2>'
                f"<p>{esc(plain(section.content, label=False))}</p>"
            )
        parts.append("</body></html>")
        return "".join(parts)
