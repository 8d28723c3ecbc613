"""docutils set up for untrusted, Sphinx-flavoured reStructuredText.

The documents come from Sphinx projects, so they use roles and directives that
plain docutils does not know (`:ref:`, `.. only::`).  Like Sphinx, which swaps
in its own lookups while it parses, `_tolerant` wraps the role and directive
lookups of `docutils.parsers.rst` for the length of one parse.  The text is
untrusted: `.. include::`, `.. raw::` and `:file:` options stay disabled.

Nesting is bounded the same way: every nested block (quote, list item,
directive body, table cell) is parsed by `RSTState.nested_parse`, which
`_bounded_nesting` wraps for the length of one parse, passing over blocks
nested deeper than `MAX_NESTING` or copied more than `_COPIES` times over;
line blocks, which nest on their own, are bounded by `_bounded_line_blocks`.
`csv-table` fills short rows out only as far as the document's cells allow.
"""

from __future__ import annotations

import csv
import importlib
import io
import re
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import TYPE_CHECKING, Any

from docutils import frontend, nodes, utils
from docutils.parsers.rst import Directive, Parser, directives, roles
from docutils.parsers.rst.directives.tables import CSVTable
from docutils.parsers.rst.states import Body, Inliner, RSTState
from docutils.readers.standalone import Reader as StandaloneReader
from docutils.statemachine import StringList

from ..diagnostics import Reporter
from ..limits import MAX_NESTING
from .base import Document, Limits

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
_BUDGET_SETTING = "statusdocs_budget"
"""The setting under which a document's `_Budget` travels with it through docutils."""
_COPIES = 20
"""How many times over nested blocks may hold a document's text.

docutils copies each nested block, its indentation stripped, and keeps the
copies of every level open at once: text nested a hundred levels deep would
take a hundred times its size in memory.
"""
# Python frames one level of nesting takes in docutils (7 to 10, measured) and
# in the tree walks after it, with room to spare.
_FRAMES_PER_LEVEL = 16
_FRAMES_SPARE = 1000
_ROOM_LOCK = threading.Lock()
_ROOM_USERS: list[int] = []
"""The recursion limit before `room_to_nest` raised it, then what each reader in it needs."""


@contextmanager
def room_to_nest() -> Iterator[None]:
    """Recursion enough for docutils, and walks of its trees, to reach MAX_NESTING levels.

    Each level of nesting costs docutils about ten Python frames, so the
    default limit of 1000 would run out near 100 levels.  The limit is the
    whole process's: it is raised while any thread needs it, and put back by
    the last one to leave.
    """
    needed = _frames_in_use() + MAX_NESTING * _FRAMES_PER_LEVEL + _FRAMES_SPARE
    with _ROOM_LOCK:
        if not _ROOM_USERS:
            _ROOM_USERS.append(sys.getrecursionlimit())  # the limit to put back
        _ROOM_USERS.append(needed)
        sys.setrecursionlimit(max(sys.getrecursionlimit(), needed))
    try:
        yield
    finally:
        with _ROOM_LOCK:
            _ROOM_USERS.pop()
            if len(_ROOM_USERS) == 1:
                sys.setrecursionlimit(_ROOM_USERS.pop())


def _frames_in_use() -> int:
    count = 0
    frame: FrameType | None = sys._getframe()
    while frame is not None:
        count, frame = count + 1, frame.f_back
    return count


def parse_rst(document: Document, limits: Limits) -> nodes.document:
    """The doctree with the standalone reader's transforms, as publish_doctree builds it.

    Call it within `room_to_nest`.
    """
    report = limits.report
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
    vars(settings)[_BUDGET_SETTING] = _Budget(limits, _COPIES * len(document.text) + 1_000_000)
    tree = utils.new_document(document.path, settings)
    tree.reporter.attach_observer(_relay_to(report))
    try:
        with _tolerant(report):
            parser.parse(document.text, tree)
        tree.transformer.populate_from_components((parser, reader))
        tree.transformer.apply_transforms()
    except Exception as error:  # a docutils bug on odd input must not stop the whole run
        report.error(None, "rst.parser-failure", f"docutils failed on this file: {error!r}")
    return tree


@dataclass(slots=True)
class _Budget:
    """What the parse of one document may still do."""

    limits: Limits
    copies_left: int
    """Characters nested blocks may still copy; see `_COPIES`."""
    depth: int = 0
    """How many nested parses are under way."""


def _budget_of(document: nodes.document) -> _Budget | None:
    """The `_Budget` of a document this module parses; None for anyone else's."""
    budget = getattr(document.settings, _BUDGET_SETTING, None)
    return budget if isinstance(budget, _Budget) else None


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
        nested_parse, nest_lines = RSTState.nested_parse, Body.nest_line_block_segment
        RSTState.nested_parse = _bounded_nesting(nested_parse)  # type: ignore[method-assign]
        Body.nest_line_block_segment = _bounded_line_blocks(nest_lines)  # type: ignore[method-assign]
        try:
            yield
        finally:
            roles.role, directives.directive = lookups.find_role, lookups.find_directive
            RSTState.nested_parse = nested_parse  # type: ignore[method-assign]
            Body.nest_line_block_segment = nest_lines  # type: ignore[method-assign]
            for registry, snapshot in zip(registries, snapshots, strict=True):
                registry.clear()
                registry.update(snapshot)


def _bounded_nesting(original: Callable[..., int]) -> Callable[..., int]:
    """`RSTState.nested_parse`, passing over blocks nested deeper than MAX_NESTING.

    Only documents parsed here are counted: in a Sphinx build the same class
    parses the project's own pages, which keep docutils' behaviour.
    """

    def nested_parse(
        state: RSTState, block: StringList, input_offset: int, *args: Any, **kwargs: Any
    ) -> int:
        budget = _budget_of(state.document)
        if budget is None:
            return original(state, block, input_offset, *args, **kwargs)
        if not _may_nest(budget, block, _first_line(block, input_offset)):
            return input_offset + len(block)  # where docutils' own parse of it would end
        budget.depth += 1
        try:
            return original(state, block, input_offset, *args, **kwargs)
        finally:
            budget.depth -= 1

    return nested_parse


def _may_nest(budget: _Budget, block: StringList, line: int) -> bool:
    """Whether `block` may be parsed one level deeper; if not, say so (once)."""
    if budget.depth >= MAX_NESTING:
        budget.limits.too_deep(line, "rst.too-deep", "blocks")
        return False
    size = sum(map(len, block))
    if size > budget.copies_left:
        message = (
            f"blocks nested so deep that they hold the text more than {_COPIES} times over;"
            " the content inside is not read"
        )
        budget.limits.once(line, "rst.too-deep", message)
        return False
    budget.copies_left -= size
    return True


def _first_line(block: StringList, input_offset: int) -> int:
    """The file line `block` starts on: a table cell's `input_offset` counts from elsewhere."""
    if block.items and isinstance(block.items[0][1], int):
        return block.items[0][1] + 1
    return input_offset + 1


def _bounded_line_blocks(original: Callable[..., None]) -> Callable[..., None]:
    """`Body.nest_line_block_segment`, leaving out lines indented past MAX_NESTING levels.

    Line blocks (`| text`) nest by indentation without `nested_parse`, one
    recursion per level, each going over every line below it.
    """
    depth = 0

    def nest_line_block_segment(state: Body, block: nodes.line_block) -> None:
        nonlocal depth
        budget = _budget_of(state.document)
        if budget is None:
            return original(state, block)
        if depth >= MAX_NESTING:
            line = block[0].line if len(block) else None
            budget.limits.too_deep(line, "rst.too-deep", "blocks")
            del block[:]
            return None
        depth += 1
        try:
            return original(state, block)
        finally:
            depth -= 1

    return nest_line_block_segment


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
        if not _from_docutils(found):
            # Once Sphinx is loaded, its own role may stand under docutils' name (`code`),
            # in the registries: take docutils' own function of that name.
            found = _DOCUTILS_ROLES.get(role_name.lower())
        return (found, messages) if _from_docutils(found) else (_unknown_role, [])

    def directive(
        self, directive_name: str, language_module: _LanguageModule, document: nodes.document
    ) -> Any:
        """The docutils directive of that name, or `_UnknownDirective`, reported once per name."""
        found, messages = self.find_directive(directive_name, language_module, document)
        if not _from_docutils(found):
            # Inside a Sphinx build, Sphinx's own directive (its `include`, which reads files
            # from the project) may stand under docutils' name: take docutils' own, so the
            # settings that disable file insertion and raw apply as outside Sphinx.
            found = _docutils_directive(directive_name) or found
        if found is CSVTable:
            return _LinedCSVTable, messages
        if _from_docutils(found):
            return found, messages
        if directive_name not in self.unknown:
            self.unknown.add(directive_name)
            message = f'unknown directive "{directive_name}": its content is read as ordinary text'
            self.report.info(document.current_line, "rst.unknown-directive", message)
        return _UnknownDirective, []


_DOCUTILS_ROLES = {
    "code": roles.code_role,
    "math": roles.math_role,
    "pep-reference": roles.pep_reference_role,
    "pep": roles.pep_reference_role,
    "rfc-reference": roles.rfc_reference_role,
    "rfc": roles.rfc_reference_role,
    "raw": roles.raw_role,
}
"""Docutils' role functions, by the names Sphinx may register its own under."""


def _docutils_directive(name: str) -> type[Directive] | None:
    """Docutils' own directive registered under `name` (English names), if it has one."""
    entry = vars(directives)["_directive_registry"].get(name.lower())
    if entry is None:
        return None
    module = importlib.import_module(f"docutils.parsers.rst.directives.{entry[0]}")
    found: type[Directive] = getattr(module, entry[1])
    return found


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


# One CSV cell as docutils builds tables from it: spans (always 0) and the cell's lines.
_CSVCell = tuple[int, int, int, StringList]


class _LinedCSVTable(CSVTable):
    """`csv-table` whose cells carry the line their row starts on.

    docutils numbers each CSV cell as its own little document starting at
    line 1, which would make every row's provenance wrong.
    """

    def parse_csv_data_into_rows(
        self, csv_data: Sequence[str], dialect: Any, source: str
    ) -> tuple[list[list[_CSVCell]], int]:
        reader = csv.reader((line + "\n" for line in csv_data), dialect=dialect)
        rows: list[list[_CSVCell]] = []
        start = 0
        for row in reader:
            origin = self._origin(csv_data, start, source)
            rows.append([_csv_cell(cell, origin) for cell in row])
            start = reader.line_num
        return rows, max((len(row) for row in rows), default=0)

    def extend_short_rows_with_empty_cells(
        self, columns: int, parts: Sequence[list[list[_CSVCell]]]
    ) -> None:
        """Fill short rows out to `columns`, keeping the rows that fit in the document's cells."""
        budget = _budget_of(self.state.document)
        if budget is not None:
            _keep_fitting(parts, columns, budget.limits, self.lineno)
        super().extend_short_rows_with_empty_cells(columns, parts)

    def _origin(self, csv_data: Sequence[str], index: int, source: str) -> tuple[str, int]:
        """Source and 0-based line of `csv_data[index]`; the directive's for `:header:`."""
        if isinstance(csv_data, StringList) and index < len(csv_data):
            source, offset = csv_data.info(index)
            if offset is not None:
                return source, offset
        return source, self.lineno - 1


def _csv_cell(text: str, origin: tuple[str, int]) -> _CSVCell:
    lines = text.splitlines()
    return 0, 0, 0, StringList(lines, items=[origin] * len(lines))


def _keep_fitting(
    parts: Sequence[list[list[_CSVCell]]], columns: int, limits: Limits, line: int
) -> None:
    """Drop the rows of `parts` (head, body) past what fits in the document's cells."""
    room = limits.rows_fitting(columns)
    for part in parts:
        if len(part) > room:
            limits.too_many_cells(_row_line(part[room]) or line)
            del part[room:]
        room -= len(part)
        limits.cells_left -= columns * len(part)


def _row_line(row: list[_CSVCell]) -> int | None:
    """The line a CSV row starts on, from the first of its cells that has text."""
    for *_, lines in row:
        if isinstance(lines, StringList) and lines.items:
            return int(lines.items[0][1]) + 1
    return None
