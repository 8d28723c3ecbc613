"""Reading a built site back: pages, anchors, links, text (for the site tests)."""

from __future__ import annotations

import functools
import re
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

import html5lib

from conftest import ROOT

_SPACES = re.compile(r"\s+")


def copy_project(target: Path, sources: Path | None = None) -> Path:
    """A throwaway copy of the project (templates, site config) with the given sources."""
    shutil.copytree(ROOT / "templates", target / "templates")
    (target / "site").mkdir(parents=True)
    shutil.copy(ROOT / "site" / "conf.py", target / "site" / "conf.py")
    shutil.copytree(sources or ROOT / "sources", target / "sources")
    return target


@dataclass(frozen=True)
class Page:
    """One built HTML page."""

    path: Path
    tree: Element

    @property
    def ids(self) -> set[str]:
        return {value for el in self.tree.iter() if (value := el.get("id"))}

    @property
    def links(self) -> list[str]:
        return [value for el in self.tree.iter("a") if (value := el.get("href"))]

    def main_text(self) -> str:
        """The text of the page's article, white space collapsed."""
        article = next(iter(self.tree.iter("article")), self.tree)
        return _SPACES.sub(" ", "".join(article.itertext())).strip()

    def elements(self, tag: str) -> list[Element]:
        return list(self.tree.iter(tag))


@functools.cache
def page(path: Path) -> Page:
    parser = html5lib.HTMLParser(namespaceHTMLElements=False)
    tree: Element = parser.parse(path.read_bytes())
    return Page(path, tree)


class _Anchors(HTMLParser):
    """The links and ids of a page: all a link check needs, read by the standard library's
    tokenizer (built pages are well formed; html5lib's tree is ten times slower)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")


@functools.cache
def _anchors(path: Path) -> _Anchors:
    found = _Anchors()
    found.feed(path.read_text("utf-8"))
    return found


def broken_links(html_root: Path) -> list[str]:
    """Every internal link, in every page, whose file or anchor does not exist."""
    problems = []
    for file in sorted(html_root.rglob("*.html")):
        for href in _anchors(file).links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith("mailto:"):
                continue
            target = (file.parent / unquote(parts.path)).resolve() if parts.path else file
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                problems.append(f"{file.relative_to(html_root)}: {href}: no such file")
            elif (
                parts.fragment
                and target.suffix == ".html"
                and unquote(parts.fragment) not in _anchors(target).ids
            ):
                problems.append(f"{file.relative_to(html_root)}: {href}: no such anchor")
    return problems


@functools.cache
def _built_once(folder: Path) -> Path:
    from statusdocs.site.build import build
    from statusdocs.sources.settings import find_project

    root = copy_project(folder)
    result = build(find_project(root))
    assert result.warnings == [] and result.published
    return root


def built_project(session_folder: Path, target: Path) -> Path:
    """A copy of the real project with its site already built: built once a test session
    (in `session_folder`), copied for each test that changes it.  Builds are relative to the
    project, so the copy's next build sees no change."""
    shutil.copytree(_built_once(session_folder), target, symlinks=True)
    return target
