"""Which pages the site has, and what each page's template is given.

`render_pages` returns every page as `{relative path: reStructuredText}`;
nothing here touches the disk (`statusdocs.site.extension` writes the files).  Views
precompute what templates need so templates stay declarative.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from ..analysis.conflicts import (
    advice_conflicts,
    differing_names,
    name_conflicts,
)
from ..model import Entry, Model, Source, SourceTable, StatusCode
from ..registry import registry, status_class
from . import page_tables
from .mentions import Mentions, headers
from .templates import render

PAGE_FOLDERS = ("codes", "sources", "classes")
"""The folders of generated pages, in the Sphinx source folder."""

TOP_PAGES = (
    "index",
    "codes/index",
    "sources/index",
    "compare",
    "conflicts",
    "headers",
    "diagnostics",
    "use",
)
"""The site's pages besides one per class, code and source, each from `<page>.rst.jinja`
(`codes/index` from `codes.rst.jinja`)."""


def generated_places(site: Path) -> list[Path]:
    """Where in the Sphinx folder `site` statusdocs writes pages: files and folders."""
    files = [site / f"{page}.rst" for page in TOP_PAGES if "/" not in page]
    return [*files, *(site / folder for folder in PAGE_FOLDERS)]


# Above this many sources, source pages stay out of the sidebar: a theme renders the
# whole navigation tree into every page, so its cost grows with pages x entries.
NAV_SOURCES_LIMIT = 50

CLASSES = {
    "1xx": "Informational",
    "2xx": "Successful",
    "3xx": "Redirection",
    "4xx": "Client Error",
    "5xx": "Server Error",
}


@dataclass(frozen=True, slots=True)
class TableView:
    """One table of a source page: its layout and its rows in source order."""

    table: SourceTable
    entries: list[Entry]


def render_pages(
    model: Model, env: jinja2.Environment, title: str, mentions: Mentions
) -> dict[str, str]:
    """Every page of the site, rendered."""
    site = _SiteData(model, mentions)
    common = {
        "site_title": title,
        "model": model,
        "site": site,
        "classes": CLASSES,
        "sources_in_nav": _sources_in_nav(model),
    }
    pages = {
        f"{page}.rst": render(env, f"{page.removesuffix('/index')}.rst.jinja", common)
        for page in TOP_PAGES
    }
    for name, label in CLASSES.items():
        context = common | {"class_name": name, "class_label": label}
        pages[f"classes/{name}.rst"] = render(env, "class.rst.jinja", context)
    for code in model.codes:
        context = common | {"code": code}
        pages[f"codes/{code.code}.rst"] = render(env, "code.rst.jinja", context)
    for source in model.sources:
        context = common | {"source": source, "tables": site.tables(source)}
        pages[f"sources/{source.id}.rst"] = render(env, "source.rst.jinja", context)
    return pages


def page_tree(model: Model, template_dirs: Sequence[Path]) -> str:
    """A digest of what the sidebar of every page shows, from what makes the pages.

    The tree is the pages `render_pages` makes and the titles it gives them (codes
    and their phrases, sources and their titles, whether sources are listed) and the
    templates that lay it out; when it changes, every page must be written again.
    """
    digest = hashlib.sha256(f"sources in nav: {_sources_in_nav(model)}\n".encode())
    for code in model.codes:
        digest.update(f"code {code.code} {code.phrase}\n".encode())
    for source in model.sources:
        digest.update(f"source {source.id} {source.title}\n".encode())
    for folder in template_dirs:
        for path in sorted(folder.glob("*.jinja")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _sources_in_nav(model: Model) -> bool:
    return len(model.sources) <= NAV_SOURCES_LIMIT


class _SiteData:
    """Lookups the templates share, computed once per build."""

    def __init__(self, model: Model, mentions: Mentions) -> None:
        self.model = model
        self.mentions = mentions
        self.sources = {source.id: source for source in model.sources}
        self.codes = {code.code: code for code in model.codes}
        self.entries_by_source: dict[str, list[Entry]] = defaultdict(list)
        for code in model.codes:
            for entry in code.entries:
                self.entries_by_source[entry.source].append(entry)
        self.advice_conflicts = advice_conflicts(model)
        self.name_conflicts = name_conflicts(model)
        self.differing_names = differing_names(model)
        self.headers = headers()

    def tables(self, source: Source) -> list[TableView]:
        """A source's tables with their rows, in the source's order."""
        entries = sorted(self.entries_by_source[source.id], key=lambda e: e.line)
        return [
            TableView(table, [e for e in entries if e.table == index])
            for index, table in enumerate(source.tables)
        ]

    def side_by_side(self, code: StatusCode) -> dict[str, Any]:
        """Table data: what every source says about `code`."""
        return page_tables.side_by_side(code, self.sources, self.mentions)

    def source_table(self, view: TableView) -> dict[str, Any]:
        """Table data: one of a source's tables, reproduced."""
        return page_tables.source_table(view.table.header, view.entries, self.mentions)

    def matrix(self) -> dict[str, Any]:
        """Table data: codes x sources."""
        return page_tables.matrix(self.model)

    def count(self, source: Source) -> int:
        """How many entries a source has."""
        return len(self.entries_by_source[source.id])

    def class_codes(self, class_name: str) -> list[tuple[int, str, StatusCode | None]]:
        """Every registered or documented code of a class: (code, phrase, record or None)."""
        numbers = {c for c in registry() if status_class(c) == class_name}
        numbers |= {c.code for c in self.model.codes if c.status_class == class_name}
        return [(n, self._phrase(n), self.codes.get(n)) for n in sorted(numbers)]

    def _phrase(self, number: int) -> str:
        registration = registry().get(number)
        return registration.phrase if registration else "(unregistered)"

    def mentioning(self, header_name: str) -> list[StatusCode]:
        """Codes whose entries mention a header by name."""
        needle = header_name.lower()
        return [
            code
            for code in self.model.codes
            if any(
                needle in (e.description.plain + " " + e.action.plain).lower() for e in code.entries
            )
        ]

    def diagnostics_count(self) -> dict[str, Any]:
        """How many diagnostics of each severity there are."""
        counts: dict[str, Any] = {"error": 0, "warning": 0, "info": 0}
        for item in self.model.diagnostics:
            counts[item.severity] += 1
        return counts
