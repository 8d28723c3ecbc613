"""Which pages the site has, and what each page's template is given.

`render_pages` returns every page as `{relative path: reStructuredText}`;
nothing here touches the disk (`statusdocs.site.extension` writes the files).  Views
precompute what templates need so templates stay declarative.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from ..analysis import conformance, drift
from ..analysis.conflicts import (
    ADVICE_VERDICTS,
    NAME_VERDICTS,
    Verdict,
    advice_conflicts,
    differing_names,
    name_conflicts,
    name_status,
    reading,
)
from ..analysis.policy import POLICY_MEANINGS
from ..diagnostics import Diagnostic
from ..formats.retry_policy import retry_policy
from ..labels import counted, row_label, source_label
from ..model import Entry, Model, RowIndex, Source, SourceTable, StatusCode, rows_by_source
from ..progress import QUIET, Progress
from ..registry import registry, status_class
from . import charts, page_tables, rst
from .mentions import Mentions, headers
from .rst import Rst, indent
from .templates import render

PAGE_FOLDERS = ("codes", "sources", "classes", "guidelines")
"""The folders of generated pages, in the Sphinx source folder."""

TOP_PAGES = (
    "index",
    "codes/index",
    "sources/index",
    "compare",
    "conflicts",
    "headers",
    "retry-policy",
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

# The retry-policy page shows this many rows of a disagreement's side, and counts the rest.
SHOWN_ROWS = 5

# A class page names up to this many sources for a code, else the first half and a count.
CLASS_SOURCES_LISTED = 10

CLASSES = {
    "1xx": "Informational",
    "2xx": "Successful",
    "3xx": "Redirection",
    "4xx": "Client Error",
    "5xx": "Server Error",
}


@dataclass(frozen=True, slots=True)
class ConformanceReport:
    """A guideline's findings, as its page shows them."""

    by_service: list[tuple[Source, list[conformance.Finding]]]
    """Every service with its findings, in source order."""

    @property
    def services(self) -> list[Source]:
        return [service for service, _ in self.by_service]

    @property
    def counts(self) -> list[tuple[Source, dict[conformance.FindingKind, int]]]:
        """Per service, how many findings of each kind."""
        table = []
        for service, findings in self.by_service:
            counts = dict.fromkeys(conformance.FINDING_KINDS, 0)
            for finding in findings:
                counts[finding.kind] += 1
            table.append((service, counts))
        return table


@dataclass(frozen=True, slots=True)
class TableView:
    """One table of a source page: its layout and its rows in source order."""

    source: Source
    table: SourceTable
    entries: list[Entry]


class PageKeys:
    """What each code and source page was last rendered from, as a digest: a page whose
    inputs have the same digest, and whose file is still there, is not rendered again.

    A code page is made from its code's entries, a source page from its source and
    its entries; both also show what every page shows (the site's title, the list of
    codes and of sources, which links and counts come from) and the templates and
    statusdocs' own code, which are in every key (`common`).
    """

    def __init__(self, store: Path | None, common: bytes) -> None:
        self.store = store
        self.common = common
        self.before: dict[str, str] = {}
        self.now: dict[str, str] = {}
        self._entries: dict[int, tuple[Entry, str]] = {}
        if store is not None:
            with contextlib.suppress(OSError, ValueError):
                loaded = json.loads(store.read_text("utf-8"))
                self.before = loaded if isinstance(loaded, dict) else {}

    def key(self, name: str, data: object) -> str:
        digest = hashlib.sha256(self.common)
        for part in self._parts(data):
            digest.update(part.encode())
        self.now[name] = digest.hexdigest()
        return self.now[name]

    def _parts(self, data: object) -> Iterator[str]:
        """`data` as text: repr, not pickle (a pickle's bytes depend on which equal objects
        are one object, and a model read from the parse cache shares fewer; a dataclass's
        repr does not), each entry's made once, as code and source pages both show it."""
        if isinstance(data, Entry):
            if id(data) not in self._entries:
                self._entries[id(data)] = (data, repr(data))
            yield self._entries[id(data)][1]
        elif isinstance(data, StatusCode):
            yield repr((data.code, data.status_class, data.phrase, data.reference, data.url))
            yield from self._parts(data.entries)
        elif isinstance(data, list | tuple):
            yield "("
            for item in data:
                yield from self._parts(item)
                yield ","
            yield ")"
        else:
            yield repr(data)

    def unchanged(self, name: str, data: object, folder: Path) -> bool:
        """Whether page `name` (under `folder`) is as its inputs would render it now."""
        return self.before.get(name) == self.key(name, data) and (folder / name).is_file()

    def save(self) -> None:
        """Store the keys of the pages made now (nothing is written when none changed)."""
        if self.store is not None and self.now != self.before:
            with contextlib.suppress(OSError):
                self.store.write_text(json.dumps(self.now), "utf-8")


def render_pages(
    model: Model,
    env: jinja2.Environment,
    title: str,
    mentions: Mentions,
    reuse: tuple[PageKeys, Path] | None = None,
    progress: Progress = QUIET,
) -> dict[str, str | None]:
    """Every page of the site, rendered; with `reuse` (the keys and the folder of the pages),
    a code or source page whose inputs did not change is None: its file is still right.
    Each page is a step of `progress`."""
    site = _SiteData(model, mentions)
    guidelines = conformance.guidelines(model)
    total = len(TOP_PAGES) + len(CLASSES) + len(guidelines) + len(model.codes)
    progress.stage("rendering pages", total + len(model.sources))
    common = {
        "site_title": title,
        "model": model,
        "site": site,
        "classes": CLASSES,
        "sources_in_nav": _sources_in_nav(model),
        "policy_meanings": POLICY_MEANINGS,
    }
    pages: dict[str, str | None] = {}
    for page in TOP_PAGES:
        pages[f"{page}.rst"] = render(env, f"{page.removesuffix('/index')}.rst.jinja", common)
        progress.advance()
    for name, label in CLASSES.items():
        context = common | {"class_name": name, "class_label": label}
        pages[f"classes/{name}.rst"] = render(env, "class.rst.jinja", context)
        progress.advance()
    for guideline in guidelines:
        context = common | {
            "guideline": guideline,
            "report": site.conformance(guideline),
            "finding_kinds": conformance.FINDING_KINDS,
        }
        pages[f"guidelines/{guideline.id}.rst"] = render(env, "guideline.rst.jinja", context)
        progress.advance()
    for code in model.codes:
        name = f"codes/{code.code}.rst"
        progress.advance()
        if reuse is not None and reuse[0].unchanged(name, code, reuse[1]):
            pages[name] = None
            continue
        pages[name] = render(env, "code.rst.jinja", common | {"code": code})
    for source in model.sources:
        name = f"sources/{source.id}.rst"
        progress.advance()
        inputs = (source, site.entries_by_source[source.id], site.related(source))
        if reuse is not None and reuse[0].unchanged(name, inputs, reuse[1]):
            pages[name] = None
            continue
        context = common | {"source": source, "tables": site.tables(source)}
        pages[name] = render(env, "source.rst.jinja", context)
    return pages


def common_inputs(model: Model, title: str, template_dirs: Sequence[Path], code: str) -> bytes:
    """What every code and source page shows besides its own data (see `PageKeys`): the page
    tree (codes, sources, templates), the title, statusdocs' `code`, each source's file."""
    tree = page_tree(model, template_dirs)
    digest = hashlib.sha256(f"{code}\n{title}\n{tree}\n".encode())
    for source in model.sources:
        digest.update(repr((source.id, source.path, source.metadata, source.role)).encode())
        digest.update(repr(source.mirror_of).encode())
    return digest.digest()


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
        digest.update(f"source {source.id} {source.title} {source.role}\n".encode())
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
        self.sources_by_path = {source.path: source for source in model.sources}
        self._texts: list[tuple[StatusCode, str]] | None = None
        self._rows: RowIndex | None = None
        self._copies: dict[str, tuple[str, str]] | None = None
        self.has_roles = any(source.role != "service" for source in model.sources)
        """Whether the manifest gives any source a role: source pages then say each one's."""
        self.codes = {code.code: code for code in model.codes}
        self.entries_by_source: dict[str, list[Entry]] = defaultdict(list)
        for code in model.codes:
            for entry in code.entries:
                self.entries_by_source[entry.source].append(entry)
        self.advice_conflicts = advice_conflicts(model)
        self.name_conflicts = name_conflicts(model)
        self.differing_names = differing_names(model)
        self.former_names = [
            (code, entry)
            for code in model.codes
            for entry in code.entries
            if name_status(code, entry) == "former"
        ]
        self.headers = headers()
        # The one vocabulary of names and advice, for the legends (statusdocs.analysis.conflicts).
        self.name_verdicts = list(NAME_VERDICTS.values())
        self.advice_verdicts = list(ADVICE_VERDICTS.values())

    def conformance(self, guideline: Source) -> ConformanceReport:
        """The findings of every service against `guideline`."""
        grouped: dict[str, list[conformance.Finding]] = defaultdict(list)
        for finding in conformance.conformance(self.model, guideline):
            grouped[finding.service.id].append(finding)
        services = conformance.services(self.model)
        return ConformanceReport([(service, grouped[service.id]) for service in services])

    def drift(self, source: Source) -> drift.Drift:
        """How a mirror differs from its original."""
        assert source.mirror_of is not None
        return drift.drift(self.model, source.id, source.mirror_of, self.rows())

    def related(self, source: Source) -> object:
        """What a source page shows of other sources: a mirror's original rows, a copy it
        looks like (part of the page's key, `PageKeys`)."""
        original = self.entries_by_source.get(source.mirror_of or "")
        return (original, self.looks_like_copy(source))

    def looks_like_copy(self, source: Source) -> tuple[str, str] | None:
        """(original id, share in words) when `source` looks like a copy the manifest does not
        mark (the `mirror.suggested` note of `statusdocs.ingest.relations`)."""
        if self._copies is None:
            self._copies = {}
            for copy, original, share in drift.undeclared_copies(self.model):
                self._copies.setdefault(copy, (original, f"{share:.0%}"))
        return self._copies.get(source.id)

    def retry_policy(self) -> dict[str, Any]:
        """The sources' merged advice (`statusdocs.formats.retry_policy`) with each item's row
        as `entry`, and each disagreement's readings grouped by policy: (policy, said,
        entries shown, how many more)."""
        data = retry_policy(self.model, None, with_rows=True)
        for key in ("retry", "do_not_retry", "other"):
            for item in data[key]:
                item["entry"] = item["row"]
        for item in data["disagreements"]:
            groups: dict[tuple[str, bool], list[Entry]] = defaultdict(list)
            for found in item["readings"]:
                groups[(found["policy"], found["said"])].append(found["row"])
            item["groups"] = [
                (policy, said, entries[:SHOWN_ROWS], max(0, len(entries) - SHOWN_ROWS))
                for (policy, said), entries in groups.items()
            ]
        return data

    def sentence_of(self, entry: Entry) -> str:
        """The sentence an entry's advice is read from ("" when it gives none)."""
        found = reading(entry)
        return found.sentence if found else ""

    def guideline_says(self, code: StatusCode) -> list[tuple[Source, Entry | None, str]]:
        """What each guideline says of the code (`conformance.guideline_says`)."""
        return conformance.guideline_says(self.model, code.code, self.rows())

    def rows(self) -> RowIndex:
        """Each source's rows by code (`statusdocs.model.rows_by_source`), made once."""
        if self._rows is None:
            self._rows = rows_by_source(self.model)
        return self._rows

    def verdicts_on(self, code: StatusCode) -> list[Verdict]:
        """The name and advice verdicts a code's page shows, for its legend, in vocabulary order."""
        shown = {NAME_VERDICTS[s] for e in code.entries if (s := name_status(code, e)) != "none"}
        shown.discard(NAME_VERDICTS["registered"])
        shown |= {
            ADVICE_VERDICTS[(r.policy, r.inferred)] for e in code.entries if (r := reading(e))
        }
        vocabulary = [*NAME_VERDICTS.values(), *ADVICE_VERDICTS.values()]
        return [verdict for verdict in vocabulary if verdict in shown]

    def where(self, item: Diagnostic) -> Rst:
        """A diagnostic's `path:line`, linked to its row when the row was read, else to its
        source's page; plain when no page shows the file."""
        shown = f"{item.path}:{item.line}" if item.line else item.path
        source = self.sources_by_path.get(item.path)
        if source is None:
            return rst.escape(shown)
        rows = [e for e in self.entries_by_source[source.id] if e.line == item.line]
        return rst.ref(row_label(rows[0]) if rows else source_label(source.id), shown)

    def inferred(self, entry: Entry) -> bool:
        """Whether the entry's advice is only read from its description."""
        found = reading(entry)
        return found is not None and found.inferred

    def tables(self, source: Source) -> list[TableView]:
        """A source's tables with their rows, in the source's order."""
        entries = sorted(self.entries_by_source[source.id], key=lambda e: e.line)
        return [
            TableView(source, table, [e for e in entries if e.table == index])
            for index, table in enumerate(source.tables)
        ]

    def side_by_side(self, code: StatusCode) -> dict[str, Any]:
        """Table data: what every source says about `code`."""
        return page_tables.side_by_side(code, self.sources, self.mentions)

    def source_table(self, view: TableView) -> dict[str, Any]:
        """Table data: one of a source's tables, reproduced."""
        table, entries = view.table, view.entries
        return page_tables.source_table(table.header, entries, self.mentions, view.source)

    def matrix(self) -> dict[str, Any]:
        """Table data: codes x sources."""
        disagreeing = {c.code.code for c in self.advice_conflicts}
        disagreeing |= {c.code.code for c in self.name_conflicts}
        return page_tables.matrix(self.model, disagreeing)

    def count(self, source: Source) -> int:
        """How many entries a source has."""
        return len(self.entries_by_source[source.id])

    def class_codes(self, class_name: str) -> list[tuple[int, str, StatusCode | None]]:
        """Every registered or documented code of a class: (code, phrase, record or None)."""
        numbers = {c for c in registry() if status_class(c) == class_name}
        numbers |= {c.code for c in self.model.codes if c.status_class == class_name}
        return [(n, self._phrase(n), self.codes.get(n)) for n in sorted(numbers)]

    def documented_by(self, code: StatusCode) -> tuple[list[str], int]:
        """The ids of the sources a class page names for `code`, and how many more document
        it: all of them up to `CLASS_SOURCES_LISTED`, else the first few and a count (the
        code's own page shows them all; a cell of hundreds of links helps no one)."""
        ids = list(dict.fromkeys(entry.source for entry in code.entries))
        if len(ids) <= CLASS_SOURCES_LISTED:
            return ids, 0
        shown = CLASS_SOURCES_LISTED // 2
        return ids[:shown], len(ids) - shown

    def _phrase(self, number: int) -> str:
        registration = registry().get(number)
        return registration.phrase if registration else "(unregistered)"

    def mentioning(self, header_name: str) -> list[StatusCode]:
        """Codes whose entries mention a header by name."""
        needle = header_name.lower()
        return [code for code, text in self._code_texts() if needle in text]

    def _code_texts(self) -> list[tuple[StatusCode, str]]:
        """Each code with what its entries say, lower-cased, one string per entry: made once
        (the headers page asks for every header)."""
        if self._texts is None:
            self._texts = [
                (
                    code,
                    "\n".join(
                        f"{e.description.plain} {e.action.plain}".lower() for e in code.entries
                    ),
                )
                for code in self.model.codes
            ]
        return self._texts

    def diagnostics_count(self) -> dict[str, Any]:
        """How many diagnostics of each severity there are."""
        counts: dict[str, Any] = {"error": 0, "warning": 0, "info": 0}
        for item in self.model.diagnostics:
            counts[item.severity] += 1
        return counts

    def coverage_svg(self) -> Rst:
        """The coverage chart, indented as the content of a `.. raw:: html` block.

        Raw only because the SVG is the generator's own: `charts.coverage_svg`
        XML-escapes every title in it, and nothing else from a source is in it.
        """
        return indent(charts.coverage_svg(self.model), 3)

    def coverage_rows(self) -> list[tuple[Source, list[int]]]:
        """The chart's numbers: per source, how many codes of each class it documents."""
        return charts.coverage_rows(self.model)

    def coverage_totals(self) -> list[int]:
        """How many codes of each class any source documents."""
        return charts.class_totals(self.model)

    def summary(self, code: StatusCode) -> str:
        """One line on a code: how many sources document it, whether their names and advice
        agree ("Documented by 4 of 5 sources; names agree; advice conflicts.")."""
        sources = len({entry.source for entry in code.entries})
        total = counted(len(self.model.sources), "source")
        return f"Documented by {sources} of {total}; {self._names(code)}; {self._advice(code)}."

    def _names(self, code: StatusCode) -> str:
        statuses = {name_status(code, e) for e in code.entries} - {"none"}
        if not statuses:
            return "no names given"
        if code.phrase is None:  # nothing to agree with but each other
            conflicting = any(c.code is code for c in self.name_conflicts)
            return "names differ" if conflicting else "names agree"
        return "names differ" if "differs" in statuses else "names agree"

    def _advice(self, code: StatusCode) -> str:
        if any(conflict.code is code for conflict in self.advice_conflicts):
            return "advice conflicts"
        if all(reading(entry) is None for entry in code.entries):
            return "no advice given"
        return "advice agrees"
