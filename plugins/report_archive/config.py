"""The `report-archive` plugin's options, as written under `plugins:` in `mkdocs.yml`.

Every option has a default, so the smallest configuration is:

```yaml
plugins:
  - report-archive
```

The options are documented in `docs/reference/configuration.md`; keep both in step.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config, ConfigErrors, ConfigWarnings, ValidationError

from report_archive.images.raster import PILLOW_MAX_PIXELS

__all__ = ["FiguresConfig", "PagesConfig", "PluginConfig", "SearchConfig", "UrlPrefix"]

_SEGMENT = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


class UrlPrefix(opt.Type[str]):
    """A site path such as ``questions`` or ``archive/questions``, or ``""`` for the site root.

    Each segment is lower-case letters, digits, ``.``, ``_`` or ``-``; no ``..``, no leading
    or trailing slash.
    """

    def __init__(self, default: str, *, allow_empty: bool = False) -> None:
        super().__init__(str, default=default)
        self.allow_empty = allow_empty

    def run_validation(self, value: object) -> str:
        """Check the value is a clean relative site path."""
        text = super().run_validation(value).strip()
        if not text:
            if self.allow_empty:
                return ""
            raise ValidationError("must not be empty")
        parts = text.split("/")
        if any(p in ("", ".", "..") or not _SEGMENT.match(p) for p in parts):
            raise ValidationError(
                f"{text!r} is not a site path: use lower-case segments separated by '/' "
                "(letters, digits, '.', '_', '-'), without a leading or trailing '/' or '..'"
            )
        return posixpath.join(*parts)


class PagesConfig(Config):  # type: ignore[no-untyped-call]
    """Which pages the plugin generates (all on by default)."""

    home = opt.Type(bool, default=True)
    """The home page (``index.md``), unless ``docs/`` has its own."""
    semesters = opt.Type(bool, default=True)
    """The list of semesters and one page per semester."""
    groups = opt.Type(bool, default=True)
    """One page per group with its whole report."""
    questions = opt.Type(bool, default=True)
    """The list of questions and one page per question with every group's answer."""
    checklist = opt.Type(bool, default=True)
    """Checklist statistics per semester."""
    problems = opt.Type(bool, default=True)
    """Every problem found in the reports, for staff."""
    tools = opt.Type(bool, default=True)
    """The tools and practices groups used: detected in every report (with the sentences
    that show it), a page per tool, the tools on group and semester pages, and a Tool
    filter in search. Off, no tool is detected."""


class FiguresConfig(Config):  # type: ignore[no-untyped-call]
    """How figures are published."""

    mode = opt.Choice(("publish", "link"), default="publish")
    """``publish`` copies every figure into the site. ``link`` publishes no figure of a
    group whose ``group.yml`` has its GitHub ``repository`` and ``commit``: its page links
    each figure to the file in the repository at that commit instead (no bytes on the
    site; a figure whose repository disappears is lost to readers). Figures of other
    groups are published."""

    shrink = opt.Type(bool, default=True)
    """Publish figures that are not ready to publish (WebP within `max_side` and `max_bytes`,
    as `report-archive import` stores them) as WebP images of at most `max_side` pixels
    and about `max_bytes` bytes (the reports keep their own files). Keeps a large archive
    under GitHub Pages' 1 GB."""

    min_bytes = opt.Type(int, default=20_000)
    """Figures up to this size, in bytes, are published as they are."""

    max_side = opt.Type(int, default=1600)
    """Largest width or height, in pixels, of a shrunk figure."""

    quality = opt.Type(int, default=75)
    """WebP quality of shrunk figures (1–100); figures of few colours are also tried
    losslessly, and the smaller file is published."""

    max_bytes = opt.Type(int, default=100_000)
    """Byte budget of a shrunk figure: a figure over it is encoded again at a lower quality,
    down to 50. 0 for no budget."""

    max_pixels = opt.Type(int, default=40_000_000)
    """Raster figures (and rasters embedded in SVG figures) with more pixels, read from the
    image's header, are not published: a small file can decode to billions of bytes, for the
    build and for every browser. Also the most pixels decoded at once while shrinking. The
    default is above the corpus' largest figure (8884 × 3888, 34.5 million pixels); at most
    89,478,485, Pillow's own decompression-bomb threshold."""

    dedupe = opt.Type(bool, default=True)
    """Publish each figure under a name made from its content (``figures/<hash>.webp``), so
    that identical files are published once and no file name a student chose reaches a URL.
    Off, figures are published beside their group's page under their own (redacted) name."""

    url = UrlPrefix("figures")
    """Where figures named from their content go (with `dedupe`)."""

    cache_dir = opt.Type(str, default=".cache/report-archive")
    """Where shrunk figures and rebuilt SVG figures are kept between builds, relative to
    ``mkdocs.yml``."""


class SearchConfig(Config):  # type: ignore[no-untyped-call]
    """Search options.

    `engine` is also passed to the templates' search hooks (``partials/search.html``),
    which decide what the pages show.
    """

    engine = opt.Choice(("pagefind", "mkdocs", "none"), default="pagefind")
    """Which search the site uses: ``pagefind`` (one record per group page, its answers as
    sections, the tools it used as a filter; written into ``<site>/pagefind/`` during the
    build; remove the theme's ``search`` plugin), ``mkdocs`` (the theme's own ``search``
    plugin, which indexes whole pages) or ``none``."""

    url = UrlPrefix("search")
    """Where the search page goes (with ``engine: pagefind``; the home page and every page's
    header have a search box that opens it)."""

    shard_groups = opt.Type(int, default=800)
    """At most this many group records per Pagefind index (with ``engine: pagefind``): more
    groups are split into several indexes, whole semesters together where they fit, written
    one after another into ``<site>/pagefind/``, ``<site>/pagefind-2/``... and merged by the
    search page. Pagefind's memory grows with the text of one index (about 0.9 GB per 1,000
    groups), so this bounds it. 0 for one index whatever the size."""


class PluginConfig(Config):  # type: ignore[no-untyped-call]
    """Options of the `report-archive` plugin."""

    reports_dir = opt.Dir(exists=True, default="reports")
    """Folder with ``<semester>/<group>/README.md`` reports, relative to ``mkdocs.yml``
    (an absolute path also works). It must exist."""

    templates_dir = opt.Optional(opt.Dir(exists=True))
    """Folder with Jinja templates that override the plugin's own (same file names),
    relative to ``mkdocs.yml``. Templates in ``<theme custom_dir>/report_archive/`` are
    also used. Defaults to neither."""

    redact_members = opt.Type(bool, default=True)
    """Replace student numbers (``s224176``) by "Student A", "Student B"... on every page."""

    pages = opt.SubConfig(PagesConfig)
    """Which pages to generate."""

    archive_url = UrlPrefix("", allow_empty=True)
    """Prefix of semester and group pages: ``<archive_url>/<semester>/group-<n>/``.
    Empty (the default) puts semesters at the site root."""

    semesters_url = UrlPrefix("semesters")
    """Where the list of semesters goes."""

    questions_url = UrlPrefix("questions")
    """Prefix of question pages: ``<questions_url>/<question-id>/``."""

    checklist_url = UrlPrefix("checklist")
    """Where the checklist statistics go."""

    problems_url = UrlPrefix("problems")
    """Where the list of problems goes."""

    tools_url = UrlPrefix("tools")
    """Where the list of tools goes; each tool's page is ``<tools_url>/<tool-id>/``."""

    max_page_size = opt.Type(int, default=300_000)
    """Largest HTML page, in bytes, the plugin aims for. Question and problem pages that
    would pass it are split by semester, then paginated."""

    max_report_bytes = opt.Type(int, default=1_000_000)
    """Larger ``README.md`` files are not read: the report is listed on the problems page
    with its size, and its group page says it could not be read. The largest real report is
    about 50 kB."""

    nav = opt.Type(bool, default=True)
    """When ``mkdocs.yml`` has no ``nav``, set one: Home, Search, Semesters, Questions, Tools,
    Checklist, Problems, then the other pages of ``docs/``. Group, question and tool pages
    are never listed in the navigation."""

    jobs = opt.Type(int, default=0)
    """Processes that parse and render the reports: 0 for one per CPU when there are 50
    reports or more (fewer are done in the MkDocs process), 1 for the MkDocs process
    only."""

    cache = opt.Type(bool, default=True)
    """Keep each report's reading (its parse and its tools) between builds, in
    ``<figures.cache_dir>/reports/``, keyed by the report's bytes, its folder's listing and
    the reading code (`report_archive.reports.read_cache`): a build reads again only the
    reports that changed, so ``mkdocs serve`` after an edit reads one. Keep also each
    generated page's body, in ``<figures.cache_dir>/pages/``, keyed by the code, the site's
    outline and the content of the groups it shows (`report_archive.site.page_cache`): a
    build renders again only the pages whose groups changed. False reads every report and
    renders every page at every build."""

    search = opt.SubConfig(SearchConfig)
    """Search options."""

    figures = opt.SubConfig(FiguresConfig)
    """How figures are published."""

    def validate(self) -> tuple[ConfigErrors, ConfigWarnings]:
        """Validate the options, then check they fit together."""
        failed, warnings = super().validate()
        if failed:
            return failed, warnings
        if self.jobs < 0:
            failed.append(("jobs", ValidationError("must be 0 (one per CPU) or more")))
        if not 1 <= self.figures.quality <= 100:
            failed.append(("figures", ValidationError("quality must be between 1 and 100")))
        if self.figures.max_side < 100:
            failed.append(("figures", ValidationError("max_side must be at least 100 (pixels)")))
        if self.figures.max_bytes and self.figures.max_bytes < 10_000:
            failed.append(("figures", ValidationError("max_bytes must be 0 or at least 10000")))
        if self.max_report_bytes < 10_000:
            failed.append(("max_report_bytes", ValidationError("must be at least 10000 (bytes)")))
        if not 1_000_000 <= self.figures.max_pixels <= PILLOW_MAX_PIXELS:
            failed.append(
                (
                    "figures",
                    ValidationError(
                        f"max_pixels must be between 1000000 and {PILLOW_MAX_PIXELS} "
                        "(Pillow's decompression-bomb threshold)"
                    ),
                )
            )
        if self.search.shard_groups < 0:
            failed.append(("search", ValidationError("shard_groups must be 0 (one index) or more")))
        if self.max_page_size < 50_000:
            failed.append(("max_page_size", ValidationError("must be at least 50000 (bytes)")))
        prefixes = {
            "semesters_url": self.semesters_url,
            "questions_url": self.questions_url,
            "checklist_url": self.checklist_url,
            "problems_url": self.problems_url,
            "tools_url": self.tools_url,
            "search.url": self.search.url,
            "figures.url": self.figures.url,
        }
        seen: dict[str, str] = {}
        for key, value in prefixes.items():
            if value in seen:
                failed.append((key, ValidationError(f"same URL {value!r} as {seen[value]}")))
            seen[value] = key
        return failed, warnings


def as_dict(config: Config) -> dict[str, Any]:
    """Return a validated config as a plain (nested) dict, for logging and tests."""
    out: dict[str, Any] = {}
    for key, value in config.items():
        out[key] = as_dict(value) if isinstance(value, Config) else value
    return out
