"""Helpers for the site tests: build a site in a folder, check its links, read its pages."""

from __future__ import annotations

import gzip
import json
import logging
import posixpath
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "reports"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "site"
CORPUS = ROOT.parent / "shared" / "corpus" / "reports"


def site_config(
    reports: Path,
    plugin: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Return an mkdocs.yml as a dict: Material, the plugin on `reports`."""
    config: dict[str, Any] = {
        "site_name": "Test archive",
        "theme": {"name": "material", "font": False},
        "markdown_extensions": ["admonition", "pymdownx.details", "attr_list", "md_in_html"],
        "plugins": [{"report-archive": {"reports_dir": str(reports), **(plugin or {})}}],
    }
    config.update(extra)
    return config


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Built:
    """A built site and what was logged while building it."""

    site: Path
    records: list[logging.LogRecord] = field(default_factory=list)

    def warnings(self) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno >= logging.WARNING]

    def page(self, url: str) -> str:
        """Return the HTML of a page by its URL (``2025-january/group-15/``)."""
        path = self.site / url
        if url.endswith("/") or not url:
            path = path / "index.html"
        return path.read_text(encoding="utf-8")

    def article(self, url: str) -> str:
        """Return only the page's content (the ``<article>``), without the theme."""
        return article(self.page(url))

    def html_files(self) -> list[Path]:
        return sorted(self.site.rglob("*.html"))


def article(html: str) -> str:
    start = html.index('<article class="md-content__inner md-typeset">')
    end = html.index("</article>", start)
    return html[start:end]


@contextmanager
def captured_logs() -> Iterator[_Capture]:
    handler = _Capture()
    logger = logging.getLogger("mkdocs")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


def build_site(
    folder: Path,
    config: dict[str, Any],
    docs: dict[str, str] | None = None,
    *,
    strict: bool = False,
) -> Built:
    """Write mkdocs.yml (and docs pages) in `folder`, build in-process, return the result.

    With `strict`, the build is ``mkdocs build --strict``: any warning aborts it.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "docs").mkdir(exist_ok=True)
    for name, text in (docs or {}).items():
        path = folder / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    config_file = folder / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    site = folder / "site"
    with captured_logs() as logs:
        cfg = load_config(str(config_file), site_dir=str(site), strict=strict)
        build(cfg)
    return Built(site=site, records=logs.records)


def copy_reports(target: Path, groups: list[str], source: Path = SAMPLE) -> Path:
    """Copy ``<semester>/<group>`` folders (and semester.yml files) into `target`."""
    for rel in groups:
        shutil.copytree(source / rel, target / rel)
        semester_yml = source / rel.split("/")[0] / "semester.yml"
        if semester_yml.is_file():
            shutil.copy(semester_yml, target / rel.split("/")[0] / "semester.yml")
    return target


FIGURES_GROUP = "2024-january/group-100"
"""The sample report `report_with_figures` adds figures to."""


def report_with_figures(reports: Path, figures: dict[str, bytes | Path]) -> Path:
    """Copy the sample report `FIGURES_GROUP` into `reports`, with more figures.

    Each figure is written into the report's ``figures/`` folder (bytes, or a file's
    content) and referenced as an image at the end of the report's last answer, one line
    each. Returns the report's folder.
    """
    folder = copy_reports(reports, [FIGURES_GROUP]) / FIGURES_GROUP
    lines = []
    for name, content in figures.items():
        target = folder / "figures" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.read_bytes())
        lines.append(f"![figure {name}](figures/{name})")
    readme = folder / "README.md"
    text = readme.read_text(encoding="utf-8").rstrip("\n")
    readme.write_text(text + "\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8")
    return folder


FIGURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".svg")


def published_figures(site: Path) -> list[str]:
    """Every figure file of a built site (named from its content in ``figures/``, or beside
    its group's page), as site paths; the theme's assets and the search index left out."""
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file()
        and p.suffix.lower() in FIGURE_SUFFIXES
        and p.relative_to(site).parts[0] not in ("assets", "pagefind")
    )


def figure_src(page: str, alt: str) -> str:
    """The ``src`` of the figure with this ``alt`` text on a page (as the page writes it)."""
    m = re.search(rf'<img class="ra-figure-img" src="([^"]+)" alt="{re.escape(alt)}"', page)
    assert m is not None, f"no figure {alt!r} on the page"
    return m.group(1)


# -- link checking ---------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if values.get(key):
                self.ids.add(str(values[key]))
        for key in ("href", "src"):
            value = values.get(key)
            if value is not None and tag in ("a", "img", "link", "script", "source"):
                self.links.append((tag, value))


@dataclass
class _Page:
    ids: set[str]
    links: list[tuple[str, str]]


def _parse(path: Path) -> _Page:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return _Page(parser.ids, parser.links)


def broken_links(site: Path, *, skip: tuple[str, ...] = ("404.html",)) -> list[str]:
    """Return every internal link or anchor of a built site that does not resolve."""
    pages: dict[Path, _Page] = {}

    def page(path: Path) -> _Page:
        if path not in pages:
            pages[path] = _parse(path)
        return pages[path]

    problems: list[str] = []
    for html_file in sorted(site.rglob("*.html")):
        rel = html_file.relative_to(site).as_posix()
        if rel in skip:
            continue
        here = posixpath.dirname(rel)
        for tag, link in page(html_file).links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue
            if not parts.path:
                if parts.fragment and unquote(parts.fragment) not in page(html_file).ids:
                    problems.append(f"{rel}: <{tag}> {link} (no such anchor)")
                continue
            target_rel = posixpath.normpath(posixpath.join(here, unquote(parts.path)))
            if target_rel.startswith(".."):
                problems.append(f"{rel}: <{tag}> {link} (leaves the site)")
                continue
            target = site / target_rel
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                problems.append(f"{rel}: <{tag}> {link} (no file {target_rel})")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in page(target).ids:
                problems.append(f"{rel}: <{tag}> {link} (no anchor in {target_rel})")
    return problems


def visible_text(html: str) -> str:
    """Return an HTML fragment's text, tags removed and entities decoded, spaces collapsed."""
    import html as html_module

    text = re.sub(r"<[^>]+>", " ", html)
    return " ".join(html_module.unescape(text).split())


# -- the search index -------------------------------------------------------------------------


def pagefind_records(site: Path, folder: str = "pagefind") -> list[dict[str, Any]]:
    """Return every record of a built site's Pagefind index (its fragment files, decoded):
    the first index, or the one in `folder` (``pagefind-2``...)."""
    records = []
    for path in sorted((site / folder / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        records.append(json.loads(data[len(b"pagefind_dcd") :]))
    return records


def anchor_exists(site: Path, url: str) -> bool:
    """Whether a site-root URL such as ``/2025-january/group-94/#dvc`` names a real anchor."""
    parts = urlsplit(url)
    target = site / unquote(parts.path).lstrip("/")
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return False
    return not parts.fragment or unquote(parts.fragment) in _parse(target).ids


# -- leaks -------------------------------------------------------------------------------------


def numbers_in(text: str, digits: frozenset[str] | set[str]) -> list[str]:
    """Every student number a reader could find in `text`: any form the parser reads (on
    normalised text), and the six digits of the given students written bare."""
    from report_archive.reports.decoding import normalise
    from report_archive.reports.layout import STUDENT_FORMS

    norm = normalise(text)[0]
    found = [m.group(0) for m in STUDENT_FORMS.finditer(norm)]
    found += [d for d in digits if re.search(rf"(?<![0-9]){d}(?![0-9])", norm)]
    return found


TEXT_SUFFIXES = (".html", ".js", ".json", ".xml", ".txt", ".css", ".svg", ".webmanifest")


def site_texts(site: Path) -> Iterator[tuple[str, str]]:
    """(path, text) for every file name and every text file of a built site, the search
    index's compressed fragments and metadata decompressed."""
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        yield f"{rel} (name)", rel
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        elif not path.name.endswith(TEXT_SUFFIXES) and "pagefind" not in rel:
            continue
        yield rel, data.decode("utf-8", "replace")


def numbers_in_site(site: Path, digits: frozenset[str] | set[str]) -> list[str]:
    """Student numbers in any file name or text file of a built site (search index too)."""
    return [f"{where}: {n}" for where, text in site_texts(site) for n in numbers_in(text, digits)]
