"""docutils set up for untrusted, Sphinx-flavoured reStructuredText.

The documents come from Sphinx projects, so they use roles and directives that
plain docutils does not know (`:ref:`, `.. only::`).  Like Sphinx, which swaps
in its own lookups while it parses, `_tolerant` wraps the role and directive
lookups of `docutils.parsers.rst` for the length of one parse.  The text is
untrusted: `.. include::`, `.. raw::` and `:file:` options stay disabled.
"""

from __future__ import annotations

import csv
import io
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from docutils import frontend, nodes, utils
from docutils.parsers.rst import Directive, Parser, directives, roles
from docutils.parsers.rst.directives.tables import CSVTable
from docutils.parsers.rst.states import Inliner
from docutils.readers.standalone import Reader as StandaloneReader
from docutils.statemachine import StringList

from generator.diagnostics import Reporter
from generator.readers.base import Document

if TYPE_CHECKING:
    from docutils.languages import _LanguageModule

# "title <target>" in a cross-reference role; Sphinx shows only the title.
_TITLED_TARGET = re.compile(r"^(.+?)\s*(?<!\x00)<[^<>]*>$", re.DOTALL)
# The lookups patched by `_tolerant` are global: one parse at a time.
_PATCH_LOCK = threading.Lock()
# Sphinx roles whose text it shows as inline code.
_CODE_ROLES = frozenset(
    {"attr", "class", "command", "const", "envvar", "exc", "file", "func", "kbd", "mailheader"}
    | {"makevar", "meth", "mod", "obj", "option", "program", "regexp", "samp", "token"}
)


def parse_rst(document: Document, report: Reporter) -> nodes.document:
    """The doctree with the standalone reader's transforms, as publish_doctree builds it."""
    parser = Parser()
    reader: StandaloneReader[Any] = StandaloneReader()
    settings = frontend.get_default_settings(Parser, StandaloneReader)
    vars(settings).update(
        file_insertion_enabled=False,
        raw_enabled=False,
        report_level=5,  # messages reach `report` through the observer, never a stream
        halt_level=5,
        warning_stream=io.StringIO(),
        _disable_config=True,  # default settings never read docutils.conf; say so anyway
        doctitle_xform=False,  # keep the top heading a section: it is the tables' context
        syntax_highlight="none",
    )
    tree = utils.new_document(document.path, settings)
    tree.reporter.attach_observer(_relay_to(report))
    with _tolerant(report):
        try:
            parser.parse(document.text, tree)
        except Exception as error:  # a docutils bug on odd input must not stop the whole run
            report.error(None, "rst.parser-failure", f"docutils failed on this file: {error!r}")
            return tree
    tree.transformer.populate_from_components((parser, reader))
    tree.transformer.apply_transforms()
    return tree


def _relay_to(report: Reporter) -> Callable[[nodes.system_message], None]:
    """An observer passing docutils' warnings and errors on as `rst.syntax` diagnostics."""

    def relay(message: nodes.system_message) -> None:
        level = int(message["level"])
        if level < 2:
            return
        first = message.children[0] if message.children else message
        text = (first.astext().splitlines() or ["docutils reported a problem"])[0]
        send = report.error if level >= 3 else report.warning
        send(message.get("line"), "rst.syntax", text)

    return relay


@contextmanager
def _tolerant(report: Reporter) -> Iterator[None]:
    """Let unknown roles and directives through while one document is parsed.

    `.. role::` and `.. default-role::` write to docutils' global registries, so
    those are restored too: one document's roles must not leak into the next.
    """
    with _PATCH_LOCK:
        registries = (vars(roles)["_roles"], vars(directives)["_directives"])
        snapshots = [dict(registry) for registry in registries]
        lookups = _Lookups(report, roles.role, directives.directive)
        roles.role, directives.directive = lookups.role, lookups.directive
        try:
            yield
        finally:
            roles.role, directives.directive = lookups.find_role, lookups.find_directive
            for registry, snapshot in zip(registries, snapshots, strict=True):
                registry.clear()
                registry.update(snapshot)


class _Lookups:
    """Role and directive lookups that fall back to tolerant stand-ins."""

    def __init__(self, report: Reporter, find_role: Any, find_directive: Any) -> None:
        self.report = report
        self.find_role = find_role
        self.find_directive = find_directive
        self.unknown: set[str] = set()

    def role(
        self,
        role_name: str,
        language_module: _LanguageModule,
        lineno: int,
        reporter: utils.Reporter,
    ) -> Any:
        """The docutils role `role_name`, or `_unknown_role` for any other."""
        found, messages = self.find_role(role_name, language_module, lineno, reporter)
        return (found, messages) if _from_docutils(found) else (_unknown_role, [])

    def directive(
        self, directive_name: str, language_module: _LanguageModule, document: nodes.document
    ) -> Any:
        """The docutils directive of that name, or `_UnknownDirective`, reported once per name."""
        found, messages = self.find_directive(directive_name, language_module, document)
        if found is CSVTable:
            return _LinedCSVTable, messages
        if _from_docutils(found):
            return found, messages
        if directive_name not in self.unknown:
            self.unknown.add(directive_name)
            message = f'unknown directive "{directive_name}": its content is read as ordinary text'
            self.report.info(document.current_line, "rst.unknown-directive", message)
        return _UnknownDirective, []


def _from_docutils(found: object) -> bool:
    # Inside a Sphinx build the registries also hold Sphinx's own roles and
    # directives, which need a Sphinx environment this parse does not have.
    return found is not None and str(getattr(found, "__module__", "")).startswith("docutils.")


def _unknown_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Inliner,
    options: Mapping[str, Any] | None = None,
    content: Sequence[str] | None = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """A role docutils does not know, shown as Sphinx would show its text."""
    match = _TITLED_TARGET.match(text)
    shown = utils.unescape(match.group(1) if match else text)
    if not match:
        shown = shown.lstrip("!")
        if shown.startswith("~"):
            shown = shown[1:].rpartition(".")[2]
    kind = nodes.literal if name.rpartition(":")[2].lower() in _CODE_ROLES else nodes.inline
    return [kind(rawtext, shown)], []


class _AnyOption(dict[str, Callable[[str], Any]]):
    """An option spec that accepts every option name, keeping its value as written."""

    def __missing__(self, key: str) -> Callable[[str], Any]:
        return directives.unchanged

    def __bool__(self) -> bool:
        return True  # docutils skips option parsing for an empty spec


class _UnknownDirective(Directive):
    """A directive docutils does not know: its content is read as ordinary body text."""

    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = _AnyOption()
    has_content = True

    def run(self) -> list[nodes.Node]:
        holder = nodes.Element()
        self.state.nested_parse(self.content, self.content_offset, holder)
        return list(holder.children)


class _LinedCSVTable(CSVTable):
    """`csv-table` whose cells carry the line their row starts on.

    docutils numbers each CSV cell as its own little document starting at
    line 1, which would make every row's provenance wrong.
    """

    def parse_csv_data_into_rows(
        self, csv_data: Sequence[str], dialect: Any, source: str
    ) -> tuple[list[list[tuple[int, int, int, StringList]]], int]:
        reader = csv.reader((line + "\n" for line in csv_data), dialect=dialect)
        rows: list[list[tuple[int, int, int, StringList]]] = []
        start = 0
        for row in reader:
            origin = self._origin(csv_data, start, source)
            rows.append([_csv_cell(cell, origin) for cell in row])
            start = reader.line_num
        return rows, max((len(row) for row in rows), default=0)

    def _origin(self, csv_data: Sequence[str], index: int, source: str) -> tuple[str, int]:
        """Source and 0-based line of `csv_data[index]`; the directive's for `:header:`."""
        if isinstance(csv_data, StringList) and index < len(csv_data):
            source, offset = csv_data.info(index)
            if offset is not None:
                return source, offset
        return source, self.lineno - 1


def _csv_cell(text: str, origin: tuple[str, int]) -> tuple[int, int, int, StringList]:
    lines = text.splitlines()
    return 0, 0, 0, StringList(lines, items=[origin] * len(lines))
