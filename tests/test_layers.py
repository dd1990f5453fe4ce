"""The package keeps its layers: an inner layer never imports an outer one.

```
reports   the reading core: no MkDocs, no Jinja, nothing of the other layers
images    raster figures read, checked and encoded with Pillow (may use reports)
site      archive → pages (may use images and reports)
search    what is indexed and the Pagefind process (may use site and reports)
staff     roster and import (may use images and reports)
cli       the command line (may use staff and reports)
build     what each hook does (may use everything; only plugin.py uses it)
plugin.py, config.py   the MkDocs glue (may use everything)
```
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "plugins" / "report_archive"
LAYERS = ("reports", "images", "site", "search", "staff", "cli")
FORBIDDEN = {
    "reports": {"images", "site", "search", "staff", "cli", "build", "plugin", "config"},
    "images": {"site", "search", "staff", "cli", "build", "plugin", "config"},
    "site": {"search", "staff", "cli", "build", "plugin", "config"},
    "search": {"staff", "cli", "build", "plugin", "config"},
    "staff": {"site", "search", "cli", "build", "plugin", "config"},
    "cli": {"site", "search", "build", "plugin", "config"},
}
THIRD_PARTY_FORBIDDEN = {
    "reports": {"mkdocs", "jinja2", "markupsafe", "nh3", "cmarkgfm", "PIL", "pagefind"},
    "images": {"mkdocs", "jinja2", "markupsafe", "nh3", "cmarkgfm", "pagefind"},
    "site": {"mkdocs", "pagefind"},
    "search": {"mkdocs"},
    "staff": {"mkdocs", "jinja2"},
    "cli": {"mkdocs", "jinja2"},
}
MAX_LINES = 400


def modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def imports(path: Path) -> set[str]:
    """Every module a file imports (absolute names; relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                found.add(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                found.add(node.module)
    return found


@pytest.mark.parametrize("layer", LAYERS)
def test_inner_layers_never_import_outer_ones(layer: str) -> None:
    assert modules(layer)
    for path in modules(layer):
        for name in imports(path):
            parts = name.split(".")
            if parts[0] == "report_archive" and len(parts) > 1:
                assert parts[1] not in FORBIDDEN[layer], f"{path.name} imports {name}"
            else:
                assert parts[0] not in THIRD_PARTY_FORBIDDEN[layer], f"{path.name} imports {name}"


def test_only_the_plugin_uses_the_build_glue() -> None:
    users = {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if not path.is_relative_to(PACKAGE / "build")
        and any(name.startswith("report_archive.build") for name in imports(path))
    }
    assert users == {"plugin.py"}


def test_modules_stay_small() -> None:
    sizes = {
        path.relative_to(PACKAGE).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}


def test_plugin_hooks_are_thin() -> None:
    tree = ast.parse((PACKAGE / "plugin.py").read_text(encoding="utf-8"))
    plugin = next(n for n in tree.body if isinstance(n, ast.ClassDef))
    for node in plugin.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("on_"):
            assert node.end_lineno is not None
            assert node.end_lineno - node.lineno <= 40, node.name
