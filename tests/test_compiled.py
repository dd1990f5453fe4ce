"""While serving, compiled Jinja templates are kept in memory from one build to the next,
and only used for the same source under the same settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest

from report_archive.build.compiled import keep_compiled
from report_archive.reports.store import memory, remember


@pytest.fixture
def serving() -> Iterator[None]:
    remember(True)
    try:
        yield
    finally:
        remember(False)


def environment(folder: Path, **settings: object) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), **settings)  # type: ignore[arg-type]


TEMPLATE = "{% if true %}\n  <p>{{ name }}</p>\n{% endif %}\n"


def test_a_new_environment_takes_the_compiled_template(
    tmp_path: Path, serving: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "page.html").write_text(TEMPLATE)
    first = environment(tmp_path, trim_blocks=True, lstrip_blocks=True)
    keep_compiled(first, tmp_path / "cache")
    assert first.get_template("page.html").render(name="a") == "  <p>a</p>\n"
    assert len(memory(tmp_path / "cache") or {}) == 1

    second = environment(tmp_path, trim_blocks=True, lstrip_blocks=True)
    keep_compiled(second, tmp_path / "cache")

    def compile_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(second, "compile", compile_again)
    assert second.get_template("page.html").render(name="b") == "  <p>b</p>\n"


def test_other_settings_or_an_edited_source_compile_again(tmp_path: Path, serving: None) -> None:
    (tmp_path / "page.html").write_text(TEMPLATE)
    first = environment(tmp_path, trim_blocks=True, lstrip_blocks=True)
    keep_compiled(first, tmp_path / "cache")
    assert first.get_template("page.html").render(name="a") == "  <p>a</p>\n"

    plain = environment(tmp_path)  # whitespace kept: the same source compiles differently
    keep_compiled(plain, tmp_path / "cache")
    assert plain.get_template("page.html").render(name="a") == "\n  <p>a</p>\n"

    (tmp_path / "page.html").write_text(TEMPLATE.replace("<p>", "<p class=x>"))
    edited = environment(tmp_path, trim_blocks=True, lstrip_blocks=True)
    keep_compiled(edited, tmp_path / "cache")
    assert edited.get_template("page.html").render(name="a") == "  <p class=x>a</p>\n"


def test_nothing_is_kept_unless_serving(tmp_path: Path) -> None:
    env = environment(tmp_path)
    keep_compiled(env, tmp_path / "cache")
    assert env.bytecode_cache is None
    escaping = environment(tmp_path, autoescape=jinja2.select_autoescape())
    remember(True)
    try:
        keep_compiled(escaping, tmp_path / "cache")  # a function decides: not knowable
    finally:
        remember(False)
    assert escaping.bytecode_cache is None
