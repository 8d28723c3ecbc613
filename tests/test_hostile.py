"""Source text is untrusted: nothing in it may become markup, a directive or a script.

A project whose sources are full of reStructuredText, MyST, HTML and Jinja
syntax builds without warnings and shows that text literally; and any string
at all passes through the escaping filter and comes back out of docutils as
the same text and nothing else (a property test).
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from pathlib import Path

import pytest
from docutils import nodes
from docutils.core import publish_doctree
from hypothesis import given, settings
from hypothesis import strategies as st
from sitecheck import copy_project, page

from statusdocs.richtext import Code, Emphasis, Paragraph, RichText, Strong, Text
from statusdocs.site import celldata
from statusdocs.site.build import BuildResult, build
from statusdocs.site.rst import blocks, escape, inline_literal, span
from statusdocs.sources.settings import find_project

from conftest import FIXTURES

DOCUTILS = {
    "report_level": 5,
    "warning_stream": io.StringIO(),
    "file_insertion_enabled": False,
    "raw_enabled": False,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    root = copy_project(tmp_path_factory.mktemp("hostile"), sources=FIXTURES / "hostile")
    return build(find_project(root))


def article(built: BuildResult, name: str) -> str:
    return page(built.out / name).main_text()


def test_hostile_site_builds_without_warnings(built: BuildResult) -> None:
    assert built.warnings == []
    assert sorted(c.code for c in built.model.codes) == list(range(400, 410))


def test_hostile_text_shows_literally(built: BuildResult) -> None:
    text = article(built, "codes/400.html")
    assert ".. include:: /etc/passwd" in text
    assert ".. raw:: html" in text
    assert '<img src=x onerror="alert(1)">' in text
    text = article(built, "codes/401.html")
    assert "{{ 7*7 }}" in text
    assert '<script>alert("xss")</script>' in text
    text = article(built, "codes/402.html")
    assert "{eval-rst}" in text
    assert "|subst| and x_ and :ref:status-404" in text  # Markdown code spans stay code
    text = article(built, "codes/403.html")
    assert ".. _evil: https://example.com" in text
    assert "{% raw %}{% endraw %} and {# c #}" in text
    title = 'Hostile <script>alert("title")</script> source'
    assert article(built, "sources/hostile.html").startswith(title)
    assert "abc<script>alert(2)</script>" in article(built, "diagnostics.html")


def test_hostile_text_in_every_shape_shows_literally(built: BuildResult) -> None:
    """Front matter tables, JSON table data, definition lists and field lists: as written."""
    # Inline HTML in a Markdown cell is markup there: its tag is dropped, its text kept.
    assert ".. raw:: html alert(6)" in article(built, "codes/406.html")
    assert "{{ 8*8 }} `x <javascript:alert(7)>`_ and |subst|" in article(built, "codes/407.html")
    assert ".. include:: /etc/shadow and" in article(built, "codes/408.html")
    assert ".. raw:: html and {% raw %} and <script>alert(9)</script>" in article(
        built, "codes/409.html"
    )
    assert article(built, "sources/hostile-shapes.html").startswith("Shapes {{ 6*6 }} <b>bold</b>")


def test_nothing_hostile_acts(built: BuildResult) -> None:
    for html in built.out.rglob("*.html"):
        tree = page(html).tree
        scripts = [el.text or "" for el in tree.iter("script")]
        assert not any("alert" in s for s in scripts), html
        for element in tree.iter():
            assert "onerror" not in element.attrib, html
            assert not element.get("href", "").lower().startswith("javascript:"), html
        assert "root:x:0" not in html.read_text("utf-8")
    assert "49" not in article(built, "codes/401.html")
    assert "evil" not in page(built.out / "codes/403.html").ids


def test_hostile_rst_source_does_not_include_or_raw(built: BuildResult) -> None:
    messages = [d.format() for d in built.model.diagnostics if d.path.endswith("hostile.rst")]
    assert any('"include" directive disabled' in m for m in messages), messages
    assert any('"raw" directive disabled' in m for m in messages), messages
    text = article(built, "codes/405.html")
    assert "onerror=alert(1) {{ 7*7 }}" in text and "<script>" in text


def _visible(text: str) -> str:
    printable = "".join(
        c for c in text if c in "\t\n\r" or not unicodedata.category(c).startswith("C")
    )
    return re.sub(r"\s+", " ", printable).strip()


def _parse(markup: str) -> nodes.document:
    return publish_doctree(markup, settings_overrides=DOCUTILS)


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_escape_round_trips_through_docutils(text: str) -> None:
    markup = escape(text)
    if not markup:
        assert _visible(text) == ""
        return
    tree = _parse(markup)
    assert [type(child) for child in tree.children] == [nodes.paragraph]
    assert [type(node) for node in tree[0].children] == [nodes.Text]
    assert tree.astext() == _visible(text)


@settings(max_examples=200, deadline=None)
@given(st.text(), st.sampled_from([Strong, Emphasis, Code]), st.text(), st.text())
def test_styled_text_round_trips(before: str, style: type, inner: str, after: str) -> None:
    rich = RichText(
        (
            Paragraph(
                (
                    Text(before),
                    style((Text(inner),)) if style is not Code else Code(inner),
                    Text(after),
                )
            ),
        )
    )
    markup = blocks(rich)
    expected = _visible(before + " " + inner + " " + after) if markup else ""
    if not markup:
        return
    tree = _parse(markup)
    assert [type(child) for child in tree.children] == [nodes.paragraph]
    kinds = {type(node) for node in tree[0].children}
    assert kinds <= {nodes.Text, nodes.strong, nodes.emphasis, nodes.literal}
    assert re.sub(r"\s+", "", tree.astext()) == re.sub(r"\s+", "", expected)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_span_round_trips(text: str) -> None:
    markup = span(text, "sd-differs")
    if not markup:
        return
    tree = _parse(".. role:: sd-differs\n\n" + markup)
    assert tree.astext() == _visible(text)


@settings(max_examples=300, deadline=None)
@given(st.text(), st.text())
def test_table_directive_keeps_any_text_as_data(name: str, text: str) -> None:
    """A table's JSON line never leaves the directive's content, and reads back unchanged."""
    data = celldata.table(
        [celldata.text_cell(name)], [("source-x-line-1", [celldata.text_cell(text)])], "sd-t"
    )
    lines = celldata.directive(data).split("\n")
    assert lines[:2] == [".. statusdocs-table::", ""]
    assert lines[2].startswith("   ") and lines[2].isascii() and lines[3:] == [""]
    assert json.loads(lines[2]) == data


def test_template_filters_escape_for_rst_not_html(tmp_path: Path) -> None:
    """Jinja's HTML `e` and plain `indent` are replaced, so user templates stay safe RST."""
    from statusdocs.site.templates import environment, render

    (tmp_path / "t.rst.jinja").write_text(
        "{{ text }}|{{ text|e }}|{{ cell|rich|indent(3) }}", "utf-8"
    )
    env = environment([tmp_path])
    cell = RichText((Paragraph((Text("<b>*x*</b>"),)),))
    out = render(env, "t.rst.jinja", {"text": "<b>*x*</b>", "cell": cell})
    inert = r"\<b\>\*x\*\<\/b\>"
    assert out == f"{inert}|{inert}|   {inert}"


def test_inline_code_holds_only_what_an_inline_literal_can() -> None:
    assert inline_literal("statusdocs check --guideline api-x") == (
        "``statusdocs check --guideline api-x``"
    )
    # A backquote or backslash could end or bend the literal: escaped text instead.
    assert inline_literal("a``b") == escape("a``b")
    assert inline_literal("a\\b") == escape("a\\b")
    assert inline_literal("two\nlines") == "``two lines``"
    assert inline_literal("") == ""
