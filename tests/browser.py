"""A real browser on a built site: a static server like GitHub Pages, and Debian's Chromium.

Used by the browser test and by the site benchmark (which measures what a browser fetches).
Playwright cannot download browsers here, so it drives the system's ``chromium``
(``apt-get install chromium``; GitHub's runners have ``google-chrome``) through
``executable_path``.
"""

from __future__ import annotations

import gzip
import mimetypes
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")
"""Content types the server gzips, as GitHub Pages does (Pagefind's own index files are
already compressed)."""

SEARCH_FILES = re.compile(r"/pagefind(-[0-9]+)?/")
"""Requests for the search index's files: ``pagefind/``, and ``pagefind-2/``... when the
records are split into several indexes."""

mimetypes.add_type("application/javascript", ".js")
mimetypes.add_type("application/wasm", ".wasm")


def chromium() -> str | None:
    """Return the path of the system's Chromium, or None."""
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def missing_browser() -> str | None:
    """Return why the browser cannot run here, or None when it can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    if chromium() is None:
        return "Chromium is not installed (apt-get install chromium; .ci/run does it)"
    return None


def browser_mark() -> Any:
    """The mark of a test that needs the browser: skipped, saying why, where it cannot run.

    With ``REPORT_ARCHIVE_REQUIRE_BROWSER=1`` (set by ``.ci/run``) a missing browser is an
    error instead, raised where the test module is imported.
    """
    import pytest

    missing = missing_browser()
    if missing and os.environ.get("REPORT_ARCHIVE_REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"the browser tests must run here, but {missing}")
    return pytest.mark.skipif(missing is not None, reason=f"no browser: {missing}")


def serious_violations(page: Any, include: str | list[str] | None = None) -> list[Any]:
    """axe-core's serious and critical violations on a page, or in the parts `include`
    selects: (rule, impact, the first five elements' selectors) for each."""
    from axe_playwright_python.sync_playwright import Axe

    selectors = [include] if isinstance(include, str) else include
    context = {"include": [[selector] for selector in selectors]} if selectors else None
    results = Axe().run(page, context=context)
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _handler(site: Path, prefix: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def not_found(self) -> None:
            """GitHub Pages answers 404 with the site's own ``404.html``, if it has one."""
            page = site / "404.html"
            if not page.is_file():
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            body = page.read_bytes()
            self.send_response(HTTPStatus.NOT_FOUND)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path)
            if not path.startswith(prefix):
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            path = "/" + path[len(prefix) :]
            target = (site / path.lstrip("/")).resolve()
            if not target.is_relative_to(site):
                self.send_error(HTTPStatus.FORBIDDEN)
                return
            if target.is_dir():
                if not path.endswith("/"):
                    self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                    self.send_header("Location", prefix + path.lstrip("/") + "/")
                    self.end_headers()
                    return
                target = target / "index.html"
            if not target.is_file():
                self.not_found()
                return
            body = target.read_bytes()
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", kind)
            if kind.startswith(COMPRESSED_TYPES) and "gzip" in self.headers.get(
                "Accept-Encoding", ""
            ):
                body = gzip.compress(body, 6)
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def serve(site: Path, prefix: str = "/") -> Iterator[str]:
    """Serve a built site on 127.0.0.1 (a free port) as GitHub Pages would; yield its URL.

    Args:
        site: The built site.
        prefix: The path the site is served under: ``/`` for a user site, ``/<repo>/`` for
            a project site (anything outside it is 404, like another repository's site).
    """
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site.resolve(), prefix))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class Traffic:
    """What a page fetched (finished requests) and the errors it reported.

    Sizes are asked for after the fact: a Playwright event handler must not call back into
    the browser (with the sync API that stalls the page's other waits).
    """

    finished: list[Any] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    _sizes: dict[int, int] = field(default_factory=dict)

    @property
    def requests(self) -> list[tuple[str, int]]:
        """(url, bytes on the wire: body and headers) per finished request."""
        out = []
        for request in list(self.finished):
            key = id(request)
            if key not in self._sizes:
                sizes = request.sizes()
                self._sizes[key] = int(sizes["responseBodySize"]) + int(
                    sizes["responseHeadersSize"]
                )
            out.append((str(request.url), self._sizes[key]))
        return out

    def bytes(self, part: str | re.Pattern[str] = "", first: int | None = None) -> int:
        """Bytes received for requests whose URL contains `part`, or matches it where it is
        a pattern (such as `SEARCH_FILES`), of the `first` finished."""
        return sum(
            size
            for url, size in self.requests[:first]
            if (part.search(url) if isinstance(part, re.Pattern) else part in url)
        )


def watch(page: Any) -> Traffic:
    """Record a Playwright page's finished requests and console errors."""
    traffic = Traffic()
    page.on("requestfinished", lambda request: traffic.finished.append(request))
    page.on(
        "console", lambda m: traffic.console_errors.append(m.text) if m.type == "error" else None
    )
    page.on("pageerror", lambda e: traffic.console_errors.append(str(e)))
    return traffic


RESULT_LINK = ".ra-result-link"
"""A hit on the search page (``assets/report-archive-search.js``): the link to a group."""


def wait_for_results(page: Any, timeout: float = 60.0) -> int:
    """Wait until the search page shows at least one hit; return how many it shows.

    Polls from Python (every 50 ms) rather than with ``wait_for_selector``, which does not
    return on the large benchmark site.

    Raises:
        TimeoutError: No hit within `timeout` seconds.
    """
    links = page.locator(RESULT_LINK)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        count = int(links.count())
        if count:
            return count
        page.wait_for_timeout(50)
    status = page.locator(".ra-search-status").all_inner_texts()
    raise TimeoutError(f"no search result within {timeout} s at {page.url}; status: {status}")


@contextmanager
def browser() -> Iterator[Any]:
    """Launch the system's Chromium headless with Playwright; yield the browser."""
    from playwright.sync_api import sync_playwright

    path = chromium()
    if path is None:
        raise RuntimeError(missing_browser() or "no Chromium")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()
