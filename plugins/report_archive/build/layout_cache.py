"""Generated pages as the theme laid them out, kept between builds.

MkDocs lays out every page in the theme's ``main.html`` at every build: at 1,000 groups,
1,500 pages and a third of a later build. A generated page whose layout's every input is
unchanged since a build that kept it is not laid out again: its kept HTML is used.

The inputs, hashed into the page's key (`LayoutCache.key`), once MkDocs' and every plugin's
``on_page_context`` have run (this one runs last):

- the theme: this package (`report_archive.site.digests.code`), the versions of MkDocs and
  of the theme's package, every file of the theme's folders outside installed packages
  (``custom_dir``);
- the configuration (every option but the plugins', whose effect on a page is in its
  context) and the navigation (every title and URL, in order), every page's source path;
- the page: its URL, title, content (hashed), table of contents, metadata, canonical and
  edit URLs, previous and next pages, parents;
- whatever else a plugin put into the page's context, by its ``repr`` (a value whose
  ``repr`` is not stable, such as an object's address, is never kept).

A generated page is laid out with `TEMPLATE` (its ``template`` metadata, `use`), which is
the kept HTML when the page is given one and otherwise includes the theme's ``main.html``.
The metadata is taken back once MkDocs has chosen the template (the theme shows pages with
metadata differently). The kept HTML is the theme's output before any ``on_post_page``
(this plugin takes it first), so every plugin's ``on_post_page`` still runs on it. With
`check` (the tests), every kept page is laid out again and compared.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import sys
from pathlib import Path
from typing import Any

import jinja2
import mkdocs
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink
from mkdocs.theme import Theme

from report_archive.reports.store import Store
from report_archive.site import digests

__all__ = ["LayoutCache", "LayoutCacheError"]

MAIN = "main.html"
TEMPLATE = "report-archive/layout.html"
"""The template generated pages are laid out with (`WRAPPER`)."""
SLOT = "report_archive_layout"
WRAPPER = (
    "{%- if " + SLOT + " is defined -%}{{ " + SLOT + " }}"
    '{%- else -%}{%- include "' + MAIN + '" -%}{%- endif -%}'
)
IGNORED = frozenset({"plugins", "site_dir", "config_file_path", "watch", "dev_addr"})
"""Options that do not change a page's layout (the plugins' change its context)."""
STANDARD = frozenset(
    {
        "nav",
        "pages",
        "base_url",
        "extra_css",
        "extra_javascript",
        "mkdocs_version",
        "build_date_utc",
        "config",
        "page",
    }
)
"""The keys MkDocs puts in every page's context: in the key, or derived from what is.

``build_date_utc`` is not shown by the themes this site uses."""
_THEME_PACKAGES = ("mkdocs-material", "properdocs")


class LayoutCacheError(Exception):
    """A kept layout differs from the page laid out again (in check mode)."""


def _unstable(text: str) -> bool:
    return " at 0x" in text


_LEAVES = frozenset({str, int, float, bool, type(None)})


def _stable(value: Any) -> str:
    """``repr``, the same in every process: sets sorted, a theme by its name and options.

    (A set's order changes with Python's hash seed, from one build to the next.)
    """
    if type(value) in _LEAVES:  # most values: their repr is stable
        return repr(value)
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(_stable(v) for v in value)) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_stable(k)}: {_stable(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_stable(v) for v in value) + "]"
    if isinstance(value, Theme):
        return (
            "Theme("
            + _stable([value.name, value.dirs, value.static_templates, dict(value.items())])
            + ")"
        )
    return repr(value)


def _nav(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, Section):
            out.append(("section", item.title, _nav(item.children)))
        elif isinstance(item, Link):
            out.append(("link", item.title, item.url))
        else:
            out.append(("page", item.title, item.url, item.file.src_uri))
    return out


def _toc(items: list[AnchorLink]) -> list[Any]:
    return [(i.title, i.id, i.level, _toc(i.children)) for i in items]


def _versions() -> str:
    found = [f"mkdocs {mkdocs.__version__}", sys.version]
    for name in _THEME_PACKAGES:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            found.append(f"{name} {importlib.metadata.version(name)}")
    return "\n".join(found)


def _installed(folder: Path) -> bool:
    return any(part in ("site-packages", "dist-packages") for part in folder.parts)


class LayoutCache:
    """Pages as laid out by the theme, kept in a folder.

    Args:
        folder: Where they are kept.
        config: MkDocs' configuration.
        check: Lay out every kept page again and compare.
    """

    def __init__(self, folder: Path, config: MkDocsConfig, *, check: bool = False) -> None:
        self.check = check
        self.hits = 0
        self.misses = 0
        self._store = Store(folder)
        self._pending: dict[str, tuple[str, str | None]] = {}
        digest = hashlib.sha256(digests.code())
        digest.update(_versions().encode())
        for folder_ in config.theme.dirs:
            path = Path(folder_)
            digest.update(str(path).encode())
            if path.is_dir() and not _installed(path):
                for file in sorted(path.rglob("*")):
                    if file.is_file():
                        digest.update(file.relative_to(path).as_posix().encode())
                        digest.update(file.read_bytes())
        self._stable = True
        for name, value in sorted(config.items()):
            if name in IGNORED:
                continue
            text = _stable(value)
            if _unstable(text):
                self._stable = False
            digest.update(f"{name}={text}\n".encode("utf-8", "surrogateescape"))
        self._base = digest
        self._site: hashlib._Hash | None = None

    @staticmethod
    def use(page: Page) -> None:
        """Lay out a generated page with `TEMPLATE` (it has no ``template`` of its own)."""
        page.meta.setdefault("template", TEMPLATE)

    @staticmethod
    def wrap(env: jinja2.Environment) -> None:
        """Add `TEMPLATE` to the theme's templates."""
        if env.loader is not None:
            ours = jinja2.DictLoader({TEMPLATE: WRAPPER})
            env.loader = jinja2.ChoiceLoader([ours, env.loader])

    def key(self, context: dict[str, Any], page: Page, nav: Navigation) -> str | None:
        """The key of a page's layout, or None when it cannot be kept."""
        if not self._stable:
            return None
        if self._site is None:
            site = self._base.copy()
            site.update(repr(_nav(nav.items)).encode("utf-8", "surrogateescape"))
            pages = context.get("pages") or ()
            site.update(repr([f.src_uri for f in pages]).encode("utf-8", "surrogateescape"))
            self._site = site
        digest = self._site.copy()
        around = [
            (p.title, p.url) if p is not None else None
            for p in (page.previous_page, page.next_page)
        ]
        parents = [a.title for a in page.ancestors]
        # Strings, numbers and lists of them, whose ``repr`` is stable (and much faster than
        # `_stable`'s walk); only the metadata, as a page's author wrote it, may hold a set
        own = (
            page.url,
            page.title,
            page.file.src_uri,
            _toc(list(page.toc)),
            page.canonical_url,
            page.edit_url,
            around,
            parents,
            page.is_homepage,
        )
        text = repr(own) + _stable(page.meta)
        extra = _stable(sorted((k, v) for k, v in context.items() if k not in STANDARD))
        if _unstable(text) or _unstable(extra):
            return None
        digest.update(text.encode("utf-8", "surrogateescape"))
        digest.update(extra.encode("utf-8", "surrogateescape"))
        digest.update((page.content or "").encode("utf-8", "surrogateescape"))
        return digest.hexdigest()

    def context(self, context: dict[str, Any], page: Page, nav: Navigation) -> None:
        """Give the page its kept layout, if there is one (unless checking)."""
        if page.meta.get("template") == TEMPLATE:
            del page.meta["template"]  # chosen already: the theme sees the page as it was
        key = self.key(context, page, nav)
        if key is None:
            self.misses += 1
            return
        kept = self._store.get(key)
        kept = kept if isinstance(kept, str) else None
        self._pending[page.file.src_uri] = (key, kept)
        if kept is None:
            self.misses += 1
        else:
            self.hits += 1
            if not self.check:
                context[SLOT] = Markup(kept)

    def output(self, output: str, page: Page) -> None:
        """Keep a page's layout (as the theme gave it), or compare it with the kept one.

        Raises:
            LayoutCacheError: In check mode, the kept layout differs.
        """
        key, kept = self._pending.pop(page.file.src_uri, (None, None))
        if key is None:
            return
        if kept is None:
            self._store.put(key, output)
        elif self.check and kept != output:
            raise LayoutCacheError(
                f"the kept layout of {page.file.src_uri} differs from the theme's: an input "
                "of the theme is missing from its key"
            )

    def prune(self) -> int:
        """Remove the layouts this build did not use."""
        return self._store.prune()
