"""Write docs/reference/templates.md from the views' documented contexts.

Usage: python scripts/template_docs.py [--check]

Each page kind's view names its template and returns a context dataclass whose docstring
lists what the template receives; this page is made from them, so it cannot drift from the
code (tests/test_plan.py runs this with --check).
"""

from __future__ import annotations

import inspect
import re
import sys
import typing
from dataclasses import fields, is_dataclass
from pathlib import Path

from report_archive.site.views import VIEWS
from report_archive.site.views.base import Common

OUT = Path(__file__).resolve().parents[1] / "docs" / "reference" / "templates.md"

HEAD = """# Templates

Every generated page is a Jinja template (HTML, autoescaped) of
`plugins/report_archive/site/templates/`. A file of the same name in `templates_dir`, or in
`<theme custom_dir>/report_archive/`, is used instead; a template missing everywhere stops
the build with its name. Besides the pages' templates there are `_macros.html`,
`partials/search.html` (the search hooks every page calls), `partials/breadcrumbs.html` and
`partials/title.html` (above every page's body, with the page's context; the title also
receives `title_id`, its anchor), `partials/group-tools.html` and
`partials/semester-tools.html` (the tools on group and semester pages, included with those
pages' context) and the assets `assets/report-archive.css` and
`assets/report-archive-search.js`.

Each page kind is a view (`plugins/report_archive/site/views/`) with one template and a
typed context: what a template receives is exactly what is listed here, the common context
first. Values marked HTML are already safe (sanitised student HTML, or the site's own); every
other value is escaped by Jinja. This page is written from the code by
`python scripts/template_docs.py`.

With the option `cache` on (the default), a page's body is kept between builds and rendered
again when what it is made from changes: for a group page, its group, its neighbours' and
similar groups' names and the pages it links to; for a semester page, its groups; for every
other page, any group. With override templates, which may show anything, every page is
rendered again when any group changes.
"""


def attributes(cls: type) -> list[tuple[str, str]]:
    """(name, description) from a Google-style ``Attributes:`` section."""
    doc = inspect.getdoc(cls) or ""
    out: list[tuple[str, str]] = []
    inside = False
    for line in doc.splitlines():
        if line.strip() == "Attributes:":
            inside = True
            continue
        if inside:
            if line and not line.startswith(" "):
                break
            stripped = line.strip()
            if line.startswith("    ") and not line.startswith("        ") and ":" in stripped:
                name, text = stripped.split(":", 1)
                out.append((name.strip(), text.strip()))
            elif out and stripped:
                out[-1] = (out[-1][0], f"{out[-1][1]} {stripped}")
    return out


def type_name(hint: object) -> str:
    """A type as a reader wants it: ``list[SemesterRow]``, ``str | None``."""
    text = hint.__name__ if isinstance(hint, type) else str(hint)
    text = re.sub(r"\b(?:[a-z_][\w]*\.)+([A-Za-z_]\w*)", r"\1", text)
    return text.replace("NoneType", "None").replace("|", "or")


def table(cls: type) -> list[str]:
    documented = dict(attributes(cls))
    hints = typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))
    rows = ["| name | type | what |", "| --- | --- | --- |"]
    for f in fields(cls):  # type: ignore[arg-type]
        kind = type_name(hints.get(f.name))
        rows.append(f"| `{f.name}` | `{kind}` | {documented.get(f.name, '')} |")
    return rows


def render() -> str:
    lines = [HEAD, "## Every template", "", *table(Common), ""]
    for view in VIEWS:
        annotation = inspect.signature(type(view).context).return_annotation
        context = vars(sys.modules[type(view).__module__])[annotation]
        assert is_dataclass(context)
        summary = (inspect.getdoc(type(view)) or "").split("\n\n")[0].rstrip(".")
        lines += [f"## `{view.template}`", "", f"{summary} (page kind `{view.kind}`).", ""]
        if fields(context):
            lines += table(context)
        else:
            lines.append("The common context only.")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main() -> int:
    text = render()
    if "--check" in sys.argv[1:]:
        return 0 if OUT.read_text(encoding="utf-8") == text else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
