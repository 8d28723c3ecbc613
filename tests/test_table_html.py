"""The site's tables written straight to HTML are the tables the docutils nodes would give."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sitecheck import built_project
from sphinx.testing.util import SphinxTestApp

pytestmark = pytest.mark.slow

PAGES = [
    "codes/404.html",
    "codes/503.html",
    "compare.html",
    "sources/huaweicloud-iam-status-codes.html",
    "sources/kubernetes-api-conventions.html",
    "sources/kubernetes-api-conventions-blog-copy.html",
]
_TABLE = re.compile(r'<div class="table-wrapper docutils container">.*?</table>\s*</div>', re.S)


def _tables(page: Path) -> list[str]:
    # Line breaks between tags are the writers' layout, not the page's content.
    return [re.sub(r">\s+<", "><", found) for found in _TABLE.findall(page.read_text("utf-8"))]


def test_tables_written_both_ways_are_the_same(
    tmp_path_factory: pytest.TempPathFactory,
    tmp_path: Path,
    make_app: Callable[..., SphinxTestApp],
) -> None:
    root = built_project(tmp_path_factory.getbasetemp() / "built-once", tmp_path / "project")
    direct = root / "site" / "_build" / "html"
    app = make_app(
        "html",
        srcdir=root / "site",
        builddir=tmp_path / "nodes",
        confoverrides={"statusdocs_html_tables": False},
    )
    app.build()
    assert app.warning.getvalue() == ""
    via_nodes = tmp_path / "nodes" / "html"
    for name in PAGES:
        assert _tables(direct / name), name  # the pages with the widest variety of cells
    pages = sorted(p.relative_to(direct).as_posix() for p in direct.rglob("*.html"))
    assert pages == sorted(p.relative_to(via_nodes).as_posix() for p in via_nodes.rglob("*.html"))
    for name in pages:
        assert _tables(direct / name) == _tables(via_nodes / name), name


def test_row_anchors_are_on_the_rows_only(tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path_factory.getbasetemp() / "built-once"
    page = root / "site" / "_build" / "html" / "sources" / "kubernetes-api-conventions.html"
    text = page.read_text("utf-8")
    assert text.count('id="source-kubernetes-api-conventions-line-18"') == 1
    assert '<tr class="row-even" id="source-kubernetes-api-conventions-line-18">' in text


def test_a_tables_words_for_search_are_its_text_once_each_without_badges() -> None:
    from statusdocs.site import celldata
    from statusdocs.site.table_html import words

    data = celldata.table(
        [celldata.text_cell("Code"), celldata.text_cell("Name")],
        [
            (
                None,
                [
                    celldata.text_cell(celldata.ref("status-404", "404")),
                    celldata.text_cell(
                        "Not Found", " ", celldata.span("sd-variant", "≈ spelled another way")
                    ),
                ],
            ),
            (None, [celldata.text_cell("410"), [{"p": [{"code": "Gone"}, " for good"]}]]),
            (None, [celldata.text_cell("404"), celldata.text_cell("Not Found")]),
        ],
        "sd-x",
    )
    assert words(data) == "Code Name 404 Not Found 410 Gone for good"
