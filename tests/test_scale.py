"""A site with more sources than the sidebar lists: source pages leave the page tree,
share one navigation, and every link still resolves (a shape only big sites have)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from sitecheck import broken_links, copy_project, page

from statusdocs.site import pages as site_pages
from statusdocs.site.build import build
from statusdocs.sources.settings import find_project

from conftest import ROOT

pytestmark = pytest.mark.slow


def synthetic(folder: Path, count: int) -> None:
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "benchmarks" / "synthetic.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["synthetic"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    module.generate(folder, count, rows=6)


def test_many_sources_keep_links_and_a_small_sidebar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The shape of a site past the sidebar's limit, with a limit small enough to build fast.
    monkeypatch.setattr(site_pages, "NAV_SOURCES_LIMIT", 3)
    root = copy_project(tmp_path / "project")
    count = site_pages.NAV_SOURCES_LIMIT + 5
    synthetic(root / "sources", count)
    result = build(find_project(root))
    assert result.warnings == []
    assert len(result.model.sources) == 5 + count
    pages = sorted((result.out / "sources").glob("service-*.html"))
    assert len(pages) == count

    def sidebar(html: Path) -> str:
        text = html.read_text("utf-8")
        start = text.index('class="sidebar-tree"')
        return text[start : text.index("</div>", text.index("</ul>", start))]

    first, last = sidebar(pages[0]), sidebar(pages[-1])
    assert first == last
    assert "service-" not in first  # source pages are not listed in the sidebar
    assert "../codes/404.html" in first
    index_links = page(result.out / "sources" / "index.html").links
    assert f"{pages[0].name}#source-{pages[0].stem}" in index_links
    assert broken_links(result.out) == []
